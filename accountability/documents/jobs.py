"""The documents app's background jobs (run by ``accountability worker``).

Each handler is thin: it calls the module that does the work, with the job's progress hook.
Limits come from settings, read when a job is queued (see config/settings.py).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accountability.common.i18n import in_source_language
from accountability.documents import conversion, drafts, office_templates
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


@job(
    label=_("生成 PDF"),
    # A batch run, and the one-by-one runs that follow a batch that failed as a whole.
    timeout=lambda: settings.DOCUMENTS_PDF_TIMEOUT * 2 + 60,
    memory_mb=_converting_memory_mb,
)
def pdf_convert(ctx: JobContext, *, document_ids: list[int]) -> JobOutcome:
    """PDFs of issued documents, this job's own and any others waiting, several per run."""
    from accountability.documents.models import DocumentPdf, IssuedDocument

    result = conversion.pdf_convert_for_job(
        job_id=ctx.job_id, document_ids=document_ids, progress=ctx.progress
    )
    first = IssuedDocument.objects.filter(pk__in=document_ids).order_by("id").first()
    url = reverse("documents:case_documents", args=[first.case_id]) if first else ""
    ready = DocumentPdf.objects.filter(
        document_id__in=document_ids, state=DocumentPdf.State.READY
    ).count()
    message = in_source_language(
        lambda: (
            str(conversion.MSG_DONE).format(count=ready)
            if ready == len(document_ids)
            else str(conversion.MSG_ELSEWHERE)
        )
    )
    return JobOutcome(
        message=message,
        url=url,
        data={"made": result.made, "failed": list(result.failed)},
    )
