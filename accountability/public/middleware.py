"""Which URLs a host serves: the public reporting host only the public pages.

* A request whose host is in PUBLIC_HOSTS is answered from ``config.urls_public``: the
  reporting pages, their challenge images and the language switch. No staff URL resolves
  there (404), whatever the path.
* When PUBLIC_HOSTS is set and PUBLIC_ON_STAFF_HOSTS is false, every other host is answered
  from ``config.urls_staff``: the public pages are not found there.
* Otherwise (the default, one host for everything) ROOT_URLCONF serves both.

It runs before CommonMiddleware, whose slash redirects use the request's URLconf.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PUBLIC_URLCONF = "config.urls_public"
STAFF_URLCONF = "config.urls_staff"


def _host(request: HttpRequest) -> str:
    # The validated host (ALLOWED_HOSTS) without the port, lower-cased.
    host = request.get_host().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def is_public_host(request: HttpRequest) -> bool:
    hosts = {h.lower() for h in getattr(settings, "PUBLIC_HOSTS", ()) or ()}
    return bool(hosts) and _host(request) in hosts


class PublicHostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "PUBLIC_HOSTS", None):
            if is_public_host(request):
                request.urlconf = PUBLIC_URLCONF
                request.is_public_host = True  # type: ignore[attr-defined]
            elif not getattr(settings, "PUBLIC_ON_STAFF_HOSTS", True):
                request.urlconf = STAFF_URLCONF
        return self.get_response(request)
