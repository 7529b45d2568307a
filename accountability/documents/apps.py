from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "accountability.documents"
    label = "documents"
