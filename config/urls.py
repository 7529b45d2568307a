from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="assessment:assess", permanent=False), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accountability.accounts.urls")),
    path("people/", include("accountability.people.urls")),
    path("cases/", include("accountability.cases.urls")),
    path("documents/", include("accountability.documents.urls")),
    path("audit/", include("accountability.audit.urls")),
    path("", include("accountability.assessment.urls")),
]
