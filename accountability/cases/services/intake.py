"""第十三条第(一)项 线索受理, and 第十一条 直接追究 (case_take_over).

(一)线索受理。纪检监察干部监督室对问题线索进行登记,提出处理意见,按程序报批受理。
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.files.base import File
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.audit.services import audit_log
from accountability.cases import access, files
from accountability.cases import facts as case_facts
from accountability.cases import workflow as wf
from accountability.cases.crypto import encrypt_text
from accountability.cases.models import (
    Attachment,
    Case,
    CaseNumberSequence,
    CaseParty,
    ConflictDeclaration,
    TeamMembership,
    TransitionLog,
)
from accountability.cases.services._common import (
    LEADING_ROLES,
    MSG_NO_PARTY,
    _day,
    _store_file,
    _text,
    _today,
)
from accountability.cases.services._step import guard, service, step
from accountability.cases.workflow import Action, Guard, Role
from accountability.common.errors import DomainError, PermissionDenied
from accountability.common.i18n import join_list, source_language
from accountability.people.models import Organisation, Person

MSG_NO_COMMISSION = _("您的账号未归属任何纪检监察机关，不能登记问题线索。")
MSG_REGISTER_ROLE = _("只有纪检监察干部监督室工作人员可以登记问题线索（第十三条第(一)项）。")
MSG_ORGAN_NOT_OWN = _("只能以本机关（{organ}）名义登记问题线索。")
MSG_SOURCE = _("线索来源应为：群众信访举报、媒体曝光、工作发现、领导批示（第十三条第(一)项）。")
MSG_PARTY_DUPLICATE = _("{name}已是本案被调查人。")
MSG_PARTY_AUTHORITY = _(
    "{name}的干部管理机关为{organ}，不在{handling}的管理权限内"
    "（第十一条：责任追究按照干部管理权限分级负责）。"
)
MSG_RESPONSIBILITY_KIND = _("责任类型应为：主要领导责任、重要领导责任、直接责任（第九条）。")
MSG_RESPONSIBILITY_SCOPE = _("应当分清集体责任和个人责任（第九条）。")
MSG_CONFLICT_WHO = _("请选择需要回避的人员或账号。")
MSG_CONFLICT_KIND = _("回避事由应为：{kinds}。")
MSG_TAKE_OVER_AUTHORITY = _("只有{organ}的上级纪检监察机关可以直接追究本案（第十一条）。")
MSG_TAKE_OVER_LEADING = _(
    "第十一条：上级纪检监察机关只可直接对下级纪检监察机关领导干部进行责任追究；"
    "本案被调查人中没有领导干部。"
)


@guard(Guard.HAS_PARTY)
def _has_party(case: Case, transition: wf.Transition) -> None:
    if not case.parties.exists():
        raise DomainError(
            MSG_NO_PARTY.format(action=transition.label), field="parties", code="no_party"
        )


@guard(Guard.LEADING_CADRE)
def _leading_cadre(case: Case, transition: wf.Transition) -> None:
    """Art 11: the commission above pursues only a lower commission's leading cadres."""
    roles = {p.role or p.person.role for p in case.parties.select_related("person")}
    if not roles & LEADING_ROLES:
        raise DomainError(MSG_TAKE_OVER_LEADING, field="parties", code="leading_cadre")


def _next_number(year: int) -> str:
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"镇纪干监〔{year}〕{sequence.last}号"


@service(Action.CLUE_REGISTER)
def clue_register(
    *,
    actor: User,
    source: str,
    summary: str,
    received_on: date,
    handling_opinion: str = "",
    informant_name: str = "",
    informant_contact: str = "",
    persons: Iterable[Person] = (),
    handling_organ: Organisation | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Register a clue (线索登记) for the actor's commission; the informant is stored encrypted.

    The one action without a state before it: it creates the case, so it is not a ``step``.
    """
    if getattr(actor, "role", None) not in wf.CLUE_REGISTER_ROLES:
        raise PermissionDenied(MSG_REGISTER_ROLE, code="role_not_allowed")
    commission = access.user_commission(actor)
    if commission is None:
        raise PermissionDenied(MSG_NO_COMMISSION, code="no_commission")
    if handling_organ is not None and handling_organ.pk != commission.pk:
        raise DomainError(
            MSG_ORGAN_NOT_OWN.format(organ=commission.name),
            field="handling_organ",
            code="organ",
        )
    if source not in Case.Source.values:
        raise DomainError(MSG_SOURCE, field="source", code="choice")
    summary = _text(summary, field="summary", label=gettext("问题线索摘要"))
    received_on = _day(received_on, field="received_on", label=gettext("收到线索日期"))
    case = Case.objects.create(
        number=_next_number(received_on.year),
        source=source,
        summary=summary,
        received_on=received_on,
        informant_name_enc=encrypt_text((informant_name or "").strip()),
        informant_contact_enc=encrypt_text((informant_contact or "").strip()),
        handling_organ=commission,
        handling_opinion=(handling_opinion or "").strip(),
        registered_by=actor,
    )
    TransitionLog.objects.create(
        case=case,
        action=Action.CLUE_REGISTER,
        from_state="",
        to_state=case.state,
        actor=actor,
        reason=case.handling_opinion,
        occurred_on=received_on,
    )
    audit_log(
        actor=actor,
        action="create",
        target=case,
        changes={
            "case": case.number,
            "action": str(Action.CLUE_REGISTER),
            "source": source,
            "received_on": received_on,
            "state": [None, str(case.state)],
            # The informant is never written to the audit trail, only whether there is one.
            "informant": "已登记（加密保存）" if case.has_informant else "无",
        },
        request=request,
    )
    for person in persons:
        party_add(case=case, actor=actor, person=person, responsibility_scope="", request=request)
    return case


@service(Action.PARTY_ADD)
def party_add(
    *,
    case: Case,
    actor: User,
    person: Person,
    responsibility_kind: str = "",
    responsibility_scope: str = CaseParty.ResponsibilityScope.INDIVIDUAL,
    request: HttpRequest | None = None,
) -> CaseParty:
    """Add a person concerned (被调查人); they must be within the handling organ's authority."""
    with step(case, actor, Action.PARTY_ADD, request=request) as s:
        if s.case.parties.filter(person=person).exists():
            raise DomainError(
                MSG_PARTY_DUPLICATE.format(name=person.name), field="person", code="duplicate"
            )
        handling = s.case.handling_organ
        if person.managed_by_id not in access.subtree_ids(handling):
            raise DomainError(
                MSG_PARTY_AUTHORITY.format(
                    name=person.name, organ=person.managed_by.name, handling=handling.name
                ),
                field="person",
                code="authority",
            )
        if responsibility_kind and responsibility_kind not in CaseParty.ResponsibilityKind.values:
            raise DomainError(
                str(MSG_RESPONSIBILITY_KIND), field="responsibility_kind", code="choice"
            )
        scope = responsibility_scope or CaseParty.ResponsibilityScope.INDIVIDUAL
        if scope not in CaseParty.ResponsibilityScope.values:
            raise DomainError(
                str(MSG_RESPONSIBILITY_SCOPE), field="responsibility_scope", code="choice"
            )
        party = CaseParty.objects.create(
            case=s.case,
            person=person,
            role=person.role,
            responsibility_kind=responsibility_kind,
            responsibility_scope=scope,
        )
        # A team member who turns out to be concerned by the case leaves the team (回避).
        if person.account_id:
            TeamMembership.objects.filter(
                case=s.case, user_id=person.account_id, left_on=None
            ).update(left_on=_today(), leave_reason="本案被调查人，回避")
        s.record(
            party=party,
            target=party,
            audit_action="create",
            changes={"person": person.name, "role": person.role},
        )
    return party


@service(Action.PARTY_FACTS_UPDATE)
def party_facts_update(
    *,
    party: CaseParty,
    actor: User,
    role: str,
    circumstance: int | None,
    severity: str,
    conditions: Iterable[str] = (),
    violates_discipline: bool = False,
    lighter: Iterable[int] = (),
    heavier: Iterable[int] = (),
    occurred_on: date | None = None,
    facts: str = "",
    responsibility_kind: str | None = None,
    responsibility_scope: str | None = None,
    request: HttpRequest | None = None,
) -> CaseParty:
    """Record the facts the rulebook assesses; the rulebook itself validates them."""
    with step(party.case, actor, Action.PARTY_FACTS_UPDATE, request=request) as s:
        party = CaseParty.objects.select_for_update().get(pk=party.pk)
        if responsibility_kind is not None:
            kinds = CaseParty.ResponsibilityKind.values
            if responsibility_kind and responsibility_kind not in kinds:
                raise DomainError(
                    str(MSG_RESPONSIBILITY_KIND), field="responsibility_kind", code="choice"
                )
            party.responsibility_kind = responsibility_kind
        if responsibility_scope is not None:
            if responsibility_scope not in CaseParty.ResponsibilityScope.values:
                raise DomainError(
                    str(MSG_RESPONSIBILITY_SCOPE), field="responsibility_scope", code="choice"
                )
            party.responsibility_scope = responsibility_scope
        if occurred_on is not None:
            _day(occurred_on, field="occurred_on", label=gettext("行为发生日期"))
        before = {
            name: getattr(party, name)
            for name in (
                "role",
                "circumstance",
                "conditions",
                "severity",
                "violates_discipline",
                "lighter",
                "heavier",
                "occurred_on",
                "facts",
            )
        }
        party.role = (role or "").strip()
        party.circumstance = circumstance
        party.conditions = [c for c in conditions if c]
        party.severity = (severity or "").strip()
        party.violates_discipline = bool(violates_discipline)
        party.lighter = sorted({int(i) for i in lighter})
        party.heavier = sorted({int(i) for i in heavier})
        party.occurred_on = occurred_on
        party.facts = (facts or "").strip()
        # The rulebook is the judge of what facts are valid (role, item, conditions, factors).
        inputs = {
            "role": party.role,
            "circumstance": party.circumstance,
            "conditions": party.conditions,
            "severity": party.severity,
            "violates_discipline": party.violates_discipline,
            "lighter": party.lighter,
            "heavier": party.heavier,
        }
        if party.occurred_on:
            inputs["occurred_on"] = party.occurred_on.isoformat()
        case_facts.assess(inputs, name=party.person.name)
        party.save()
        changes = {
            name: [value, getattr(party, name)]
            for name, value in before.items()
            if value != getattr(party, name)
        }
        s.record(party=party, target=party, audit_action="update", changes=changes)
    return party


@service(Action.CONFLICT_DECLARE)
def conflict_declare(
    *,
    case: Case,
    actor: User,
    kind: str,
    note: str = "",
    user: User | None = None,
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> ConflictDeclaration:
    """Record a reason for someone to stand aside (回避); a team member concerned leaves."""
    with step(case, actor, Action.CONFLICT_DECLARE, request=request) as s:
        if user is None and person is None:
            raise DomainError(MSG_CONFLICT_WHO, field="user", code="required")
        if kind not in ConflictDeclaration.Kind.values:
            kinds = join_list(ConflictDeclaration.Kind.labels)
            raise DomainError(MSG_CONFLICT_KIND.format(kinds=kinds), field="kind", code="choice")
        conflict = ConflictDeclaration.objects.create(
            case=s.case,
            user=user,
            person=person,
            kind=kind,
            note=(note or "").strip(),
            declared_by=actor,
        )
        accounts = {u.pk for u in (user, getattr(person, "account", None)) if u is not None}
        if accounts:
            with source_language():
                leave_reason = f"回避：{conflict.get_kind_display()}"
            TeamMembership.objects.filter(case=s.case, user_id__in=accounts, left_on=None).update(
                left_on=_today(), leave_reason=leave_reason
            )
        s.record(
            target=conflict,
            audit_action="create",
            changes={"who": str(user or person), "kind": kind},
            reason=conflict.note,
        )
    return conflict


@files.removed_on_failure
@service(Action.ATTACHMENT_ADD)
def attachment_add(
    *,
    case: Case,
    actor: User,
    file: File[bytes],
    title: str = "",
    request: HttpRequest | None = None,
) -> Attachment:
    """Store a file under MEDIA_ROOT with its SHA-256 and SM3 hashes (type by content)."""
    with step(case, actor, Action.ATTACHMENT_ADD, request=request) as s:
        attachment = _store_file(s.case, actor, file, title)
        s.record(
            target=attachment,
            audit_action="create",
            changes={
                "title": attachment.title,
                "sha256": attachment.sha256,
                "sm3": attachment.sm3,
                "size": attachment.size,
            },
        )
    return attachment


def _decided_on(case: Case, on: date | None, *, field: str, label: str) -> date:
    """The day of the intake decision: not in the future, not before the clue was received
    (nor before the commission above took the case over)."""
    after, after_label = case.received_on, gettext("收到线索日期")
    if case.taken_over_on is not None and case.taken_over_on > after:
        after, after_label = case.taken_over_on, gettext("上级机关直接追究日期")
    return _day(
        on or _today(), field=field, label=label, not_before=after, not_before_label=after_label
    )


@service(Action.CLUE_APPROVE)
def clue_approve(
    *,
    case: Case,
    actor: User,
    opinion: str,
    approved_on: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """按程序报批受理: the head of the office or the leader approves the handling opinion,
    on ``approved_on`` (today when not given)."""
    with step(case, actor, Action.CLUE_APPROVE, request=request) as s:
        opinion = _text(opinion, field="opinion", label=gettext("审批意见"))
        day = _decided_on(s.case, approved_on, field="approved_on", label=gettext("审批日期"))
        s.case.approval_opinion = opinion
        s.case.approved_by = actor
        s.case.approved_on = day
        s.record(
            reason=opinion,
            case_fields=["approval_opinion", "approved_by", "approved_on"],
            changes={"approved_on": day},
            on=day,
        )
    return s.case


@service(Action.CLUE_REJECT)
def clue_reject(
    *,
    case: Case,
    actor: User,
    reason: str,
    approved_on: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """不予受理, with the reason, on ``approved_on`` (today when not given); the case ends."""
    with step(case, actor, Action.CLUE_REJECT, request=request) as s:
        reason = _text(reason, field="reason", label=gettext("不予受理理由"))
        day = _decided_on(s.case, approved_on, field="approved_on", label=gettext("决定日期"))
        s.case.rejection_reason = reason
        s.case.approved_by = actor
        s.case.approved_on = day
        s.case.closed_on = day
        s.record(
            reason=reason,
            case_fields=["rejection_reason", "approved_by", "approved_on", "closed_on"],
            changes={"approved_on": day},
            on=day,
        )
    return s.case


def _commission_above(actor: User, case: Case) -> Organisation:
    """The city office's commission, when it is above the one handling ``case`` (Art 11)."""
    commission = access.user_commission(actor)
    if (
        commission is None
        or getattr(actor, "role", None) != Role.CITY_OFFICER
        or not access.is_above(commission, case.handling_organ)
    ):
        raise PermissionDenied(
            MSG_TAKE_OVER_AUTHORITY.format(organ=case.handling_organ.name),
            code="role_not_allowed",
        )
    return commission


@service(Action.CASE_TAKE_OVER)
def case_take_over(
    *,
    case: Case,
    actor: User,
    reason: str,
    taken_over_on: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Art 11: the commission above pursues a lower commission's leading cadre directly,
    from ``taken_over_on`` (today when not given)."""

    def city_office_above(locked: Case) -> set[str]:
        _commission_above(actor, locked)
        return {Role.CITY_OFFICER}

    with step(
        case, actor, Action.CASE_TAKE_OVER, request=request, extra_roles=city_office_above
    ) as s:
        commission = _commission_above(actor, s.case)
        reason = _text(reason, field="reason", label=gettext("直接追究理由"))
        day = _day(
            taken_over_on or _today(),
            field="taken_over_on",
            label=gettext("上级机关直接追究日期"),
            not_before=s.case.received_on,
            not_before_label=gettext("收到线索日期"),
        )
        previous = s.case.handling_organ.name
        s.case.handling_organ = commission
        s.case.taken_over_on = day
        s.case.take_over_reason = reason
        s.record(
            reason=reason,
            case_fields=["handling_organ", "taken_over_on", "take_over_reason"],
            changes={"handling_organ": [previous, commission.name]},
            on=day,
        )
    return s.case
