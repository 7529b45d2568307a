"""The statistics page, its .xlsx export and the printable year-end summary (thin views)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accountability.accounts.permissions import role_required
from accountability.audit.services import audit_log
from accountability.common.i18n import source_language
from accountability.reports import export, selectors, services
from accountability.reports.forms import StatisticsFilterForm
from accountability.reports.permissions import STATISTICS_REFRESHERS, STATISTICS_VIEWERS
from accountability.reports.summary import narrative

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> tuple[selectors.Viewer, StatisticsFilterForm]:
    viewer = selectors.viewer_for_user(user=request.user)
    form = StatisticsFilterForm(request.GET or None, viewer=viewer, today=timezone.localdate())
    return viewer, form


def _statistics(viewer: selectors.Viewer, form: StatisticsFilterForm) -> selectors.Statistics:
    return selectors.statistics_for(
        viewer=viewer, organ_id=form.organ_id(), period=form.period(), today=form.today
    )


def _context(form: StatisticsFilterForm, stats: selectors.Statistics | None) -> dict[str, Any]:
    query = urlencode(form.query())
    suffix = f"?{query}" if query else ""
    summary = getattr(settings, "REPORTS_SOURCE", "live") == "summary"
    role = getattr(form.viewer.user, "role", None)
    return {
        "can_refresh": summary and role in STATISTICS_REFRESHERS,
        "form": form,
        "stats": stats,
        "charts": {"charts": stats.charts()} if stats else {"charts": []},
        "export_url": reverse("reports:export") + suffix,
        "summary_url": reverse("reports:summary") + suffix,
        "page_url": reverse("reports:statistics") + suffix,
    }


@role_required(STATISTICS_VIEWERS)
def statistics(request: HttpRequest) -> HttpResponse:
    viewer, form = _filters(request)
    stats = _statistics(viewer, form) if not form.is_bound or form.is_valid() else None
    return render(request, "reports/statistics.html", _context(form, stats))


@role_required(STATISTICS_VIEWERS)
def summary(request: HttpRequest) -> HttpResponse:
    """The year-end summary: the same figures as a document to print (no charts in print)."""
    viewer, form = _filters(request)
    stats = _statistics(viewer, form) if not form.is_bound or form.is_valid() else None
    context = _context(form, stats)
    context["narrative"] = narrative(stats) if stats else []
    return render(request, "reports/summary.html", context)


@role_required(STATISTICS_VIEWERS)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """Every table as a sheet of an .xlsx workbook, in Chinese whatever the interface language."""
    viewer, form = _filters(request)
    if form.is_bound and not form.is_valid():
        return render(request, "reports/statistics.html", _context(form, None), status=400)
    with source_language():
        stats = _statistics(viewer, form)
        content = export.workbook_bytes(stats)
        filename = export.filename(stats)
    scope = stats.scope
    audit_log(
        actor=request.user,
        action="export",
        target=("reports.statistics", str(scope.organ.id), f"{scope.organ.name}统计"),
        changes={
            "organ": scope.organ.name,
            "start": scope.period.start.isoformat(),
            "end": scope.period.end.isoformat(),
            "sheets": len(stats.tables),
        },
        request=request,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@role_required(STATISTICS_REFRESHERS)
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Queue a rebuild of the summary tables; the job's page shows how it goes."""
    job = services.statistics_refresh_request(actor=request.user, request=request)
    return redirect("jobs:job", job_id=job.pk)
