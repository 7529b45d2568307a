from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accountability.accounts.permissions import AUDIT_READERS, role_required
from accountability.audit.forms import AuditFilterForm
from accountability.audit.selectors import audit_entry_list
from accountability.audit.services import audit_log

PAGE_SIZE = 50


@role_required(AUDIT_READERS)
def log_page(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entry_list(
        actor=filters.get("actor") or "",
        action=filters.get("action") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    # Audited before the query, so the page shows its own viewing too.
    audit_log(
        actor=request.user,
        action="view",
        target=("audit.log", "", "审计日志"),
        changes={k: v for k, v in filters.items() if v},
        request=request,
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page_obj": page})
