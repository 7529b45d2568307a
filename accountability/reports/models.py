"""Summary tables for the statistics: what live aggregation reads, flattened, for a province.

At a county's scale every figure is aggregated live from the cases tables (selectors.py). For
a province (a million people, three million decisions) the figures about people and the time
per step read these tables instead (setting ``REPORTS_SOURCE=summary``): one row per decision
without the joins (decision → version → party → person → case), one per measure imposed, one
per stay of a case in a state (the transition log's window computed once). They are rebuilt
by a background job (``services.statistics_refresh``, ``accountability refresh_statistics``);
the page says when they were last rebuilt (数据截至…). Clues, appeals and deadlines stay live:
they are single tables, small beside the decisions, and a deadline is judged today.

The rows keep the ids of the cases app without foreign keys: the tables are a copy, rebuilt
whole, never the record.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionFact(models.Model):
    """A person's decision as the figures count it (current version, facts, unit, organ)."""

    decision_id = models.BigIntegerField(primary_key=True)
    case_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    handling_organ_id = models.BigIntegerField()
    decided_on = models.DateField()
    outcome = models.CharField(max_length=8)
    circumstance = models.PositiveSmallIntegerField(null=True)
    severity = models.CharField(max_length=8)
    kind = models.CharField(max_length=16)
    scope = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("统计汇总：决定")
        indexes = [
            # Every figure about people: decided_on in the period, unit_id in the organ's tree.
            models.Index(fields=["decided_on", "unit_id"], name="reports_decision_day_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.decided_on} {self.outcome}"


class MeasureFact(models.Model):
    """One measure of a decision held accountable (追究) in its current version."""

    decision_id = models.BigIntegerField()
    case_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    decided_on = models.DateField()
    measure = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("统计汇总：措施")
        indexes = [
            # by_measure: decided_on in the period, unit_id in the organ's tree.
            models.Index(fields=["decided_on", "unit_id"], name="reports_measure_day_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.measure}"


class StayFact(models.Model):
    """A stay of a case in a state, from the change that entered it to the one that left it."""

    case_id = models.BigIntegerField()
    handling_organ_id = models.BigIntegerField()
    state = models.CharField(max_length=24)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField()
    days = models.FloatField()

    class Meta:
        verbose_name = _("统计汇总：环节用时")
        indexes = [
            # by_step: left_at in the period, handling_organ_id in the organ's tree.
            models.Index(fields=["left_at", "handling_organ_id"], name="reports_stay_left_organ"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.state} {self.days:.1f}"


class SummaryRefresh(models.Model):
    """One rebuild of the summary tables: when its snapshot was taken and what it holds."""

    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"))
    decisions = models.PositiveIntegerField(_("决定"))
    measures = models.PositiveIntegerField(_("措施"))
    stays = models.PositiveIntegerField(_("环节"))

    class Meta:
        verbose_name = _("统计汇总表刷新")
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
