"""The filters of the statistics page: year, or a date range, and the organ (Art 11)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.cases.forms import DATE_FORMAT, DateInput
from accountability.reports.selectors import Period, Viewer

#: The first year with figures: the measures took effect on 2020-10-30 (Art 19).
FIRST_YEAR = 2020
#: The longest date range (the month table has one row a month).
MAX_RANGE_YEARS = 10

MSG_DATE_ORDER = _("开始日期不能晚于结束日期。")
MSG_RANGE_TOO_LONG = _("统计期间不能超过{years}年。")
MSG_BEFORE_FIRST = _("统计期间不能早于{year}年（本办法自2020年10月30日起施行）。")


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=[DATE_FORMAT, "%Y/%m/%d", "%Y.%m.%d"],
    )


class StatisticsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    start = _date_field(_("起始日期"))
    end = _date_field(_("截止日期"))
    organ = forms.TypedChoiceField(label=_("单位"), coerce=int, required=False)

    def __init__(self, *args: Any, viewer: Viewer, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.viewer = viewer
        years = range(today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["organ"].choices = viewer.organ_choices()
        self.fields["start"].help_text = _("填写起止日期时按日期统计，不按年度。")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        year = data.get("year") or self.today.year
        if start or end:
            start = start or date(year, 1, 1)
            end = end or date(year, 12, 31)
            if start > end:
                self.add_error("end", MSG_DATE_ORDER)
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_RANGE_YEARS * 12:
                self.add_error("end", str(MSG_RANGE_TOO_LONG).format(years=MAX_RANGE_YEARS))
            elif end.year < FIRST_YEAR:
                self.add_error("end", str(MSG_BEFORE_FIRST).format(year=FIRST_YEAR))
            data["start"], data["end"] = start, end
        return data

    def period(self) -> Period:
        """The chosen period (the current year when nothing is chosen or the form is invalid)."""
        data = getattr(self, "cleaned_data", None) if self.is_bound and self.is_valid() else None
        if not data:
            return Period.for_year(self.today.year)
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        return Period.for_year(data.get("year") or self.today.year)

    def organ_id(self) -> int | None:
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("organ") or None
        return None

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for the export and summary links)."""
        if not (self.is_bound and self.is_valid()):
            return {}
        result = {}
        period = self.period()
        if period.year is not None:
            result["year"] = str(period.year)
        else:
            result["start"] = period.start.isoformat()
            result["end"] = period.end.isoformat()
        if self.cleaned_data.get("organ"):
            result["organ"] = str(self.cleaned_data["organ"])
        return result
