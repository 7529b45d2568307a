"""gunicorn's configuration, read from the same Django settings as everything else.

`accountability serve` starts ``gunicorn -c config/gunicorn.conf.py config.wsgi`` after
preflight, the migration check and collectstatic. Threaded workers (gthread): WEB_WORKERS
processes of WEB_THREADS threads; each process keeps a PostgreSQL pool of at most
DATABASE_POOL_MAX_SIZE connections, so the server holds at most
WEB_WORKERS x DATABASE_POOL_MAX_SIZE of them.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings

bind = [settings.WEB_BIND]
workers = settings.WEB_WORKERS
# One thread: sync workers, each taking a connection only when it is free, so a slow request
# never holds up others queued behind it in the same process; more: threaded workers.
threads = settings.WEB_THREADS
worker_class = "sync" if threads == 1 else "gthread"
timeout = settings.WEB_TIMEOUT_SECONDS
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak never grows without bound.
max_requests = 5000
max_requests_jitter = 500
# Requests larger than the upload limit are refused by Django; these bound the headers.
limit_request_line = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
loglevel = settings.LOGGING["root"]["level"].lower()
# No runtime control socket: it would be shared by every gunicorn of the machine's user.
control_socket_disable = True
proc_name = "accountability"
