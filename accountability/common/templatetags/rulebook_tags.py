"""Template helpers that link the regulation's references (第八条第(三)项) to its text.

    {% load rulebook_tags %}
    {{ sentence|cite_links }}          each reference a link to /regulation/#art-8-3
    {% cited_refs sentence as refs %}  [{ref, anchor, url, text}] to quote beside it
    {% article_quote "第十条" %}        the text of an article or item (empty if unknown)

References preceded by a title in 《》 belong to another regulation and are left alone.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NUM = "一二三四五六七八九十"
REF_PATTERN = re.compile(rf"第[{_NUM}]+条(?:第[(（][{_NUM}]+[)）]项)?")


def _regulation_url() -> str:
    try:
        return reverse("assessment:regulation")
    except NoReverseMatch:
        return ""


def _normalise(ref: str) -> str:
    return ref.replace("（", "(").replace("）", ")")


def _county_refs(text: str) -> list[tuple[re.Match[str], str]]:
    from rulebook import regulation

    found = []
    for match in REF_PATTERN.finditer(text):
        before = text[max(0, match.start() - 1) : match.start()]
        if before == "》":
            continue
        ref = _normalise(match.group(0))
        if regulation.exists(ref):
            found.append((match, ref))
    return found


def ref_info(ref: str) -> dict[str, Any] | None:
    from rulebook import regulation

    ref = _normalise(ref)
    if not regulation.exists(ref):
        return None
    anchor = regulation.anchor(ref)
    base = _regulation_url()
    return {
        "ref": ref,
        "anchor": anchor,
        "url": f"{base}#{anchor}" if base else "",
        "text": regulation.quote(ref),
    }


@register.filter(needs_autoescape=True)
def cite_links(text: Any, autoescape: bool = True) -> SafeString:
    """The text, escaped, with each reference to the county regulation made a link."""
    text = "" if text is None else str(text)
    esc = conditional_escape if autoescape else (lambda s: s)
    base = _regulation_url()
    parts: list[str] = []
    last = 0
    for match, ref in _county_refs(text):
        info = ref_info(ref)
        parts.append(str(esc(text[last : match.start()])))
        if base and info:
            parts.append(
                str(
                    format_html(
                        '<a class="cite" href="{}#{}" title="{}">{}</a>',
                        base,
                        info["anchor"],
                        info["text"],
                        match.group(0),
                    )
                )
            )
        else:
            parts.append(str(esc(match.group(0))))
        last = match.end()
    parts.append(str(esc(text[last:])))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@register.simple_tag
def cited_refs(text: Any) -> list[dict[str, Any]]:
    """The county references in `text`, each once, with anchor, URL and the quoted text."""
    seen: dict[str, dict[str, Any]] = {}
    for _match, ref in _county_refs("" if text is None else str(text)):
        if ref not in seen:
            info = ref_info(ref)
            if info:
                seen[ref] = info
    return list(seen.values())


@register.simple_tag
def article_quote(ref: str) -> str:
    info = ref_info(str(ref))
    return info["text"] if info else ""


@register.filter
def ref_anchor(ref: Any) -> str:
    info = ref_info(str(ref))
    return info["anchor"] if info else ""
