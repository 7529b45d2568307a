"""The case pages: the work queue, the case list, clue registration, the informant and the
files of a case.

Views are thin: they fetch through the selectors (permission inside the fetch), validate with
a form, call one service and render or redirect. The case page is in case_page.py, the action
pages in actions/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accountability.audit.models import AuditEntry
from accountability.audit.services import audit_log
from accountability.cases import access, export, extensions, files, forms, selectors, services
from accountability.cases import workflow as wf
from accountability.cases.models import Attachment, Case
from accountability.cases.views.common import (
    DECISION_TONES,
    get_case,
    state_tone,
    url_or_empty,
)
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.common.i18n import source_language

A = wf.Action
PAGE_SIZE = 20

MSG_ADMIN_NO_CASES = selectors.MSG_ADMIN_NO_CASES
MSG_SUBJECT_NO_CASES = gettext_lazy("被追究责任者只能查看本人的决定，不能查看案件材料。")
MSG_CLUE_ROLE = services.MSG_REGISTER_ROLE
MSG_CLUE_SAVED = gettext_lazy("问题线索已登记，编号 {number}。")


def _deny_outsiders(user: Any) -> None:
    """Administrators (三员分立) and the person held accountable do not open case files."""
    if access.is_administrator(user):
        raise PermissionDenied(MSG_ADMIN_NO_CASES)
    if getattr(user, "role", None) == wf.Role.SUBJECT:
        raise PermissionDenied(MSG_SUBJECT_NO_CASES)


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
    section: str = ""


def _queue_url(item: selectors.WorkItem) -> str:
    """The page of the item's step ('' for an item shown for information only): no query."""
    if not item.actionable:
        return ""
    pk = item.case.pk
    detail = reverse("cases:detail", args=[pk])
    party, target = item.party, item.target
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
        if not item.case.meetings.all():
            return reverse("cases:meeting_record", args=[pk])
        return f"{detail}#parties"
    if item.kind == "issue" and target is not None:
        return reverse("cases:decision_issue", args=[pk, target.pk])
    if item.kind == "delivery" and target is not None:
        return reverse("cases:delivery_record", args=[pk, target.pk])
    if item.kind == "appeal" and target is not None:
        return reverse("cases:appeal_review", args=[pk, target.pk])
    if item.kind.startswith("rectification") and target is not None:
        return reverse("cases:rectification_complete", args=[pk, target.pk])
    return f"{detail}#parties" if party is not None else detail


def _queue_row(item: selectors.WorkItem, key: str, label: str, today: Any) -> QueueRow:
    return QueueRow(
        label=item.label,
        case=item.case,
        due_on=item.due_on,
        overdue=item.overdue or bool(item.due_on and item.due_on < today and key != "approvals"),
        url=_queue_url(item),
        state_tone=state_tone(item.case.state),
        section=label,
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """What waits for me (approvals, hearings, deliveries, overdue …) with a link to the step;
    below, for information, the deadlines and the steps others take on my commission's cases.
    """
    user = request.user
    if access.is_administrator(user):
        raise PermissionDenied(MSG_ADMIN_NO_CASES)
    today = timezone.localdate()
    if getattr(user, "role", None) == wf.Role.SUBJECT:
        return _subject_page(request, today)
    work = selectors.work_queue_for_user(user=user, today=today)
    sections = []
    for key, label, items in work.actions():
        rows = [_queue_row(item, key, label, today) for item in items]
        sections.append({"key": key, "label": label, "rows": rows})
    information = [
        _queue_row(item, key, label, today)
        for key, label, items in work.sections()
        for item in items
        if not item.actionable
    ]
    overdue = len(work.overdue_rectifications)
    context = {
        "sections": [s for s in sections if s["rows"]],
        "information": information,
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
                "documents": extensions.subject_documents(decision=decision),
            }
        )
    return render(request, "cases/my_decisions.html", {"rows": rows, "today": today})


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
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "count": paginator.count,
        "filtered": bool(form.filters()),
        "can_register": getattr(request.user, "role", None) in wf.CLUE_REGISTER_ROLES,
        "export_url": reverse("cases:export") + (f"?{query.urlencode()}" if query else ""),
        "export_limit": export.EXPORT_LIMIT,
    }
    return render(request, "cases/case_list.html", context)


@login_required
def case_list_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list as .xlsx (at most export.EXPORT_LIMIT rows), audited as an export."""
    _deny_outsiders(request.user)
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.filters()
    cases = selectors.case_list_for_user(user=request.user, filters=filters)
    total = cases.count()
    with source_language():
        content, rows = export.workbook_bytes(cases, total=total)
        filename = export.filename()
    audit_log(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        target=("cases.caselist", "", "案件清单"),
        changes={"count": rows, "total": total, "filters": _plain(filters)},
        request=request,
    )
    response = HttpResponse(content, content_type=export.XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _plain(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in filters.items()}


# ---------------------------------------------------------------------------------------------
# Clue registration


@login_required
@require_http_methods(["GET", "POST"])
def clue_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "role", None) not in wf.CLUE_REGISTER_ROLES:
        raise PermissionDenied(MSG_CLUE_ROLE)
    # The person picker's search (name, unit or 工号) works without JavaScript: a GET on the
    # page, or the form's own "search" button, which posts what was typed back into the form
    # (so that the informant never goes into a URL) and registers nothing.
    searching = request.method == "POST" and "_search" in request.POST
    source = request.POST if request.method == "POST" else request.GET
    query = str(source.get("person_q", ""))[:64]
    if searching:
        initial: dict[str, Any] = {k: request.POST.get(k) for k in request.POST}
        initial["persons"] = request.POST.getlist("persons")
        initial.pop("csrfmiddlewaretoken", None)
        form = forms.ClueForm(initial=initial, user=user, person_query=query)
    else:
        form = forms.ClueForm(request.POST or None, user=user, person_query=query)
    if request.method == "POST" and not searching and form.is_valid():
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
        except DomainError as error:
            if isinstance(error, NotFound | PermissionDenied):
                raise  # the middleware answers (404/403) and audits the refusal
            form.add_domain_error(error)
        else:
            messages.success(request, MSG_CLUE_SAVED.format(number=case.number))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/clue_form.html", {"form": form})


@login_required
def informant(request: HttpRequest, pk: int) -> HttpResponse:
    """The informant's identity, for the roles named for it; the selector audits the view."""
    case = get_case(request, pk)
    try:
        person = selectors.case_informant_for_user(case=case, user=request.user, request=request)
    except PermissionDenied as error:
        # Who may see it and why: the refusal names the scope (the middleware answers 403).
        raise PermissionDenied(
            f"{error.message}{selectors.informant_scope_note()}", code=error.code
        ) from error
    return render(request, "cases/informant.html", {"case": case, "informant": person})


@login_required
def attachment_download(request: HttpRequest, pk: int, obj: int) -> HttpResponse:
    """A file of a case the user may see, checked against its hashes; every download (and
    every refusal of an altered or missing file) is audited."""
    case = get_case(request, pk)
    attachment = Attachment.objects.filter(case=case, pk=obj).first()
    if attachment is None:
        raise NotFound()
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
