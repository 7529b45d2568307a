"""13(2) 调查核实: the team, evidence, hearings (or the refusal to be heard), the report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.cases import access
from accountability.cases.forms.base import (
    MSG_CHOOSE,
    MSG_DAY_HELP,
    CaseForm,
    Checks,
    Radios,
    date_field,
    measures_field,
    text_field,
    user_label,
)
from accountability.cases.models import (
    Case,
    CaseParty,
    Recommendation,
)
from accountability.common.errors import DomainError
from accountability.common.forms import ModelChoiceField, ModelMultipleChoiceField


class TeamForm(CaseForm):
    formed_on = date_field(_("成立调查组日期"), required=False, help_text=MSG_DAY_HELP)
    members = ModelMultipleChoiceField(
        label=_("调查组成员"),
        queryset=get_user_model().objects.none(),
        widget=Checks(),
        help_text=_("被调查人及登记了回避事由的人员不得参加调查组。"),
    )
    leader = ModelChoiceField(label=_("组长"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, case: Case, single: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from accountability.cases.selectors import recusal_reason_for
        from accountability.cases.services import NON_TEAM_ROLES

        users = (
            get_user_model()
            .objects.filter(
                is_active=True, organisation_id__in=access.subtree_ids(case.handling_organ)
            )
            .exclude(role__in=[str(r) for r in NON_TEAM_ROLES])
            .exclude(case_teams__case=case, case_teams__left_on__isnull=True)
            .select_related("organisation")
            .order_by("organisation__code", "username")
        )
        reasons = {u.pk: recusal_reason_for(case=case, user=u) for u in users}

        def label(user: Any) -> str:
            text = user_label(user)
            if reasons.get(user.pk):
                text += gettext(" — 应当回避：{reason}").format(reason=reasons[user.pk])
            return text

        for name in ("members", "leader"):
            self.fields[name].queryset = users
            self.fields[name].label_from_instance = label
        if single:
            # Adding one member to a formed team.
            self.fields["members"] = ModelChoiceField(label=_("新增成员"), queryset=users)
            self.fields["members"].label_from_instance = label
            self.fields["members"].error_messages["required"] = MSG_CHOOSE.format(
                label=_("新增成员")
            )
            del self.fields["leader"]
            del self.fields["formed_on"]
        elif not self.is_bound:
            self.initial.setdefault("formed_on", timezone.localdate())

    field_aliases = {"user": "members"}


class EvidenceForm(CaseForm):
    side_by_side = (("title", "collected_on", "party"),)
    title = forms.CharField(label=_("证据名称"), max_length=200)
    collected_on = date_field(_("取得日期"))
    party = ModelChoiceField(
        label=_("涉及人员"),
        required=False,
        queryset=CaseParty.objects.none(),
        empty_label=_("全案"),
    )
    description = text_field(_("证明内容"), required=False)
    file = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = case.parties.select_related("person")
        self.fields["party"].label_from_instance = lambda p: p.person.name
        if not self.is_bound:
            self.initial.setdefault("collected_on", timezone.localdate())


class HearingForm(CaseForm):
    held_on = date_field(_("谈话日期"))
    statement = text_field(_("本人陈述"), rows=5)
    defence = text_field(_("申辩"), required=False, rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("party", None)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())


class RefusalForm(CaseForm):
    held_on = date_field(_("谈话日期"))
    refusal_record = text_field(
        _("拒绝陈述申辩的记录"),
        rows=4,
        help_text=_("写明告知的时间、地点、方式和本人拒绝的表示，以及在场人员。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("party", None)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())


class ReportForm(CaseForm):
    """The report, with one recommendation per person (fields p<id>_…)."""

    submitted_on = date_field(_("报告日期"))
    summary = text_field(_("调查情况"), rows=6)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parties = list(case.parties.select_related("person").order_by("id"))
        for party in self.parties:
            name = party.person.name
            prefix = f"p{party.pk}_"
            self.fields[prefix + "recommendation"] = forms.ChoiceField(
                label=gettext("对{name}的建议").format(name=name),
                choices=Recommendation.choices,
                widget=Radios(),
                error_messages={
                    "required": MSG_CHOOSE.format(label=gettext("对{name}的建议").format(name=name))
                },
            )
            self.fields[prefix + "measures"] = measures_field(
                gettext("建议{name}的措施").format(name=name)
            )
            self.fields[prefix + "departure_reason"] = text_field(
                gettext("{name}：偏离测算结果的理由").format(name=name),
                required=False,
                rows=2,
                help_text=_("建议的措施不在测算结果范围内，或建议不予追究的，应当书面说明理由。"),
            )
        if not self.is_bound:
            self.initial.setdefault("submitted_on", timezone.localdate())

    def party_fields(self) -> list[tuple[CaseParty, list[forms.BoundField]]]:
        return [
            (
                party,
                [
                    self[f"p{party.pk}_{name}"]
                    for name in ("recommendation", "measures", "departure_reason")
                ],
            )
            for party in self.parties
        ]

    def findings(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "party": party,
                "recommendation": data[f"p{party.pk}_recommendation"],
                "measures": data.get(f"p{party.pk}_measures") or [],
                "departure_reason": data.get(f"p{party.pk}_departure_reason") or "",
            }
            for party in self.parties
        ]

    def add_domain_error(self, error: DomainError) -> None:
        # Refusals name the person at the start of the message ("张三：…").
        for party in self.parties:
            name = party.person.name
            if error.message.startswith(name) and error.field in {
                "measures",
                "departure_reason",
                "recommendation",
            }:
                self.add_error(f"p{party.pk}_{error.field}", error.message)
                return
        super().add_domain_error(error)


class HearingCorrectForm(CaseForm):
    """更正 a hearing: its fields as recorded, and the reason (required)."""

    held_on = date_field(_("谈话日期"))
    statement = text_field(_("本人陈述"), rows=5)
    defence = text_field(_("申辩"), required=False, rows=4)
    refusal_record = text_field(_("拒绝陈述申辩的记录"), rows=4)
    reason = text_field(_("更正理由"), rows=2)

    def __init__(self, *args: Any, hearing: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("statement", "defence") if hearing.refused else ("refusal_record",):
            del self.fields[name]
        if not self.is_bound:
            for name in self.fields:
                if name != "reason":
                    self.initial.setdefault(name, getattr(hearing, name))


class EvidenceCorrectForm(CaseForm):
    """更正 an evidence item: its fields as recorded, and the reason (required)."""

    side_by_side = (("title", "collected_on"),)
    title = forms.CharField(label=_("证据名称"), max_length=200)
    collected_on = date_field(_("取得日期"))
    description = text_field(_("证明内容"), required=False)
    reason = text_field(_("更正理由"), rows=2)

    def __init__(self, *args: Any, evidence: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            for name in ("title", "collected_on", "description"):
                self.initial.setdefault(name, getattr(evidence, name))
