"""The regulation's text as data: 19 articles, items, references and anchors."""

from __future__ import annotations

import pytest

from rulebook import regulation


def test_nineteen_articles() -> None:
    assert [a.ref for a in regulation.ARTICLES][:3] == ["第一条", "第二条", "第三条"]
    assert len(regulation.ARTICLES) == 19
    assert regulation.ARTICLES[-1].text == "本办法自印发之日起施行。"


@pytest.mark.parametrize(
    ("ref", "items"),
    [("第八条", 9), ("第十三条", 4), ("第十四条", 3), ("第十五条", 3), ("第十条", 0)],
)
def test_items(ref: str, items: int) -> None:
    article = regulation.lookup(ref)
    assert isinstance(article, regulation.Article)
    assert len(article.items) == items


def test_item_text_and_anchor() -> None:
    assert regulation.quote("第十五条第(一)项") == "一年内出现2次以上(含2次)被追究责任的;"
    assert regulation.anchor("第八条第(三)项") == "art-8-3"
    assert regulation.anchor("第十七条") == "art-17"


def test_article_13_keeps_its_closing_paragraph() -> None:
    assert "归入干部个人档案" in regulation.quote("第十三条")


def test_chinese_numbers() -> None:
    assert [regulation.chinese_number(n) for n in (1, 10, 13, 19, 20, 21)] == [
        "一",
        "十",
        "十三",
        "十九",
        "二十",
        "二十一",
    ]


def test_unknown_reference() -> None:
    assert not regulation.exists("第二十条")
    with pytest.raises(KeyError):
        regulation.lookup("第二十条")


def test_the_restriction_kinds_are_documented() -> None:
    """docs/restrictions.md lists every kind of the shipped tables with what it bars."""
    from pathlib import Path

    import rulebook

    text = (Path(__file__).resolve().parents[2] / "docs" / "restrictions.md").read_text("utf-8")
    rows = {
        line.split("|")[1].strip(" `"): line.split("|")[3].strip()
        for line in text.splitlines()
        if line.startswith("| `")
    }
    for kind in rulebook.load().versions[0].kinds.values():
        assert rows.get(kind.name) == (", ".join(kind.bars) or "—"), kind.name
