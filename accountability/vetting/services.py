"""Writes for integrity vetting (党风廉政意见回复): each state change one transaction with its
audit entry.

    vetting_submit(*, actor, purpose, intended_on, reference="", content=b"", filename="",
                   lines="", request=None) -> VettingRequest     (queues the answering job)
    vetting_answer(*, vetting, progress=None) -> VettingRequest    (the job: match and answer)
    vetting_resolve(*, entry, actor, person_id, request=None) -> VettingEntry
    vetting_confirm(*, vetting, actor, request=None) -> VettingRequest
    vetting_sign(*, vetting, actor, request=None) -> VettingRequest
    vetting_export(*, vetting, actor, request=None) -> bytes      (.xlsx, audited)

The organisation department submits (permissions.VETTING_REQUESTERS); the supervision office
resolves the ambiguous matches and confirms (VETTING_CONFIRMERS); the leader signs
(VETTING_SIGNERS), and never the one who confirmed. Users act only on the requests of their own
commission. The reply records who confirmed and who signed, and when.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import source_language
from accountability.people.models import Person
from accountability.vetting import answers
from accountability.vetting.models import VettingEntry, VettingRequest
from accountability.vetting.permissions import (
    VETTING_CONFIRMERS,
    VETTING_REQUESTERS,
    VETTING_SIGNERS,
)
from accountability.vetting.workbook import parse_lines, parse_workbook, reply_workbook

State = VettingRequest.State

MSG_NOT_REQUESTER = _("只有组织部门的工作人员可以提交党风廉政意见回复名单。")
MSG_NOT_CONFIRMER = _("只有纪检监察干部监督室的工作人员可以确认回复意见。")
MSG_NOT_SIGNER = _("只有分管(联系)领导可以签发回复意见。")
MSG_OTHER_ORGAN = _("该回复不属于您所在的纪委监委。")
MSG_NO_COMMISSION = _("您的账号未归属纪委监委，不能办理党风廉政意见回复。")
MSG_PURPOSE = _("请选择拟办事项：提拔使用或评优评先。")
MSG_NO_LIST = _("请上传名单文件或逐行填写人员。")
MSG_STATE = _("当前状态为“{state}”，不能执行此操作。")
MSG_UNRESOLVED = _("尚有 {count} 人未确认身份，请先逐一确认。")
MSG_NOT_CANDIDATE = _("所选人员不是该行的候选人员。")
MSG_SAME_PERSON = _("确认人不能同时签发同一份回复。")
MSG_NOT_SIGNED = _("回复签发后方可下载。")
MSG_LIST_REFUSED = _("名单未能读取：{errors}")

SUBMITTED = "提交党风廉政意见回复名单，待后台比对"
ANSWERED_DETAIL = "比对完成"


def _commission(actor: Any) -> Any:
    organ = access.user_commission(actor)
    if organ is None:
        raise PermissionDenied(MSG_NO_COMMISSION, code="organ")
    return organ


def _require(actor: Any, roles: frozenset[str], message: Any) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not actor.is_active
        or actor.role not in roles
    ):
        raise PermissionDenied(message, code="role")


def _lock(vetting: VettingRequest, actor: Any) -> VettingRequest:
    locked = VettingRequest.objects.select_for_update().defer("content").get(pk=vetting.pk)
    if locked.organ_id != _commission(actor).pk:
        raise PermissionDenied(MSG_OTHER_ORGAN, code="organ")
    return locked


def _state(vetting: VettingRequest, *allowed: str) -> None:
    if vetting.state not in allowed:
        raise DomainError(
            MSG_STATE.format(state=vetting.get_state_display()), field="state", code="state"
        )


def vetting_submit(
    *,
    actor: Any,
    purpose: str,
    intended_on: date,
    reference: str = "",
    content: bytes = b"",
    filename: str = "",
    lines: str = "",
    request: Any = None,
) -> VettingRequest:
    """Keep the list and queue the job that matches and answers it (one transaction)."""
    from accountability.jobs.services import job_enqueue
    from accountability.vetting.jobs import vetting_answer_job

    _require(actor, VETTING_REQUESTERS, MSG_NOT_REQUESTER)
    organ = _commission(actor)
    if purpose not in VettingRequest.Purpose.values:
        raise DomainError(MSG_PURPOSE, field="purpose", code="choice")
    is_workbook = bool(content)
    if not is_workbook:
        content = (lines or "").strip().encode("utf-8")
    if not content:
        raise DomainError(MSG_NO_LIST, field="file", code="required")
    with transaction.atomic():
        vetting = VettingRequest.objects.create(
            reference=(reference or "").strip()[:64],
            purpose=purpose,
            intended_on=intended_on,
            organ=organ,
            filename=(filename or "")[:255],
            content=content,
            is_workbook=is_workbook,
            requested_by=actor,
        )
        vetting.job = job_enqueue(
            handler=vetting_answer_job, owner=actor, params={"vetting_id": vetting.pk}
        )
        vetting.save(update_fields=["job"])
        audit_log(
            actor=actor,
            action="create",
            target=vetting,
            changes={
                "state": vetting.state,
                "purpose": purpose,
                "intended_on": intended_on,
                "size": len(content),
            },
            detail=SUBMITTED,
            request=request,
        )
    return vetting


def vetting_answer(
    *, vetting: VettingRequest, progress: Callable[..., None] | None = None
) -> VettingRequest:
    """Read the list, match every row and answer for every matched person (the job's work).

    Reading runs before the transaction; the entries, the state and the audit entry are
    written in one.
    """
    raw = bytes(VettingRequest.objects.values_list("content", flat=True).get(pk=vetting.pk))
    if vetting.is_workbook:
        parsed = parse_workbook(raw, progress=progress)
    else:
        parsed = parse_lines(raw.decode("utf-8", errors="replace"))
    with transaction.atomic():
        locked = (
            VettingRequest.objects.select_for_update(of=("self",))
            .select_related("requested_by")
            .defer("content")
            .get(pk=vetting.pk)
        )
        _state(locked, State.PENDING)
        if parsed.errors:
            locked.state = State.REFUSED
            locked.errors = parsed.errors[:50]
            locked.save(update_fields=["state", "errors"])
            audit_log(
                actor=locked.requested_by,
                action="update",
                target=locked,
                changes={"state": [State.PENDING, State.REFUSED], "errors": len(parsed.errors)},
            )
            return locked
        if progress is not None:
            progress(0, len(parsed.rows), "")
        matched = answers.match_rows(parsed.rows)
        found = {m.person_id for m in matched if m.person_id is not None}
        replies = answers.answer_people(found, on=locked.intended_on, purpose=locked.purpose)
        entries = []
        for m in matched:
            if m.person_id is not None:
                answer, findings = replies[m.person_id]
            elif m.match == VettingEntry.Match.AMBIGUOUS:
                answer, findings = VettingEntry.Answer.UNRESOLVED, []
            else:
                answer, findings = VettingEntry.Answer.CLEAR, []
            entries.append(
                VettingEntry(
                    request=locked,
                    row=m.row.row,
                    name=m.row.name,
                    id_number=m.row.id_number,
                    unit_text=m.row.unit,
                    match=m.match,
                    person_id=m.person_id,
                    candidates=m.candidates,
                    answer=answer,
                    findings=findings,
                )
            )
        VettingEntry.objects.bulk_create(entries, batch_size=1000)
        locked.state = State.ANSWERED
        locked.answered_at = timezone.now()
        locked.content = b""
        locked.save(update_fields=["state", "answered_at", "content"])
        counts = {a: sum(1 for e in entries if e.answer == a) for a in VettingEntry.Answer.values}
        audit_log(
            actor=locked.requested_by,
            action="update",
            target=locked,
            changes={"state": [State.PENDING, State.ANSWERED], "rows": len(entries), **counts},
            detail=ANSWERED_DETAIL,
        )
    if progress is not None:
        progress(len(entries), len(entries), "")
    return locked


def vetting_resolve(
    *, entry: VettingEntry, actor: Any, person_id: int, request: Any = None
) -> VettingEntry:
    """A person chooses who an ambiguous row is, among its candidates; it is answered then."""
    _require(actor, VETTING_CONFIRMERS, MSG_NOT_CONFIRMER)
    with transaction.atomic():
        vetting = _lock(entry.request, actor)
        _state(vetting, State.ANSWERED)
        row = VettingEntry.objects.select_for_update().get(pk=entry.pk, request=vetting)
        if row.match != VettingEntry.Match.AMBIGUOUS:
            raise DomainError(MSG_NOT_CANDIDATE, field="person", code="not_ambiguous")
        if person_id not in {c.get("id") for c in row.candidates}:
            raise DomainError(MSG_NOT_CANDIDATE, field="person", code="not_candidate")
        person = Person.objects.get(pk=person_id)
        answer, findings = answers.answer_people(
            [person.pk], on=vetting.intended_on, purpose=vetting.purpose
        )[person.pk]
        row.person, row.match, row.answer, row.findings = (
            person,
            VettingEntry.Match.RESOLVED,
            answer,
            findings,
        )
        row.resolved_by = actor
        row.save(update_fields=["person", "match", "answer", "findings", "resolved_by"])
        audit_log(
            actor=actor,
            action="update",
            target=vetting,
            changes={"row": row.row, "match": [VettingEntry.Match.AMBIGUOUS, row.match]},
            detail="确认名单人员身份",
            request=request,
        )
    return row


def vetting_confirm(*, vetting: VettingRequest, actor: Any, request: Any = None) -> VettingRequest:
    """The supervision office confirms the answers from the records it holds."""
    _require(actor, VETTING_CONFIRMERS, MSG_NOT_CONFIRMER)
    with transaction.atomic():
        locked = _lock(vetting, actor)
        _state(locked, State.ANSWERED)
        unresolved = locked.entries.filter(answer=VettingEntry.Answer.UNRESOLVED).count()
        if unresolved:
            raise DomainError(
                MSG_UNRESOLVED.format(count=unresolved), field="entries", code="unresolved"
            )
        locked.state = State.CONFIRMED
        locked.confirmed_by = actor
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["state", "confirmed_by", "confirmed_at"])
        audit_log(
            actor=actor,
            action="update",
            target=locked,
            changes={"state": [State.ANSWERED, State.CONFIRMED]},
            detail="监督室确认回复意见",
            request=request,
        )
    return locked


def vetting_sign(*, vetting: VettingRequest, actor: Any, request: Any = None) -> VettingRequest:
    """The leader in charge signs the confirmed reply."""
    _require(actor, VETTING_SIGNERS, MSG_NOT_SIGNER)
    with transaction.atomic():
        locked = _lock(vetting, actor)
        _state(locked, State.CONFIRMED)
        if locked.confirmed_by_id == actor.pk:
            raise PermissionDenied(MSG_SAME_PERSON, code="same_person")
        locked.state = State.SIGNED
        locked.signed_by = actor
        locked.signed_at = timezone.now()
        locked.save(update_fields=["state", "signed_by", "signed_at"])
        audit_log(
            actor=actor,
            action="update",
            target=locked,
            changes={"state": [State.CONFIRMED, State.SIGNED]},
            detail="领导签发回复意见",
            request=request,
        )
    return locked


def vetting_export(*, vetting: VettingRequest, actor: Any, request: Any = None) -> bytes:
    """The signed reply as .xlsx; every download is audited."""
    if vetting.state != State.SIGNED:
        raise DomainError(MSG_NOT_SIGNED, field="state", code="not_signed")
    entries = list(vetting.entries.select_related("person__unit").order_by("row"))
    # The reply is an official record: in the source language whatever the interface's.
    with source_language():
        content = reply_workbook(vetting, entries, finding_text=answers.finding_text)
    audit_log(
        actor=actor,
        action="export",
        target=vetting,
        changes={"rows": len(entries), "format": "xlsx"},
        request=request,
    )
    return content
