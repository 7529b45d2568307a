"""Display helpers of the case pages (no queries): state tones and article references."""

from __future__ import annotations

from django import template

import rulebook
from accountability.cases.views.common import DECISION_TONES, state_tone
from accountability.common.i18n import join_list

register = template.Library()


@register.filter(name="state_tone")
def state_tone_filter(state: object) -> str:
    """The badge tone of a case state (clue_registered … closed)."""
    return state_tone(str(state))


@register.filter
def decision_tone(code: object) -> str:
    return DECISION_TONES.get(str(code), "neutral")


@register.filter
def circumstance_ref(number: object) -> str:
    """8 → 第八条第(三)项 for item 3 (empty when there is no item)."""
    try:
        return rulebook.regulation.item_ref(8, int(str(number)))
    except (TypeError, ValueError):
        return ""


@register.filter
def factor_refs(items: object, article: int) -> str:
    """[1, 3] with 14 → 第十四条第(一)项、第十四条第(三)项."""
    try:
        return join_list(rulebook.regulation.item_ref(int(article), int(i)) for i in items or [])
    except (TypeError, ValueError):
        return ""
