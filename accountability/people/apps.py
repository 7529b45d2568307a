from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "accountability.people"
    label = "people"
