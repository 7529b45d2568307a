"""Holiday schedules an administrator adds as data (第十六条's period counting).

The State Council publishes each year's holidays and make-up working days late
in the year before; the chinesecalendar package ships 2004–2026. A later year
is entered here (the 节假日安排 page or `accountability import_holidays`) and
reaches the rulebook through `accountability.assessment.current.current_rulebook`.
A year is written whole, in one transaction, and never edited in place: a
correction deletes the year and enters it again (both audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class HolidayYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据"), max_length=255, help_text=_("国务院办公厅通知的名称和文号")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")

    def __str__(self) -> str:
        return gettext("{year}年节假日安排").format(year=self.year)


class HolidayDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    schedule = models.ForeignKey(
        HolidayYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=64, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排日期")
        verbose_name_plural = _("节假日安排日期")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class HolidayScheduleStamp(models.Model):
    """One row: the revision of the holiday schedules, for every worker process.

    Saving or deleting a year bumps the revision in the same transaction. Each process keeps
    the rulebook it built with the revision it read (accountability.assessment.current) and
    reads this one row to know whether another process changed the schedules since.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    revision = models.PositiveBigIntegerField(_("修订号"), default=0)
    changed_at = models.DateTimeField(_("修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("节假日安排修订号")
        verbose_name_plural = _("节假日安排修订号")

    def __str__(self) -> str:
        return str(self.revision)
