"""The office's pages for the reports from the public (mounted at /petitions/, staff hosts)."""

from django.urls import path

from accountability.public import views_staff

app_name = "public_staff"

urlpatterns = [
    path("", views_staff.inbox, name="inbox"),
    path("<int:pk>/", views_staff.detail, name="detail"),
    path("<int:pk>/reporter/", views_staff.reporter, name="reporter"),
    path("<int:pk>/register/", views_staff.register, name="register"),
    path("<int:pk>/messages/", views_staff.message_add, name="message_add"),
    path("<int:pk>/files/<int:file_id>/", views_staff.file_download, name="file"),
    path("messages/<int:message_id>/approve/", views_staff.message_approve, name="approve"),
    path("messages/<int:message_id>/return/", views_staff.message_return, name="return"),
]
