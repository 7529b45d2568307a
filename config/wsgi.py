"""The WSGI application (gunicorn: config.wsgi:application).

With DJANGO_DEBUG false it refuses to start on a configuration that preflight rejects, even
when started without `accountability serve`.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _refuse_unsafe_production() -> None:
    from django.conf import settings

    if settings.DEBUG:
        return
    from accountability.operations.preflight import preflight_errors

    errors = preflight_errors()
    if errors:
        lines = "\n".join(str(p) for p in errors)
        raise ImproperlyConfigured(f"预检未通过，系统不会启动：\n{lines}")


_refuse_unsafe_production()
