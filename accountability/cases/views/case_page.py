"""The case page: the persons concerned with their facts, assessment and decision, the team,
the materials, the reports and meetings, the documents and the timeline; the actions the user
may take now (from the workflow table, through ``selectors.allowed_actions``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.audit.services import audit_log
from accountability.cases import access, extensions, selectors
from accountability.cases import workflow as wf
from accountability.cases.models import (
    Appeal,
    Case,
    CaseParty,
    Decision,
    Delivery,
    RecordCorrection,
)
from accountability.cases.views.common import (
    DECISION_TONES,
    assessment_view,
    get_case,
    state_tone,
)
from accountability.common.errors import DomainError

A = wf.Action


@dataclass(frozen=True)
class ActionLink:
    label: str
    url: str
    style: str = "secondary"  # primary | secondary | danger


CASE_LEVEL: tuple[tuple[wf.Action, str, str], ...] = (
    (A.CLUE_APPROVE, "cases:clue_approve", "primary"),
    (A.CLUE_REJECT, "cases:clue_reject", "danger"),
    (A.TEAM_FORM, "cases:team_form", "primary"),
    (A.REPORT_SUBMIT, "cases:report_submit", "primary"),
    (A.MEETING_RECORD, "cases:meeting_record", "primary"),
    (A.REPORT_RETURN, "cases:report_return", "secondary"),
    (A.ARCHIVE_RECORD, "cases:archive_record", "primary"),
    (A.CITY_FILING_RECORD, "cases:city_filing", "primary"),
    (A.CASE_CLOSE, "cases:case_close", "primary"),
    (A.PARTY_ADD, "cases:party_add", "secondary"),
    (A.TEAM_MEMBER_ADD, "cases:team_member_add", "secondary"),
    (A.EVIDENCE_ADD, "cases:evidence_add", "secondary"),
    (A.ATTACHMENT_ADD, "cases:attachment_add", "secondary"),
    (A.CONFLICT_DECLARE, "cases:conflict_declare", "secondary"),
    (A.CASE_TAKE_OVER, "cases:case_take_over", "secondary"),
)


def _label(action: wf.Action) -> str:
    return str(wf.transition_for(action).label)


def _one_to_one(case: Case, name: str) -> Any:
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def _party_block(
    party: CaseParty, allowed: set[wf.Action], case: Case, user: Any, today: Any
) -> dict[str, Any]:
    pk = case.pk
    hearings = list(party.hearings.all())
    finding = party.findings.select_related("report").order_by("-report__number").first()
    decision: Decision | None
    try:
        decision = party.decision
    except ObjectDoesNotExist:
        decision = None
    actions: list[ActionLink] = []
    if A.PARTY_FACTS_UPDATE in allowed:
        actions.append(
            ActionLink(_("认定责任事实"), reverse("cases:party_facts", args=[pk, party.pk]))
        )
    if A.HEARING_RECORD in allowed:
        style = "primary" if not [h for h in hearings if h.withdrawn_at is None] else "secondary"
        actions.append(
            ActionLink(
                _("记录陈述和申辩"), reverse("cases:hearing_record", args=[pk, party.pk]), style
            )
        )
    if A.HEARING_REFUSAL_RECORD in allowed:
        actions.append(
            ActionLink(_("记录拒绝陈述申辩"), reverse("cases:hearing_refusal", args=[pk, party.pk]))
        )
    if A.DECISION_RECORD in allowed and decision is None and case.meetings.exists():
        actions.append(
            ActionLink(
                _("记录决定"), reverse("cases:decision_record", args=[pk, party.pk]), "primary"
            )
        )
    block: dict[str, Any] = {
        "party": party,
        "hearings": hearings,
        "finding": finding,
        "decision": None,
        "actions": actions,
        "evidence": list(party.evidence.all()),
    }
    if decision is not None:
        block["decision"] = _decision_block(decision, allowed, case, user, today, actions)
    # The assessment shown: the decision's (as made), else the report's, else today's facts.
    version = decision.current_version if decision is not None else None
    if version is not None and version.assessment:
        block["assessment"] = assessment_view(version.assessment, _("决定所依据的测算"))
    elif finding is not None:
        block["assessment"] = assessment_view(finding.assessment, _("调查报告所附测算"))
    elif party.facts_complete:
        try:
            result = selectors.party_assessment(party=party)
        except DomainError as error:
            block["assessment_error"] = error.message
            result = None
        block["assessment"] = assessment_view(result, _("按已认定事实测算"))
    return block


def _decision_block(
    decision: Decision,
    allowed: set[wf.Action],
    case: Case,
    user: Any,
    today: Any,
    actions: list[ActionLink],
) -> dict[str, Any]:
    pk = case.pk
    status = selectors.decision_status(decision=decision, today=today)
    deliveries = list(decision.deliveries.all())
    appeals = list(decision.appeals.select_related("reviewing_organ").all())
    rectifications = list(decision.rectifications.all())
    name = decision.party.person.name
    if A.DECISION_ISSUE in allowed and decision.issued_on is None:
        actions.append(
            ActionLink(
                _("印发决定文书"),
                reverse("cases:decision_issue", args=[pk, decision.pk]),
                "primary",
            )
        )
    delivered = {d.recipient for d in deliveries if d.withdrawn_at is None}
    if (
        A.DELIVERY_RECORD in allowed
        and decision.issued_on is not None
        and delivered != set(Delivery.Recipient.values)
    ):
        actions.append(
            ActionLink(
                _("记录送达"), reverse("cases:delivery_record", args=[pk, decision.pk]), "primary"
            )
        )
    if (
        A.APPEAL_REGISTER in allowed
        and decision.outcome == "追究"
        and decision.appeal_deadline is not None
        and not any(a.status in (Appeal.Status.PENDING, Appeal.Status.REVIEWED) for a in appeals)
    ):
        actions.append(
            ActionLink(_("登记申诉"), reverse("cases:appeal_register", args=[pk, decision.pk]))
        )
    commission = access.user_commission(user)
    for appeal in appeals:
        if (
            A.APPEAL_REVIEW_RECORD in allowed
            and appeal.status == Appeal.Status.PENDING
            and commission is not None
            and appeal.reviewing_organ_id == commission.pk
        ):
            actions.append(
                ActionLink(
                    _("记录申诉复查结果"),
                    reverse("cases:appeal_review", args=[pk, appeal.pk]),
                    "primary",
                )
            )
    rect_rows = []
    for row in rectifications:
        if A.RECTIFICATION_COMPLETE in allowed and row.is_open:
            actions.append(
                ActionLink(
                    _("记录整改完成"),
                    reverse("cases:rectification_complete", args=[pk, row.pk]),
                )
            )
        rect_rows.append({"row": row, "overdue": row.is_overdue(today)})
    return {
        "decision": decision,
        "name": name,
        "status": status,
        "tone": DECISION_TONES.get(status.code, "neutral"),
        "versions": list(decision.versions.select_related("created_by").order_by("number")),
        "deliveries": deliveries,
        "appeals": appeals,
        "rectifications": rect_rows,
        "restrictions": selectors.decision_restrictions(decision=decision),
        "final_on": selectors.decision_final_on(decision=decision),
        "next": f"{reverse('cases:detail', args=[pk])}#decision-{decision.pk}",
        # The documents app's: the decision's document and its PDF status.
        **extensions.decision_panels(decision=decision, case=case, user=user),
    }


MAIN_PATH: tuple[wf.State, ...] = (
    wf.State.CLUE_REGISTERED,
    wf.State.ACCEPTED,
    wf.State.INVESTIGATING,
    wf.State.REPORTED,
    wf.State.DECIDED,
    wf.State.ISSUED,
    wf.State.DELIVERED,
    wf.State.FILED,
    wf.State.CLOSED,
)


def _progress(case: Case) -> list[dict[str, Any]]:
    """The steps of Art 13 with the case's position (a rejected clue stops after the first)."""
    if case.state == wf.State.REJECTED:
        path: tuple[wf.State, ...] = (wf.State.CLUE_REGISTERED, wf.State.REJECTED)
    else:
        path = MAIN_PATH
    current = path.index(wf.State(case.state))
    return [
        {
            "label": state.label,
            "status": "done" if i < current else ("current" if i == current else "todo"),
        }
        for i, state in enumerate(path)
    ]


def _timeline(case: Case) -> list[dict[str, Any]]:
    """The transition log, oldest first, with the days each state lasted (time in step)."""
    rows: list[dict[str, Any]] = []
    since = None
    for entry in selectors.case_timeline(case=case):
        days = None
        if entry.changed_state:
            if since is not None:
                days = (entry.at - since).days
            since = entry.at
        rows.append({"entry": entry, "tone": state_tone(entry.to_state), "days": days})
    return rows


# The records that may be corrected or withdrawn: (record type, author field, the actions, the
# pages of 更正 and 撤回).
CORRECTABLE: dict[str, tuple[str, wf.Action, wf.Action, str, str]] = {
    RecordCorrection.Record.HEARING: (
        "recorded_by_id",
        A.INVESTIGATION_RECORD_CORRECT,
        A.INVESTIGATION_RECORD_WITHDRAW,
        "cases:hearing_correct",
        "cases:hearing_withdraw",
    ),
    RecordCorrection.Record.EVIDENCE: (
        "added_by_id",
        A.INVESTIGATION_RECORD_CORRECT,
        A.INVESTIGATION_RECORD_WITHDRAW,
        "cases:evidence_correct",
        "cases:evidence_withdraw",
    ),
    RecordCorrection.Record.DELIVERY: (
        "recorded_by_id",
        A.DELIVERY_CORRECT,
        A.DELIVERY_WITHDRAW,
        "cases:delivery_correct",
        "cases:delivery_withdraw",
    ),
}


def _field_label(row: Any, name: str) -> str:
    return str(row._meta.get_field(name).verbose_name)


def _field_value(row: Any, name: str, value: Any) -> Any:
    """A value as people read it (the label of a choice)."""
    choices = dict(row._meta.get_field(name).flatchoices)
    return choices.get(value, value) if choices else value


def _annotate_records(
    rows: list[Any],
    record_type: str,
    *,
    case: Case,
    user: Any,
    allowed: set[wf.Action],
    roles: frozenset[str],
    history: dict[tuple[str, int], list[RecordCorrection]],
) -> None:
    """Give each record its history (``row.history``) and the 更正/撤回 links the user may
    follow (``row.record_links``): the person who entered it or the office head."""
    author_field, correct, withdraw, correct_url, withdraw_url = CORRECTABLE[record_type]
    for row in rows:
        row.history = history.get((record_type, row.pk), [])
        for correction in row.history:
            correction.changes = [
                (
                    _field_label(row, name),
                    _field_value(row, name, correction.before.get(name)),
                    _field_value(row, name, value),
                )
                for name, value in correction.after.items()
            ]
        row.record_links = []
        may = getattr(row, author_field) == user.pk or str(wf.Role.OFFICE_HEAD) in roles
        if row.withdrawn_at is not None or not may:
            continue
        if correct in allowed:
            row.record_links.append(
                ActionLink(_("更正"), reverse(correct_url, args=[case.pk, row.pk]))
            )
        if withdraw in allowed:
            row.record_links.append(
                ActionLink(_("撤回"), reverse(withdraw_url, args=[case.pk, row.pk]), "danger")
            )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = get_case(request, pk)
    today = timezone.localdate()
    allowed = {t.action for t in selectors.allowed_actions(case=case, user=user)}
    roles = selectors.case_roles_for_user(case=case, user=user)
    parties = list(case.parties.select_related("person__unit", "person__managed_by").order_by("id"))
    blocks = [_party_block(p, allowed, case, user, today) for p in parties]
    actions: list[ActionLink] = []
    for action, url_name, style in CASE_LEVEL:
        if action not in allowed:
            continue
        if action == A.ARCHIVE_RECORD and _one_to_one(case, "archive") is not None:
            continue
        if action == A.CITY_FILING_RECORD and _one_to_one(case, "city_filing") is not None:
            continue
        if action == A.MEETING_RECORD and case.meetings.exists():
            style = "secondary"
        actions.append(ActionLink(_label(action), reverse(url_name, args=[case.pk]), style))
    history: dict[tuple[str, int], list[RecordCorrection]] = {}
    for correction in case.record_corrections.select_related("made_by").order_by("made_at", "id"):
        history.setdefault((correction.record_type, correction.record_id), []).append(correction)
    evidence = list(case.evidence.select_related("party__person", "attachment").all())
    annotate = {"case": case, "user": user, "allowed": allowed, "roles": roles, "history": history}
    _annotate_records(evidence, RecordCorrection.Record.EVIDENCE, **annotate)
    for block in blocks:
        _annotate_records(block["hearings"], RecordCorrection.Record.HEARING, **annotate)
        if block["decision"] is not None:
            deliveries = block["decision"]["deliveries"]
            _annotate_records(deliveries, RecordCorrection.Record.DELIVERY, **annotate)
    person_actions = [
        (block["party"].person.name, link) for block in blocks for link in block["actions"]
    ]
    timeline = _timeline(case)
    attachments = list(case.attachments.all())
    reports = list(
        case.reports.select_related("submitted_by")
        .prefetch_related("findings__party__person")
        .order_by("-number")
    )
    meetings = list(
        case.meetings.prefetch_related("members_present", "recusals__person").order_by("held_on")
    )
    context = {
        "case": case,
        "tone": state_tone(case.state),
        "roles": access.labels(roles),
        "actions": actions,
        "person_actions": person_actions,
        "blocks": blocks,
        "team": list(case.team.select_related("user", "office").all()),
        "conflicts": list(case.conflicts.select_related("user", "person").all()),
        "evidence": evidence,
        "attachments": attachments,
        "reports": reports,
        "meetings": meetings,
        "archive": _one_to_one(case, "archive"),
        "city_filing": _one_to_one(case, "city_filing"),
        "timeline": timeline,
        "progress": _progress(case),
        # The documents app's panel ("documents", "documents_url").
        **extensions.case_panels(case=case, user=user, has_attachments=bool(attachments)),
        "can_view_informant": case.has_informant
        and selectors.can_view_informant(case=case, user=user),
        "informant_scope_note": selectors.informant_scope_note(),
        "today": today,
        "is_terminal": case.state in wf.TERMINAL_STATES,
    }
    # GB/T 22239 level 3 audits reads of sensitive records: one entry per view, no content.
    audit_log(actor=user, action="view", target=case, request=request)
    return render(request, "cases/case_detail.html", context)
