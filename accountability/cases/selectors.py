"""Reads for cases, with the permission check inside the fetch (STYLE.md 7).

Signatures:

    case_list_for_user(*, user, filters: CaseFilters | Mapping | None = None) -> QuerySet[Case]
    case_get_for_user(*, case_id, user) -> Case                 (NotFound / PermissionDenied)
    case_roles_for_user(*, case, user) -> frozenset[str]        (workflow roles held on the case)
    allowed_actions(*, case, user) -> tuple[workflow.Transition, ...]
    allowed_actions_many(*, cases, user) -> dict[case id, set[Action]]   (bounded queries)
    can_view_informant(*, case, user) -> bool                  (setting CASES_INFORMANT_SCOPE)
    case_informant_for_user(*, case, user, request=None) -> Informant   (audited view_confidential)
    case_timeline(*, case) -> QuerySet[TransitionLog]
    work_queue_for_user(*, user, today=None) -> WorkQueue
    decision_final_on(*, decision) -> date | None
    decision_is_final(*, decision, today=None) -> bool
    decision_status(*, decision, today=None) -> DecisionStatus
    decision_restrictions(*, decision) -> list[dict]            (from the stored assessment)
    decision_list_for_user(*, user) -> QuerySet[Decision]
    decision_get_for_user(*, decision_id, user) -> Decision
    rectification_list_overdue(*, user, today=None) -> QuerySet[Rectification]
    party_assessment(*, party, on=None) -> dict                 (the rulebook's view of the facts)
    team_candidates(*, case) -> QuerySet[User]                  (eligible, not recused)
    committee_members(*, case) -> QuerySet[Person]              (members of the leading group)
    recusal_reason_for(*, case, user=None, person=None) -> str  ('' when no need to stand aside)

Who sees what (DOMAIN.md, issue 3 "Who may do what"):

* case officer, office head, leader, committee secretary: the cases handled by their commission
  or a commission below it (people managed by it, Art 11);
* anyone on a case's investigation team: that case;
* the city office: cases the city handles (taken over, Art 11), cases filed with it (备案) and
  cases with an appeal addressed to it;
* the archivist: decided cases of their commission, for the dossier; never the informant;
* the person held accountable: only their own decision and appeal (decision_* selectors),
  not the case file;
* the three administrators: no case content at all (PermissionDenied).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.cases import facts as case_facts
from accountability.cases import workflow as wf
from accountability.cases.crypto import DecryptionError, decrypt_text
from accountability.cases.models import (
    Appeal,
    Case,
    CaseParty,
    Decision,
    Delivery,
    Hearing,
    Outcome,
    Rectification,
    TeamMembership,
    TransitionLog,
)
from accountability.cases.rules import decision_final_on, decision_is_final
from accountability.cases.workflow import Role
from accountability.common.errors import NotFound, PermissionDenied
from accountability.common.i18n import join_list
from accountability.people.models import Organisation, Person

MSG_ADMIN_NO_CASES = _("系统管理员、安全管理员和审计管理员不能查看案件内容（三员分立）。")
MSG_INFORMANT_HIDDEN = _("您无权查看举报人信息。")
DEADLINE_WINDOW_DAYS = 7


def _deny_admins(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    if access.is_administrator(user):
        raise PermissionDenied(MSG_ADMIN_NO_CASES, code="administrator")


# ---------------------------------------------------------------------------------------------
# Case lists


@dataclass(frozen=True)
class CaseFilters:
    """Filters of the case list; empty values filter nothing."""

    state: str = ""
    unit: int | None = None  # an Organisation id: people of this unit or below
    circumstance: int | None = None
    severity: str = ""
    received_from: date | None = None
    received_to: date | None = None
    person: str = ""  # part of a person's name
    q: str = ""  # part of the case number or the summary
    document: str = ""  # part of a decision's document number (发文字号)
    measure: str = ""  # a measure (追究措施) of a person's decision in force

    @classmethod
    def from_mapping(cls, data: CaseFilters | Mapping[str, Any] | None) -> CaseFilters:
        if not data:
            return cls()
        if isinstance(data, CaseFilters):
            return data

        def value(name: str) -> Any:
            raw = data.get(name)
            return None if raw in ("", None) else raw

        def integer(name: str) -> int | None:
            raw = value(name)
            try:
                return int(raw) if raw is not None else None
            except (TypeError, ValueError):
                return None

        def day(name: str) -> date | None:
            raw = value(name)
            if raw is None or isinstance(raw, date):
                return raw
            try:
                return date.fromisoformat(str(raw))
            except ValueError:
                return None

        return cls(
            state=str(value("state") or ""),
            unit=integer("unit"),
            circumstance=integer("circumstance"),
            severity=str(value("severity") or ""),
            received_from=day("received_from"),
            received_to=day("received_to"),
            person=str(value("person") or "").strip(),
            q=str(value("q") or "").strip(),
            document=str(value("document") or "").strip(),
            measure=str(value("measure") or "").strip(),
        )


def _visibility(user: Any) -> Q:
    """The cases ``user`` may open, as a filter (nothing for the subject: see decision_*)."""
    role = getattr(user, "role", None)
    visible = Q(pk__in=TeamMembership.objects.filter(user=user, left_on=None).values("case_id"))
    commission = access.user_commission(user)
    if commission is None:
        return visible
    if role in access.COUNTY_READER_ROLES:
        visible |= Q(handling_organ_id__in=access.subtree_ids(commission))
    elif role == Role.ARCHIVIST:
        visible |= Q(
            handling_organ_id__in=access.subtree_ids(commission),
            state__in=wf.DECIDED_STATES,
        )
    elif role == Role.CITY_OFFICER:
        below = access.subtree_ids(commission)
        visible |= Q(handling_organ_id=commission.pk)
        visible |= Q(handling_organ_id__in=below, city_filing__isnull=False)
        # Art 11: the city may pursue the lower commissions' leading cadres directly, so it
        # sees the county cases concerning them, to take them over.
        leading = CaseParty.objects.filter(
            Q(role__in=access.LEADING_ROLES) | Q(role="", person__role__in=access.LEADING_ROLES)
        )
        visible |= Q(handling_organ_id__in=below, pk__in=leading.values("case_id"))
        visible |= Q(
            pk__in=Appeal.objects.filter(reviewing_organ_id=commission.pk).values(
                "decision__party__case_id"
            )
        )
    return visible


def case_list_for_user(
    *, user: Any, filters: CaseFilters | Mapping[str, Any] | None = None
) -> QuerySet[Case]:
    """The cases ``user`` may see, filtered (state, unit, circumstance, severity, dates, a
    person's name, a document number, a measure, a case number or summary)."""
    _deny_admins(user)
    f = CaseFilters.from_mapping(filters)
    # Someone concerned by a case, or with a recorded conflict, does not see it (回避); a
    # person concerned sees their own decision through decision_list_for_user.
    qs = Case.objects.filter(_visibility(user)).exclude(access.recused_cases(user))
    if f.state:
        qs = qs.filter(state=f.state)
    parties = CaseParty.objects.filter(case=OuterRef("pk"))
    if f.unit is not None:
        unit = Organisation.objects.filter(pk=f.unit).first()
        parties = parties.filter(person__unit_id__in=access.subtree_ids(unit))
    if f.circumstance is not None:
        parties = parties.filter(circumstance=f.circumstance)
    if f.severity:
        parties = parties.filter(severity=f.severity)
    if f.person:
        parties = parties.filter(person__name__icontains=f.person)
    if f.document:
        parties = parties.filter(decision__document_number__icontains=f.document)
    if f.measure:
        parties = parties.filter(_measure_q(f.measure))
    if (
        f.unit is not None
        or f.circumstance is not None
        or f.severity
        or f.person
        or f.document
        or f.measure
    ):
        qs = qs.filter(Exists(parties))
    if f.received_from:
        qs = qs.filter(received_on__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_on__lte=f.received_to)
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(summary__icontains=f.q))
    return qs.select_related("handling_organ").order_by("-received_on", "-id")


def _measure_q(measure: str) -> Q:
    """Parties whose decision in force names ``measure`` (an element of its JSON list)."""
    if connection.features.supports_json_field_contains:
        return Q(decision__current_version__measures__contains=[measure])
    # SQLite stores the list as JSON text with non-ASCII escaped: look for the element's text.
    return Q(decision__current_version__measures__icontains=json.dumps(measure))


def case_get_for_user(*, case_id: int | str, user: Any) -> Case:
    """The case, if ``user`` may see it; NotFound otherwise (existence is not revealed)."""
    _deny_admins(user)
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case = (
        Case.objects.filter(_visibility(user), pk=pk)
        .exclude(access.recused_cases(user))
        .select_related("handling_organ")
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def case_roles_for_user(*, case: Case, user: Any) -> frozenset[str]:
    return access.case_roles(case=case, user=user)


def allowed_actions(*, case: Case, user: Any) -> tuple[wf.Transition, ...]:
    """The workflow actions ``user`` may take on ``case`` now (guards are checked on submit)."""
    roles = set(access.case_roles(case=case, user=user))
    own = wf.allowed_actions(case.state, roles) if roles else ()
    commission = access.user_commission(user)
    city = getattr(user, "role", None) == Role.CITY_OFFICER
    if not (city and commission is not None and access.is_above(commission, case.handling_organ)):
        return own
    # The commission above may take the case over (Art 11) and reviews the appeals addressed
    # to it (Art 16).
    extra = {wf.Action.CASE_TAKE_OVER}
    if Appeal.objects.filter(
        decision__party__case=case, reviewing_organ=commission, status=Appeal.Status.PENDING
    ).exists():
        extra.add(wf.Action.APPEAL_REVIEW_RECORD)
    above = [t for t in wf.allowed_actions(case.state, {Role.CITY_OFFICER}) if t.action in extra]
    return tuple(dict.fromkeys([*own, *above]))


#: CASES_INFORMANT_SCOPE: who of the informant viewer roles (accounts.permissions
#: INFORMANT_VIEWERS) sees a case's informant. The regulation says only that the informant is
#: confidential (DOMAIN.md: "only named roles may see who reported"), so the reach is a setting:
#: "office": every case officer and the office head of the commission handling the case;
#: "assigned": the case officer who registered the clue, case officers on the case's team,
#: and the office head.
INFORMANT_SCOPES = ("office", "assigned")
DEFAULT_INFORMANT_SCOPE = "office"
# The sentence names the roles of accounts.permissions INFORMANT_VIEWERS, as the setting reads.
INFORMANT_SCOPE_NOTES = {
    "office": _("按设置，仅办理机关的{roles}可查看举报人信息。"),
    "assigned": _(
        "按设置，仅登记该线索的{officers}、参加本案调查组的{officers}和{heads}可查看举报人信息。"
    ),
    "assigned_no_head": _(
        "按设置，仅登记该线索的{officers}和参加本案调查组的{officers}可查看举报人信息。"
    ),
}


def informant_scope() -> str:
    scope = str(getattr(settings, "CASES_INFORMANT_SCOPE", DEFAULT_INFORMANT_SCOPE))
    if scope not in INFORMANT_SCOPES:
        raise ImproperlyConfigured(
            f"CASES_INFORMANT_SCOPE must be one of {', '.join(INFORMANT_SCOPES)}, not {scope!r}"
        )
    return scope


def informant_scope_note() -> str:
    """The sentence a page shows where the informant is hidden: who may see it, as the setting
    (CASES_INFORMANT_SCOPE) and the viewer roles (INFORMANT_VIEWERS) say."""
    viewers: list[Role] = [role for role in Role if role in wf.INFORMANT_VIEWER_ROLES]
    # "assigned": the office head sees every case's informant, the others only their own cases.
    heads: list[Role] = [r for r in viewers if r == Role.OFFICE_HEAD]
    officers: list[Role] = [r for r in viewers if r != Role.OFFICE_HEAD]

    def names(roles: list[Role]) -> str:
        labels = [str(r.label) for r in roles]
        if len(labels) < 2:
            return join_list(labels)
        return gettext("{items}和{last}").format(items=join_list(labels[:-1]), last=labels[-1])

    if informant_scope() == "office" or not officers:
        return str(INFORMANT_SCOPE_NOTES["office"]).format(roles=names(viewers))
    if not heads:
        return str(INFORMANT_SCOPE_NOTES["assigned_no_head"]).format(officers=names(officers))
    return str(INFORMANT_SCOPE_NOTES["assigned"]).format(
        officers=names(officers), heads=names(heads)
    )


def can_view_informant(*, case: Case, user: Any) -> bool:
    roles = access.case_roles(case=case, user=user)
    if not roles & wf.INFORMANT_VIEWER_ROLES:
        return False
    if informant_scope() == "office" or Role.OFFICE_HEAD in roles:
        return True
    return case.registered_by_id == user.pk or access.on_team(case=case, user=user)


@dataclass(frozen=True)
class Informant:
    name: str
    contact: str
    # Why the identity cannot be shown (a missing or wrong key), in place of the values.
    error: str = ""


def case_informant_for_user(*, case: Case, user: Any, request: Any = None) -> Informant:
    """The informant's identity, for the roles named for it; every view is audited."""
    _deny_admins(user)
    if not can_view_informant(case=case, user=user):
        raise PermissionDenied(MSG_INFORMANT_HIDDEN, code="confidential")
    try:
        informant = Informant(
            name=decrypt_text(case.informant_name_enc),
            contact=decrypt_text(case.informant_contact_enc),
        )
    except DecryptionError as error:
        informant = Informant(name="", contact="", error=error.message)
    audit_log(
        actor=user,
        action="view_confidential",
        target=case,
        changes={"case": case.number, "fields": ["informant_name", "informant_contact"]},
        request=request,
        outcome="failure" if informant.error else "success",
        detail=informant.error,
    )
    return informant


def case_timeline(*, case: Case) -> QuerySet[TransitionLog]:
    """The case's log, oldest first (the caller got ``case`` through case_get_for_user)."""
    return case.log.select_related("actor", "party__person").order_by("at", "id")


# ---------------------------------------------------------------------------------------------
# Decisions: finality, status, restrictions


@dataclass(frozen=True)
class DecisionStatus:
    code: str  # awaiting_issue | awaiting_delivery | appeal_period | appealing | final | revoked
    label: str
    until: date | None = None


def decision_status(*, decision: Decision, today: date | None = None) -> DecisionStatus:
    today = today or timezone.localdate()
    if decision.outcome == Outcome.REVOKED:
        return DecisionStatus("revoked", gettext("已撤销"))
    if decision_is_final(decision=decision, today=today):
        return DecisionStatus("final", gettext("已生效"), decision_final_on(decision=decision))
    if decision.appeals.filter(status=Appeal.Status.PENDING).exists():
        return DecisionStatus("appealing", gettext("申诉复查中"))
    if decision.issued_on is None:
        return DecisionStatus("awaiting_issue", gettext("待印发决定文书"))
    if decision.appeal_deadline is None:
        return DecisionStatus("awaiting_delivery", gettext("待送达本人"))
    return DecisionStatus(
        "appeal_period",
        gettext("申诉期内（至{date}）").format(date=decision.appeal_deadline.isoformat()),
        decision.appeal_deadline,
    )


def decision_restrictions(*, decision: Decision) -> list[dict[str, Any]]:
    """Art 17 restrictions of the current version (from its stored assessment)."""
    version = decision.current_version
    if version is None or version.outcome != Outcome.PURSUE:
        return []
    return list(version.assessment.get("restrictions") or [])


def decision_list_for_user(*, user: Any) -> QuerySet[Decision]:
    """Decisions ``user`` may see: their own once issued, and those of the cases they see."""
    _deny_admins(user)
    qs = Decision.objects.select_related("party__person", "party__case", "current_version")
    own = Q(party__person__account=user, issued_on__isnull=False)
    if getattr(user, "role", None) == Role.SUBJECT:
        return qs.filter(own).order_by("-decided_on")
    return qs.filter(own | Q(party__case__in=case_list_for_user(user=user))).order_by("-decided_on")


def decision_get_for_user(*, decision_id: int | str, user: Any) -> Decision:
    try:
        pk = int(decision_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    decision = decision_list_for_user(user=user).filter(pk=pk).first()
    if decision is None:
        raise NotFound()
    return decision


def rectification_list_overdue(*, user: Any, today: date | None = None) -> QuerySet[Rectification]:
    """Open rectifications past their deadline in the cases ``user`` may see."""
    today = today or timezone.localdate()
    return (
        Rectification.objects.filter(
            decision__party__case__in=case_list_for_user(user=user),
            completed_on__isnull=True,
            cancelled_on__isnull=True,
            deadline__lt=today,
        )
        .select_related("decision__party__person", "decision__party__case")
        .order_by("deadline")
    )


# ---------------------------------------------------------------------------------------------
# Helpers for the forms


def party_assessment(*, party: CaseParty, on: date | None = None) -> dict[str, Any]:
    """The rulebook's assessment of ``party``'s recorded facts as of ``on`` (default today)."""
    on = on or timezone.localdate()
    return case_facts.assess(case_facts.party_inputs(party, decided_on=on), name=party.person.name)


def recusal_reason_for(*, case: Case, user: Any = None, person: Person | None = None) -> str:
    return access.recusal_reason(case, user=user, person=person)


def team_candidates(*, case: Case) -> QuerySet[Any]:
    """Users of the handling commission's tree who may join the team (no recusal reason)."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(is_active=True, organisation_id__in=access.subtree_ids(case.handling_organ))
        .exclude(role__in=[str(r) for r in access.NON_TEAM_ROLES])
    )
    excluded = [u.pk for u in users if recusal_reason_for(case=case, user=u)]
    return users.exclude(pk__in=excluded).order_by("organisation__code", "username")


def committee_members(*, case: Case) -> QuerySet[Person]:
    """Members of the handling commission's leading group (领导班子), for the meeting form."""
    groups = Organisation.objects.filter(
        parent=case.handling_organ, kind=Organisation.Kind.LEADING_GROUP
    )
    return Person.objects.filter(unit__in=groups).order_by("id_number")


# ---------------------------------------------------------------------------------------------
# Work queue


@dataclass(frozen=True)
class WorkItem:
    """One thing in a user's work queue.

    ``action``: the workflow step the item leads to, when ``user`` may take it; None when the
    item is shown for information only (a deadline, or a step someone else takes).
    ``target``: the record the step is on (a decision, an appeal, a rectification), so that
    the page can link to it without a query.
    """

    kind: str
    label: str
    case: Case
    party: CaseParty | None = None
    due_on: date | None = None
    overdue: bool = False
    action: wf.Action | None = None
    target: Any = None

    @property
    def actionable(self) -> bool:
        return self.action is not None


@dataclass
class WorkQueue:
    approvals: list[WorkItem] = field(default_factory=list)
    teams: list[WorkItem] = field(default_factory=list)
    hearings: list[WorkItem] = field(default_factory=list)
    reports: list[WorkItem] = field(default_factory=list)
    meetings: list[WorkItem] = field(default_factory=list)
    issues: list[WorkItem] = field(default_factory=list)
    deliveries: list[WorkItem] = field(default_factory=list)
    archiving: list[WorkItem] = field(default_factory=list)
    deadlines: list[WorkItem] = field(default_factory=list)
    overdue_rectifications: list[WorkItem] = field(default_factory=list)
    appeals: list[WorkItem] = field(default_factory=list)
    closing: list[WorkItem] = field(default_factory=list)

    SECTIONS = (
        ("approvals", _("待审批线索")),
        ("teams", _("待成立调查组")),
        ("hearings", _("待听取陈述申辩")),
        ("reports", _("待提交调查报告")),
        ("meetings", _("待常委会研究决定")),
        ("issues", _("待印发决定文书")),
        ("deliveries", _("待送达")),
        ("archiving", _("待归档备案")),
        ("deadlines", _("7日内到期")),
        ("overdue_rectifications", _("整改逾期")),
        ("appeals", _("待复查申诉")),
        ("closing", _("可办结")),
    )

    def sections(self) -> list[tuple[str, str, list[WorkItem]]]:
        return [(key, str(label), getattr(self, key)) for key, label in self.SECTIONS]

    def actions(self) -> list[tuple[str, str, list[WorkItem]]]:
        """The sections with only the items the user may act on."""
        return [
            (k, label, [i for i in items if i.actionable]) for k, label, items in self.sections()
        ]

    def information(self) -> list[WorkItem]:
        """The items shown for information only (no step for this user)."""
        return [i for _, _, items in self.sections() for i in items if not i.actionable]

    @property
    def total(self) -> int:
        """How many items wait for the user's action."""
        return sum(len(items) for _, _, items in self.actions())


def allowed_actions_many(*, cases: list[Case], user: Any) -> dict[int, set[wf.Action]]:
    """``allowed_actions`` for many visible cases in a bounded number of queries."""
    roles = access.case_roles_many(cases=cases, user=user)
    result = {
        case.pk: {t.action for t in wf.allowed_actions(case.state, roles[case.pk])}
        if roles[case.pk]
        else set()
        for case in cases
    }
    commission = access.user_commission(user)
    if getattr(user, "role", None) != Role.CITY_OFFICER or commission is None:
        return result
    below = access.subtree_ids(commission) - {commission.pk}
    reviewing = set(
        Appeal.objects.filter(
            decision__party__case_id__in=[case.pk for case in cases],
            reviewing_organ=commission,
            status=Appeal.Status.PENDING,
        ).values_list("decision__party__case_id", flat=True)
    )
    for case in cases:
        if case.handling_organ_id not in below:
            continue
        extra = {wf.Action.CASE_TAKE_OVER}
        if case.pk in reviewing:
            extra.add(wf.Action.APPEAL_REVIEW_RECORD)
        above = wf.allowed_actions(case.state, {Role.CITY_OFFICER})
        result[case.pk] |= {t.action for t in above if t.action in extra}
    return result


def _queue_cases(user: Any) -> list[Case]:
    """The open cases of the queue, with what the queue reads prefetched (bounded queries)."""
    parties = CaseParty.objects.select_related(
        "person", "decision", "decision__current_version"
    ).annotate(
        # A withdrawn hearing no longer counts for 13(2); nor does a withdrawn delivery.
        heard=Exists(Hearing.objects.filter(party=OuterRef("pk"), withdrawn_at__isnull=True))
    )
    return list(
        case_list_for_user(user=user)
        .exclude(state__in=wf.TERMINAL_STATES)
        .select_related("archive", "city_filing")
        .prefetch_related(
            Prefetch("parties", queryset=parties),
            Prefetch(
                "parties__decision__deliveries",
                queryset=Delivery.objects.filter(withdrawn_at__isnull=True),
            ),
            "parties__decision__appeals",
            "parties__decision__rectifications",
            "meetings",
        )
    )


def _decisions(case: Case) -> list[tuple[CaseParty, Decision]]:
    """The case's decisions with their party, from the prefetched parties."""
    rows = []
    for party in case.parties.all():
        try:
            decision = party.decision
        except ObjectDoesNotExist:
            continue
        rows.append((party, decision))
    return rows


def _open_rectifications(decision: Decision) -> list[Rectification]:
    return [
        row
        for row in decision.rectifications.all()
        if row.completed_on is None and row.cancelled_on is None
    ]


def work_queue_for_user(*, user: Any, today: date | None = None) -> WorkQueue:
    """What waits for ``user``: the steps their roles on each case allow, as actions; the
    deadlines and the steps others take on the cases they handle, as information.

    The number of queries does not grow with the number of cases (everything is prefetched).
    """
    queue = WorkQueue()
    if access.is_administrator(user) or getattr(user, "role", None) == Role.SUBJECT:
        return queue
    today = today or timezone.localdate()
    horizon = today + timedelta(days=DEADLINE_WINDOW_DAYS)
    cases = _queue_cases(user)
    allowed = allowed_actions_many(cases=cases, user=user)
    roles = access.case_roles_many(cases=cases, user=user)
    commission = access.user_commission(user)
    A = wf.Action
    for case in cases:
        possible = allowed[case.pk]

        def may(action: wf.Action, possible: set[wf.Action] = possible) -> wf.Action | None:
            return action if action in possible else None

        decisions = _decisions(case)
        if A.CLUE_APPROVE in possible:
            queue.approvals.append(
                WorkItem(
                    "approval",
                    gettext("审批问题线索"),
                    case,
                    due_on=case.received_on,
                    action=A.CLUE_APPROVE,
                )
            )
        if A.TEAM_FORM in possible:
            queue.teams.append(WorkItem("team", gettext("成立调查组"), case, action=A.TEAM_FORM))
        if A.HEARING_RECORD in possible:
            for party in case.parties.all():
                if getattr(party, "heard", False):
                    continue
                queue.hearings.append(
                    WorkItem(
                        "hearing",
                        gettext("听取{name}的陈述和申辩").format(name=party.person.name),
                        case,
                        party,
                        action=A.HEARING_RECORD,
                    )
                )
        if A.REPORT_SUBMIT in possible:
            queue.reports.append(
                WorkItem("report", gettext("提交调查报告"), case, action=A.REPORT_SUBMIT)
            )
        if A.DECISION_RECORD in possible:
            queue.meetings.append(
                WorkItem("meeting", gettext("记录常委会会议和决定"), case, action=A.DECISION_RECORD)
            )
        if A.DECISION_ISSUE in possible:
            for party, decision in decisions:
                if decision.issued_on is not None:
                    continue
                queue.issues.append(
                    WorkItem(
                        "issue",
                        gettext("印发{name}的决定文书").format(name=party.person.name),
                        case,
                        party,
                        action=A.DECISION_ISSUE,
                        target=decision,
                    )
                )
        if A.DELIVERY_RECORD in possible:
            for party, decision in decisions:
                done = {d.recipient for d in decision.deliveries.all()}
                name = party.person.name
                for recipient in Delivery.Recipient:
                    if recipient in done:
                        continue
                    label = (
                        gettext("向{name}的{recipient}送达决定").format(
                            name=name, recipient=recipient.label
                        )
                        if recipient == Delivery.Recipient.UNIT
                        else gettext("向{name}本人送达决定").format(name=name)
                    )
                    queue.deliveries.append(
                        WorkItem(
                            "delivery",
                            label,
                            case,
                            party,
                            action=A.DELIVERY_RECORD,
                            target=decision,
                        )
                    )
        if A.ARCHIVE_RECORD in possible and not hasattr_safe(case, "archive"):
            queue.archiving.append(
                WorkItem("archive", gettext("归入干部个人档案"), case, action=A.ARCHIVE_RECORD)
            )
        if A.CITY_FILING_RECORD in possible and not hasattr_safe(case, "city_filing"):
            queue.archiving.append(
                WorkItem("filing", gettext("报市纪委备案"), case, action=A.CITY_FILING_RECORD)
            )
        if A.CASE_CLOSE in possible and _closable_from(decisions, today):
            queue.closing.append(WorkItem("close", gettext("办结"), case, action=A.CASE_CLOSE))
        if not roles[case.pk] - {str(Role.TEAM_MEMBER)}:
            continue
        # Deadlines on the cases the user's commission handles: information, and for those
        # who record the rectification, the step.
        for party, decision in decisions:
            if (
                decision.appeal_deadline is not None
                and today <= decision.appeal_deadline <= horizon
                and not decision_is_final(decision=decision, today=today)
            ):
                queue.deadlines.append(
                    WorkItem(
                        "appeal_deadline",
                        gettext("{name}的申诉期限届满").format(name=party.person.name),
                        case,
                        party,
                        due_on=decision.appeal_deadline,
                        target=decision,
                    )
                )
            for row in _open_rectifications(decision):
                name = party.person.name
                if row.deadline < today:
                    queue.overdue_rectifications.append(
                        WorkItem(
                            "rectification_overdue",
                            gettext("{name}的整改已逾期").format(name=name),
                            case,
                            party,
                            due_on=row.deadline,
                            overdue=True,
                            action=may(A.RECTIFICATION_COMPLETE),
                            target=row,
                        )
                    )
                elif row.deadline <= horizon:
                    queue.deadlines.append(
                        WorkItem(
                            "rectification_deadline",
                            gettext("{name}的整改期限届满").format(name=name),
                            case,
                            party,
                            due_on=row.deadline,
                            action=may(A.RECTIFICATION_COMPLETE),
                            target=row,
                        )
                    )
    # Appeals waiting for the user's commission, wherever the case is handled.
    if commission is not None and getattr(user, "role", None) in {
        Role.COMMITTEE_SECRETARY,
        Role.OFFICE_HEAD,
        Role.CITY_OFFICER,
    }:
        appeals = list(
            Appeal.objects.filter(
                reviewing_organ=commission, status=Appeal.Status.PENDING
            ).select_related("decision__party__person", "decision__party__case")
        )
        # Recusal (回避) applies here too: the cases the user stands aside from are left out.
        recused = set(
            Case.objects.filter(
                access.recused_cases(user),
                pk__in=[a.decision.party.case_id for a in appeals],
            ).values_list("pk", flat=True)
        )
        appeal_cases = list(
            {a.decision.party.case.pk: a.decision.party.case for a in appeals}.values()
        )
        reviewable = allowed_actions_many(cases=appeal_cases, user=user)
        for appeal in appeals:
            party = appeal.decision.party
            if party.case_id in recused:
                continue
            queue.appeals.append(
                WorkItem(
                    "appeal",
                    gettext("复查{name}的申诉").format(name=party.person.name),
                    party.case,
                    party,
                    due_on=appeal.received_on,
                    action=A.APPEAL_REVIEW_RECORD
                    if A.APPEAL_REVIEW_RECORD in reviewable[party.case_id]
                    else None,
                    target=appeal,
                )
            )
    queue.deadlines.sort(key=lambda item: item.due_on or today)
    return queue


def hasattr_safe(case: Case, name: str) -> bool:
    """Whether a one-to-one record (archive, city_filing) exists."""
    try:
        getattr(case, name)
    except ObjectDoesNotExist:
        return False
    return True


def _closable_from(decisions: list[tuple[CaseParty, Decision]], today: date) -> bool:
    for _party, decision in decisions:
        if decision.outcome == Outcome.REVOKED:
            continue
        if not decision_is_final(decision=decision, today=today):
            return False
        if _open_rectifications(decision):
            return False
    return True


__all__ = [
    "CaseFilters",
    "DecisionStatus",
    "Informant",
    "WorkItem",
    "WorkQueue",
    "allowed_actions",
    "allowed_actions_many",
    "can_view_informant",
    "case_get_for_user",
    "case_informant_for_user",
    "case_list_for_user",
    "case_roles_for_user",
    "case_timeline",
    "committee_members",
    "decision_final_on",
    "decision_get_for_user",
    "decision_is_final",
    "decision_list_for_user",
    "decision_restrictions",
    "decision_status",
    "party_assessment",
    "rectification_list_overdue",
    "recusal_reason_for",
    "team_candidates",
    "work_queue_for_user",
]
