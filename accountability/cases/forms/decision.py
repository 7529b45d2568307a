"""13(3) 研究决定: the committee meeting and each person's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.cases.forms.base import (
    CaseForm,
    Checks,
    Radios,
    date_field,
    deadline_bound,
    measure_choices,
    measures_field,
    text_field,
)
from accountability.cases.models import (
    Case,
    CommitteeMeeting,
    Outcome,
)
from accountability.common.forms import ModelChoiceField, ModelMultipleChoiceField
from accountability.people.models import Person


class MeetingForm(CaseForm):
    side_by_side = (("votes_for", "votes_against", "votes_abstain"),)
    held_on = date_field(_("会议日期"))
    members_present = ModelMultipleChoiceField(
        label=_("到会成员"),
        queryset=Person.objects.none(),
        widget=Checks(),
    )
    members_recused = ModelMultipleChoiceField(
        label=_("回避表决的成员"),
        queryset=Person.objects.none(),
        required=False,
        widget=Checks(),
        help_text=_("本案被调查人和登记了回避事由的常委应当回避，不参加表决。"),
    )
    votes_for = forms.IntegerField(label=_("同意"), min_value=0)
    votes_against = forms.IntegerField(label=_("不同意"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0, initial=0)
    minutes = text_field(_("会议纪要"), required=False, rows=4)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accountability.cases.selectors import committee_members, recusal_reason_for

        members = committee_members(case=case)
        reasons = {p.pk: recusal_reason_for(case=case, person=p) for p in members}

        def label(person: Person) -> str:
            text = (
                gettext("{name}（{detail}）").format(name=person.name, detail=person.post)
                if person.post
                else person.name
            )
            if reasons.get(person.pk):
                text += gettext(" — 应当回避：{reason}").format(reason=reasons[person.pk])
            return text

        for name in ("members_present", "members_recused"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = label
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
            self.initial.setdefault(
                "members_recused", [pk for pk, reason in reasons.items() if reason]
            )


class DecisionForm(CaseForm):
    side_by_side = (("meeting", "decided_on"),)
    meeting = ModelChoiceField(label=_("常委会会议"), queryset=CommitteeMeeting.objects.none())
    outcome = forms.ChoiceField(
        label=_("决定"),
        choices=[
            (Outcome.PURSUE, Outcome.PURSUE.label),
            (Outcome.NOT_PURSUE, Outcome.NOT_PURSUE.label),
        ],
        widget=Radios(),
    )
    measures = measures_field(_("追究措施"))
    rectification_deadline = date_field(
        _("整改期限"),
        required=False,
        help_text=_("决定责令限期整改的，应当确定整改期限。"),
        latest=deadline_bound,
    )
    reason = text_field(
        _("理由"),
        required=False,
        rows=3,
        help_text=_("决定的措施不在测算结果范围内，或不予追究的，应当说明理由。"),
    )
    decided_on = date_field(_("决定日期"), required=False, help_text=_("默认为会议日期。"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.pop("party", None)
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = measure_choices()
        meetings = case.meetings.order_by("-held_on", "-id")
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: gettext(
            "{date} 常委会会议（同意{votes}票）"
        ).format(date=f"{m.held_on:%Y-%m-%d}", votes=m.votes_for)
        if not self.is_bound and meetings:
            self.initial.setdefault("meeting", meetings[0].pk)
