"""Building roster workbooks for tests."""

import io

from openpyxl import Workbook

from accountability.people.roster import HEADERS


def workbook_bytes(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(**overrides):
    """A valid row (a new handler in the trial office), with overrides by header."""
    values = {
        "姓名": "新人甲",
        "工号": "ZX1001",
        "所在单位": "案件审理室",
        "职务": "科员",
        "职级": "一级科员",
        "责任主体类别": "具体承办人",
        "干部管理机关": "ZX",
        "性别": "女",
        "出生年份": 1990,
        "中共党员": "是",
        "在职": "是",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]
