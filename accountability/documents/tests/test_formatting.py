"""Typesetting helpers: dates, 发文字号, punctuation of quoted articles."""

from datetime import date

import pytest

from accountability.documents.formatting import (
    chinese_ordinal,
    cn_date,
    document_number,
    join_cn,
    paragraphs,
    typeset,
)


def test_document_number_has_the_year_in_full_in_brackets_and_no_leading_zero():
    """镇纪监干〔2026〕3号: GB/T 9704 7.2.4 (no 第, no leading zeros)."""
    assert document_number("镇纪监干", 2026, 3) == "镇纪监干〔2026〕3号"
    assert document_number("镇纪监干", 2026, 12) == "镇纪监干〔2026〕12号"


def test_dates_have_no_leading_zeros():
    assert cn_date(date(2026, 3, 6)) == "2026年3月6日"
    assert cn_date(None) == ""
    assert cn_date(None, blank="年　月　日") == "年　月　日"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("第八条第(三)项", "第八条第（三）项"),
        ("工作纪律,造成工作失误", "工作纪律，造成工作失误"),
        ("情形:执纪问责;调查", "情形：执纪问责；调查"),
        ("2026-03-05", "2026-03-05"),
        ("version 1.2, draft (a)", "version 1.2, draft (a)"),
    ],
)
def test_typeset_gives_chinese_text_full_width_punctuation(raw, expected):
    """Chinese text gets full-width punctuation; Latin text is left alone."""
    assert typeset(raw) == expected


def test_paragraphs_split_lines_and_drop_blank_ones():
    assert paragraphs("第一段,内容。\n\n  第二段。 \n") == ["第一段，内容。", "第二段。"]
    assert paragraphs("") == []
    assert paragraphs(None) == []


def test_chinese_ordinals_and_lists():
    assert [chinese_ordinal(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
    assert join_cn(["通报", "", "诫勉"]) == "通报、诫勉"
