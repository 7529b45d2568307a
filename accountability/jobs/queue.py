"""The connection to Redis and the queue the jobs go through (settings REDIS_URL, JOBS_QUEUE)."""

from __future__ import annotations

from functools import lru_cache

import redis
from django.conf import settings
from rq import Queue

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_QUEUE = "accountability"


@lru_cache(maxsize=4)
def _connection(url: str) -> redis.Redis:
    # Short timeouts: a page that enqueues work must not hang when Redis is away.
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def connection() -> redis.Redis:
    return _connection(str(getattr(settings, "REDIS_URL", DEFAULT_REDIS_URL)))


def queue_name() -> str:
    return str(getattr(settings, "JOBS_QUEUE", DEFAULT_QUEUE))


def queue() -> Queue:
    return Queue(queue_name(), connection=connection())
