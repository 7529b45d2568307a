from django.urls import path

from accountability.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("import/", views.roster_import_page, name="import"),
    path("import/<int:pk>/", views.roster_import_status, name="import_status"),
    path("export/", views.roster_export_download, name="export"),
]
