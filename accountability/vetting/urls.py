from django.urls import path

from accountability.vetting import views

app_name = "vetting"
urlpatterns = [
    path("", views.vetting_list, name="list"),
    path("template.xlsx", views.vetting_template, name="template"),
    path("barred/", views.barred, name="barred"),
    path("<int:pk>/", views.vetting_detail, name="detail"),
    path("<int:pk>/entries/<int:entry_id>/resolve/", views.vetting_resolve, name="resolve"),
    path("<int:pk>/confirm/", views.vetting_confirm, name="confirm"),
    path("<int:pk>/sign/", views.vetting_sign, name="sign"),
    path("<int:pk>/reply.xlsx", views.vetting_download, name="download"),
]
