"""The job page: progress while it runs, the result or the reason when it has ended.

Without JavaScript the page reloads itself every two seconds while the job is unfinished
(``<meta http-equiv="refresh">``, which a Content-Security-Policy allows); ``?format=json``
gives the same facts to a script or another system.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accountability.jobs.models import Job
from accountability.jobs.selectors import job_get_for_user
from accountability.jobs.services import job_retry

REFRESH_SECONDS = 2


def job_facts(job: Job) -> dict[str, object]:
    return {
        "id": str(job.pk),
        "label": job.label,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "result_url": job.result_url,
        "finished": job.finished,
    }


@login_required
def job_page(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_get_for_user(job_id=job_id, user=request.user)
    if request.GET.get("format") == "json":
        return JsonResponse(job_facts(job), json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "jobs/job.html",
        {"job": job, "refresh_seconds": None if job.finished else REFRESH_SECONDS},
    )


@login_required
@require_POST
def job_retry_view(request: HttpRequest, job_id: str) -> HttpResponse:
    job = job_get_for_user(job_id=job_id, user=request.user)
    job_retry(job=job, actor=request.user, request=request)
    return redirect("jobs:job", job_id=job.pk)
