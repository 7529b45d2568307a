from django.urls import path

from accountability.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:job_id>/", views.job_page, name="job"),
    path("<uuid:job_id>/retry/", views.job_retry_view, name="retry"),
]
