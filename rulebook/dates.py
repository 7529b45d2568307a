"""Date arithmetic of the PRC rules on periods.

民法典 art 202: a period in months ends on the corresponding day of the last
month, or on that month's last day where there is no corresponding day.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=65536)
def add_months(day: date, months: int) -> date:
    """The corresponding day `months` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@lru_cache(maxsize=65536)
def zh(day: date) -> str:
    """2026年10月8日"""
    return f"{day.year}年{day.month}月{day.day}日"


def china_today() -> date:
    """Today in China (UTC+8), whatever the server's own time zone."""
    return datetime.now(CHINA).date()
