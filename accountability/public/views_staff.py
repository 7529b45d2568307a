"""The office's side of the reports from the public: the inbox, a report, registering it as a
clue, replies and their approval, the reporter's identity and evidence (every read audited)."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accountability.audit.services import audit_log
from accountability.cases import access
from accountability.cases import files as case_files
from accountability.common.errors import DomainError, NotFound
from accountability.people.models import Person
from accountability.public import selectors, services
from accountability.public.forms import OfficeMessageForm, RegisterForm, ReturnForm
from accountability.public.models import PublicReport, ReportMessage

PAGE_SIZE = 20
MSG_REGISTERED = _("已登记为问题线索{number}。")
MSG_REPLY_PENDING = _("答复已提交，待监督室负责人审批后举报人可见。")
MSG_REPLY_SENT = _("答复已发送，举报人凭查询码可见。")
MSG_APPROVED = _("答复已批准，举报人凭查询码可见。")
MSG_RETURNED = _("答复已退回。")


def _back(report: PublicReport, anchor: str = "thread") -> str:
    if report.case_id is not None:
        return reverse("cases:detail", args=[report.case_id]) + "#public-report"
    return reverse("public_staff:detail", args=[report.pk]) + f"#{anchor}"


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    registered = request.GET.get("tab") == "registered"
    reports = selectors.report_list_for_user(user=request.user, registered=registered)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_log(
        actor=request.user,
        action="view",
        target=("public.publicreport", "", "网上举报列表"),
        changes={"count": len(page.object_list), "state": "registered" if registered else "new"},
        request=request,
    )
    context = {
        "page": page,
        "registered": registered,
        "pending": list(selectors.pending_replies_for_user(user=request.user)[:50]),
        "statuses": {r.pk: selectors.public_status(report=r) for r in page.object_list},
    }
    return render(request, "public/staff/inbox.html", context)


def _detail(request: HttpRequest, report: PublicReport, **forms: object) -> HttpResponse:
    context = {
        "report": report,
        "status": selectors.public_status(report=report),
        "thread": selectors.office_thread(report=report),
        "files": list(report.files.all()),
        "can_approve": selectors.can_approve(user=request.user, report=report),
        "can_register": report.case_id is None and request.user.role in services.REGISTER_ROLES,
        "message_form": forms.get("message_form") or OfficeMessageForm(),
        "approval_on": services.approval_required(),
    }
    return render(request, "public/staff/detail.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user, request=request)
    return _detail(request, report)


@login_required
def reporter(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    identity = selectors.reporter_identity_for_user(
        report=report, user=request.user, request=request
    )
    context = {"report": report, "identity": identity}
    return render(request, "public/staff/reporter.html", context)


def _candidates(report: PublicReport):  # type: ignore[no-untyped-def]
    """People of the registry named as the report names, within the organ's authority."""
    return (
        Person.objects.filter(
            name=report.subject_name.strip(),
            managed_by_id__in=access.subtree_ids(report.organ),
        )
        .select_related("unit")
        .order_by("id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user, request=request)
    initial = {"summary": services.default_summary(report)}
    form = RegisterForm(request.POST or None, initial=initial, candidates=_candidates(report))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.report_register(
                report=report,
                actor=request.user,
                summary=form.cleaned_data["summary"],
                handling_opinion=form.cleaned_data["handling_opinion"],
                persons=form.cleaned_data["persons"],
                request=request,
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, MSG_REGISTERED.format(number=case.number))
            return redirect("cases:detail", case.pk)
    return render(request, "public/staff/register.html", {"report": report, "form": form})


@login_required
@require_POST
def message_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    form = OfficeMessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.office_message_add(
                report=report, actor=request.user, body=form.cleaned_data["body"], request=request
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form.add_error("body", error.message)
        else:
            pending = message.status == ReportMessage.Status.PENDING
            messages.success(request, MSG_REPLY_PENDING if pending else MSG_REPLY_SENT)
            return HttpResponseRedirect(_back(report))
    return _detail(request, report, message_form=form)


def _message_for(request: HttpRequest, message_id: int) -> ReportMessage:
    message = get_object_or_404(ReportMessage.objects.select_related("report__case"), pk=message_id)
    if not selectors.can_handle(user=request.user, report=message.report):
        raise NotFound()
    return message


@login_required
@require_POST
def message_approve(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_for(request, message_id)
    services.office_message_approve(message=message, actor=request.user, request=request)
    messages.success(request, MSG_APPROVED)
    return HttpResponseRedirect(_back(message.report))


@login_required
@require_http_methods(["GET", "POST"])
def message_return(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_for(request, message_id)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_message_return(
                message=message,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form.add_error("reason", error.message)
        else:
            messages.success(request, MSG_RETURNED)
            return HttpResponseRedirect(_back(message.report))
    context = {"message": message, "report": message.report, "form": form}
    return render(request, "public/staff/return.html", context)


@login_required
def file_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    report = selectors.report_get_for_user(report_id=pk, user=request.user)
    row = selectors.report_file_for_user(
        report=report, file_id=file_id, user=request.user, request=request
    )
    case_files.verify(
        SimpleNamespace(
            title=row.name, original_name=row.name, file=row.file, sha256=row.sha256, sm3=row.sm3
        )
    )
    response = FileResponse(
        row.file.open("rb"), as_attachment=True, filename=row.name, content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
