"""The background job that checks an uploaded roster and imports it (all or nothing).

It runs in the worker, away from the web process, within the limits of roster.py (and the
job's own time and memory limits). A refused file fails the job with the count of errors;
the errors themselves (row, column, message) are kept on the upload for its page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accountability.jobs.registry import JobContext, JobOutcome, job
from accountability.people.models import RosterUpload
from accountability.people.services import (
    RosterImportError,
    roster_import,
    roster_upload_content,
    roster_upload_refuse,
)

IMPORT_DONE = _("名册已导入：新增 {created} 人，修改 {updated} 人，未变 {unchanged} 人。")


@job(label=_("导入干部名册"), memory_mb=512)
def roster_import_job(ctx: JobContext, *, upload_id: int) -> JobOutcome:
    upload = RosterUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    url = reverse("people:import_status", args=[upload.pk])
    try:
        result = roster_import(
            content=roster_upload_content(upload),
            actor=upload.uploaded_by,
            filename=upload.filename,
            upload=upload,
            progress=ctx.progress,
        )
    except RosterImportError as error:
        roster_upload_refuse(upload=upload, errors=error.errors)
        raise
    return JobOutcome(
        message=IMPORT_DONE.format(
            created=len(result.created),
            updated=len(result.updated),
            unchanged=len(result.unchanged),
        ),
        url=url,
        data={
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
        },
    )
