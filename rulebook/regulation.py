"""The regulation's own text, article by article, so every result can quote it.

Source: 镇雄县纪检监察干部工作责任追究办法(试行), as published on 30 October
2020 by the Zhaotong city commission (ztjjjc.gov.cn, article 20201030/n50245);
kept verbatim in tables/zhenxiong-accountability-measures.zh.txt. The text
numbers its articles 一、二、…; references use the formal form 第八条 and
第八条第(三)项.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_NUMERALS = "一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 19 → 十九 (enough for 1–99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"no Chinese numeral for {n}")
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + ("" if units == 0 else _NUMERALS[units - 1])


def article_ref(number: int) -> str:
    return f"第{chinese_number(number)}条"


def item_ref(article: int, item: int) -> str:
    return f"第{chinese_number(article)}条第({chinese_number(item)})项"


@dataclass(frozen=True, slots=True)
class Item:
    article: int
    number: int
    ref: str
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    number: int
    ref: str
    text: str
    items: tuple[Item, ...]

    def item(self, number: int) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(item_ref(self.number, number))


TITLE = "镇雄县纪检监察干部工作责任追究办法(试行)"
SOURCE = "昭通市纪委监委网站 2020年10月30日发布(ztjjjc.gov.cn, 20201030/n50245);原文未载印发日期"

_ARTICLE_START = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_ITEM_START = re.compile(r"^\(([一二三四五六七八九十]+)\)(.*)$")


def _parse(text: str) -> tuple[Article, ...]:
    numerals = {chinese_number(n): n for n in range(1, 100)}
    articles: list[Article] = []
    number = 0
    paragraphs: list[str] = []
    items: list[Item] = []

    def flush() -> None:
        if number:
            body = "\n".join(paragraphs)
            articles.append(Article(number, article_ref(number), body, tuple(items)))

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == TITLE:
            continue
        start = _ARTICLE_START.match(line)
        if start and numerals.get(start.group(1)) == number + 1:
            flush()
            number = numerals[start.group(1)]
            paragraphs = [start.group(2).strip()]
            items = []
            continue
        paragraphs.append(line)
        item = _ITEM_START.match(line)
        if item:
            n = numerals[item.group(1)]
            items.append(Item(number, n, item_ref(number, n), item.group(2).strip()))
    flush()
    return tuple(articles)


@cache
def articles() -> tuple[Article, ...]:
    source = resources.files("rulebook") / "tables" / "zhenxiong-accountability-measures.zh.txt"
    return _parse(source.read_text(encoding="utf-8"))


ARTICLES: tuple[Article, ...] = articles()
_BY_REF: dict[str, Article | Item] = {
    **{a.ref: a for a in ARTICLES},
    **{i.ref: i for a in ARTICLES for i in a.items},
}


def lookup(ref: str) -> Article | Item:
    """The article or item a reference such as 第八条第(三)项 names (KeyError if none)."""
    return _BY_REF[ref]


def exists(ref: str) -> bool:
    return ref in _BY_REF


def _order(target: Article | Item) -> tuple[int, int]:
    if isinstance(target, Item):
        return (target.article, target.number)
    return (target.number, 0)


# Every reference's place in the regulation, computed once.
SORT_KEYS: dict[str, tuple[int, int]] = {ref: _order(target) for ref, target in _BY_REF.items()}


def sort_key(ref: str) -> tuple[int, int]:
    """Order references as the regulation does: 第八条第(三)项 after 第八条 (KeyError if none)."""
    return SORT_KEYS[ref]


def anchor(ref: str) -> str:
    """The HTML anchor of a reference: 第八条 → art-8, 第八条第(三)项 → art-8-3."""
    target = lookup(ref)
    if isinstance(target, Item):
        return f"art-{target.article}-{target.number}"
    return f"art-{target.number}"


def quote(ref: str) -> str:
    """The text of the article or item, as a report would quote it."""
    return lookup(ref).text
