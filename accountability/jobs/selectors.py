"""Reading jobs: a user sees the jobs they started, nobody else's."""

from __future__ import annotations

import uuid
from typing import Any

from accountability.common.errors import NotFound
from accountability.jobs.models import Job


def job_get_for_user(*, job_id: uuid.UUID | str, user: Any) -> Job:
    """The job ``job_id`` if ``user`` started it; NotFound otherwise (no job's existence leaks)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    job = Job.objects.filter(pk=job_id, owner_id=user.pk).first()
    if job is None:
        raise NotFound()
    return job
