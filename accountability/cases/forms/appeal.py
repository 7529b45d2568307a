"""Art 16 申诉: registering an appeal and its review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.cases.forms.base import (
    CaseForm,
    Radios,
    date_field,
    deadline_bound,
    measure_choices,
    measures_field,
    text_field,
)
from accountability.cases.models import Appeal, Case
from accountability.common.forms import ModelChoiceField
from accountability.people.models import Organisation


class AppealForm(CaseForm):
    side_by_side = (("received_on", "postmark_on", "reviewing_organ"),)
    received_on = date_field(_("收到申诉日期"))
    manner = forms.ChoiceField(
        label=_("提交方式"),
        choices=Appeal.Manner.choices,
        widget=Radios(),
        initial=Appeal.Manner.IN_PERSON,
    )
    postmark_on = date_field(
        _("邮戳日期"), required=False, help_text=_("邮寄申诉以邮戳日期计算是否逾期。")
    )
    written = forms.BooleanField(
        label=_("书面申诉"),
        required=False,
        initial=True,
        help_text=_("第十六条：申诉应当以书面形式提出。"),
    )
    content = text_field(_("申诉理由"), rows=4)
    reviewing_organ = ModelChoiceField(
        label=_("复查机关"),
        queryset=Organisation.objects.none(),
        help_text=_("作出决定的机关或其上级机关(第十六条)。"),
    )
    late_acceptance_reason = text_field(
        _("逾期受理理由"),
        required=False,
        rows=2,
        help_text=_("超过申诉期限的，只有说明正当理由才予受理，否则记录为逾期不予受理。"),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.pop("decision", None)
        super().__init__(*args, **kwargs)
        organ = case.handling_organ
        ids = [organ.pk] + ([organ.parent_id] if organ.parent_id else [])
        self.fields["reviewing_organ"].queryset = Organisation.objects.filter(pk__in=ids)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())
            self.initial.setdefault("reviewing_organ", organ.pk)


class AppealReviewForm(CaseForm):
    side_by_side = (("reviewed_on", "rectification_deadline"),)
    reviewed_on = date_field(_("复查日期"))
    outcome = forms.ChoiceField(
        label=_("复查结果"), choices=Appeal.ReviewOutcome.choices, widget=Radios()
    )
    measures = measures_field(_("变更后的措施"))
    rectification_deadline = date_field(_("整改期限"), required=False, latest=deadline_bound)
    reason = text_field(_("复查理由"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("appeal", None)
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = measure_choices()
        self.fields["measures"].help_text = _("仅“变更原决定”时填写。")
        if not self.is_bound:
            self.initial.setdefault("reviewed_on", timezone.localdate())
