"""The rulebook in the browser: 责任追究测算, 法规条文 and 节假日安排.

Thin views: the form validates, the rulebook assesses, a service saves a
holiday year. The 测算 page is a GET form, so it works without JavaScript and
its result can be bookmarked or linked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

import rulebook
from accountability.assessment import selectors, services
from accountability.assessment.current import current_rulebook
from accountability.assessment.forms import AssessForm, HolidayYearForm
from accountability.assessment.holidays import (
    ScheduleTextError,
    parse_schedule_text,
    schedule_from_days,
)
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from rulebook import RulebookError

CERTAINTY_LABELS = {
    "V": gettext_lazy("已核实原文"),
    "P": gettext_lazy("据公开资料"),
    "U": gettext_lazy("待确认(本版本设置)"),
}
CERTAINTY_TONES = {"V": "success", "P": "info", "U": "warning"}

SYSTEM_ADMIN = "system_admin"


def _form_is_submitted(request: HttpRequest) -> bool:
    return any(key in request.GET for key in ("role", "circumstance", "severity"))


def _current_version(rb: Any, today: Any) -> Any:
    try:
        return rb.version_at(today)
    except RulebookError:
        return rb.versions[0]


def _result_context(rb: Any, result: dict[str, Any]) -> dict[str, Any]:
    from accountability.common.templatetags.rulebook_tags import cited_refs, ref_info

    version = next((v for v in rb.versions if v.id == result.get("rulebook")), None)
    restrictions = [
        {
            **r,
            "certainty_label": CERTAINTY_LABELS.get(r.get("certainty", ""), ""),
            "certainty_tone": CERTAINTY_TONES.get(r.get("certainty", ""), "neutral"),
        }
        for r in result.get("restrictions", [])
    ]
    shown: set[str] = set()
    explanation = []
    for sentence in result.get("explanation", []):
        refs = []
        for info in cited_refs(sentence):
            refs.append({**info, "repeat": info["ref"] in shown})
            shown.add(info["ref"])
        explanation.append({"text": sentence, "refs": refs})
    citations = [ref_info(ref) or {"ref": ref} for ref in result.get("citations", [])]
    deadline = result.get("appeal_deadline")
    return {
        "result": result,
        "result_version": version,
        "restrictions": restrictions,
        "explanation": explanation,
        "citations": citations,
        "appeal_deadline": date.fromisoformat(deadline) if deadline else None,
    }


def assess_page(request: HttpRequest) -> HttpResponse:
    rb = current_rulebook()
    today = timezone.localdate()
    version = _current_version(rb, today)
    submitted = _form_is_submitted(request)
    form = AssessForm(request.GET if submitted else None, version=version)
    context: dict[str, Any] = {"form": form, "version": version, "today": today}
    if submitted and form.is_valid():
        try:
            result = rulebook.assess_dict(form.to_rulebook_input(), rulebook=rb, today=today)
        except RulebookError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            context.update(_result_context(rb, result))
    return render(request, "assessment/assess.html", context)


def regulation_page(request: HttpRequest) -> HttpResponse:
    rb = current_rulebook()
    versions = []
    for v in reversed(rb.versions):
        versions.append(
            {
                "version": v,
                "tiers": [
                    {"tier": tier, "measures": v.measures[tier.name]} for tier in v.tiers.values()
                ],
                "periods": [p for periods in v.periods.values() for p in periods],
                "interpretations": list(v.interpretations.values()),
            }
        )
    return render(
        request,
        "assessment/regulation.html",
        {
            "title": rulebook.regulation.TITLE,
            "source": rulebook.regulation.SOURCE,
            "articles": selectors.regulation_blocks(),
            "versions": versions,
            "certainty_labels": CERTAINTY_LABELS,
        },
    )


def _is_system_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == SYSTEM_ADMIN


def _require_system_admin(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        try:
            return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
        except NoReverseMatch:
            pass
    if not _is_system_admin(request.user):
        raise HttpPermissionDenied(services.ONLY_SYSTEM_ADMIN)
    return None


def holidays_page(request: HttpRequest) -> HttpResponse:
    rb = current_rulebook()
    today = timezone.localdate()
    rows = selectors.holiday_years_list(calendar=rb.calendar)
    selected_year = None
    days = None
    raw_year = request.GET.get("year", "")
    if raw_year.isdigit():
        selected_year = int(raw_year)
        days = selectors.holiday_year_days(calendar=rb.calendar, year=selected_year)
    covered = {row.year for row in rows}
    missing = [y for y in (today.year, today.year + 1) if y not in covered]
    return render(
        request,
        "assessment/holidays.html",
        {
            "rows": rows,
            "package_rows": [r for r in rows if r.origin == "package"],
            "database_rows": [r for r in rows if r.origin == "database"],
            "selected_year": selected_year,
            "days": days,
            "missing_years": missing,
            "can_edit": _is_system_admin(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def holiday_add(request: HttpRequest) -> HttpResponse:
    refused = _require_system_admin(request)
    if refused is not None:
        return refused
    initial_year = request.GET.get("year", "")
    form = HolidayYearForm(
        request.POST or None, initial={"year": initial_year} if initial_year.isdigit() else None
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            days = parse_schedule_text(form.cleaned_data["text"], year=year)
            schedule = schedule_from_days(year, days, form.cleaned_data["source"])
            services.holiday_year_create(schedule=schedule, actor=request.user, request=request)
        except ScheduleTextError as err:
            for message in err.errors:
                form.add_error("text", message)
        except PermissionDenied as err:
            raise HttpPermissionDenied(err.message) from err
        except DomainError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(
                request,
                _("%(year)s年节假日安排已保存：放假%(holidays)s天，调休上班%(workdays)s天。")
                % {
                    "year": year,
                    "holidays": len(schedule.holidays),
                    "workdays": len(schedule.workdays),
                },
            )
            return redirect(f"{reverse('assessment:holidays')}?year={year}")
    return render(request, "assessment/holiday_form.html", {"form": form})


@require_POST
def holiday_delete(request: HttpRequest, year: int) -> HttpResponse:
    refused = _require_system_admin(request)
    if refused is not None:
        return refused
    try:
        services.holiday_year_delete(year=year, actor=request.user, request=request)
    except NotFound as err:
        messages.error(request, err.message)
    except PermissionDenied as err:
        raise HttpPermissionDenied(err.message) from err
    else:
        messages.success(request, _("%(year)s年节假日安排已删除。") % {"year": year})
    return redirect("assessment:holidays")
