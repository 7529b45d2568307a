"""The public reporting pages (no account): report, receipt, look-up by 查询码, follow-up.

After a successful look-up the session holds the report's id (the session key is renewed
first); the code itself is never kept, in the session or in a page. Pages that show the code
or the report are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from accountability.common.errors import DomainError
from accountability.public import codes, evidence, selectors, services, throttle
from accountability.public.forms import EvidenceForm, LookupForm, ReporterMessageForm, ReportForm
from accountability.public.models import PublicReport

SESSION_REPORT = "public_report_id"
MSG_SENT = _("消息已发送。")
MSG_FILES_ADDED = _("已补充{n}个证据材料。")
MSG_SIGNED_OUT = _("已退出查询。")
MSG_LOOKUP_FIRST = _("请先输入查询码。")


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _form_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Before the costly part (the cleaner's child processes).
            services.refuse_if_throttled(throttle.submit_rules(selectors.client_address(request)))
            cleaned = evidence.clean_uploads(data["files"])
            report, code = services.report_submit(
                subject_name=data["subject_name"],
                subject_unit=data["subject_unit"],
                subject_post=data["subject_post"],
                occurred=data["occurred"],
                facts=data["facts"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                evidence=cleaned,
                request=request,
            )
        except DomainError as error:
            if error.status >= 500:
                raise
            _form_error(form, error)
            status = error.status
        else:
            context = {
                "code": code,
                "report": report,
                "status": selectors.public_status(report=report),
                "files": len(cleaned),
                "lookup_url": request.build_absolute_uri(reverse("public:lookup")),
                "tab": "report",
            }
            return _no_store(render(request, "public/receipt.html", context))
    elif request.method == "POST":
        status = 400
    return render(
        request, "public/report_form.html", {"form": form, "tab": "report"}, status=status
    )


report_create.upload_max_bytes = evidence.max_bytes  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_lookup(code=form.cleaned_data["code"], request=request)
        except DomainError as error:
            _form_error(form, error)
            status = error.status
        else:
            request.session.cycle_key()
            request.session[SESSION_REPORT] = report.pk
            return redirect("public:status")
    elif request.method == "POST":
        status = 400
    context = {"form": form, "code_length": codes.LENGTH, "tab": "lookup"}
    return _no_store(render(request, "public/lookup.html", context, status=status))


def _session_report(request: HttpRequest) -> PublicReport | None:
    pk = request.session.get(SESSION_REPORT)
    if not isinstance(pk, int):
        return None
    return PublicReport.objects.select_related("case").filter(pk=pk).first()


def _status_page(
    request: HttpRequest,
    report: PublicReport,
    *,
    message_form: Any = None,
    evidence_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    closed = report.case is not None and report.case.closed_on is not None
    context = {
        "report": report,
        "status": selectors.public_status(report=report),
        "thread": selectors.reporter_thread(report=report),
        "files": list(report.files.all()),
        "closed": closed,
        "closed_note": services.MSG_REPORT_CLOSED,
        "message_form": message_form or ReporterMessageForm(),
        "evidence_form": evidence_form or EvidenceForm(),
        "tab": "lookup",
    }
    return _no_store(render(request, "public/status.html", context, status=status))


def status(request: HttpRequest) -> HttpResponse:
    report = _session_report(request)
    if report is None:
        messages.info(request, MSG_LOOKUP_FIRST)
        return redirect("public:lookup")
    return _status_page(request, report)


@require_POST
def message_add(request: HttpRequest) -> HttpResponse:
    report = _session_report(request)
    if report is None:
        return redirect("public:lookup")
    form = ReporterMessageForm(request.POST)
    if form.is_valid():
        try:
            services.reporter_message_add(
                report=report, body=form.cleaned_data["body"], request=request
            )
        except DomainError as error:
            _form_error(form, error)
            return _status_page(request, report, message_form=form, status=error.status)
        messages.success(request, MSG_SENT)
        return HttpResponseRedirect(reverse("public:status") + "#thread")
    return _status_page(request, report, message_form=form, status=400)


@require_POST
def evidence_add(request: HttpRequest) -> HttpResponse:
    report = _session_report(request)
    if report is None:
        return redirect("public:lookup")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.refuse_if_throttled(throttle.post_rules(report.pk))
            cleaned = evidence.clean_uploads(form.cleaned_data["files"])
            stored = services.reporter_evidence_add(
                report=report, evidence=cleaned, request=request
            )
        except DomainError as error:
            _form_error(form, error)
            return _status_page(request, report, evidence_form=form, status=error.status)
        messages.success(request, MSG_FILES_ADDED.format(n=len(stored)))
        return HttpResponseRedirect(reverse("public:status") + "#evidence")
    return _status_page(request, report, evidence_form=form, status=400)


evidence_add.upload_max_bytes = evidence.max_bytes  # type: ignore[attr-defined]


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    messages.info(request, MSG_SIGNED_OUT)
    return redirect("public:lookup")
