"""Date arithmetic of the PRC rules on periods.

民法典 art 202: a period in months ends on the corresponding day of the last
month, or on that month's last day where there is no corresponding day.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later (or earlier), clamped to the month's end."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month, dom = day.year + years, month0 + 1, day.day
    if dom > 28:  # only the last days of a month may have no corresponding day
        last = _MONTH_DAYS[month0]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        dom = min(dom, last)
    return date(year, month, dom)


def zh(day: date) -> str:
    """2026年10月8日"""
    return f"{day.year}年{day.month}月{day.day}日"


def china_today() -> date:
    """Today in China (UTC+8), whatever the server's own time zone."""
    return datetime.now(CHINA).date()
