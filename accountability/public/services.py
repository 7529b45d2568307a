"""Writes of the informant's channel: one transaction each, with its audit entry.

Signatures (keyword-only; ``request`` only enriches the audit entry):

    report_submit(*, subject_name, subject_unit, facts, subject_post="", occurred="",
                  reporter_name="", reporter_contact="", evidence=(), request=None)
        -> tuple[PublicReport, str]                      (the report and its 查询码, shown once)
    report_lookup(*, code, request=None) -> PublicReport  (throttled; every attempt audited)
    reporter_message_add(*, report, body, request=None) -> ReportMessage
    reporter_evidence_add(*, report, evidence, request=None) -> list[ReportFile]
    report_register(*, report, actor, summary, handling_opinion="", persons=(),
                    request=None) -> Case                (through cases.services.clue_register)
    office_message_add(*, report, actor, body, request=None) -> ReportMessage
    office_message_approve(*, message, actor, request=None) -> ReportMessage
    office_message_return(*, message, actor, reason, request=None) -> ReportMessage

``evidence`` is a list of ``evidence.CleanFile`` (cleaned before the transaction, in a child
process). Public actions are audited without an actor (匿名) and, by PUBLIC_AUDIT_ADDRESS,
with the address as a keyed hash; what the report says is case content (audit/policy.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases import files as case_files
from accountability.cases import services as case_services
from accountability.cases.models import Case
from accountability.cases.workflow import CLUE_REGISTER_ROLES
from accountability.common.crypto import decrypt_text, encrypt_text
from accountability.common.errors import DomainError, PermissionDenied
from accountability.people.models import Person
from accountability.public import codes, throttle
from accountability.public.evidence import STORED_NAME, CleanFile
from accountability.public.models import PublicReport, ReportFile, ReportMessage
from accountability.public.selectors import (
    can_approve,
    can_handle,
    client_address,
    receiving_organ,
)

MSG_REQUIRED = _("请填写{label}。")
MSG_TOO_LONG = _("{label}不能超过{n}个字。")
MSG_CODE_NOT_FOUND = _("查询码不正确。请核对后重新输入；查询码遗失的，无法找回，可以重新举报。")
MSG_CODE_MALFORMED = _("查询码应为20位字母和数字（可带连字符），请核对后重新输入。")
MSG_LOOKUP_THROTTLED = _("查询失败次数过多，请一分钟后再试。")
MSG_SUBMIT_THROTTLED = _("同一网络一小时内提交的举报过多，请稍后再试。")
MSG_POST_THROTTLED = _("一小时内发送的消息和材料过多，请稍后再试。")
MSG_REPORT_CLOSED = _("该举报已办结，不能再发送消息或补充材料。")
MSG_ALREADY_REGISTERED = _("该举报已登记为问题线索（{number}）。")
MSG_NOT_REGISTERED = _("该举报尚未登记为问题线索。")
MSG_NOT_HANDLER = _("只有受理机关的监督室工作人员和监督室负责人可以办理网上举报。")
MSG_NOT_APPROVER = _("只有受理机关的监督室负责人可以审批答复。")
MSG_OWN_REPLY = _("不能审批自己撰写的答复。")
MSG_NOT_PENDING = _("该答复当前状态为“{status}”，不能审批。")
MSG_NOTHING_TO_ADD = _("请填写消息内容或选择要补充的材料。")

#: Who may register a report as a clue: those who register clues (cases.workflow).
REGISTER_ROLES = frozenset(str(role) for role in CLUE_REGISTER_ROLES)

SUBJECT_NAME_MAX = 50
SUBJECT_UNIT_MAX = 100
SUBJECT_POST_MAX = 100
OCCURRED_MAX = 100
FACTS_MAX = 5000
MESSAGE_MAX = 2000
NAME_MAX = 50
CONTACT_MAX = 100

LABELS = {
    "subject_name": _("被反映人姓名"),
    "subject_unit": _("被反映人单位"),
    "subject_post": _("被反映人职务"),
    "occurred": _("发生时间"),
    "facts": _("反映的问题"),
    "body": _("消息内容"),
    "reporter_name": _("您的姓名"),
    "reporter_contact": _("您的联系方式"),
    "summary": _("问题线索摘要"),
    "reason": _("退回理由"),
}

#: Summary of a clue made from a report (the officer may edit it before registering).
SUMMARY_TEMPLATE = (
    "【网上举报】被反映人：{name}（{unit}{post}）。发生时间：{occurred}。\n反映问题：{facts}"
)


def _text(value: str | None, *, field: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(MSG_REQUIRED.format(label=LABELS[field]), field=field, code="required")
    if len(text) > limit:
        raise DomainError(
            MSG_TOO_LONG.format(label=LABELS[field], n=limit), field=field, code="too_long"
        )
    return text


def audit_request(request: Any) -> Any:
    """What the audit trail may know of a public request: no user, and the address as
    PUBLIC_AUDIT_ADDRESS says (keyed hash by default)."""
    if request is None:
        return None
    address = client_address(request)
    mode = getattr(settings, "PUBLIC_AUDIT_ADDRESS", "keyed")
    if mode == "none" or not address:
        shown = ""
    elif mode == "clear":
        shown = address
    else:
        shown = "h:" + codes.keyed("address", address)[:40]
    return SimpleNamespace(META={"REMOTE_ADDR": shown}, user=None)


def _store(report: PublicReport, clean: CleanFile, number: int) -> ReportFile:
    row = ReportFile(
        report=report,
        name=STORED_NAME.format(n=number, suffix=clean.suffix),
        suffix=clean.suffix,
        size=clean.size,
        content_type=clean.mime,
        sha256=clean.sha256,
        sm3=clean.sm3,
    )
    row.file.save(row.name, ContentFile(clean.content), save=False)
    case_files.note_written(row.file.name)
    row.save()
    return row


def _store_all(report: PublicReport, evidence: Sequence[CleanFile]) -> list[ReportFile]:
    start = report.files.count()
    return [_store(report, clean, start + i) for i, clean in enumerate(evidence, start=1)]


def refuse_if_throttled(rules: list[tuple[throttle.Rule, str]]) -> None:
    """DomainError (HTTP 429) when one of ``rules`` has reached its limit in this window."""
    rule = throttle.exceeded(rules)
    if rule is not None:
        message = {
            throttle.SUBMIT_ADDRESS.scope: MSG_SUBMIT_THROTTLED,
            throttle.POST_REPORT.scope: MSG_POST_THROTTLED,
        }.get(rule.scope, MSG_LOOKUP_THROTTLED)
        error = DomainError(message, code="throttled")
        error.status = 429
        raise error


# ---------------------------------------------------------------------------------------------
# The reporter


@case_files.removed_on_failure
def report_submit(
    *,
    subject_name: str,
    subject_unit: str,
    facts: str,
    subject_post: str = "",
    occurred: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    evidence: Sequence[CleanFile] = (),
    request: Any = None,
) -> tuple[PublicReport, str]:
    """Record a report and give its 查询码 (returned once, stored only as a keyed hash)."""
    address = client_address(request)
    rules = throttle.submit_rules(address)
    refuse_if_throttled(rules)
    fields = {
        "subject_name": _text(subject_name, field="subject_name", limit=SUBJECT_NAME_MAX),
        "subject_unit": _text(subject_unit, field="subject_unit", limit=SUBJECT_UNIT_MAX),
        "subject_post": _text(
            subject_post, field="subject_post", limit=SUBJECT_POST_MAX, required=False
        ),
        "occurred": _text(occurred, field="occurred", limit=OCCURRED_MAX, required=False),
        "facts": _text(facts, field="facts", limit=FACTS_MAX),
    }
    name = _text(reporter_name, field="reporter_name", limit=NAME_MAX, required=False)
    contact = _text(reporter_contact, field="reporter_contact", limit=CONTACT_MAX, required=False)
    organ = receiving_organ()
    code = codes.generate()
    with transaction.atomic():
        report = PublicReport.objects.create(
            organ=organ,
            code_digest=codes.digest(code),
            anonymous=not (name or contact),
            reporter_name_enc=encrypt_text(name),
            reporter_contact_enc=encrypt_text(contact),
            **fields,
        )
        stored = _store_all(report, evidence)
        audit_log(
            action="create",
            target=report,
            changes={
                "action": "public_submit",
                "fields": sorted(k for k, v in fields.items() if v),
                "files": len(stored),
            },
            request=audit_request(request),
        )
        throttle.count(rules)
    return report, code


def report_lookup(*, code: str, request: Any = None) -> PublicReport:
    """The report whose 查询码 this is; every attempt audited, failures throttled."""
    address = client_address(request)
    rules = throttle.lookup_rules(address, str(code or ""))
    blocked = throttle.exceeded(rules)

    def refuse(message: Any, reason: str, scope: str = "") -> DomainError:
        changes = {"action": "public_lookup", "code": reason}
        if scope:
            changes["scope"] = scope
        audit_log(
            action="view",
            target=("public.lookup", "", "查询码查询"),
            changes=changes,
            outcome="denied" if reason == "throttled" else "failure",
            request=audit_request(request),
        )
        error = DomainError(message, field="code", code=reason)
        if reason == "throttled":
            error.status = 429
        return error

    if blocked is not None:
        raise refuse(MSG_LOOKUP_THROTTLED, "throttled", blocked.scope)
    digests = codes.candidate_digests(str(code or ""))
    report = PublicReport.objects.filter(code_digest__in=digests).first() if digests else None
    if report is None:
        throttle.count(rules)
        if not digests:
            raise refuse(MSG_CODE_MALFORMED, "malformed")
        raise refuse(MSG_CODE_NOT_FOUND, "not_found")
    audit_log(
        action="view",
        target=report,
        changes={"action": "public_lookup"},
        request=audit_request(request),
    )
    return report


def _open_for_reporter(report: PublicReport) -> PublicReport:
    locked = (
        PublicReport.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=report.pk)
    )
    if locked.case is not None and locked.case.closed_on is not None:
        raise DomainError(MSG_REPORT_CLOSED, code="closed")
    return locked


@transaction.atomic
def reporter_message_add(*, report: PublicReport, body: str, request: Any = None) -> ReportMessage:
    """The reporter writes to the office (an answer, or more facts)."""
    rules = throttle.post_rules(report.pk)
    refuse_if_throttled(rules)
    locked = _open_for_reporter(report)
    text = _text(body, field="body", limit=MESSAGE_MAX)
    message = ReportMessage.objects.create(
        report=locked,
        author=ReportMessage.Author.REPORTER,
        body=text,
        status=ReportMessage.Status.PUBLISHED,
    )
    audit_log(
        action="create",
        target=message,
        changes={"action": "public_message", "report": locked.pk},
        request=audit_request(request),
    )
    throttle.count(rules)
    return message


@case_files.removed_on_failure
@transaction.atomic
def reporter_evidence_add(
    *, report: PublicReport, evidence: Sequence[CleanFile], request: Any = None
) -> list[ReportFile]:
    """The reporter adds evidence (already cleaned of its metadata)."""
    if not evidence:
        raise DomainError(MSG_NOTHING_TO_ADD, field="files", code="required")
    rules = throttle.post_rules(report.pk)
    refuse_if_throttled(rules)
    locked = _open_for_reporter(report)
    stored = _store_all(locked, evidence)
    for row in stored:
        audit_log(
            action="create",
            target=row,
            changes={
                "action": "public_evidence",
                "report": locked.pk,
                "sha256": row.sha256,
                "sm3": row.sm3,
                "size": row.size,
            },
            request=audit_request(request),
        )
    throttle.count(rules)
    return stored


# ---------------------------------------------------------------------------------------------
# The office


def default_summary(report: PublicReport) -> str:
    post = f"，{report.subject_post}" if report.subject_post else ""
    return SUMMARY_TEMPLATE.format(
        name=report.subject_name,
        unit=report.subject_unit,
        post=post,
        occurred=report.occurred or "未说明",
        facts=report.facts,
    )


def _require_handler(report: PublicReport, actor: Any) -> None:
    if not can_handle(user=actor, report=report):
        raise PermissionDenied(MSG_NOT_HANDLER, code="role_not_allowed")


@transaction.atomic
def report_register(
    *,
    report: PublicReport,
    actor: Any,
    summary: str,
    handling_opinion: str = "",
    persons: Iterable[Person] = (),
    request: Any = None,
) -> Case:
    """Register the report as a clue with source 群众信访举报 (cases.services.clue_register):
    the reporter's identity goes to the case's informant fields, encrypted there too."""
    locked = (
        PublicReport.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=report.pk)
    )
    _require_handler(locked, actor)
    if locked.case is not None:
        raise DomainError(
            MSG_ALREADY_REGISTERED.format(number=locked.case.number),
            field="report",
            code="already_registered",
        )
    text = _text(summary, field="summary", limit=FACTS_MAX + 500)
    case = case_services.clue_register(
        actor=actor,
        source=Case.Source.PETITION,
        summary=text,
        received_on=timezone.localdate(locked.submitted_at),
        handling_opinion=handling_opinion,
        informant_name=decrypt_text(locked.reporter_name_enc),
        informant_contact=decrypt_text(locked.reporter_contact_enc),
        persons=persons,
        request=request,
    )
    locked.case = case
    locked.registered_by = actor
    locked.registered_at = timezone.now()
    locked.save(update_fields=["case", "registered_by", "registered_at"])
    audit_log(
        actor=actor,
        action="update",
        target=locked,
        changes={"action": "public_register", "case": case.number},
        request=request,
    )
    report.case, report.registered_by, report.registered_at = case, actor, locked.registered_at
    return case


def approval_required() -> bool:
    """PUBLIC_REPLY_APPROVAL: an officer's reply waits for the office head (default on)."""
    return bool(getattr(settings, "PUBLIC_REPLY_APPROVAL", True))


def _approval_needed(actor: Any, report: PublicReport) -> bool:
    return approval_required() and not can_approve(user=actor, report=report)


@transaction.atomic
def office_message_add(
    *, report: PublicReport, actor: Any, body: str, request: Any = None
) -> ReportMessage:
    """An officer's reply to the reporter: it waits for the office head's approval where
    PUBLIC_REPLY_APPROVAL says so (the head's own replies go out at once)."""
    locked = (
        PublicReport.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=report.pk)
    )
    _require_handler(locked, actor)
    text = _text(body, field="body", limit=MESSAGE_MAX)
    pending = _approval_needed(actor, locked)
    status = ReportMessage.Status.PENDING if pending else ReportMessage.Status.PUBLISHED
    message = ReportMessage.objects.create(
        report=locked,
        author=ReportMessage.Author.OFFICE,
        written_by=actor,
        body=text,
        status=status,
    )
    audit_log(
        actor=actor,
        action="create",
        target=message,
        changes={
            "action": "office_message",
            "report": locked.pk,
            "state": str(status),
            **({"case": locked.case.number} if locked.case else {}),
        },
        request=request,
    )
    return message


def _decide(message: ReportMessage, actor: Any) -> ReportMessage:
    locked = (
        ReportMessage.objects.select_for_update(of=("self",))
        .select_related("report__case")
        .get(pk=message.pk)
    )
    if not can_approve(user=actor, report=locked.report):
        raise PermissionDenied(MSG_NOT_APPROVER, code="role_not_allowed")
    if locked.written_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(MSG_OWN_REPLY, code="own_reply")
    if locked.status != ReportMessage.Status.PENDING:
        raise DomainError(
            MSG_NOT_PENDING.format(status=locked.get_status_display()),
            field="status",
            code="not_pending",
        )
    return locked


@transaction.atomic
def office_message_approve(
    *, message: ReportMessage, actor: Any, request: Any = None
) -> ReportMessage:
    """The office head approves an officer's reply: the reporter sees it from now on."""
    locked = _decide(message, actor)
    locked.status = ReportMessage.Status.PUBLISHED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    audit_log(
        actor=actor,
        action="update",
        target=locked,
        changes={
            "action": "office_message_approve",
            "report": locked.report_id,
            "state": [str(ReportMessage.Status.PENDING), str(locked.status)],
        },
        request=request,
    )
    return locked


@transaction.atomic
def office_message_return(
    *, message: ReportMessage, actor: Any, reason: str, request: Any = None
) -> ReportMessage:
    """The office head returns an officer's reply with a reason; the reporter never sees it."""
    locked = _decide(message, actor)
    text = _text(reason, field="reason", limit=MESSAGE_MAX)
    locked.status = ReportMessage.Status.RETURNED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.return_reason = text
    locked.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
    audit_log(
        actor=actor,
        action="update",
        target=locked,
        changes={
            "action": "office_message_return",
            "report": locked.report_id,
            "state": [str(ReportMessage.Status.PENDING), str(locked.status)],
        },
        detail=text,
        request=request,
    )
    return locked
