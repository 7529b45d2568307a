"""The documents app's background jobs (run by ``accountability worker``).

Each handler is thin: it calls the module that does the work, with the job's progress hook.
Limits come from settings, read when a job is queued (see config/settings.py).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accountability.common.i18n import in_source_language
from accountability.documents import drafts, office_templates
from accountability.jobs.registry import JobContext, JobOutcome, job


@job(
    label=_("校验文书模板"),
    timeout=lambda: settings.DOCUMENTS_TEMPLATE_CHECK_SECONDS,
    memory_mb=lambda: settings.DOCUMENTS_TEMPLATE_CHECK_MEMORY_MB,
)
def template_check(ctx: JobContext, *, upload_id: int) -> JobOutcome:
    """An uploaded template: checked, then used, or refused with the reason."""
    template = office_templates.template_upload_check(upload_id=upload_id, progress=ctx.progress)
    message = in_source_language(
        lambda: str(
            office_templates.MSG_ACCEPTED.format(
                kind=template.get_kind_display(), name=template.original_name
            )
        )
    )
    return JobOutcome(
        message=message,
        url=f"{reverse('documents:templates')}#{template.kind}",
        data={"template": template.pk},
    )


def _converting_memory_mb() -> int:
    # The horse's own work plus the soffice child's bound (pdf.soffice_address_space).
    return int(settings.DOCUMENTS_SOFFICE_MEMORY_MB) + 256


@job(
    label=_("生成文书草稿"),
    timeout=lambda: settings.DOCUMENTS_PDF_TIMEOUT + 60,
    memory_mb=_converting_memory_mb,
)
def draft_render(ctx: JobContext, **params: object) -> JobOutcome:
    """A draft (preview or template sample) for the job's owner, kept for them to download."""
    draft = drafts.draft_make(owner_id=ctx.owner_id, params=dict(params), progress=ctx.progress)
    return JobOutcome(
        message=draft.filename,
        url=reverse("documents:draft", args=[draft.pk]),
        data={"draft": str(draft.pk)},
    )
