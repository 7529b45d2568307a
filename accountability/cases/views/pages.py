"""The case pages: the work queue, the case list, clue registration and the case page.

Views are thin: they fetch through the selectors (permission inside the fetch), validate with
a form, call one service and render or redirect. The action pages are in views_actions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accountability.audit.models import AuditEntry
from accountability.audit.services import audit_log
from accountability.cases import access, files, forms, selectors, services
from accountability.cases import workflow as wf
from accountability.cases.models import Appeal, Attachment, Case, CaseParty, Decision, Delivery
from accountability.cases.views_common import (
    DECISION_TONES,
    as_http,
    assessment_view,
    get_case,
    state_tone,
    url_or_empty,
)
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.documents import selectors as document_selectors
from accountability.documents.context import CRIMINAL
from accountability.documents.kinds import DocumentKind
from accountability.documents.pdf import pdf_available
from accountability.documents.roles import issuer_roles

A = wf.Action
PAGE_SIZE = 20

MSG_ADMIN_NO_CASES = selectors.MSG_ADMIN_NO_CASES
MSG_SUBJECT_NO_CASES = gettext_lazy("被追究责任者只能查看本人的决定，不能查看案件材料。")
MSG_CLUE_ROLE = services.MSG_REGISTER_ROLE
MSG_CLUE_SAVED = gettext_lazy("问题线索已登记，编号 {number}。")


def _deny_outsiders(user: Any) -> None:
    """Administrators (三员分立) and the person held accountable do not open case files."""
    if access.is_administrator(user):
        raise HttpPermissionDenied(MSG_ADMIN_NO_CASES)
    if getattr(user, "role", None) == wf.Role.SUBJECT:
        raise HttpPermissionDenied(MSG_SUBJECT_NO_CASES)


# ---------------------------------------------------------------------------------------------
# Home and work queue

ADMIN_HOME = {
    wf.Role.SYSTEM_ADMIN: ("accounts:list",),
    wf.Role.SECURITY_ADMIN: ("accounts:security", "accounts:list"),
    wf.Role.AUDIT_ADMIN: ("audit:list", "audit:log", "audit:entry_list", "audit:index"),
}


def home(request: HttpRequest) -> HttpResponse:
    """The site root: the work queue for case workers, the admin pages for administrators."""
    user = request.user
    if not user.is_authenticated:
        return redirect(url_or_empty("assessment:assess") or reverse("accounts:login"))
    for name in ADMIN_HOME.get(getattr(user, "role", ""), ()):
        url = url_or_empty(name)
        if url:
            return redirect(url)
    if access.is_administrator(user):
        return redirect(url_or_empty("assessment:regulation") or "/")
    return redirect("cases:queue")


@dataclass(frozen=True)
class QueueRow:
    label: str
    case: Case
    due_on: Any
    overdue: bool
    url: str
    state_tone: str


def _queue_url(item: selectors.WorkItem) -> str:
    pk = item.case.pk
    detail = reverse("cases:detail", args=[pk])
    party = item.party
    decision = None
    if party is not None:
        try:
            decision = party.decision
        except ObjectDoesNotExist:
            decision = None
    simple = {
        "approval": "cases:clue_approve",
        "team": "cases:team_form",
        "report": "cases:report_submit",
        "archive": "cases:archive_record",
        "filing": "cases:city_filing",
        "close": "cases:case_close",
    }
    if item.kind in simple:
        return reverse(simple[item.kind], args=[pk])
    if item.kind == "hearing" and party is not None:
        return reverse("cases:hearing_record", args=[pk, party.pk])
    if item.kind == "meeting":
        if not item.case.meetings.exists():
            return reverse("cases:meeting_record", args=[pk])
        return f"{detail}#parties"
    if item.kind == "issue" and decision is not None:
        return reverse("cases:decision_issue", args=[pk, decision.pk])
    if item.kind == "delivery" and decision is not None:
        return reverse("cases:delivery_record", args=[pk, decision.pk])
    if item.kind == "appeal" and decision is not None:
        pending = decision.appeals.filter(status=Appeal.Status.PENDING).first()
        if pending is not None:
            return reverse("cases:appeal_review", args=[pk, pending.pk])
    if item.kind == "rectification_overdue" and decision is not None:
        open_row = decision.rectifications.filter(
            completed_on__isnull=True, cancelled_on__isnull=True
        ).first()
        if open_row is not None:
            return reverse("cases:rectification_complete", args=[pk, open_row.pk])
    anchor = "parties" if party is not None else ""
    return f"{detail}#{anchor}" if anchor else detail


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for me: approvals, hearings, deliveries, deadlines within 7 days, overdue."""
    user = request.user
    if access.is_administrator(user):
        raise HttpPermissionDenied(MSG_ADMIN_NO_CASES)
    today = timezone.localdate()
    if getattr(user, "role", None) == wf.Role.SUBJECT:
        return _subject_page(request, today)
    work = selectors.work_queue_for_user(user=user, today=today)
    sections = []
    for key, label, items in work.sections():
        rows = [
            QueueRow(
                label=item.label,
                case=item.case,
                due_on=item.due_on,
                overdue=item.overdue
                or bool(item.due_on and item.due_on < today and key != "approvals"),
                url=_queue_url(item),
                state_tone=state_tone(item.case.state),
            )
            for item in items
        ]
        sections.append({"key": key, "label": label, "rows": rows})
    overdue = len(work.overdue_rectifications)
    context = {
        "sections": [s for s in sections if s["rows"]],
        "total": work.total,
        "tiles": [
            {"label": _("待办事项"), "value": work.total},
            {"label": _("待审批线索"), "value": len(work.approvals)},
            {"label": _("7日内到期"), "value": len(work.deadlines)},
            {"label": _("逾期"), "value": overdue, "alert": overdue > 0},
        ],
        "today": today,
        "can_register": getattr(user, "role", None) in wf.CLUE_REGISTER_ROLES,
    }
    return render(request, "cases/queue.html", context)


def _subject_page(request: HttpRequest, today: Any) -> HttpResponse:
    """The person held accountable sees their own decisions, deadlines and restrictions."""
    rows = []
    for decision in selectors.decision_list_for_user(user=request.user):
        status = selectors.decision_status(decision=decision, today=today)
        rows.append(
            {
                "decision": decision,
                "status": status,
                "tone": DECISION_TONES.get(status.code, "neutral"),
                "restrictions": selectors.decision_restrictions(decision=decision),
                "rectifications": list(decision.rectifications.all()),
                "appeals": list(decision.appeals.all()),
                "documents": _subject_documents(decision),
            }
        )
    return render(request, "cases/my_decisions.html", {"rows": rows, "today": today})


def _subject_documents(decision: Decision) -> list[dict[str, str]]:
    """The papers of a decision its subject may download (the documents app decides which)."""
    try:
        from accountability.documents.selectors import SUBJECT_KINDS
    except ImportError:
        return []
    result = []
    for document in (
        decision.documents.filter(kind__in=SUBJECT_KINDS).select_related("pdf").order_by("id")
    ):
        if document.recipient not in ("", "person"):
            continue
        fmt = "pdf" if document.pdf_ready else "docx"
        url = url_or_empty("documents:download", document.pk, fmt)
        if url:
            result.append({"title": str(document), "url": url})
    return result


# ---------------------------------------------------------------------------------------------
# Case list


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _deny_outsiders(request.user)
    form = forms.CaseFilterForm(request.GET or None)
    cases = selectors.case_list_for_user(user=request.user, filters=form.filters())
    paginator = Paginator(cases.prefetch_related("parties__person"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "case": case,
            "tone": state_tone(case.state),
            "people": [p.person.name for p in case.parties.all()],
        }
        for case in page.object_list
    ]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "count": paginator.count,
        "filtered": bool(form.filters()),
        "can_register": getattr(request.user, "role", None) in wf.CLUE_REGISTER_ROLES,
    }
    return render(request, "cases/case_list.html", context)


# ---------------------------------------------------------------------------------------------
# Clue registration


@login_required
@require_http_methods(["GET", "POST"])
def clue_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "role", None) not in wf.CLUE_REGISTER_ROLES:
        raise HttpPermissionDenied(MSG_CLUE_ROLE)
    form = forms.ClueForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.clue_register(
                actor=user,
                source=data["source"],
                summary=data["summary"],
                received_on=data["received_on"],
                handling_opinion=data["handling_opinion"],
                informant_name=data["informant_name"],
                informant_contact=data["informant_contact"],
                persons=list(data["persons"]),
                request=request,
            )
        except PermissionDenied as error:
            raise as_http(error) from error
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, MSG_CLUE_SAVED.format(number=case.number))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/clue_form.html", {"form": form})


# ---------------------------------------------------------------------------------------------
# The case page


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
        style = "primary" if not hearings else "secondary"
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
    delivered = {d.recipient for d in deliveries}
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
        "document": decision.documents.filter(kind=DocumentKind.DECISION)
        .select_related("pdf__job")
        .order_by("-version", "-id")
        .first(),
        "pdf_available": pdf_available(),
        # The documents app's PDF status: who may ask for it again, and where to come back.
        "can_retry_pdf": bool(
            access.case_roles(case=case, user=user) & issuer_roles(DocumentKind.DECISION)
        ),
        "next": f"{reverse('cases:detail', args=[pk])}#decision-{decision.pk}",
    }


def _documents(case: Case, user: Any, has_attachments: bool) -> dict[str, Any]:
    """The case's issued documents (every version), the other papers the user may issue on
    the documents page, and the dossier package when there is something to package."""
    rows = document_selectors.document_list_for_case(case=case)
    superseded = {d.supersedes_id for d in rows if d.supersedes_id}
    roles = access.case_roles(case=case, user=user)
    others = [
        option.title
        for option in document_selectors.issue_options(case=case, user=user)
        if option.kind != DocumentKind.DECISION
        and option.ready
        and option.allowed
        and option.issued is None
    ]
    can_export = bool(rows or has_attachments) and document_selectors.can_export_dossier(
        case=case, user=user
    )
    return {
        "rows": [
            {
                "document": d,
                "superseded": d.pk in superseded,
                "can_retry": bool(roles & issuer_roles(d.kind)),
            }
            for d in rows
        ],
        "others": others,
        "can_export": can_export,
        "transfer": can_export and case.parties.filter(severity=CRIMINAL).exists(),
        "pdf_available": pdf_available(),
        "url": reverse("documents:case_documents", args=[case.pk]),
        "next": f"{reverse('cases:detail', args=[case.pk])}#documents",
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
        "evidence": list(case.evidence.select_related("party__person", "attachment").all()),
        "attachments": attachments,
        "reports": reports,
        "meetings": meetings,
        "archive": _one_to_one(case, "archive"),
        "city_filing": _one_to_one(case, "city_filing"),
        "timeline": timeline,
        "progress": _progress(case),
        "documents": _documents(case, user, bool(attachments)),
        "documents_url": reverse("documents:case_documents", args=[case.pk]),
        "can_view_informant": case.has_informant
        and selectors.can_view_informant(case=case, user=user),
        "informant_scope_note": selectors.informant_scope_note(),
        "today": today,
        "is_terminal": case.state in wf.TERMINAL_STATES,
    }
    # GB/T 22239 level 3 audits reads of sensitive records: one entry per view, no content.
    audit_log(actor=user, action="view", target=case, request=request)
    return render(request, "cases/case_detail.html", context)


@login_required
def informant(request: HttpRequest, pk: int) -> HttpResponse:
    """The informant's identity, for the roles named for it; the selector audits the view."""
    case = get_case(request, pk)
    try:
        person = selectors.case_informant_for_user(case=case, user=request.user, request=request)
    except (NotFound, PermissionDenied) as error:
        if isinstance(error, PermissionDenied):
            error = PermissionDenied(
                f"{error.message}{selectors.informant_scope_note()}", code=error.code
            )
        raise as_http(error) from error
    return render(request, "cases/informant.html", {"case": case, "informant": person})


@login_required
def attachment_download(request: HttpRequest, pk: int, obj: int) -> HttpResponse:
    """A file of a case the user may see, checked against its hashes; every download (and
    every refusal of an altered or missing file) is audited."""
    case = get_case(request, pk)
    attachment = Attachment.objects.filter(case=case, pk=obj).first()
    if attachment is None:
        raise Http404(NotFound().message)
    try:
        files.verify(attachment)
    except DomainError as error:
        audit_log(
            actor=request.user,
            action="download",
            target=attachment,
            changes={"case": case.number, "sha256": attachment.sha256, "code": error.code},
            request=request,
            outcome=AuditEntry.Outcome.FAILURE,
            detail=error.message,
        )
        raise
    audit_log(
        actor=request.user,
        action="download",
        target=attachment,
        changes={"case": case.number, "sha256": attachment.sha256},
        request=request,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name or f"{attachment.sha256}",
        content_type=attachment.content_type or "application/octet-stream",
    )
