"""Registry pages: the list with the organisation tree, a person, roster import and export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accountability.accounts.permissions import REGISTRY_MANAGERS, REGISTRY_VIEWERS, role_required
from accountability.audit.services import audit_log
from accountability.common.errors import NotFound
from accountability.people.forms import RosterImportForm
from accountability.people.models import Organisation
from accountability.people.roster import roster_limits
from accountability.people.selectors import (
    organisation_tree,
    organisations_managed_by,
    person_get_for_user,
    person_list_for_user,
    roster_upload_get_for_user,
)
from accountability.people.services import IMPORT_FAILED, roster_export, roster_upload_submit

#: The status page reloads itself this often (seconds) while the job runs.
REFRESH_SECONDS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


#: Characters of a search kept (a name, a 工号 or a post is far shorter; SQLite refuses LIKE
#: patterns over 50,000 bytes).
MAX_QUERY_CHARS = 100


def _filters(request: HttpRequest) -> tuple[str, Organisation | None, str]:
    # PostgreSQL text cannot hold NUL; a search never needs one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_CHARS]
    organisation = None
    org_id = request.GET.get("org", "")
    if org_id.isdigit() and len(org_id) <= 18:
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
    # GB/T 22239 level 3 audits reads of personal records: one entry per view, no content.
    audit_log(actor=request.user, action="view", target=person, request=request)
    return render(request, "people/person_detail.html", {"person": person})


@role_required(REGISTRY_MANAGERS)
def roster_import_page(request: HttpRequest) -> HttpResponse:
    """The upload form; a valid file is kept and queued, and the status page follows it."""
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = roster_upload_submit(
            content=file.read(), filename=file.name, actor=request.user, request=request
        )
        return redirect("people:import_status", pk=upload.pk)
    return render(request, "people/roster_import.html", {"form": form})


roster_import_page.upload_max_bytes = lambda: roster_limits().upload_bytes  # type: ignore[attr-defined]


@role_required(REGISTRY_MANAGERS)
def roster_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload's job while it runs, then the result: the counts, or each row's errors."""
    try:
        upload = roster_upload_get_for_user(upload_id=pk, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    job = upload.job
    finished = job is None or job.finished
    error_message = ""
    if upload.state == upload.State.REFUSED:
        error_message = IMPORT_FAILED.format(count=upload.error_count)
    return render(
        request,
        "people/roster_import_status.html",
        {
            "upload": upload,
            "job": job,
            "refresh_seconds": None if finished else REFRESH_SECONDS,
            "errors": upload.errors,
            "error_message": error_message,
            "more_errors": max(0, upload.error_count - len(upload.errors)),
            "counts": upload.counts,
        },
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
