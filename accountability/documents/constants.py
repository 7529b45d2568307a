"""The issuing organ's names as they appear on paper, and the number prefix.

A deployment for another county overrides them with the settings DOCUMENTS_ORGAN (a JSON
object with some of the keys below; preflight refuses other keys) and DOCUMENTS_NUMBER_PREFIX.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_ORGAN: dict[str, str] = {
    # 发文机关标志 and the signature under a document.
    "mark": "中共镇雄县纪律检查委员会",
    "name": "中共镇雄县纪律检查委员会",
    "short_name": "镇雄县纪委监委",
    # The office that drafts and prints the documents (Art 12, 13).
    "office": "县纪委监委纪检监察干部监督室",
    # The organ above, which also hears appeals (Art 16) and receives filings (Art 13).
    "superior": "中共昭通市纪律检查委员会",
    "superior_office": "市纪委监委纪检监察干部监督室",
    # Where the materials go into the personal dossier (Art 13).
    "archive_department": "县纪委监委组织部",
    # Where a 涉嫌犯罪 matter is transferred (Art 10).
    "judicial_organ": "镇雄县人民检察院",
}

# 机关代字 of the 发文字号: 镇纪监干〔2026〕3号.
DEFAULT_NUMBER_PREFIX = "镇纪监干"


def default_organ() -> dict[str, str]:
    organ = dict(DEFAULT_ORGAN)
    organ.update(settings.DOCUMENTS_ORGAN or {})
    return organ


def number_prefix() -> str:
    return str(settings.DOCUMENTS_NUMBER_PREFIX or DEFAULT_NUMBER_PREFIX)
