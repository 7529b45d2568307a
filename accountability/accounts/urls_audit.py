"""The audit log's pages (namespace "audit", served under /audit/; views in views_audit)."""

from django.urls import path

from accountability.accounts import views_audit as views

app_name = "audit"
urlpatterns = [
    path("", views.log_page, name="log"),
    path("export.csv", views.log_export, name="export"),
]
