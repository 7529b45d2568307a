"""Typesetting helpers for Chinese official documents: dates, numbers, punctuation."""

from __future__ import annotations

import datetime as dt
import re

_CJK = r"\u3400-\u9fff\uff00-\uffef\u3000-\u303f"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])([,;:?!])|([,;:?!])(?=[{_CJK}])")
_PARENS = re.compile(r"\(([^()]*)\)")


def typeset(text: str) -> str:
    """Full-width punctuation in Chinese text: 第八条第(三)项 → 第八条第（三）项, "：" etc.

    The regulation's published text uses ASCII commas and parentheses; an official
    document quotes it with the full-width forms. Latin text (a date like 2026-03-05,
    a decimal) is left alone.
    """

    if re.search(rf"[{_CJK}]", text):
        text = _PARENS.sub(r"（\1）", text)
    return _NEXT_TO_CJK.sub(lambda m: _HALF_TO_FULL[m.group(1) or m.group(2)], text)


def cn_date(value: dt.date | None, *, blank: str = "") -> str:
    """2026年3月6日 (no leading zeros, GB/T 9704 7.3.5)."""
    if value is None:
        return blank
    return f"{value.year}年{value.month}月{value.day}日"


def document_number(prefix: str, year: int, serial: int) -> str:
    """发文字号: 镇纪监干〔2026〕3号 — year in full in 〔〕, no 第, no leading zeros."""
    return f"{prefix}〔{year}〕{serial}号"


_ORDINALS = "一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for headings and lists)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _ORDINALS[tens - 1] + "十")
    return head + ("" if units == 0 else _ORDINALS[units - 1])


def paragraphs(text: str | None) -> list[str]:
    """A multi-line text as the paragraphs of a document, each typeset, blank lines dropped."""
    if not text:
        return []
    return [typeset(line.strip()) for line in text.splitlines() if line.strip()]


def join_cn(items: list[str]) -> str:
    """A list in running text: 通报、诫勉."""
    return "、".join(i for i in items if i)
