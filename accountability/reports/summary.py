"""The year-end summary in sentences (the printable page opens with them; no database)."""

from __future__ import annotations

from django.utils.translation import gettext

from accountability.reports.selectors import SEVERITIES, Statistics


def narrative(stats: Statistics) -> list[str]:
    """The main figures as the paragraphs of a report, each figure taken from its table."""
    scope = stats.scope
    month = stats.table("by_month")
    tier = stats.table("by_tier")
    appeal = stats.table("by_appeal")
    deadline = stats.table("by_deadline")
    total = month.total.values if month.total else (0, 0, 0, 0, 0)
    tiers = {s.value: 0 for s in SEVERITIES}
    for severity, row in zip(SEVERITIES, tier.rows, strict=False):
        tiers[severity.value] = int(row.values[0] or 0)
    outcomes = [int(row.values[0] or 0) for row in appeal.rows]
    rect, review = deadline.rows
    return [
        gettext(
            "{period}，{organ}共收到问题线索{clues}件，其中不予受理{rejected}件；"
            "对{people}人次作出追究责任决定，涉及案件{cases}件，另有{not_pursued}人次不予追究。"
        ).format(
            period=scope.period.label,
            organ=scope.organ.name,
            clues=total[0],
            rejected=total[1],
            people=total[2],
            cases=total[3],
            not_pursued=total[4],
        ),
        gettext(
            "按情节分，情节较轻{light}人次，情节较重{serious}人次，情节严重{grave}人次，"
            "涉嫌犯罪{criminal}人次。"
        ).format(
            light=tiers["较轻"],
            serious=tiers["较重"],
            grave=tiers["严重"],
            criminal=tiers["涉嫌犯罪"],
        ),
        gettext(
            "收到申诉{appeals}件：维持原决定{upheld}件，变更原决定{changed}件，撤销原决定{revoked}件，"
            "待复查{pending}件，逾期不予受理{late}件。"
        ).format(
            appeals=sum(outcomes),
            upheld=outcomes[0],
            changed=outcomes[1],
            revoked=outcomes[2],
            pending=outcomes[3],
            late=outcomes[4],
        ),
        gettext(
            "截至{today}，期间内到期的责令限期整改{rect_due}件，逾期未完成{rect_overdue}件；"
            "申诉复查逾期未办结{review_overdue}件。"
        ).format(
            today=scope.today.isoformat(),
            rect_due=rect.values[0],
            rect_overdue=rect.values[3],
            review_overdue=review.values[3],
        ),
    ]
