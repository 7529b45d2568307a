"""Reads of the informant's channel, with the permission inside the fetch.

Signatures:

    client_address(request) -> str
    receiving_organ() -> Organisation                    (setting PUBLIC_REPORTS_ORGAN)
    can_handle(*, user, report) -> bool                  (officers and head of the organ)
    can_approve(*, user, report) -> bool                 (the head)
    report_list_for_user(*, user, registered=None) -> QuerySet[PublicReport]
    report_get_for_user(*, report_id, user, request=None) -> PublicReport   (audited view)
    reporter_identity_for_user(*, report, user, request=None) -> Identity  (audited)
    report_file_for_user(*, report, file_id, user, request=None) -> ReportFile (audited)
    public_status(*, report) -> PublicStatus             (what the reporter is told)
    reporter_thread(*, report) -> list[ReportMessage]    (what the reporter sees)
    office_thread(*, report) -> list[ReportMessage]      (every message, for the office)
    case_panel_for_user(*, case, user, request=None) -> CasePanel | None
    pending_replies_for_user(*, user) -> QuerySet[ReportMessage]

Who sees a report: before it is registered, the case officers and the office head of the
receiving commission (not one whom the report names); once it is a clue, those who may see
the case's informant (cases.selectors.can_view_informant, setting CASES_INFORMANT_SCOPE),
since the reporter's messages and evidence may reveal who they are. The three administrators
see nothing of it (三员分立).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.cases import selectors as case_selectors
from accountability.cases.models import Case
from accountability.cases.workflow import Role, State
from accountability.common.crypto import DecryptionError, decrypt_text
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.people.models import Organisation
from accountability.public.models import PublicReport, ReportFile, ReportMessage

MSG_ORGAN_UNSET = _("网上举报的受理机关尚未设置，暂不能受理举报。请稍后再试。")
MSG_IDENTITY_HIDDEN = _("您无权查看举报人信息。")

STATUS_SUBMITTED = pgettext_lazy("public status", "已提交，待受理")
STATUS_ACCEPTED = pgettext_lazy("public status", "已受理")
STATUS_IN_PROGRESS = pgettext_lazy("public status", "办理中")
STATUS_CLOSED = pgettext_lazy("public status", "已办结")

HANDLER_ROLES = frozenset({Role.CASE_OFFICER, Role.OFFICE_HEAD})
ORGAN_CONFIG = "PUBLIC_REPORTS_ORGAN names {code!r}, which is not an organisation"


def client_address(request: Any) -> str:
    """The client's address (REMOTE_ADDR; a proxy must pass the client's own)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def receiving_organ() -> Organisation:
    """The commission that receives the reports: PUBLIC_REPORTS_ORGAN (an organisation code),
    or the only county commission there is."""
    code = str(getattr(settings, "PUBLIC_REPORTS_ORGAN", "") or "")
    if code:
        organ = Organisation.objects.filter(code=code).first()
    else:
        counties = list(Organisation.objects.filter(kind=Organisation.Kind.COUNTY_COMMISSION)[:2])
        organ = counties[0] if len(counties) == 1 else None
    if organ is None:
        error = DomainError(MSG_ORGAN_UNSET, code="organ_unset")
        error.status = 503
        raise error
    return organ


def _names_user(report: PublicReport, user: Any) -> bool:
    """The report names ``user`` (by their full name): they stand aside from it (回避)."""
    full_name = str(getattr(user, "full_name", "") or "").strip()
    return bool(full_name) and full_name == report.subject_name.strip()


def can_handle(*, user: Any, report: PublicReport) -> bool:
    if not getattr(user, "is_authenticated", False) or access.is_administrator(user):
        return False
    if getattr(user, "role", None) not in HANDLER_ROLES:
        return False
    if report.case_id is not None:
        return case_selectors.can_view_informant(case=report.case, user=user)
    commission = access.user_commission(user)
    if commission is None or commission.pk != report.organ_id:
        return False
    return not _names_user(report, user)


def can_approve(*, user: Any, report: PublicReport) -> bool:
    return getattr(user, "role", None) == Role.OFFICE_HEAD and can_handle(user=user, report=report)


def _visible(user: Any) -> Q:
    """The reports ``user`` may open, as a filter (refined by can_handle on each one)."""
    if getattr(user, "role", None) not in HANDLER_ROLES or access.is_administrator(user):
        return Q(pk__in=[])
    commission = access.user_commission(user)
    if commission is None:
        return Q(pk__in=[])
    unregistered = Q(case__isnull=True, organ_id=commission.pk)
    registered = Q(case__isnull=False, case__handling_organ_id=commission.pk) & ~Q(
        case__in=Case.objects.filter(access.recused_cases(user))
    )
    named = Q(case__isnull=True, subject_name=str(getattr(user, "full_name", "") or "-"))
    return (unregistered | registered) & ~named


def report_list_for_user(*, user: Any, registered: bool | None = None) -> QuerySet[PublicReport]:
    """The reports ``user`` handles, newest first (registered or not, or both)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    if access.is_administrator(user):
        raise PermissionDenied(case_selectors.MSG_ADMIN_NO_CASES, code="administrator")
    qs = PublicReport.objects.filter(_visible(user))
    if registered is not None:
        qs = qs.filter(case__isnull=not registered)
    return qs.select_related("case").order_by("-submitted_at", "-id")


def report_get_for_user(*, report_id: Any, user: Any, request: Any = None) -> PublicReport:
    """The report, if ``user`` handles it (NotFound otherwise); each view is audited."""
    if access.is_administrator(user):
        raise PermissionDenied(case_selectors.MSG_ADMIN_NO_CASES, code="administrator")
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    report = PublicReport.objects.select_related("case", "organ").filter(pk=pk).first()
    if report is None or not can_handle(user=user, report=report):
        raise NotFound()
    audit_log(actor=user, action="view", target=report, request=request)
    return report


@dataclass(frozen=True)
class Identity:
    name: str
    contact: str
    error: str = ""


def reporter_identity_for_user(*, report: PublicReport, user: Any, request: Any = None) -> Identity:
    """Who reported (when they said so), for those who handle the report; audited."""
    if not can_handle(user=user, report=report):
        raise PermissionDenied(MSG_IDENTITY_HIDDEN, code="confidential")
    try:
        identity = Identity(
            name=decrypt_text(report.reporter_name_enc),
            contact=decrypt_text(report.reporter_contact_enc),
        )
    except DecryptionError as error:
        identity = Identity(name="", contact="", error=error.message)
    audit_log(
        actor=user,
        action="view_confidential",
        target=report,
        changes={"fields": ["reporter_name", "reporter_contact"]},
        outcome="failure" if identity.error else "success",
        detail=identity.error,
        request=request,
    )
    return identity


def report_file_for_user(
    *, report: PublicReport, file_id: Any, user: Any, request: Any = None
) -> ReportFile:
    """A file of the report for download (the caller got ``report`` through the selector)."""
    if not can_handle(user=user, report=report):
        raise NotFound()
    try:
        row = report.files.get(pk=int(file_id))
    except (ReportFile.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    audit_log(
        actor=user,
        action="download",
        target=row,
        changes={"report": report.pk, "sha256": row.sha256, "sm3": row.sm3},
        request=request,
    )
    return row


@dataclass(frozen=True)
class PublicStatus:
    """What the reporter is told: a general stage and its date, never who or what."""

    key: str
    label: str
    on: date


def public_status(*, report: PublicReport) -> PublicStatus:
    """已提交，待受理 until registered; 已受理 while the clue awaits approval; 办理中 from its
    approval on; 已办结 once the case is closed or the clue is not taken up (不予受理: the
    reporter is not told which, beyond what the office writes to them)."""
    case = report.case
    if case is None:
        return PublicStatus(
            "submitted", str(STATUS_SUBMITTED), timezone.localdate(report.submitted_at)
        )
    if case.state in (State.CLOSED, State.REJECTED):
        on = case.closed_on or case.approved_on or timezone.localdate(case.updated_at)
        return PublicStatus("closed", str(STATUS_CLOSED), on)
    if case.state == State.CLUE_REGISTERED:
        registered = report.registered_at or report.submitted_at
        return PublicStatus("accepted", str(STATUS_ACCEPTED), timezone.localdate(registered))
    on = case.approved_on or timezone.localdate(case.updated_at)
    return PublicStatus("in_progress", str(STATUS_IN_PROGRESS), on)


def reporter_thread(*, report: PublicReport) -> list[ReportMessage]:
    """The reporter's own messages and the office's published replies, oldest first."""
    return list(
        report.messages.filter(
            Q(author=ReportMessage.Author.REPORTER) | Q(status=ReportMessage.Status.PUBLISHED)
        ).order_by("created_at", "id")
    )


def office_thread(*, report: PublicReport) -> list[ReportMessage]:
    return list(
        report.messages.select_related("written_by", "decided_by").order_by("created_at", "id")
    )


@dataclass(frozen=True)
class CasePanel:
    report: PublicReport
    messages: list[ReportMessage]
    files: list[ReportFile]
    status: PublicStatus
    can_approve: bool


def case_panel_for_user(*, case: Case, user: Any, request: Any = None) -> CasePanel | None:
    """The report a case came from, for the case page (None: no report, or not for ``user``);
    the view is audited as a read of the report."""
    report = PublicReport.objects.filter(case=case).first()
    if report is None:
        return None
    report.case = case
    if not can_handle(user=user, report=report):
        return None
    audit_log(actor=user, action="view", target=report, request=request)
    return CasePanel(
        report=report,
        messages=office_thread(report=report),
        files=list(report.files.all()),
        status=public_status(report=report),
        can_approve=can_approve(user=user, report=report),
    )


def pending_replies_for_user(*, user: Any) -> QuerySet[ReportMessage]:
    """Replies waiting for ``user``'s approval (the office head)."""
    if getattr(user, "role", None) != Role.OFFICE_HEAD:
        return ReportMessage.objects.none()
    reports = PublicReport.objects.filter(_visible(user))
    return (
        ReportMessage.objects.filter(status=ReportMessage.Status.PENDING, report__in=reports)
        .exclude(written_by=user)
        .select_related("report", "written_by")
        .order_by("created_at", "id")
    )
