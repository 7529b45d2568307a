"""The case page's hook: ``{% load public_case %}{% public_report_panel case %}`` shows the
report a clue came from, its evidence and its thread (nothing when there is none, or when the
user may not see it). The read is audited by the selector."""

from __future__ import annotations

from typing import Any

from django import template

from accountability.public import selectors, services
from accountability.public.forms import OfficeMessageForm

register = template.Library()


@register.inclusion_tag("public/staff/case_panel.html", takes_context=True)
def public_report_panel(context: Any, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    panel = selectors.case_panel_for_user(case=case, user=user, request=request)
    return {
        "panel": panel,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "message_form": OfficeMessageForm(),
        "approval_on": services.approval_required(),
    }
