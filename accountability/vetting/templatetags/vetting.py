"""``{% person_record person %}``: the person's record on their page (people/person_detail.html).

Every clue, case, decision and restriction about the person in the cases the user may see
(selectors.person_record_for_user); nothing for a role that sees no case. The page's view
audits the read of the person (people.views.person_detail).
"""

from __future__ import annotations

from typing import Any

from django import template

from accountability.vetting.selectors import person_record_for_user

register = template.Library()


@register.inclusion_tag("vetting/person_record.html", takes_context=True)
def person_record(context: dict[str, Any], person: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    record = person_record_for_user(person=person, user=user) if user is not None else None
    return {"record": record, "person": person}
