"""Writes of the documents app: issuing (frozen, numbered, hashed, audited), new versions,
downloads and the dossier package. Office templates are in office_templates.py, drafts in
drafts.py, PDFs (made by the worker) in conversion.py.

Signatures:

    document_issue(*, case, kind, actor, party=None, recipient="", appeal=None,
                   issued_on=None, with_pdf=True, request=None) -> IssuedDocument
    document_reissue(*, document, actor, reason, with_pdf=True, request=None) -> IssuedDocument
    decision_paper_record(*, decision, actor, number, issued_on, request=None) -> Decision
    document_download(*, document, fmt, actor, request=None) -> DownloadFile
    dossier_export(*, case, actor, request=None) -> DossierPackage
    next_serial(*, prefix, year) -> int            (inside the caller's transaction)

A 发文字号 is taken from its counter row under select_for_update inside the same
transaction that stores the document: a failure anywhere (rendering, the case's
own refusal) rolls the counter back with it, and the stored file is removed, so
numbers have no gaps and no file is left without its row; two officers issuing
at once wait for each other instead of sharing a number.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.audit.refusals import audited_service
from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.cases.models import Appeal, Case, CaseParty, Decision
from accountability.cases.services import decision_mark_issued
from accountability.cases.workflow import Role
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import in_source_language, join_list
from accountability.documents import context as ctx
from accountability.documents import conversion, render, sandbox
from accountability.documents.files import Written, removed_on_failure
from accountability.documents.formatting import cn_date, document_number
from accountability.documents.kinds import NUMBERED_KINDS, DocumentKind
from accountability.documents.models import (
    DocumentNumberSequence,
    IssuedDocument,
)
from accountability.documents.roles import DOSSIER_ROLES, issuer_roles
from accountability.documents.selectors import template_for

MSG_UNKNOWN_KIND = _("未知的文书种类“{kind}”。")
MSG_NOT_ISSUER = _("只有{roles}可以印发{document}。")
MSG_ALREADY_ISSUED = _("{title}已于{date}印发{number}，如需更正请生成新版本。")
MSG_SUPERSEDED = _("该文书已有第{version}版，只能在最新版本上生成新版本。")
MSG_REASON_REQUIRED = _("请填写生成新版本的理由。")
MSG_TAMPERED = _("文书文件“{name}”的校验值与印发时记录的不一致，文件可能已被改动。")
MSG_FILE_MISSING = _("文书文件“{name}”在存储中缺失。")
MSG_BAD_FORMAT = _("下载格式只能是 docx 或 pdf。")
MSG_NOT_DOSSIER = _("只有{roles}可以导出案卷材料包。")
MSG_ADOPTED_NUMBER = _("决定书字号“{number}”不符合“机关代字〔年份〕序号号”的格式。")
MSG_PAPER_YEAR = _("决定文书字号“{number}”的年份应与印发日期（{date}）所在年度一致。")
MSG_PAPER_USED = _("决定文书字号“{number}”已用于{what}，不能重复使用。")
MSG_PAPER_NOT_NEXT = _(
    "“{number}”属于本系统按年连续编号的“{series}”字号，该字号下一个是“{expected}”；"
    "纸质文书补录只能使用这个字号，否则会出现空号或重号。"
)

MSG_NUMBER_OUT_OF_ORDER = _(
    "{number}已于{date}印发；本文书的印发日期（{issued}）早于它，按登记顺序取号将排在其后。"
    "确认按登记顺序编号的，请勾选“确认按登记顺序编号”后再印发。"
)

_NUMBER = re.compile(r"^(?P<prefix>.+)〔(?P<year>\d{4})〕(?P<serial>[1-9]\d*)号$")


def _labels(roles: Iterable[str]) -> str:
    return join_list(Role(r).label for r in Role if r in set(roles))


def parse_kind(kind: str) -> DocumentKind:
    """`kind` as a DocumentKind, or DomainError naming it."""
    return _kind(kind)


def _kind(kind: str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        raise DomainError(
            MSG_UNKNOWN_KIND.format(kind=kind), field="kind", code="unknown_kind"
        ) from None


def _authorise(kind: DocumentKind, case: Case, actor: Any) -> None:
    allowed = issuer_roles(kind)
    if not access.case_roles(case=case, user=actor) & allowed:
        raise PermissionDenied(
            MSG_NOT_ISSUER.format(roles=_labels(allowed), document=kind.label),
            code="role_not_allowed",
        )


def next_serial(*, prefix: str, year: int) -> int:
    """The next serial under `prefix` in `year`; the caller's transaction holds the row lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_serial must run inside the transaction that stores the document")
    sequence, _ = DocumentNumberSequence.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _later_numbered(*, prefix: str, year: int, issued_on: date) -> IssuedDocument | None:
    """The latest-numbered document of ``prefix`` and ``year`` dated after ``issued_on``: the
    next number would be out of the order of the dates (run under the counter's lock)."""
    latest = (
        IssuedDocument.objects.filter(number_prefix=prefix, number_year=year, version=1)
        .exclude(number_serial=None)
        .order_by("-number_serial")
        .first()
    )
    return latest if latest is not None and latest.issued_on > issued_on else None


def _adopt_serial(number: str) -> tuple[str, int, int]:
    """An already-recorded 决定书字号: its parts, and the counter moved past it."""
    match = _NUMBER.match(number)
    if match is None:
        raise DomainError(MSG_ADOPTED_NUMBER.format(number=number), field="number")
    prefix, year, serial = match["prefix"], int(match["year"]), int(match["serial"])
    sequence, _ = DocumentNumberSequence.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    if sequence.last < serial:
        sequence.last = serial
        sequence.save(update_fields=["last"])
    return prefix, year, serial


def _subject(
    case: Case, party: CaseParty | None, recipient: str, appeal: Appeal | None
) -> ctx.Subject:
    if appeal is not None and party is None:
        party = appeal.decision.party
    return ctx.Subject(case=case, party=party, recipient=recipient or "", appeal=appeal)


def existing_document(kind: DocumentKind, subject: ctx.Subject) -> IssuedDocument | None:
    """The latest issued version of this paper for `subject`, if any."""
    rows = IssuedDocument.objects.filter(case=subject.case, kind=kind)
    if subject.party is not None:
        rows = rows.filter(party=subject.party)
    if subject.recipient:
        rows = rows.filter(recipient=subject.recipient)
    if subject.appeal is not None:
        rows = rows.filter(appeal=subject.appeal)
    return rows.order_by("-version", "-id").first()


def _store(
    *,
    kind: DocumentKind,
    subject: ctx.Subject,
    data: dict[str, Any],
    actor: Any,
    number: str,
    prefix: str,
    year: int | None,
    serial: int | None,
    issued_on: date,
    with_pdf: bool,
    written: Written,
    version: int = 1,
    supersedes: IssuedDocument | None = None,
    reason: str = "",
) -> tuple[IssuedDocument, Any]:
    """Render, store and freeze the document; its PDF asked for (the Job, or None). The
    caller writes the audit entries, last."""
    template = template_for(kind)
    docx = render.render_docx(
        template.content, data, fields=sandbox.fields_for(kind), inspect=not template.is_shipped
    )
    decision = getattr(subject.party, "decision", None) if subject.party else None
    document = IssuedDocument(
        kind=kind,
        title=in_source_language(ctx.document_title, kind, subject),
        case=subject.case,
        party=subject.party,
        decision=decision,
        appeal=subject.appeal,
        recipient=subject.recipient,
        number=number,
        number_prefix=prefix,
        number_year=year,
        number_serial=serial,
        version=version,
        supersedes=supersedes,
        reason=reason,
        issued_on=issued_on,
        docx_sha256=render.sha256_hex(docx),
        docx_sm3=render.sm3_hex(docx),
        template=template.row,
        template_sha256=template.sha256,
        context=data,
        issued_by=actor,
    )
    written.save(document.docx, "document.docx", docx)
    document.save()
    job = conversion.pdf_request(documents=[document], actor=actor) if with_pdf else None
    return document, job


def _audit_issue(
    document: IssuedDocument,
    *,
    actor: Any,
    job: Any,
    request: Any,
    out_of_order: IssuedDocument | None = None,
) -> None:
    supersedes = document.supersedes
    flags: dict[str, Any] = {}
    if out_of_order is not None:
        # Numbered in the order of issue although dated before a document numbered earlier:
        # confirmed by the issuer, and kept here with the number it follows.
        flags["out_of_order"] = {
            "after": out_of_order.number,
            "after_issued_on": out_of_order.issued_on.isoformat(),
            "confirmed": True,
        }
    audit_log(
        actor=actor,
        action="issue_document",
        target=document,
        changes={
            **flags,
            "kind": str(document.kind),
            "number": document.number,
            "version": document.version,
            "supersedes": supersedes.pk if supersedes else None,
            "docx_sha256": document.docx_sha256,
            "docx_sm3": document.docx_sm3,
            # The PDF follows from the worker, with an audit entry of its own.
            "pdf": "requested" if job is not None else "none",
            "template_sha256": document.template_sha256,
        },
        detail=document.reason,
        request=request,
    )


@audited_service("document_issue")
def document_issue(
    *,
    case: Case,
    kind: str,
    actor: Any,
    party: CaseParty | None = None,
    recipient: str = "",
    appeal: Appeal | None = None,
    issued_on: date | None = None,
    with_pdf: bool = True,
    confirm_order: bool = False,
    request: Any = None,
) -> IssuedDocument:
    """Fill in, number (for 公文), store and freeze a document of `kind` for the case, and
    ask the worker for its PDF.

    Numbers follow the order of issue. A document dated before the latest one already
    numbered under its prefix and year is refused unless ``confirm_order`` (the issuer saw
    the warning naming that number); the audit entry then records it.

    For the decision document this also records the decision as issued (cases'
    decision_mark_issued), in the same transaction, with the new 发文字号; for a
    decision already recorded as issued without a document, the recorded number
    is kept.

    The transaction is short and takes the audit chain's lock last: it renders the .docx
    (milliseconds), stores it and the row, queues the PDF (LibreOffice runs in the worker,
    after the commit), and only then writes the audit entries, so that every other audited
    action waits for no more than this transaction's last statements.
    """
    kind = _kind(kind)
    subject = _subject(case, party, recipient, appeal)
    _authorise(kind, case, actor)
    with removed_on_failure() as written, transaction.atomic():
        # One issuer at a time per case: the duplicate check below stays true.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        ctx.check_ready(kind, subject)
        # Not given: the day of the step the document records, else today.
        issued_on = issued_on or ctx.recorded_date(kind, subject) or timezone.localdate()
        existing = existing_document(kind, subject)
        if existing is not None:
            raise DomainError(
                MSG_ALREADY_ISSUED.format(
                    title=existing.title,
                    date=cn_date(existing.issued_on),
                    number=gettext("（{number}）").format(number=existing.number)
                    if existing.number
                    else "",
                ),
                field="kind",
                code="already_issued",
            )
        number, prefix, year, serial = "", "", None, None
        decision = subject.party.decision if kind == DocumentKind.DECISION else None  # type: ignore[union-attr]
        mark_issued = False
        out_of_order: IssuedDocument | None = None
        if decision is not None and decision.document_number:
            number = decision.document_number
            prefix, year, serial = _adopt_serial(number)
            issued_on = decision.issued_on or issued_on
        elif kind in NUMBERED_KINDS:
            prefix = ctx.number_prefix_for(ctx.issuing_organ(kind, subject))
            year = issued_on.year
            serial = next_serial(prefix=prefix, year=year)
            out_of_order = _later_numbered(prefix=prefix, year=year, issued_on=issued_on)
            if out_of_order is not None and not confirm_order:
                raise DomainError(
                    MSG_NUMBER_OUT_OF_ORDER.format(
                        number=out_of_order.number,
                        date=cn_date(out_of_order.issued_on),
                        issued=cn_date(issued_on),
                    ),
                    field="confirm_order",
                    code="number_out_of_order",
                )
            number = document_number(prefix, year, serial)
            mark_issued = decision is not None
        data = in_source_language(
            ctx.build, kind, subject, number=number, issued_on=issued_on, actor=actor
        )
        document, job = _store(
            kind=kind,
            subject=subject,
            data=data,
            actor=actor,
            number=number,
            prefix=prefix,
            year=year,
            serial=serial,
            issued_on=issued_on,
            with_pdf=with_pdf,
            written=written,
        )
        if mark_issued:
            # The case's own rules (role, state, date order) refuse here, after the cheap
            # rendering: the file is removed and the number rolls back with the transaction.
            decision_mark_issued(
                decision=decision,
                actor=actor,
                document_number=number,
                issued_on=issued_on,
                request=request,
            )
        _audit_issue(document, actor=actor, job=job, request=request, out_of_order=out_of_order)
        return document


@audited_service("document_reissue", target=lambda arguments: arguments["document"].case)
def document_reissue(
    *,
    document: IssuedDocument,
    actor: Any,
    reason: str,
    with_pdf: bool = True,
    request: Any = None,
) -> IssuedDocument:
    """A new version of an issued document, filled in from the case as it is now.

    It keeps the 发文字号 and supersedes the version before; that one stays stored,
    unchanged, with its hash. Its PDF is made by the worker, as for a first issue.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(MSG_REASON_REQUIRED, field="reason", code="reason_required")
    kind = DocumentKind(document.kind)
    case = document.case
    _authorise(kind, case, actor)
    with removed_on_failure() as written, transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        latest = existing_document(
            kind, _subject(case, document.party, document.recipient, document.appeal)
        )
        if latest is not None and latest.pk != document.pk:
            raise DomainError(
                MSG_SUPERSEDED.format(version=latest.version),
                field="document",
                code="superseded",
            )
        subject = _subject(case, document.party, document.recipient, document.appeal)
        ctx.check_ready(kind, subject)
        issued_on = timezone.localdate()
        data = in_source_language(
            ctx.build, kind, subject, number=document.number, issued_on=issued_on, actor=actor
        )
        new, job = _store(
            kind=kind,
            subject=subject,
            data=data,
            actor=actor,
            number=document.number,
            prefix=document.number_prefix,
            year=document.number_year,
            serial=document.number_serial,
            issued_on=issued_on,
            with_pdf=with_pdf,
            written=written,
            version=document.version + 1,
            supersedes=document,
            reason=reason,
        )
        _audit_issue(new, actor=actor, job=job, request=request)
        return new


@audited_service("decision_issue", target=lambda arguments: arguments["decision"].party.case)
def decision_paper_record(
    *,
    decision: Decision,
    actor: Any,
    number: str,
    issued_on: date,
    request: Any = None,
) -> Decision:
    """Record a decision document issued on paper outside the system (纸质文书补录).

    The 发文字号 is copied from the paper: it must read 机关代字〔年份〕序号号 with the year
    of `issued_on`, and be used by no other decision or issued document. In a series this
    system numbers it must be the next number, which the counter then takes, so that the
    series stays without gaps or duplicates. The decision is recorded as issued (cases'
    decision_mark_issued) in the same transaction; a .docx can be generated later with
    document_issue, which keeps the recorded number.
    """
    number = (number or "").strip()
    match = _NUMBER.match(number)
    if match is None:
        raise DomainError(
            MSG_ADOPTED_NUMBER.format(number=number), field="document_number", code="number_format"
        )
    prefix, year, serial = match["prefix"], int(match["year"]), int(match["serial"])
    with transaction.atomic():
        # The case's own rules first (role, state, not yet issued, the date's order).
        marked = decision_mark_issued(
            decision=decision,
            actor=actor,
            document_number=number,
            issued_on=issued_on,
            request=request,
        )
        if year != marked.issued_on.year:
            raise DomainError(
                MSG_PAPER_YEAR.format(number=number, date=marked.issued_on.isoformat()),
                field="document_number",
                code="number_year",
            )
        sequence, _ = DocumentNumberSequence.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        other = (
            Decision.objects.filter(document_number=number)
            .exclude(pk=decision.pk)
            .select_related("party__person")
            .first()
        )
        used = IssuedDocument.objects.filter(number=number).order_by("id").first()
        what = (
            gettext("{name}的决定文书").format(name=other.party.person.name)
            if other is not None
            else ""
        )
        what = what or (used.title if used is not None else "")
        if what:
            raise DomainError(
                MSG_PAPER_USED.format(number=number, what=what),
                field="document_number",
                code="number_used",
            )
        case = marked.party.case
        series = ctx.number_prefix_for(
            ctx.issuing_organ(DocumentKind.DECISION, ctx.Subject(case, marked.party))
        )
        if prefix == series and serial != sequence.last + 1:
            raise DomainError(
                MSG_PAPER_NOT_NEXT.format(
                    number=number,
                    series=f"{series}〔{year}〕",
                    expected=document_number(series, year, sequence.last + 1),
                ),
                field="document_number",
                code="number_not_next",
            )
        if serial > sequence.last:
            sequence.last = serial
            sequence.save(update_fields=["last"])
        return marked


# --- reading stored files ---------------------------------------------------------------


@dataclass(frozen=True)
class DownloadFile:
    content: bytes
    filename: str
    content_type: str
    stored: bool  # False for a PDF made on the fly from the stored .docx


CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def read_verified(file: Any, sha256: str, label: str) -> bytes:
    try:
        with file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        raise DomainError(MSG_FILE_MISSING.format(name=label), code="file_missing") from None
    if render.sha256_hex(data) != sha256:
        raise DomainError(MSG_TAMPERED.format(name=label), code="tampered")
    return data


def download_name(document: IssuedDocument, fmt: str) -> str:
    number = f"-{document.number}" if document.number else ""
    version = f"-第{document.version}版" if document.version > 1 else ""
    return f"{document.title}{number}{version}.{fmt}"


class PdfNotReady(DomainError):
    """A PDF asked for that is not there (yet): a page says so, never a 500."""

    status = 409


MSG_PDF_PENDING = _("“{name}”的 PDF 正在后台生成，请稍后再下载（可先下载 Word 文件）。")
MSG_PDF_FAILED = _("“{name}”的 PDF 生成失败：{reason}。可在文书页面重新生成。")
MSG_PDF_NONE = _("“{name}”没有 PDF 文件，可在文书页面申请生成；Word 文件可以下载。")


def _stored_pdf(document: IssuedDocument) -> bytes:
    name = download_name(document, "pdf")
    copy = document.pdf_copy
    if copy is None:
        raise PdfNotReady(MSG_PDF_NONE.format(name=name), field="pdf", code="pdf_none")
    if copy.state == copy.State.READY:
        return read_verified(copy.file, copy.sha256, name)
    if copy.shown_state == copy.State.FAILED:
        reason = copy.shown_error.rstrip("。") or "未知原因"
        raise PdfNotReady(
            MSG_PDF_FAILED.format(name=name, reason=reason), field="pdf", code="pdf_failed"
        )
    raise PdfNotReady(MSG_PDF_PENDING.format(name=name), field="pdf", code="pdf_pending")


def document_content(*, document: IssuedDocument, fmt: str) -> DownloadFile:
    """The stored file, checked against its recorded hash. A PDF is the one the worker made
    from the stored .docx; PdfNotReady says when there is none (yet)."""
    if fmt not in ("docx", "pdf"):
        raise DomainError(MSG_BAD_FORMAT, field="fmt", code="bad_format")
    if fmt == "docx":
        docx = read_verified(document.docx, document.docx_sha256, download_name(document, "docx"))
        return DownloadFile(docx, download_name(document, "docx"), CONTENT_TYPES["docx"], True)
    return DownloadFile(
        _stored_pdf(document), download_name(document, "pdf"), CONTENT_TYPES["pdf"], True
    )


def document_download(
    *, document: IssuedDocument, fmt: str, actor: Any, request: Any = None
) -> DownloadFile:
    """The file to send, with an audit entry naming the document and its hash (and one for
    a refusal: a PDF not made yet, a file missing or changed)."""
    try:
        result = document_content(document=document, fmt=fmt)
    except DomainError as error:
        audit_log(
            actor=actor,
            action="download",
            target=document,
            outcome="failure",
            changes={"format": fmt, "code": error.code},
            detail=error.message,
            request=request,
        )
        raise
    audit_log(
        actor=actor,
        action="download",
        target=document,
        changes={
            "format": fmt,
            "sha256": render.sha256_hex(result.content),
            "stored": result.stored,
        },
        request=request,
    )
    return result


# --- the dossier package ----------------------------------------------------------------


@dataclass(frozen=True)
class DossierEntry:
    path: str
    title: str
    kind: str
    number: str
    version: str
    date: str
    size: int
    sha256: str
    sm3: str


@dataclass(frozen=True)
class DossierPackage:
    filename: str
    content: bytes
    entries: tuple[DossierEntry, ...]
    sha256: str


INDEX_NAME = "目录.csv"
INDEX_HEADER = (
    "序号",
    "文件",
    "材料名称",
    "类别",
    "文号",
    "版本",
    "日期",
    "大小(字节)",
    "SHA-256",
    "SM3",
)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip(" .") or "文件"


def _index_csv(entries: list[DossierEntry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(INDEX_HEADER)
    for index, e in enumerate(entries, start=1):
        writer.writerow(
            [index, e.path, e.title, e.kind, e.number, e.version, e.date, e.size, e.sha256, e.sm3]
        )
    # With a byte-order mark so that Excel and WPS read the Chinese correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def dossier_export(*, case: Case, actor: Any, request: Any = None) -> DossierPackage:
    """A zip of the case's issued documents (every version) and attachments, with 目录.csv.

    Each file is checked against its recorded hash first. A document's PDF is packed when the
    worker has made it (nothing is converted here: the .docx is the record). For a case with
    a person whose conduct was found 涉嫌犯罪, the package serves the transfer to the judicial
    organs: a 移送函 is issued first when there is none yet.
    """
    if not access.case_roles(case=case, user=actor) & DOSSIER_ROLES:
        raise PermissionDenied(
            MSG_NOT_DOSSIER.format(roles=_labels(DOSSIER_ROLES)), code="role_not_allowed"
        )
    criminal = case.parties.filter(severity=ctx.CRIMINAL).exists()
    if (
        criminal
        and not IssuedDocument.objects.filter(case=case, kind=DocumentKind.TRANSFER_LETTER).exists()
    ):
        document_issue(case=case, kind=DocumentKind.TRANSFER_LETTER, actor=actor, request=request)
    documents = list(
        IssuedDocument.objects.filter(case=case)
        .select_related("party__person", "pdf")
        .order_by("issued_at", "id")
    )
    files: list[tuple[str, bytes, DossierEntry]] = []
    used: set[str] = set()

    def add(
        path: str, data: bytes, *, title: str, kind: str, number: str, version: str, day: str
    ) -> None:
        stem, dot, suffix = path.rpartition(".")
        candidate, n = path, 2
        while candidate in used:
            candidate, n = f"{stem}({n}){dot}{suffix}", n + 1
        used.add(candidate)
        entry = DossierEntry(
            path=candidate,
            title=title,
            kind=kind,
            number=number,
            version=version,
            date=day,
            size=len(data),
            sha256=render.sha256_hex(data),
            sm3=render.sm3_hex(data),
        )
        files.append((candidate, data, entry))

    for index, document in enumerate(documents, start=1):
        base = f"文书/{index:02d}-{_safe(download_name(document, 'x')[:-2])}"
        docx = read_verified(document.docx, document.docx_sha256, download_name(document, "docx"))
        meta = {
            "title": document.title,
            "kind": in_source_language(document.get_kind_display),
            "number": document.number,
            "version": str(document.version),
            "day": document.issued_on.isoformat(),
        }
        add(f"{base}.docx", docx, **meta)
        if document.pdf_ready:
            copy = document.pdf_copy
            assert copy is not None
            pdf = read_verified(copy.file, copy.sha256, download_name(document, "pdf"))
            add(f"{base}.pdf", pdf, **meta)
    for index, attachment in enumerate(case.attachments.order_by("uploaded_at", "id"), start=1):
        suffix = (
            attachment.original_name.rsplit(".", 1)[-1]
            if "." in attachment.original_name
            else "bin"
        )
        data = read_verified(attachment.file, attachment.sha256, attachment.title)
        add(
            f"附件/{index:02d}-{_safe(attachment.title)}.{_safe(suffix)}",
            data,
            title=attachment.title,
            kind="案件附件",
            number="",
            version="",
            day=timezone.localtime(attachment.uploaded_at).date().isoformat(),
        )
    entries = [entry for _, _, entry in files]
    buffer = io.BytesIO()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data, _ in files:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        info = zipfile.ZipInfo(INDEX_NAME, date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, _index_csv(entries))
    content = buffer.getvalue()
    label = "移送材料" if criminal else "案卷材料"
    filename = f"{case.number}-{label}-{timezone.localdate().isoformat()}.zip"
    digest = render.sha256_hex(content)
    audit_log(
        actor=actor,
        action="export",
        target=case,
        changes={"files": len(entries), "sha256": digest, "transfer": criminal},
        detail=filename,
        request=request,
    )
    return DossierPackage(filename=filename, content=content, entries=tuple(entries), sha256=digest)
