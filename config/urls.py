from django.urls import include, path

from accountability.cases.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accountability.accounts.urls")),
    path("people/", include("accountability.people.urls")),
    path("cases/", include("accountability.cases.urls")),
    path("documents/", include("accountability.documents.urls")),
    path("audit/", include("accountability.audit.urls")),
    path("jobs/", include("accountability.jobs.urls")),
    path("reports/", include("accountability.reports.urls")),
    path("", include("accountability.assessment.urls")),
]
