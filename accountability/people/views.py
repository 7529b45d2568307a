"""Registry pages: the list with the organisation tree, a person, roster import and export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accountability.accounts.permissions import REGISTRY_MANAGERS, REGISTRY_VIEWERS, role_required
from accountability.common.errors import NotFound
from accountability.people.forms import RosterImportForm
from accountability.people.models import Organisation
from accountability.people.selectors import (
    organisation_tree,
    organisations_managed_by,
    person_get_for_user,
    person_list_for_user,
)
from accountability.people.services import RosterImportError, roster_export, roster_import

IMPORT_DONE = gettext_noop(
    "名册已导入：新增 {created} 人，修改 {updated} 人，未变 {unchanged} 人。"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> tuple[str, Organisation | None, str]:
    query = request.GET.get("q", "").strip()
    organisation = None
    org_id = request.GET.get("org", "")
    if org_id.isdigit():
        organisation = Organisation.objects.filter(pk=int(org_id)).first()
    status = request.GET.get("status", "active")
    return query, organisation, status


def _visible_tree(user) -> list[tuple[Organisation, int]]:
    tree = organisation_tree()
    if user.role == "system_admin":
        return tree
    allowed = set(organisations_managed_by(user).values_list("pk", flat=True))
    return [(org, depth) for org, depth in tree if org.pk in allowed]


@role_required(REGISTRY_VIEWERS)
def person_list(request: HttpRequest) -> HttpResponse:
    query, organisation, status = _filters(request)
    active = {"active": True, "inactive": False}.get(status)
    people = person_list_for_user(
        user=request.user, query=query, organisation=organisation, active=active
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {
            "page_obj": page,
            "query": query,
            "organisation": organisation,
            "status": status,
            "tree": _visible_tree(request.user),
            "can_manage": request.user.role in REGISTRY_MANAGERS,
        },
    )


@role_required(REGISTRY_VIEWERS)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = person_get_for_user(person_id=pk, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "people/person_detail.html", {"person": person})


@role_required(REGISTRY_MANAGERS)
def roster_import_page(request: HttpRequest) -> HttpResponse:
    form = RosterImportForm(request.POST or None, request.FILES or None)
    errors = []
    error_message = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = roster_import(
                content=upload.read(), actor=request.user, filename=upload.name, request=request
            )
        except RosterImportError as exc:
            errors = exc.errors
            error_message = exc.message
        else:
            messages.success(
                request,
                _(IMPORT_DONE).format(
                    created=len(result.created),
                    updated=len(result.updated),
                    unchanged=len(result.unchanged),
                ),
            )
            return redirect("people:list")
    return render(
        request,
        "people/roster_import.html",
        {"form": form, "errors": errors, "error_message": error_message},
    )


@role_required(REGISTRY_MANAGERS)
def roster_export_download(request: HttpRequest) -> HttpResponse:
    query, organisation, _status = _filters(request)
    content, _count = roster_export(
        actor=request.user, request=request, organisation=organisation, query=query
    )
    filename = f"roster-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
