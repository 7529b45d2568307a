"""第十三条第(四)项 执行决定: issue, delivery, archive and filing with the city.

(四)执行决定。……形成决定文书送相关部门执行,并送达被追究责任者本人及其所在单位。责任追究有关
材料应送县纪委监委组织部归入干部个人档案,同时报市纪委纪检监察干部监督室备案。
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.cases import facts as case_facts
from accountability.cases.models import (
    ArchiveRecord,
    Case,
    CityFiling,
    Decision,
    Delivery,
    Outcome,
    RecordCorrection,
)
from accountability.cases.services import _records
from accountability.cases.services._common import _current_version, _day, _text, _today
from accountability.cases.services._step import lock_decision, service, step
from accountability.cases.workflow import Action, Role
from accountability.common.errors import DomainError
from accountability.common.i18n import join_list

MSG_ALREADY_ISSUED = _("{name}的决定文书已经印发（{number}）。")
MSG_RECIPIENT = _("受送达人应为：被追究责任者本人、所在单位。")
MSG_MANNER = _("送达方式应为：{allowed}。")
MSG_ALREADY_DELIVERED = _("{name}的决定已于{date}送达{recipient}。")
MSG_ALREADY_ARCHIVED = _("本案材料已于{date}归入干部个人档案。")
MSG_ALREADY_FILED = _("本案已于{date}报市纪委备案。")
MSG_DELIVERY_APPEALED = _(
    "{name}已就该决定提出申诉，申诉期限以送达本人的记录计算，不能再更正或撤回该送达记录。"
)


@service(Action.DECISION_ISSUE)
def decision_mark_issued(
    *,
    decision: Decision,
    actor: User,
    document_number: str,
    issued_on: date | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Record that the decision document (决定文书) was issued; the documents app makes it."""
    with step(decision.party.case, actor, Action.DECISION_ISSUE, request=request) as s:
        locked = lock_decision(decision)
        name = locked.party.person.name
        if locked.issued_on is not None:
            raise DomainError(
                MSG_ALREADY_ISSUED.format(name=name, number=locked.document_number),
                field="document_number",
                code="issued",
            )
        number = _text(document_number, field="document_number", label=gettext("决定文书字号"))
        issued_on = _day(
            issued_on or _today(),
            field="issued_on",
            label=gettext("印发日期"),
            not_before=locked.decided_on,
            not_before_label=gettext("决定日期"),
        )
        locked.document_number = number
        locked.issued_on = issued_on
        locked.save(update_fields=["document_number", "issued_on"])
        s.record(
            party=locked.party,
            target=locked,
            audit_action="update",
            changes={"document_number": number, "issued_on": issued_on},
            on=issued_on,
        )
    decision.refresh_from_db()
    return locked


@service(Action.DELIVERY_RECORD)
def delivery_record(
    *,
    decision: Decision,
    actor: User,
    recipient: str,
    delivered_on: date,
    manner: str,
    received_by: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> Delivery:
    """送达 to the person or their unit; delivery to the person starts the appeal period.

    The appeal deadline is counted by the rulebook (Art 16, the PRC holiday calendar) from the
    recorded delivery to the person, and stored with any warning it carries.
    """
    with step(decision.party.case, actor, Action.DELIVERY_RECORD, request=request) as s:
        locked = lock_decision(decision)
        name = locked.party.person.name
        if recipient not in Delivery.Recipient.values:
            raise DomainError(MSG_RECIPIENT, field="recipient", code="choice")
        if manner not in Delivery.Manner.values:
            allowed = join_list(Delivery.Manner.labels)
            raise DomainError(MSG_MANNER.format(allowed=allowed), field="manner", code="choice")
        existing = locked.deliveries.filter(recipient=recipient, withdrawn_at__isnull=True).first()
        if existing is not None:
            raise DomainError(
                MSG_ALREADY_DELIVERED.format(
                    name=name,
                    date=existing.delivered_on.isoformat(),
                    recipient=existing.get_recipient_display(),
                ),
                field="recipient",
                code="delivered",
            )
        delivered_on = _day(
            delivered_on,
            field="delivered_on",
            label=gettext("送达日期"),
            not_before=locked.issued_on,
            not_before_label=gettext("印发日期"),
        )
        delivery = Delivery.objects.create(
            decision=locked,
            recipient=recipient,
            delivered_on=delivered_on,
            manner=manner,
            received_by=(received_by or "").strip(),
            note=(note or "").strip(),
            recorded_by=actor,
        )
        changes: dict[str, Any] = {
            "recipient": recipient,
            "delivered_on": delivered_on,
            "manner": manner,
        }
        if recipient == Delivery.Recipient.PERSON and locked.outcome == Outcome.PURSUE:
            changes["appeal_deadline"] = _count_appeal_deadline(locked, delivered_on, name=name)
        s.record(
            party=locked.party,
            target=delivery,
            audit_action="create",
            changes=changes,
        )
    decision.refresh_from_db()
    return delivery


def _count_appeal_deadline(decision: Decision, delivered_on: date | None, *, name: str) -> Any:
    """Count (or, without a delivery to the person, clear) the appeal deadline (Art 16)."""
    if delivered_on is None:
        decision.appeal_deadline = None
        decision.appeal_deadline_warnings = []
    else:
        inputs = dict(_current_version(decision).inputs)
        inputs["received_on"] = delivered_on.isoformat()
        result = case_facts.assess(inputs, name=name)
        decision.appeal_deadline = date.fromisoformat(result["appeal_deadline"])
        decision.appeal_deadline_warnings = list(result.get("warnings") or [])
    decision.save(update_fields=["appeal_deadline", "appeal_deadline_warnings"])
    return decision.appeal_deadline


def _delivery_to_change(delivery: Delivery, actor: User, case: Case, action: str) -> Delivery:
    row = Delivery.objects.select_related("recorded_by").get(pk=delivery.pk)
    row.decision = lock_decision(row.decision)
    _records.check_may_change(case, actor, row, author=row.recorded_by, action=action)
    if row.recipient == Delivery.Recipient.PERSON and row.decision.appeals.exists():
        raise DomainError(
            MSG_DELIVERY_APPEALED.format(name=row.decision.party.person.name),
            field="reason",
            code="appealed",
        )
    return row


def _counts_for_appeal(row: Delivery) -> bool:
    return row.recipient == Delivery.Recipient.PERSON and row.decision.outcome == Outcome.PURSUE


@service(Action.DELIVERY_CORRECT)
def delivery_correct(
    *,
    delivery: Delivery,
    actor: User,
    reason: str,
    delivered_on: date | None = None,
    manner: str | None = None,
    received_by: str | None = None,
    note: str | None = None,
    request: HttpRequest | None = None,
) -> Delivery:
    """更正 a delivery entered by mistake (date, manner, who signed); the original is kept. A
    corrected delivery to the person counts the appeal period again."""
    case = delivery.decision.party.case
    with step(case, actor, Action.DELIVERY_CORRECT, request=request) as s:
        row = _delivery_to_change(delivery, actor, s.case, str(_records.ACT_CORRECT))
        reason = _records.reason_of(reason)
        values: dict[str, Any] = {}
        if delivered_on is not None:
            values["delivered_on"] = _day(
                delivered_on,
                field="delivered_on",
                label=gettext("送达日期"),
                not_before=row.decision.issued_on,
                not_before_label=gettext("印发日期"),
            )
        if manner is not None:
            if manner not in Delivery.Manner.values:
                allowed = join_list(Delivery.Manner.labels)
                raise DomainError(MSG_MANNER.format(allowed=allowed), field="manner", code="choice")
            values["manner"] = manner
        if received_by is not None:
            values["received_by"] = received_by.strip()
        if note is not None:
            values["note"] = note.strip()
        correction = _records.correct(
            s.case, actor, row, RecordCorrection.Record.DELIVERY, values=values, reason=reason
        )
        changes: dict[str, Any] = {"fields": sorted(correction.after)}
        changes.update(before=correction.before, after=correction.after)
        if "delivered_on" in correction.after and _counts_for_appeal(row):
            name = row.decision.party.person.name
            changes["appeal_deadline"] = _count_appeal_deadline(
                row.decision, row.delivered_on, name=name
            )
        s.record(
            party=row.decision.party,
            reason=reason,
            target=row,
            audit_action="update",
            changes=changes,
        )
    delivery.refresh_from_db()
    return row


@service(Action.DELIVERY_WITHDRAW)
def delivery_withdraw(
    *, delivery: Delivery, actor: User, reason: str, request: HttpRequest | None = None
) -> Delivery:
    """撤回 a delivery entered by mistake: it stays, struck through, and no longer counts. A
    withdrawn delivery to the person starts no appeal period (the decision is not final), and
    the case waits for the delivery again (已送达 goes back to 决定文书已形成)."""
    case = delivery.decision.party.case
    with step(case, actor, Action.DELIVERY_WITHDRAW, request=request) as s:
        row = _delivery_to_change(delivery, actor, s.case, str(_records.ACT_WITHDRAW))
        reason = _records.reason_of(reason)
        _records.withdraw(s.case, actor, row, RecordCorrection.Record.DELIVERY, reason=reason)
        changes: dict[str, Any] = {"fields": ["withdrawn"], "recipient": row.recipient}
        if _counts_for_appeal(row):
            name = row.decision.party.person.name
            changes["appeal_deadline"] = _count_appeal_deadline(row.decision, None, name=name)
        s.record(
            party=row.decision.party,
            reason=reason,
            target=row,
            audit_action="update",
            changes=changes,
        )
    delivery.refresh_from_db()
    return row


def _latest_decision_date(case: Case) -> date | None:
    row = Decision.objects.filter(party__case=case).order_by("-decided_on").first()
    return row.decided_on if row else None


@service(Action.ARCHIVE_RECORD)
def archive_record(
    *,
    case: Case,
    actor: User,
    archived_on: date,
    received_by: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> ArchiveRecord:
    """Materials sent to the organisation department for the personal dossiers (13(4))."""
    with step(case, actor, Action.ARCHIVE_RECORD, request=request) as s:
        existing = ArchiveRecord.objects.filter(case=s.case).first()
        if existing is not None:
            raise DomainError(
                MSG_ALREADY_ARCHIVED.format(date=existing.archived_on.isoformat()),
                field="archived_on",
                code="archived",
            )
        archived_on = _day(
            archived_on,
            field="archived_on",
            label=gettext("归档日期"),
            not_before=_latest_decision_date(s.case),
            not_before_label=gettext("决定日期"),
        )
        record = ArchiveRecord.objects.create(
            case=s.case,
            archived_on=archived_on,
            archivist=actor if getattr(actor, "role", None) == Role.ARCHIVIST else None,
            received_by=(received_by or "").strip(),
            note=(note or "").strip(),
            recorded_by=actor,
        )
        s.record(
            target=record,
            audit_action="create",
            changes={"archived_on": archived_on},
            on=archived_on,
        )
    return record


@service(Action.CITY_FILING_RECORD)
def city_filing_record(
    *,
    case: Case,
    actor: User,
    filed_on: date,
    reference: str = "",
    note: str = "",
    request: HttpRequest | None = None,
) -> CityFiling:
    """报市纪委纪检监察干部监督室备案 (13(4)); the city office then sees the case."""
    with step(case, actor, Action.CITY_FILING_RECORD, request=request) as s:
        existing = CityFiling.objects.filter(case=s.case).first()
        if existing is not None:
            raise DomainError(
                MSG_ALREADY_FILED.format(date=existing.filed_on.isoformat()),
                field="filed_on",
                code="filed",
            )
        filed_on = _day(
            filed_on,
            field="filed_on",
            label=gettext("报备日期"),
            not_before=_latest_decision_date(s.case),
            not_before_label=gettext("决定日期"),
        )
        record = CityFiling.objects.create(
            case=s.case,
            filed_on=filed_on,
            reference=(reference or "").strip(),
            note=(note or "").strip(),
            recorded_by=actor,
        )
        s.record(
            target=record,
            audit_action="create",
            changes={"filed_on": filed_on, "reference": record.reference},
            on=filed_on,
        )
    return record
