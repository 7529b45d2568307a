"""Drafts (草稿): a document as it would be issued today, or a template filled with its sample.

Nothing is numbered. A .docx of the shipped template is made at once, in the request (a
trusted template, rendered in a few milliseconds); anything else, an office's own template or
a PDF, is made by the worker (``draft_request`` queues it, ``draft_make`` runs there) and kept
for the user who asked for it until it expires (DOCUMENTS_DRAFT_HOURS).

Signatures:

    draft_needs_worker(*, kind, fmt) -> bool
    document_draft(*, case, kind, actor, party=None, recipient="", appeal=None, fmt) -> DownloadFile
    template_sample(*, kind, fmt, actor) -> DownloadFile
    draft_request(*, actor, kind, fmt, case=None, party=None, recipient="", appeal=None,
                  sample=False) -> Job
    draft_make(*, owner_id, params, progress=None) -> DocumentDraft      (in the worker)
    draft_get_for_user(*, draft_id, user) -> DocumentDraft               (NotFound otherwise)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.cases import access
from accountability.cases.models import Appeal, Case, CaseParty
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.common.i18n import in_source_language
from accountability.documents import context as ctx
from accountability.documents import render, sandbox
from accountability.documents.kinds import NUMBERED_KINDS, DocumentKind
from accountability.documents.models import DocumentDraft
from accountability.documents.office_templates import template_validate
from accountability.documents.pdf import docx_to_pdf
from accountability.documents.selectors import template_for
from accountability.documents.services import (
    CONTENT_TYPES,
    MSG_BAD_FORMAT,
    DownloadFile,
    parse_kind,
)

MSG_DRAFT_ROLE = _("您在本案中没有职责，不能生成文书草稿。")
MSG_SAMPLE_ROLE = _("系统管理员、安全管理员和审计管理员不能查看文书模板。")
LABEL_DRAFT = _("生成草稿：{title}（{fmt}）")
LABEL_SAMPLE = _("生成模板示例：{kind}（{fmt}）")

FORMATS = ("docx", "pdf")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise DomainError(MSG_BAD_FORMAT, field="fmt", code="bad_format")
    return fmt


def draft_needs_worker(*, kind: str, fmt: str) -> bool:
    """A PDF, or an office's own template: made by the worker, not in the request."""
    return fmt != "docx" or not template_for(kind).is_shipped


def _case_subject(
    *,
    case: Case,
    kind: DocumentKind,
    actor: Any,
    party: CaseParty | None,
    recipient: str,
    appeal: Appeal | None,
) -> ctx.Subject:
    if not access.case_roles(case=case, user=actor):
        raise PermissionDenied(MSG_DRAFT_ROLE, code="role_not_allowed")
    if appeal is not None and party is None:
        party = appeal.decision.party
    subject = ctx.Subject(case=case, party=party, recipient=recipient or "", appeal=appeal)
    ctx.check_ready(kind, subject)
    return subject


def document_draft(
    *,
    case: Case,
    kind: str,
    actor: Any,
    party: CaseParty | None = None,
    recipient: str = "",
    appeal: Appeal | None = None,
    fmt: str = "docx",
) -> DownloadFile:
    """A draft (草稿) of a document as it would be issued today; nothing is stored and no
    number is taken (the 发文字号 shows its serial blank)."""
    kind = parse_kind(kind)
    fmt = _format(fmt)
    subject = _case_subject(
        case=case, kind=kind, actor=actor, party=party, recipient=recipient, appeal=appeal
    )
    today = timezone.localdate()
    number = ""
    if kind in NUMBERED_KINDS:
        prefix = ctx.number_prefix_for(ctx.issuing_organ(kind, subject))
        number = f"{prefix}〔{today.year}〕　　号"
    data = in_source_language(ctx.build, kind, subject, number=number, issued_on=today, actor=actor)
    template = template_for(kind)
    docx = render.render_docx(
        template.content, data, fields=sandbox.fields_for(kind), inspect=not template.is_shipped
    )
    title = f"草稿-{in_source_language(ctx.document_title, kind, subject)}"
    if fmt == "pdf":
        return DownloadFile(docx_to_pdf(docx), f"{title}.pdf", CONTENT_TYPES["pdf"], False)
    return DownloadFile(docx, f"{title}.docx", CONTENT_TYPES["docx"], False)


def _sample_reader(actor: Any) -> None:
    if access.is_administrator(actor):
        raise PermissionDenied(MSG_SAMPLE_ROLE, code="role_not_allowed")


def template_sample(*, kind: str, fmt: str, actor: Any) -> DownloadFile:
    """The template in use for ``kind`` filled with its sample data (checked as an upload is)."""
    kind = parse_kind(kind)
    fmt = _format(fmt)
    _sample_reader(actor)
    template = template_for(kind)
    if template.is_shipped:
        docx = render.render_docx(
            template.content,
            in_source_language(_sample, kind),
            fields=sandbox.fields_for(kind),
            inspect=False,
        )
    else:
        docx = template_validate(kind, template.content)
    name = f"{in_source_language(str, kind.label)}-示例"
    if fmt == "pdf":
        return DownloadFile(docx_to_pdf(docx), f"{name}.pdf", CONTENT_TYPES["pdf"], False)
    return DownloadFile(docx, f"{name}.docx", CONTENT_TYPES["docx"], False)


def _sample(kind: str) -> dict[str, Any]:
    from accountability.documents.samples import sample_context

    return sample_context(kind)


def draft_request(
    *,
    actor: Any,
    kind: str,
    fmt: str,
    case: Case | None = None,
    party: CaseParty | None = None,
    recipient: str = "",
    appeal: Appeal | None = None,
    sample: bool = False,
) -> Any:
    """Queue a draft for the worker, after the checks the worker will make again; the Job."""
    from accountability.documents.jobs import draft_render
    from accountability.jobs.services import job_enqueue

    kind = parse_kind(kind)
    fmt = _format(fmt)
    shown_fmt = "Word" if fmt == "docx" else "PDF"
    if sample:
        _sample_reader(actor)
        params: dict[str, Any] = {"sample": True, "kind": str(kind), "fmt": fmt}
        label = in_source_language(lambda: str(LABEL_SAMPLE).format(kind=kind.label, fmt=shown_fmt))
    else:
        assert case is not None
        subject = _case_subject(
            case=case, kind=kind, actor=actor, party=party, recipient=recipient, appeal=appeal
        )
        params = {
            "case_id": case.pk,
            "kind": str(kind),
            "fmt": fmt,
            "party_id": party.pk if party else None,
            "recipient": recipient or "",
            "appeal_id": appeal.pk if appeal else None,
        }
        title = in_source_language(ctx.document_title, kind, subject)
        label = in_source_language(lambda: str(LABEL_DRAFT).format(title=title, fmt=shown_fmt))
    with transaction.atomic():
        return job_enqueue(
            handler=draft_render,
            owner=actor,
            params=params,
            label=label,
        )


def purge_expired() -> int:
    """Remove drafts older than DOCUMENTS_DRAFT_HOURS; how many."""
    hours = int(getattr(settings, "DOCUMENTS_DRAFT_HOURS", 24))
    deleted, _ = DocumentDraft.objects.filter(
        created_at__lt=timezone.now() - timedelta(hours=hours)
    ).delete()
    return deleted


def draft_make(
    *, owner_id: int | None, params: dict[str, Any], progress: Any = None
) -> DocumentDraft:
    """Make the draft ``params`` describe for ``owner_id`` (in the worker), who must still be
    allowed to see it: the case is fetched again with the permission check."""
    from accountability.accounts.models import User
    from accountability.cases.selectors import case_get_for_user

    owner = User.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise PermissionDenied()
    if progress is not None:
        progress(0, 1, "")
    if params.get("sample"):
        file = template_sample(kind=params["kind"], fmt=params["fmt"], actor=owner)
    else:
        case = case_get_for_user(case_id=params["case_id"], user=owner)
        party = (
            case.parties.filter(pk=params.get("party_id")).first()
            if params.get("party_id")
            else None
        )
        appeal = (
            Appeal.objects.filter(pk=params["appeal_id"], decision__party__case=case).first()
            if params.get("appeal_id")
            else None
        )
        file = document_draft(
            case=case,
            kind=params["kind"],
            actor=owner,
            party=party,
            recipient=params.get("recipient") or "",
            appeal=appeal,
            fmt=params["fmt"],
        )
    purge_expired()
    return DocumentDraft.objects.create(
        owner=owner,
        filename=file.filename[:255],
        content_type=file.content_type,
        content=file.content,
    )


def draft_get_for_user(*, draft_id: Any, user: Any) -> DocumentDraft:
    """The draft, if ``user`` asked for it and it has not expired; NotFound otherwise."""
    hours = int(getattr(settings, "DOCUMENTS_DRAFT_HOURS", 24))
    draft = DocumentDraft.objects.filter(
        pk=draft_id,
        owner_id=getattr(user, "pk", None),
        created_at__gte=timezone.now() - timedelta(hours=hours),
    ).first()
    if draft is None:
        raise NotFound()
    return draft
