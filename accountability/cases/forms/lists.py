"""The case list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.cases.forms.base import (
    MSG_DATE_RANGE,
    CaseForm,
    circumstance_refs,
    date_field,
    measure_choices,
    prc_founded,
    search_bound,
    severity_choices,
)
from accountability.common.forms import ModelChoiceField
from accountability.people.models import Organisation


class CaseFilterForm(CaseForm):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("办理状态"), required=False)
    unit = ModelChoiceField(
        label=_("所在单位"), required=False, queryset=Organisation.objects.none()
    )
    circumstance = forms.TypedChoiceField(label=_("情形"), required=False, coerce=int)
    severity = forms.ChoiceField(label=_("情节"), required=False)
    person = forms.CharField(label=_("被调查人"), required=False, max_length=64)
    document = forms.CharField(label=_("发文字号"), required=False, max_length=64)
    measure = forms.ChoiceField(label=_("追究措施"), required=False)
    received_from = date_field(
        _("收到线索自"), required=False, earliest=prc_founded, latest=search_bound
    )
    received_to = date_field(_("至"), required=False, earliest=prc_founded, latest=search_bound)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accountability.cases.workflow import State

        self.fields["state"].choices = [("", _("全部")), *list(State.choices)]
        self.fields["unit"].queryset = Organisation.objects.order_by("code")
        self.fields["unit"].empty_label = _("全部")
        # The regulation's vocabulary comes from the rulebook version in force.
        self.fields["circumstance"].choices = [("", _("全部")), *circumstance_refs()]
        self.fields["severity"].choices = [("", _("全部")), *severity_choices()]
        self.fields["measure"].choices = [("", _("全部")), *measure_choices()]
        self.fields["q"].widget.attrs["placeholder"] = _("案件编号或摘要")
        self.fields["person"].widget.attrs["placeholder"] = _("姓名")
        self.fields["document"].widget.attrs["placeholder"] = _("如：镇纪监干〔2026〕3号")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", MSG_DATE_RANGE)
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters as the selector expects them (invalid ones are dropped)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        result = {k: v for k, v in data.items() if v not in (None, "")}
        if "unit" in result:
            result["unit"] = result["unit"].pk
        return result
