"""Rules about a case's records that both the reads (selectors) and the writes (services) apply.

Finality (生效, Art 16): a decision becomes final when its appeal period is over, counted from
the recorded delivery to the person, unless an appeal is pending; it is computed from the
records, never stored by a job. Recusal (回避) and the role sets are in cases/access.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accountability.cases.models import Appeal, Decision, Outcome


def decision_final_on(*, decision: Decision) -> date | None:
    """The day the decision becomes final (生效), or None while it cannot be said.

    * revoked on appeal: never (None);
    * reviewed on appeal (upheld or changed): the review date;
    * 不予追究: the decision date (there is nothing to appeal, Art 16);
    * otherwise the day after the appeal deadline, counted from the recorded delivery to the
      person, as long as no appeal is pending review. A late appeal recorded as 逾期不予受理
      does not stop it.
    """
    version = decision.current_version
    if version is None or version.outcome == Outcome.REVOKED:
        return None
    appeals = list(decision.appeals.all())
    reviewed = [a.reviewed_on for a in appeals if a.status == Appeal.Status.REVIEWED]
    if reviewed:
        return max(d for d in reviewed if d is not None)
    if version.outcome == Outcome.NOT_PURSUE:
        return decision.decided_on
    if any(a.status == Appeal.Status.PENDING for a in appeals):
        return None
    if decision.appeal_deadline is None:
        return None
    return decision.appeal_deadline + timedelta(days=1)


def decision_is_final(*, decision: Decision, today: date | None = None) -> bool:
    """Whether the decision is final (生效) on ``today``: computed, no job sets it."""
    final_on = decision_final_on(decision=decision)
    return final_on is not None and (today or timezone.localdate()) >= final_on
