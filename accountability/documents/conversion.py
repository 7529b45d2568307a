"""PDFs of issued documents, made by the worker from the frozen .docx, several per run.

Issuing records the document and asks for its PDF in the same short transaction
(``pdf_request``: a DocumentPdf row 排队中 and a conversion job, queued on commit); LibreOffice
never runs inside a transaction or a request. A conversion job (``pdf_convert_for_job``) takes
its own documents and whatever else is waiting, up to DOCUMENTS_PDF_BATCH_SIZE, and converts
them in one soffice run (about 7× faster per document than a run each; see bench/documents.py);
each PDF is then stored in a transaction of its own with its hashes and an audit entry. A
failed conversion says why on the document and can be asked for again (``pdf_retry``).

Signatures:

    pdf_request(*, documents, actor, request=None) -> Job | None    (in the caller's transaction)
    pdf_retry(*, document, actor, request=None) -> Job
    pdf_convert_for_job(*, job_id, document_ids, progress=None) -> Conversion     (in the worker)
    convert_pending(*, job_id, first=(), progress=None) -> Conversion
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import in_source_language, join_list
from accountability.documents import pdf, render
from accountability.documents.files import removed_on_failure
from accountability.documents.models import DocumentPdf, IssuedDocument
from accountability.documents.roles import issuer_roles

MSG_NOT_ALLOWED = _("只有可以印发该文书的人员才能重新生成其 PDF。")
MSG_READY = _("该文书的 PDF 已经生成，不能重新生成。")
MSG_UNDER_WAY = _("该文书的 PDF 正在生成中，请稍候。")
MSG_UNAVAILABLE = _("服务器未安装 LibreOffice，暂不能生成 PDF。")
MSG_DONE = _("已生成{count}份 PDF。")
MSG_ELSEWHERE = _("PDF 由另一个转换任务生成中。")
MSG_CONVERTING = _("正在转换（{done}/{total}）")
MSG_JOB_STOPPED = _("PDF 转换任务已停止：{reason}")
LABEL = _("生成 PDF：{title}")
LABEL_MANY = _("生成 PDF：{count}份文书")

Progress = Callable[..., None]


def _source(message: Any, **values: Any) -> str:
    """``message`` filled in, in the source language (job labels and messages are records)."""
    return in_source_language(lambda: str(message).format(**{k: str(v) for k, v in values.items()}))


@dataclass
class Conversion:
    """What a conversion run did: the DocumentPdf ids made and failed (id -> reason)."""

    made: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def claimed(self) -> int:
        return len(self.made) + len(self.failed)


# --- asking for PDFs (web) ----------------------------------------------------------------


def pdf_request(
    *, documents: Iterable[IssuedDocument], actor: Any, request: Any = None
) -> Any | None:
    """PDFs for ``documents`` (which have none yet), made by one job queued when the caller's
    transaction commits; the Job, or None when LibreOffice is not installed here."""
    from accountability.documents.jobs import pdf_convert
    from accountability.jobs.services import job_enqueue

    documents = list(documents)
    if not documents or not pdf.pdf_available():
        return None
    if len(documents) == 1:
        label = _source(LABEL, title=documents[0].title)
    else:
        label = _source(LABEL_MANY, count=len(documents))
    job = job_enqueue(
        handler=pdf_convert,
        owner=actor,
        params={"document_ids": [d.pk for d in documents]},
        label=label,
    )
    requester = actor if getattr(actor, "is_authenticated", False) else None
    DocumentPdf.objects.bulk_create(
        [DocumentPdf(document=d, job=job, requested_by=requester or d.issued_by) for d in documents]
    )
    return job


def pdf_retry(*, document: IssuedDocument, actor: Any, request: Any = None) -> Any:
    """Ask again for the PDF of ``document``: one that failed, whose job ended without it, or
    that was never asked for. Whoever may issue the document may ask."""
    from accountability.documents.jobs import pdf_convert
    from accountability.jobs.services import job_enqueue

    if not access.case_roles(case=document.case, user=actor) & issuer_roles(document.kind):
        raise PermissionDenied(MSG_NOT_ALLOWED, code="role_not_allowed")
    if not pdf.pdf_available():
        raise DomainError(MSG_UNAVAILABLE, field="pdf", code="pdf_unavailable")
    with transaction.atomic():
        row = (
            DocumentPdf.objects.select_for_update(of=("self",))
            .select_related("job")
            .filter(document=document)
            .first()
        )
        before = row.shown_state if row is not None else ""
        if row is not None and row.state == DocumentPdf.State.READY:
            raise DomainError(MSG_READY, field="pdf", code="pdf_ready")
        if row is not None and row.shown_state != DocumentPdf.State.FAILED:
            raise DomainError(MSG_UNDER_WAY, field="pdf", code="pdf_under_way")
        job = job_enqueue(
            handler=pdf_convert,
            owner=actor,
            params={"document_ids": [document.pk]},
            label=_source(LABEL, title=document.title),
        )
        if row is None:
            row = DocumentPdf.objects.create(document=document, job=job, requested_by=actor)
        else:
            DocumentPdf.objects.filter(pk=row.pk).update(
                state=DocumentPdf.State.PENDING, error="", job=job, requested_by=actor
            )
        audit_log(
            actor=actor,
            action="update",
            target=document,
            changes={"pdf": [before, DocumentPdf.State.PENDING]},
            detail="重新生成 PDF",
            request=request,
        )
    return job


# --- converting (worker) ------------------------------------------------------------------


def _claim(job_id: str, first: Iterable[int], limit: int) -> list[DocumentPdf]:
    """Up to ``limit`` waiting PDFs, those of documents ``first`` before the others (oldest
    first), marked 转换中 by ``job_id``; rows another job is claiming are skipped."""
    first = list(first)
    with transaction.atomic():
        waiting = DocumentPdf.objects.select_for_update(skip_locked=True).filter(
            state=DocumentPdf.State.PENDING
        )
        ids = list(
            waiting.filter(document_id__in=first).order_by("id").values_list("pk", flat=True)
        )[:limit]
        if len(ids) < limit:
            others = waiting.exclude(pk__in=ids).order_by("requested_at", "id")
            ids += list(others.values_list("pk", flat=True)[: limit - len(ids)])
        DocumentPdf.objects.filter(pk__in=ids).update(
            state=DocumentPdf.State.CONVERTING, job_id=job_id
        )
    return list(
        DocumentPdf.objects.filter(pk__in=ids)
        .select_related("document__case", "requested_by")
        .order_by("id")
    )


def _store(row: DocumentPdf, job_id: str, data: bytes) -> bool:
    """The PDF of ``row``, with its hashes and audit entry; False if the row was taken from
    this job meanwhile (then nothing is written)."""
    with removed_on_failure() as written, transaction.atomic():
        locked = DocumentPdf.objects.select_for_update().filter(pk=row.pk).first()
        if locked is None or locked.state != DocumentPdf.State.CONVERTING:
            return False
        if str(locked.job_id) != str(job_id):
            return False
        locked.document = row.document
        written.save(locked.file, "document.pdf", data)
        locked.sha256 = render.sha256_hex(data)
        locked.sm3 = render.sm3_hex(data)
        locked.state = DocumentPdf.State.READY
        locked.error = ""
        locked.converted_at = timezone.now()
        locked.save()
        document = row.document
        audit_log(
            actor=row.requested_by,
            action="create",
            target=locked,
            changes={
                "document": document.pk,
                "number": document.number,
                "version": document.version,
                "docx_sha256": document.docx_sha256,
                "pdf_sha256": locked.sha256,
                "pdf_sm3": locked.sm3,
            },
            detail="生成 PDF",
        )
    return True


def _fail(rows: Iterable[DocumentPdf], job_id: str, reason: str) -> None:
    for row in rows:
        with transaction.atomic():
            updated = DocumentPdf.objects.filter(
                pk=row.pk, state=DocumentPdf.State.CONVERTING, job_id=job_id
            ).update(state=DocumentPdf.State.FAILED, error=reason[:2000])
            if updated:
                audit_log(
                    actor=row.requested_by,
                    action="create",
                    target=row,
                    outcome="failure",
                    changes={"document": row.document_id},
                    detail=reason,
                )


def _docx(row: DocumentPdf) -> bytes:
    from accountability.documents.services import read_verified

    document = row.document
    return read_verified(document.docx, document.docx_sha256, document.title)


def convert_pending(
    *, job_id: str, first: Iterable[int] = (), progress: Progress | None = None
) -> Conversion:
    """One batch: claim waiting PDFs (``first`` documents first), convert them in one soffice
    run, store each. A batch that fails as a whole is converted one by one, so that one bad
    document does not take the others with it; a run out of time is not retried."""
    batch = int(getattr(settings, "DOCUMENTS_PDF_BATCH_SIZE", 20))
    timeout = float(getattr(settings, "DOCUMENTS_PDF_TIMEOUT", pdf.DEFAULT_TIMEOUT))
    rows = _claim(job_id, first, batch)
    result = Conversion()
    if not rows:
        return result
    pending = list(rows)
    try:
        sources: list[tuple[DocumentPdf, bytes]] = []
        for row in rows:
            try:
                sources.append((row, _docx(row)))
            except DomainError as error:  # the stored .docx is missing or was changed
                _fail([row], job_id, error.message)
                result.failed[row.pk] = error.message
                pending.remove(row)

        def told(done: int, total: int) -> None:
            if progress is not None:
                progress(done, total, _source(MSG_CONVERTING, done=done, total=total))

        try:
            made = pdf.docx_to_pdf_many([d for _, d in sources], timeout=timeout, progress=told)
            outcomes: list[tuple[DocumentPdf, bytes | DomainError]] = [
                (row, data) for (row, _), data in zip(sources, made, strict=True)
            ]
        except pdf.PdfError as error:
            if len(sources) < 2 or error.code in ("pdf_timeout", "pdf_unavailable"):
                raise
            outcomes = []
            for row, data in sources:
                try:
                    outcomes.append((row, pdf.docx_to_pdf(data, timeout=timeout)))
                except pdf.PdfError as single:
                    outcomes.append((row, single))
        for row, outcome in outcomes:
            if isinstance(outcome, DomainError):
                _fail([row], job_id, outcome.message)
                result.failed[row.pk] = outcome.message
            elif _store(row, job_id, outcome):
                result.made.append(row.pk)
            pending.remove(row)
    except BaseException as error:
        # Out of time, out of memory, LibreOffice missing or stopped: the rest say so.
        reason = error.message if isinstance(error, DomainError) else _stopped(error)
        _fail(pending, job_id, reason)
        raise
    return result


def _stopped(error: BaseException) -> str:
    from rq.timeouts import JobTimeoutException

    from accountability.jobs.runner import MSG_INTERNAL, MSG_MEMORY, MSG_TIMEOUT

    if isinstance(error, JobTimeoutException):
        reason = MSG_TIMEOUT.format(seconds=settings.DOCUMENTS_PDF_TIMEOUT)
    elif isinstance(error, MemoryError):
        reason = MSG_MEMORY.format(mb=settings.DOCUMENTS_SOFFICE_MEMORY_MB)
    else:
        reason = MSG_INTERNAL.format(ref="pdf")
    return _source(MSG_JOB_STOPPED, reason=reason)


def pdf_convert_for_job(
    *, job_id: str, document_ids: list[int], progress: Progress | None = None
) -> Conversion:
    """The conversion job: its own documents' PDFs (and others waiting, in the same runs).

    A retried job first puts its own failed PDFs back in the queue. The job fails, with the
    reason, when one of its own documents could not be converted."""
    from accountability.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    own = DocumentPdf.objects.filter(document_id__in=document_ids)
    if job.attempts > 1:
        own.filter(state__in=(DocumentPdf.State.FAILED, DocumentPdf.State.CONVERTING)).update(
            state=DocumentPdf.State.PENDING, error="", job_id=job_id
        )
    total = Conversion()
    while True:
        batch = convert_pending(job_id=job_id, first=document_ids, progress=progress)
        total.made += batch.made
        total.failed.update(batch.failed)
        if not batch.claimed or not own.filter(state=DocumentPdf.State.PENDING).exists():
            break
    failed = list(own.filter(state=DocumentPdf.State.FAILED).values_list("error", flat=True))
    if failed:
        raise DomainError(join_list(dict.fromkeys(failed)), field="pdf", code="pdf_failed")
    return total
