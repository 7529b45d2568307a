from django.urls import path

from accountability.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("summary/", views.summary, name="summary"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("refresh/", views.refresh, name="refresh"),
]
