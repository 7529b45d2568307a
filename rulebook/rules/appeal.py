"""The appeal period (第十六条).

第十六条 受到责任追究的领导干部对责任追究决定不服的,可以自接到处理决定之日起15日内,向作出
决定的机关或上级机关提出书面申诉。

Counting (interpretation appeal_counting): the day of receipt does not count; a
last day that is a statutory holiday or rest day moves to the next working day.
A year whose official schedule is missing is counted by weekends alone, with a
warning.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rulebook.calendar import HolidayCalendar
from rulebook.dates import zh
from rulebook.errors import RulebookError
from rulebook.model import Facts, Narrative
from rulebook.versions import RulebookVersion

if TYPE_CHECKING:
    from rulebook.compiled import Rules


def appeal_deadline(rules: Rules, facts: Facts, calendar: HolidayCalendar) -> date | None:
    """The last day to appeal, counted from the day after receipt; None before receipt."""
    received = facts.received_on
    if received is None:
        return None
    if received < facts.decided_on:
        raise RulebookError(
            "received_on",
            f"接到决定的日期{zh(received)}早于决定日期{zh(facts.decided_on)}",
        )
    return calendar.last_day(received, rules.appeal_days)


def explain_appeal(
    version: RulebookVersion,
    facts: Facts,
    deadline: date | None,
    calendar: HolidayCalendar,
    story: Narrative,
) -> None:
    if facts.received_on is None or deadline is None:
        return
    counted = calendar.deadline(facts.received_on, version.appeal_days)
    if counted.last_day != deadline:  # the compiled table and the day-by-day count disagree
        raise RulebookError("received_on", f"申诉期限计算不一致:{deadline}≠{counted.last_day}")
    if counted.skipped:
        first, reason = counted.skipped[0]
        moved = (
            f"第{version.appeal_days}日{zh(first)}为{reason},顺延至其后第一个工作日{zh(deadline)}"
        )
    else:
        moved = f"第{version.appeal_days}日为{zh(deadline)}"
    story.step(
        f"被追究责任者于{zh(facts.received_on)}接到决定,依第十六条可自接到之日起"
        f"{version.appeal_days}日内向{version.appeal_to}提出{version.appeal_form}申诉;"
        f"接到之日不计入,{moved},申诉期限至{zh(deadline)}届满。",
        version.appeal_ref,
        interpretations=("appeal_counting", "appeal_period_county"),
    )
    for year in counted.missing_years:
        story.warnings.append(
            f"{year}年的法定节假日安排尚未录入,申诉期限仅按周六、周日推算;"
            f"请在“节假日安排”中录入{year}年安排后重新计算。"
        )
