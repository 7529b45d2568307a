"""Reads of the documents app, with the permission check inside the fetch.

Signatures:

    template_for(kind) -> TemplateChoice               (the office's active upload, else shipped)
    template_overview() -> list[TemplateStatus]        (every kind, for the templates page)
    document_get_for_user(*, document_id, user) -> IssuedDocument    (NotFound otherwise)
    document_list_for_case(*, case) -> list[IssuedDocument]          (every version, oldest first)
    issue_options(*, case, user) -> list[IssueOption]  (what may be issued on the case now)
    number_prefix(*, kind, case, party=None) -> str    (机关代字 of the 发文字号 it would take)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.cases import access
from accountability.cases.models import Appeal, Case, Decision, Delivery
from accountability.cases.selectors import case_get_for_user, decision_get_for_user
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.documents import context as ctx
from accountability.documents import render
from accountability.documents.kinds import NUMBERED_KINDS, DocumentKind
from accountability.documents.models import DocumentTemplate, IssuedDocument, TemplateUpload
from accountability.documents.roles import DOSSIER_ROLES, issuer_roles

MSG_TEMPLATE_FILE_MISSING = _("单位上传的“{kind}”模板文件缺失，请重新上传或恢复默认模板。")

# Kinds a person held accountable may download when the document is about them.
SUBJECT_KINDS = frozenset(
    {DocumentKind.DECISION, DocumentKind.APPEAL_REVIEW, DocumentKind.DELIVERY_RECEIPT}
)


@dataclass(frozen=True)
class TemplateChoice:
    kind: str
    content: bytes
    sha256: str
    row: DocumentTemplate | None

    @property
    def is_shipped(self) -> bool:
        return self.row is None


def template_for(kind: str) -> TemplateChoice:
    kind = DocumentKind(kind)
    row = DocumentTemplate.objects.filter(kind=kind, active=True).first()
    if row is None:
        content = render.shipped_template(kind)
        return TemplateChoice(kind, content, render.sha256_hex(content), None)
    try:
        with row.file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        raise DomainError(
            MSG_TEMPLATE_FILE_MISSING.format(kind=kind.label), code="template_missing"
        ) from None
    return TemplateChoice(kind, content, row.sha256, row)


@dataclass(frozen=True)
class TemplateStatus:
    kind: DocumentKind
    active: DocumentTemplate | None
    history: tuple[DocumentTemplate, ...]
    #: The latest uploads being checked or refused (accepted ones are in ``history``).
    uploads: tuple[TemplateUpload, ...] = ()


#: How many of the latest uploads the templates page lists (for all kinds together).
RECENT_UPLOADS = 30


def template_overview() -> list[TemplateStatus]:
    rows = list(DocumentTemplate.objects.select_related("uploaded_by").order_by("-uploaded_at"))
    uploads = list(
        TemplateUpload.objects.exclude(state=TemplateUpload.State.ACCEPTED)
        .select_related("uploaded_by")
        .defer("content")
        .order_by("-uploaded_at", "-id")[:RECENT_UPLOADS]
    )
    result = []
    for kind in DocumentKind:
        mine = tuple(r for r in rows if r.kind == kind)
        active = next((r for r in mine if r.active), None)
        waiting = tuple(u for u in uploads if u.kind == kind)
        result.append(TemplateStatus(kind=kind, active=active, history=mine, uploads=waiting))
    return result


def document_get_for_user(*, document_id: int | str, user: Any) -> IssuedDocument:
    """The document, if `user` may see its case, or it is their own decision's paper."""
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    document = (
        IssuedDocument.objects.select_related("case", "party__person", "issued_by")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise NotFound()
    try:
        case_get_for_user(case_id=document.case_id, user=user)
        return document
    except (NotFound, PermissionDenied):
        pass
    own_paper = document.kind != DocumentKind.DELIVERY_RECEIPT or document.recipient == "person"
    if document.decision_id and document.kind in SUBJECT_KINDS and own_paper:
        decision_get_for_user(decision_id=document.decision_id, user=user)
        return document
    raise NotFound()


def document_list_for_case(*, case: Case) -> list[IssuedDocument]:
    return list(
        IssuedDocument.objects.filter(case=case)
        .select_related("party__person", "issued_by", "supersedes", "pdf__job")
        .order_by("issued_at", "id")
    )


@dataclass(frozen=True)
class IssueOption:
    """One document that could be issued on the case, and whether it can be now."""

    kind: DocumentKind
    title: str
    party_id: int | None
    recipient: str
    appeal_id: int | None
    ready: bool
    reason: str
    issued: IssuedDocument | None
    allowed: bool

    @property
    def numbered(self) -> bool:
        return self.kind in NUMBERED_KINDS


_CASE_LEVEL = frozenset(
    {
        DocumentKind.INTAKE_APPROVAL,
        DocumentKind.INVESTIGATION_REPORT,
        DocumentKind.FILING_REPORT,
        DocumentKind.TRANSFER_LETTER,
    }
)

_Key = tuple[str, int | None, str, int | None]


def _key(kind: str, party_id: int | None, recipient: str, appeal_id: int | None) -> _Key:
    """What makes two documents the same paper (one being a later version of the other)."""
    if kind in _CASE_LEVEL:
        return (kind, None, "", None)
    if kind == DocumentKind.APPEAL_REVIEW:
        return (kind, None, "", appeal_id)
    if kind == DocumentKind.DELIVERY_RECEIPT:
        return (kind, party_id, recipient, None)
    return (kind, party_id, "", None)


def display_title(kind: DocumentKind, subject: ctx.Subject) -> str:
    """The document's title in the language of the page.

    In Chinese it is the title the issued paper gets (``context.document_title``, always
    Chinese); in English the same title with the kind of document translated.
    """
    label = str(kind.label)
    if subject.appeal is not None:
        detail = subject.appeal.decision.party.person.name
    elif subject.party is None:
        return label
    else:
        detail = subject.party.person.name
        if kind == DocumentKind.DELIVERY_RECEIPT:
            whom = (
                gettext("{name}本人")
                if subject.recipient == Delivery.Recipient.PERSON
                else gettext("{name}所在单位")
            )
            detail = whom.format(name=detail)
    return gettext("{name}（{detail}）").format(name=label, detail=detail)


def _option(
    kind: DocumentKind,
    subject: ctx.Subject,
    latest: dict[_Key, IssuedDocument],
    roles: frozenset[str],
) -> IssueOption:
    try:
        ctx.check_ready(kind, subject)
        ready, reason = True, ""
    except DomainError as exc:
        ready, reason = False, exc.message
    party_id = subject.party.pk if subject.party else None
    appeal_id = subject.appeal.pk if subject.appeal else None
    return IssueOption(
        kind=kind,
        title=display_title(kind, subject),
        party_id=party_id,
        recipient=subject.recipient,
        appeal_id=appeal_id,
        ready=ready,
        reason=reason,
        issued=latest.get(_key(kind, party_id, subject.recipient, appeal_id)),
        allowed=bool(roles & issuer_roles(kind)),
    )


def issue_options(*, case: Case, user: Any) -> list[IssueOption]:
    """Every document the case has or could have, in the order of the procedure."""
    roles = access.case_roles(case=case, user=user)
    latest: dict[_Key, IssuedDocument] = {}
    for document in IssuedDocument.objects.filter(case=case).order_by("version", "id"):
        key = _key(document.kind, document.party_id, document.recipient, document.appeal_id)
        latest[key] = document
    parties = list(case.parties.select_related("person").order_by("id"))
    options = [
        _option(DocumentKind.INTAKE_APPROVAL, ctx.Subject(case), latest, roles),
        _option(DocumentKind.INVESTIGATION_REPORT, ctx.Subject(case), latest, roles),
    ]
    for party in parties:
        options.append(_option(DocumentKind.DECISION, ctx.Subject(case, party), latest, roles))
    decided = {d.party_id for d in Decision.objects.filter(party__case=case)}
    for party in parties:
        if party.pk in decided:
            subject = ctx.Subject(case, party)
            options.append(_option(DocumentKind.ASSESSMENT_SHEET, subject, latest, roles))
    for party in parties:
        if party.pk not in decided:
            continue
        for recipient in (Delivery.Recipient.PERSON, Delivery.Recipient.UNIT):
            options.append(
                _option(
                    DocumentKind.DELIVERY_RECEIPT,
                    ctx.Subject(case, party, str(recipient)),
                    latest,
                    roles,
                )
            )
    options.append(_option(DocumentKind.FILING_REPORT, ctx.Subject(case), latest, roles))
    for party in parties:
        if party.pk in decided:
            options.append(
                _option(DocumentKind.DOSSIER_INDEX, ctx.Subject(case, party), latest, roles)
            )
    appeals = Appeal.objects.filter(decision__party__case=case).select_related(
        "decision__party__person"
    )
    for appeal in appeals.order_by("received_on", "id"):
        subject = ctx.Subject(case, appeal.decision.party, "", appeal)
        options.append(_option(DocumentKind.APPEAL_REVIEW, subject, latest, roles))
    if case.parties.filter(severity=ctx.CRIMINAL).exists():
        options.append(_option(DocumentKind.TRANSFER_LETTER, ctx.Subject(case), latest, roles))
    return options


def number_prefix(*, kind: str, case: Case, party: Any = None) -> str:
    """The 机关代字 a numbered document of `kind` on `case` goes out under (镇纪监干)."""
    return ctx.number_prefix_for(ctx.issuing_organ(kind, ctx.Subject(case, party)))


def can_export_dossier(*, case: Case, user: Any) -> bool:
    return bool(access.case_roles(case=case, user=user) & DOSSIER_ROLES)
