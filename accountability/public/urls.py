"""The public reporting pages (mounted at /report/; the only pages of a PUBLIC_HOSTS host)."""

from django.urls import path

from accountability.public import views

app_name = "public"

urlpatterns = [
    path("", views.report_create, name="report"),
    path("lookup/", views.lookup, name="lookup"),
    path("status/", views.status, name="status"),
    path("status/message/", views.message_add, name="message_add"),
    path("status/evidence/", views.evidence_add, name="evidence_add"),
    path("status/sign-out/", views.sign_out, name="sign_out"),
]
