"""13(1) 线索受理 and Art 11 直接追究: the clue, the persons concerned and their facts, conflicts
of interest, attachments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.cases import access
from accountability.cases.forms.base import (
    CaseForm,
    Checks,
    Radios,
    circumstance_choices,
    condition_choices,
    date_field,
    heavier_choices,
    lighter_choices,
    person_label,
    role_choices,
    severity_choices,
    text_field,
    user_label,
)
from accountability.cases.models import (
    Case,
    CaseParty,
    ConflictDeclaration,
)
from accountability.cases.workflow import ADMIN_ROLES
from accountability.common.forms import ModelChoiceField, ModelMultipleChoiceField
from accountability.people.models import Person


class ClueForm(CaseForm):
    source = forms.ChoiceField(label=_("线索来源"), choices=Case.Source.choices, widget=Radios())
    received_on = date_field(_("收到线索日期"))
    summary = text_field(_("问题线索摘要"), rows=5)
    persons = ModelMultipleChoiceField(
        label=_("被反映人(被调查人)"),
        queryset=Person.objects.none(),
        required=False,
        widget=Checks(),
        help_text=_("可多选；只能选择本机关干部管理权限内的人员(第十一条)，登记后也可补充。"),
    )
    handling_opinion = text_field(_("办理意见"), required=False, rows=3)
    informant_name = forms.CharField(
        label=_("举报人姓名"),
        required=False,
        max_length=64,
        help_text=_("加密保存。"),
    )
    informant_contact = forms.CharField(label=_("举报人联系方式"), required=False, max_length=128)

    #: The picker shows at most this many people (a province has thousands): the search by
    #: name, unit or 工号 narrows them; the people already chosen are always shown.
    PICKER_LIMIT = 30

    def __init__(self, *args: Any, user: Any, person_query: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commission = access.user_commission(user)
        eligible = (
            Person.objects.filter(managed_by_id__in=access.subtree_ids(commission))
            .select_related("unit")
            .order_by("unit__code", "id_number")
        )
        # Validation accepts every eligible person (as before); only the choices shown narrow.
        self.fields["persons"].queryset = eligible
        self.fields["persons"].label_from_instance = person_label
        self._narrow_persons(eligible, person_query.strip())
        from accountability.cases.selectors import informant_scope_note

        self.fields["informant_name"].help_text = gettext("加密保存。") + informant_scope_note()
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())

    def _selected_ids(self) -> set[int]:
        raw = (
            self.data.getlist(self.add_prefix("persons"))
            if self.is_bound and hasattr(self.data, "getlist")
            else self.initial.get("persons") or []
        )
        ids = set()
        for value in raw:
            try:
                pk = int(getattr(value, "pk", value))
            except (TypeError, ValueError):
                continue
            if 0 < pk < 2**63:  # a huge id is refused by the field's validation, not here
                ids.add(pk)
        return ids

    def _narrow_persons(self, eligible: Any, query: str) -> None:
        """Show the people matching ``query`` (name, unit, 工号), at most PICKER_LIMIT, and
        the ones already chosen."""
        self.person_query = query
        shown = eligible
        if query:
            shown = eligible.filter(
                Q(name__icontains=query)
                | Q(unit__name__icontains=query)
                | Q(id_number__icontains=query)
            )
        ids = list(shown.values_list("pk", flat=True)[: self.PICKER_LIMIT + 1])
        self.person_more = len(ids) > self.PICKER_LIMIT
        self.person_matches = len(ids[: self.PICKER_LIMIT])
        keep = set(ids[: self.PICKER_LIMIT]) | self._selected_ids()
        field = self.fields["persons"]
        field.widget.choices = [(p.pk, person_label(p)) for p in eligible.filter(pk__in=keep)]


class PartyAddForm(CaseForm):
    side_by_side = (("responsibility_kind", "responsibility_scope"),)
    person = ModelChoiceField(label=_("被调查人"), queryset=Person.objects.none())
    responsibility_kind = forms.ChoiceField(
        label=_("责任类型(第九条)"),
        required=False,
        choices=[("", _("待认定")), *list(CaseParty.ResponsibilityKind.choices)],
    )
    responsibility_scope = forms.ChoiceField(
        label=_("集体或个人责任(第九条)"),
        choices=CaseParty.ResponsibilityScope.choices,
        initial=CaseParty.ResponsibilityScope.INDIVIDUAL,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(managed_by_id__in=access.subtree_ids(case.handling_organ))
            .exclude(case_parties__case=case)
            .select_related("unit")
            .order_by("unit__code", "id_number")
        )
        self.fields["person"].label_from_instance = person_label


class PartyFactsForm(CaseForm):
    side_by_side = (
        ("role", "responsibility_kind", "responsibility_scope"),
        ("severity", "occurred_on"),
    )
    role = forms.ChoiceField(label=_("责任主体类别(第五条)"))
    responsibility_kind = forms.ChoiceField(
        label=_("责任类型(第九条)"),
        required=False,
        choices=[("", _("待认定")), *list(CaseParty.ResponsibilityKind.choices)],
    )
    responsibility_scope = forms.ChoiceField(
        label=_("集体或个人责任(第九条)"), choices=CaseParty.ResponsibilityScope.choices
    )
    circumstance = forms.TypedChoiceField(label=_("情形(第八条)"), coerce=int)
    conditions = forms.MultipleChoiceField(
        label=_("第八条第(一)项的具体情形"),
        required=False,
        widget=Checks(),
        help_text=_("仅第八条第(一)项适用：按被调查人的责任主体类别选择。"),
    )
    severity = forms.ChoiceField(label=_("情节(第十条)"))
    violates_discipline = forms.BooleanField(label=_("构成违纪"), required=False)
    lighter = forms.TypedMultipleChoiceField(
        label=_("从轻或者减轻情节(第十四条)"),
        required=False,
        coerce=int,
        widget=Checks(),
    )
    heavier = forms.TypedMultipleChoiceField(
        label=_("从重情节(第十五条)"),
        required=False,
        coerce=int,
        widget=Checks(),
        help_text=_("第十五条第(一)项(一年内2次以上被追究)由系统根据以往决定自动认定。"),
    )
    occurred_on = date_field(
        _("行为发生日期"), required=False, help_text=_("用于确定适用的规则版本(从旧兼从轻)。")
    )
    facts = text_field(_("事实认定"), required=False, rows=4)

    def __init__(self, *args: Any, party: CaseParty, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "---------"), *role_choices()]
        self.fields["circumstance"].choices = [("", "---------"), *circumstance_choices()]
        self.fields["conditions"].choices = condition_choices()
        self.fields["severity"].choices = [("", "---------"), *severity_choices()]
        self.fields["lighter"].choices = lighter_choices()
        self.fields["heavier"].choices = heavier_choices()
        if not self.is_bound:
            self.initial.update(
                role=party.role or party.person.role,
                responsibility_kind=party.responsibility_kind,
                responsibility_scope=party.responsibility_scope,
                circumstance=party.circumstance,
                conditions=list(party.conditions or []),
                severity=party.severity,
                violates_discipline=party.violates_discipline,
                lighter=list(party.lighter or []),
                heavier=list(party.heavier or []),
                occurred_on=party.occurred_on,
                facts=party.facts,
            )


class ConflictForm(CaseForm):
    side_by_side = (("user", "person"),)
    user = ModelChoiceField(
        label=_("账号(调查组成员等)"), required=False, queryset=get_user_model().objects.none()
    )
    person = ModelChoiceField(
        label=_("人员(常委会成员等)"), required=False, queryset=Person.objects.none()
    )
    kind = forms.ChoiceField(label=_("回避事由"), choices=ConflictDeclaration.Kind.choices)
    note = text_field(_("说明"), required=False, rows=2)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organs = access.subtree_ids(case.handling_organ)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, organisation_id__in=organs)
            .exclude(role__in=[str(r) for r in ADMIN_ROLES])
            .order_by("organisation__code", "username")
        )
        self.fields["user"].label_from_instance = user_label
        self.fields["person"].queryset = (
            Person.objects.filter(unit_id__in=organs).select_related("unit").order_by("id_number")
        )
        self.fields["person"].label_from_instance = person_label


class AttachmentForm(CaseForm):
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"))
