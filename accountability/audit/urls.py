from django.urls import path

from accountability.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log_page, name="log"),
    path("export.csv", views.log_export, name="export"),
]
