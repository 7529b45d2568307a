"""The URLs of the staff hosts; the public reporting host serves ``config.urls_public`` alone
(accountability/public/middleware.py decides by the request's host, setting PUBLIC_HOSTS)."""

from django.urls import include, path

from accountability.cases.views import home

#: The staff pages (never reachable from a public reporting host).
staff_patterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accountability.accounts.urls")),
    path("people/", include("accountability.people.urls")),
    path("cases/", include("accountability.cases.urls")),
    path("documents/", include("accountability.documents.urls")),
    path("audit/", include("accountability.accounts.urls_audit")),
    path("jobs/", include("accountability.jobs.urls")),
    path("reports/", include("accountability.reports.urls")),
    path("vetting/", include("accountability.vetting.urls")),
    path("petitions/", include("accountability.public.urls_staff")),
    path("", include("accountability.assessment.urls")),
]
#: The informant's channel (群众信访举报): the reporting pages and their challenge images.
public_patterns = [
    path("report/", include("accountability.public.urls")),
    path("captcha/", include("captcha.urls")),
]

urlpatterns = [*staff_patterns, *public_patterns]
