"""The audit log page and its CSV export (the audit administrator only; both audited).

The pages of the audit app, kept with the other administrators' pages: they need the
role checks of accounts, which itself writes to the audit trail (docs/architecture.md, "Layers").
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.accounts.permissions import AUDIT_READERS, role_required
from accountability.audit.describe import describe
from accountability.audit.forms import AuditFilterForm
from accountability.audit.selectors import audit_entry_iter, audit_entry_list, audit_entry_page
from accountability.audit.services import audit_log
from accountability.common.i18n import label_separator, list_separator


def _int(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value > 0 else None


def _audited_filters(filters: dict) -> dict:
    return {k: v for k, v in filters.items() if v}


@role_required(AUDIT_READERS)
def log_page(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    # Audited before the query, so the page shows its own viewing too.
    audit_log(
        actor=request.user,
        action="view",
        target=("audit.log", "", "审计日志"),
        changes=_audited_filters(filters),
        request=request,
    )
    page = audit_entry_page(
        audit_entry_list(**filters),
        before=_int(request.GET.get("before")),
        after=_int(request.GET.get("after")),
    )
    kept = urlencode({k: v for k, v in request.GET.items() if k not in {"before", "after"}})
    rows = [(entry, describe(entry)) for entry in page.entries]
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": rows, "query": kept},
    )


CSV_HEADER = ("序号", "时间", "操作人", "账号", "IP地址", "事件", "结果", "记录内容")


def _csv_rows(entries) -> Iterator[list[str]]:
    yield [_(h) for h in CSV_HEADER]
    separator = list_separator()
    for entry in audit_entry_iter(entries):
        described = describe(entry)
        yield [
            str(entry.seq),
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name,
            entry.actor.username if entry.actor else "",
            entry.ip,
            described.sentence,
            str(entry.get_outcome_display()),
            separator.join(f"{x.label}{label_separator()}{x.value}" for x in described.lines),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@role_required(AUDIT_READERS)
def log_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (UTF-8 with BOM for spreadsheet programs), streamed by keyset."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    audit_log(
        actor=request.user,
        action="export",
        target=("audit.log", "", "审计日志"),
        changes=_audited_filters(filters),
        request=request,
    )
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in _csv_rows(audit_entry_list(**filters)))
    response = StreamingHttpResponse(_with_bom(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


def _with_bom(rows: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from rows
