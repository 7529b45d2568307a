"""Vetting pages: the requests of the user's commission, one reply, and its steps."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accountability.accounts.permissions import role_required
from accountability.common.errors import DomainError, NotFound
from accountability.vetting import answers, selectors, services
from accountability.vetting.forms import VettingForm
from accountability.vetting.models import Bar, VettingEntry, VettingRequest
from accountability.vetting.permissions import (
    VETTING_CONFIRMERS,
    VETTING_REQUESTERS,
    VETTING_ROLES,
    VETTING_SIGNERS,
)
from accountability.vetting.workbook import list_template, vetting_limits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFRESH_SECONDS = 2
PAGE_SIZE = 100


def _get(request: HttpRequest, pk: int) -> VettingRequest:
    try:
        return selectors.vetting_get_for_user(request_id=pk, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@role_required(VETTING_ROLES)
def vetting_list(request: HttpRequest) -> HttpResponse:
    can_submit = request.user.role in VETTING_REQUESTERS
    form = VettingForm(request.POST or None, request.FILES or None) if can_submit else None
    if request.method == "POST":
        if form is None:
            raise Http404()
        if form.is_valid():
            file = form.cleaned_data.get("file")
            try:
                vetting = services.vetting_submit(
                    actor=request.user,
                    purpose=form.cleaned_data["purpose"],
                    intended_on=form.cleaned_data["intended_on"],
                    reference=form.cleaned_data["reference"],
                    content=file.read() if file else b"",
                    filename=file.name if file else "",
                    lines=form.cleaned_data["lines"],
                    request=request,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return redirect("vetting:detail", pk=vetting.pk)
    rows = selectors.vetting_list_for_user(user=request.user).annotate(rows=Count("entries"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "vetting/list.html",
        {"page_obj": page, "form": form, "max_rows": vetting_limits().rows - 1},
    )


vetting_list.upload_max_bytes = lambda: vetting_limits().upload_bytes  # type: ignore[attr-defined]


@role_required(VETTING_ROLES)
def vetting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vetting = _get(request, pk)
    entries = vetting.entries.select_related("person__unit", "resolved_by").order_by("row")
    show = request.GET.get("answer", "")
    if show in VettingEntry.Answer.values:
        entries = entries.filter(answer=show)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.texts = [answers.finding_text(f) for f in entry.findings]
    counts = dict(
        vetting.entries.values_list("answer").annotate(n=Count("id")).values_list("answer", "n")
    )
    job = vetting.job
    pending = vetting.state == VettingRequest.State.PENDING and job is not None and not job.finished
    role = request.user.role
    return render(
        request,
        "vetting/detail.html",
        {
            "vetting": vetting,
            "page_obj": page,
            "answer_filter": show,
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in VettingEntry.Answer.choices
            ],
            "job": job if job is not None and job.owner_id == request.user.pk else None,
            "refresh_seconds": REFRESH_SECONDS if pending else None,
            "can_resolve": role in VETTING_CONFIRMERS and vetting.state == "answered",
            "can_confirm": role in VETTING_CONFIRMERS and vetting.state == "answered",
            "can_sign": role in VETTING_SIGNERS and vetting.state == "confirmed",
        },
    )


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    vetting = _get(request, pk)
    try:
        action(vetting)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("vetting:detail", pk=vetting.pk)


@role_required(VETTING_CONFIRMERS)
@require_POST
def vetting_resolve(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    def resolve(vetting: VettingRequest) -> None:
        entry = vetting.entries.filter(pk=entry_id).first()
        if entry is None:
            raise Http404()
        raw = request.POST.get("person", "")
        person_id = int(raw) if raw.isdigit() and len(raw) <= 18 else 0
        services.vetting_resolve(
            entry=entry, actor=request.user, person_id=person_id, request=request
        )

    return _act(request, pk, resolve)


@role_required(VETTING_CONFIRMERS)
@require_POST
def vetting_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda v: services.vetting_confirm(vetting=v, actor=request.user, request=request),
    )


@role_required(VETTING_SIGNERS)
@require_POST
def vetting_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda v: services.vetting_sign(vetting=v, actor=request.user, request=request)
    )


@role_required(VETTING_ROLES)
def vetting_download(request: HttpRequest, pk: int) -> HttpResponse:
    vetting = _get(request, pk)
    content = services.vetting_export(vetting=vetting, actor=request.user, request=request)
    response = HttpResponse(content, content_type=XLSX)
    filename = f"vetting-{vetting.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(VETTING_REQUESTERS)
def vetting_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(list_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="vetting-list.xlsx"'
    return response


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


@role_required(VETTING_ROLES)
def barred(request: HttpRequest) -> HttpResponse:
    """Everyone barred from promotion (or an award) on a day, from the register."""
    on = _day(request.GET.get("on"))
    bar = request.GET.get("bar") if request.GET.get("bar") in Bar.values else Bar.PROMOTION
    rows = selectors.barred_list_for_user(user=request.user, on=on, bar=bar)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vetting/barred.html",
        {"page_obj": page, "on": on, "bar": bar, "bars": Bar.choices},
    )
