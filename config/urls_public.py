"""A public reporting host (setting PUBLIC_HOSTS): the reporting pages, their challenge
images and the language switch; no staff page exists here."""

from django.urls import include, path
from django.views.generic import RedirectView

from config.urls import public_patterns

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="public:report", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    *public_patterns,
]
