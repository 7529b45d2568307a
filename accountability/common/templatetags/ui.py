"""Small presentation helpers for the templates: inline icons and state badges.

Icons are inline SVG (stroke, 24×24 grid, drawn for this project) so that no
icon font or external request is needed.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from accountability.common import i18n

register = template.Library()

_ICONS: dict[str, str] = {
    "home": '<path d="M3 11 12 3l9 8"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    "folder": '<path d="M3 6a1 1 0 0 1 1-1h5l2 2h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4'
    'a1 1 0 0 1-1-1z"/>',
    "plus": '<circle cx="12" cy="12" r="9"/><path d="M12 8v8M8 12h8"/>',
    "users": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.5-3.5 3.2-5.5 6.5-5.5s6 2 6.5 5.5"/>'
    '<path d="M16 4.8a3.3 3.3 0 0 1 0 6.4M18 14.8c2 .7 3.3 2.5 3.5 5.2"/>',
    "scale": '<path d="M12 3v18M6 21h12M4 7h16"/><path d="m4 7-2.5 6a2.8 2.8 0 0 0 5 0z"/>'
    '<path d="m20 7-2.5 6a2.8 2.8 0 0 0 5 0z"/>',
    "book": '<path d="M4 4.5A1.5 1.5 0 0 1 5.5 3H20v15H5.5A1.5 1.5 0 0 0 4 19.5z"/>'
    '<path d="M4 19.5A1.5 1.5 0 0 0 5.5 21H20v-3M8 7h8M8 11h6"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="1.5"/>'
    '<path d="M3 10h18M8 3v4M16 3v4"/>'
    '<path d="M8 14h2M14 14h2M8 17.5h2"/>',
    "shield": '<path d="M12 3 4 6v6c0 4.5 3.4 8 8 9 4.6-1 8-4.5 8-9V6z"/><path d="m9 12 2 2 4-4"/>',
    "key": '<circle cx="8" cy="15" r="4"/><path d="m11 12 9-9M16 7l3 3M14 9l2 2"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c.8-4 4-6.5 8-6.5s7.2 2.5 8 6.5"/>',
    "logout": '<path d="M9 4H5a1 1 0 0 0-1 1v14a1 1 0 0 0 1 1h4M16 16l4-4-4-4M20 12H9"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20 20-4-4"/>',
    "check": '<path d="m5 12 5 5 9-10"/>',
    "alert": '<path d="M12 3 2 20h20z"/><path d="M12 10v4M12 17.5v.5"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7.5v.5"/>',
    "download": '<path d="M12 3v12M7 10l5 5 5-5M4 20h16"/>',
    "upload": '<path d="M12 21V9M7 14l5-5 5 5M4 4h16"/>',
    "link": '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/>'
    '<path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>',
    "chevron-right": '<path d="m9 6 6 6-6 6"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "file": '<path d="M6 3h8l5 5v13H6z"/><path d="M14 3v5h5M9 13h7M9 17h7"/>',
}


@register.simple_tag
def icon(name: str, css_class: str = "icon") -> SafeString:
    """An inline SVG icon (empty when the name is unknown)."""
    body = _ICONS.get(str(name or ""))
    if body is None:
        return mark_safe("")
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" width="18" height="18" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">{}</svg>',
        css_class,
        mark_safe(body),  # noqa: S308 - constant markup from _ICONS
    )


_BADGE_TONES = ("neutral", "info", "primary", "success", "warning", "danger", "critical")


@register.simple_tag
def badge(label: object, tone: str = "neutral") -> SafeString:
    """A status badge: ``{% badge case.get_state_display "warning" %}``."""
    tone = tone if tone in _BADGE_TONES else "neutral"
    return format_html('<span class="badge badge--{}">{}</span>', tone, label)


_SEVERITY_TONES = {"较轻": "info", "较重": "warning", "严重": "danger", "涉嫌犯罪": "critical"}


@register.filter
def severity_tone(tier: object) -> str:
    """The badge tone for a tier/severity in the regulation's words (较轻 … 涉嫌犯罪)."""
    return _SEVERITY_TONES.get(str(tier), "neutral")


@register.filter
def get_item(mapping: object, key: object) -> object:
    """``{{ mapping|get_item:key }}``: a dict lookup with a variable key (None if absent)."""
    getter = getattr(mapping, "get", None)
    return getter(key) if getter else None


# Punctuation that differs between the interface languages (accountability.common.i18n):
# ``{{ names|join_list }}`` (、 or ", "), ``{% colon %}`` after a label (： or ": "),
# ``{% list_sep %}`` between items of a loop, ``{{ note|paren }}`` (（note） or " (note)").


@register.filter(needs_autoescape=True)
def join_list(items: Any, autoescape: bool = True) -> SafeString:
    """The items joined with the list separator of the active language, each escaped."""
    esc = conditional_escape if autoescape else str
    return mark_safe(i18n.list_separator().join(str(esc(item)) for item in items or []))  # noqa: S308


@register.simple_tag
def colon() -> str:
    """The separator after a label: ： in Chinese, ": " in English."""
    return i18n.label_separator()


@register.simple_tag
def list_sep() -> str:
    """The separator between the items of a list: 、 in Chinese, ", " in English."""
    return i18n.list_separator()


@register.filter(needs_autoescape=True)
def paren(value: Any, autoescape: bool = True) -> SafeString:
    """The value in parentheses: full-width in Chinese, " (value)" in English; escaped."""
    esc = conditional_escape if autoescape else str
    return mark_safe(gettext("（{text}）").format(text=esc(value)))  # noqa: S308
