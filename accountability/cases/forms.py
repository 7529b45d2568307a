"""Forms of the case pages: they check shape (required, dates, choices) with Chinese messages.

The rules themselves (who may act, recusal, quorum, deadlines, the rulebook) live in the
services; a DomainError they raise is put back on the form field it names
(``add_domain_error``). Choices that depend on the regulation (roles, circumstances, measures)
come from the rulebook version in force today.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import rulebook
from accountability.assessment.current import version_in_force
from accountability.cases import access
from accountability.cases.models import (
    Appeal,
    Case,
    CaseParty,
    CommitteeMeeting,
    ConflictDeclaration,
    Delivery,
    Outcome,
    Recommendation,
)
from accountability.common.errors import DomainError
from accountability.common.forms import (
    BoundedDateField,
    ModelChoiceField,
    ModelMultipleChoiceField,
)
from accountability.common.i18n import join_list
from accountability.people.models import Organisation, Person

MSG_REQUIRED = _("请填写{label}。")
MSG_CHOOSE = _("请选择{label}。")
MSG_INVALID_DATE = _("{label}格式不正确，请按“年-月-日”填写，例如 2025-03-01。")
MSG_INVALID_CHOICE = _("{label}的选项无效，请重新选择。")
MSG_INVALID_NUMBER = _("{label}应当是整数。")
MSG_MIN_VALUE = _("{label}不能小于{limit}。")
MSG_DATE_RANGE = _("开始日期不能晚于结束日期。")
MSG_EMPTY_FILE = _("上传的文件为空。")

DATE_FORMAT = "%Y-%m-%d"

# Plausible dates (finding: 0001-01-01 and 9999-12-31 were accepted). Each bound gives its
# reason with the refusal.
#: No record of this system is older than the People's Republic (founded 1949-10-01): an
#: earlier date in a search is a typing error.
PRC_FOUNDED = date(1949, 10, 1)
#: A deadline set by a decision (整改期限) lies at most this many years ahead.
MAX_DEADLINE_YEARS = 3
#: A search may look at most this far ahead (deadlines included).
MAX_SEARCH_YEARS_AHEAD = 5

REASON_PRC = _("中华人民共和国成立之日")
REASON_REGULATION = _("首个规则版本施行之日，此前的事项不适用本办法")
REASON_HAPPENED = _("该事项已经发生")
REASON_DEADLINE = _("期限最长为{years}年")
REASON_SEARCH = _("查询范围的上限")


def _years_ahead(years: int) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def regulation_start() -> tuple[date, Any]:
    """Events of the procedure happen under the regulation: not before its first version."""
    return rulebook.load().first.effective_from, REASON_REGULATION


def prc_founded() -> tuple[date, Any]:
    return PRC_FOUNDED, REASON_PRC


def today_bound() -> tuple[date, Any]:
    return timezone.localdate(), REASON_HAPPENED


def deadline_bound() -> tuple[date, Any]:
    return _years_ahead(MAX_DEADLINE_YEARS), REASON_DEADLINE.format(years=MAX_DEADLINE_YEARS)


def search_bound() -> tuple[date, Any]:
    return _years_ahead(MAX_SEARCH_YEARS_AHEAD), REASON_SEARCH


def _version() -> Any:
    return version_in_force(timezone.localdate())


def circumstance_choices() -> list[tuple[int, str]]:
    return [
        (number, f"{c.ref} {c.summary}") for number, c in sorted(_version().circumstances.items())
    ]


def role_choices() -> list[tuple[str, str]]:
    labels = dict(Person.Role.choices)
    return [(role, labels.get(role, role)) for role in _version().roles]


def severity_choices() -> list[tuple[str, str]]:
    labels = dict(CaseParty.Severity.choices)
    return [(s, labels.get(s, s)) for s in _version().severities]


def condition_choices() -> list[tuple[str, str]]:
    """Art 8(1) conditions, each once, labelled with the roles it applies to."""
    roles_of: dict[str, list[str]] = {}
    for role, conditions in _version().conditions.items():
        for condition in conditions:
            roles_of.setdefault(condition, []).append(role)
    return [
        (c, gettext("{name}（{detail}）").format(name=c, detail=join_list(roles)))
        for c, roles in roles_of.items()
    ]


def measure_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The measures grouped by the first tier that opens them (Art 10), lightest first."""
    seen: set[str] = set()
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for tier, measures in _version().measures.items():
        names = [m.name for m in measures if m.name not in seen]
        seen.update(names)
        if names:
            groups.append((f"情节{tier}" if tier != "涉嫌犯罪" else tier, [(n, n) for n in names]))
    return groups


def lighter_choices() -> list[tuple[int, str]]:
    return [(n, f"{f.ref} {f.text}") for n, f in sorted(_version().lighter.items())]


def heavier_choices() -> list[tuple[int, str]]:
    return [
        (n, f"{f.ref} {f.text}")
        for n, f in sorted(_version().heavier.items())
        if not getattr(f, "automatic", False)
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATE_FORMAT)


class Checks(forms.CheckboxSelectMultiple):
    """Checkboxes as the stylesheet's .checks list (groups of choices become sub-lists)."""

    template_name = "cases/widgets/checks.html"

    def __init__(self, *, inline: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        self.inline = inline

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = self.inline
        return context


class Radios(forms.RadioSelect):
    template_name = "cases/widgets/checks.html"

    def __init__(self, *, inline: bool = True, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs)
        self.inline = inline

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["inline"] = self.inline
        return context


def date_field(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    earliest: Any = regulation_start,
    latest: Any = today_bound,
) -> forms.DateField:
    """A date of the procedure: by default a step that has happened under the regulation
    (not before its first version, not after today)."""
    from accountability.cases.services import MSG_FUTURE_DATE

    return BoundedDateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=[DATE_FORMAT, "%Y/%m/%d", "%Y.%m.%d"],
        help_text=help_text,
        earliest=earliest,
        latest=latest,
        # The services say the same of a date in the future.
        too_late_message=MSG_FUTURE_DATE if latest is today_bound else None,
    )


def text_field(
    label: str, *, required: bool = True, rows: int = 3, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class CaseForm(forms.Form):
    """A form whose messages name the field (请填写…/请选择…) and which takes DomainErrors."""

    #: Service argument names that differ from the form's field names.
    field_aliases: dict[str, str] = {}
    #: Short fields shown side by side in one row; the others take a full row.
    side_by_side: tuple[tuple[str, ...], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "")
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            field.error_messages["required"] = (MSG_CHOOSE if choose else MSG_REQUIRED).format(
                label=label
            )
            field.error_messages["invalid_choice"] = MSG_INVALID_CHOICE.format(label=label)
            field.error_messages["invalid_pk_value"] = MSG_INVALID_CHOICE.format(label=label)
            field.error_messages["invalid_list"] = MSG_INVALID_CHOICE.format(label=label)
            if isinstance(field, forms.FileField):
                field.error_messages["empty"] = MSG_EMPTY_FILE
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = MSG_INVALID_DATE.format(label=label)
            elif isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = MSG_INVALID_NUMBER.format(label=label)
                field.error_messages["min_value"] = MSG_MIN_VALUE.format(
                    label=label, limit="%(limit_value)s"
                )

    def field_rows(self) -> list[list[forms.BoundField]]:
        """The visible fields in rows, following ``side_by_side``."""
        groups = {name: group for group in self.side_by_side for name in group}
        rows: list[list[forms.BoundField]] = []
        placed: set[str] = set()
        for bound in self.visible_fields():
            if bound.name in placed:
                continue
            group = groups.get(bound.name, (bound.name,))
            members = [self[name] for name in group if name in self.fields]
            placed.update(field.name for field in members)
            rows.append(members)
        return rows

    def add_domain_error(self, error: DomainError) -> None:
        """Put a service's refusal on the field it names, or above the form."""
        name = self.field_aliases.get(error.field or "", error.field or "")
        if name in self.fields:
            self.add_error(name, error.message)
        else:
            self.add_error(None, error.message)


# ---------------------------------------------------------------------------------------------
# Lists


class CaseFilterForm(CaseForm):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("办理状态"), required=False)
    unit = ModelChoiceField(
        label=_("所在单位"), required=False, queryset=Organisation.objects.none()
    )
    circumstance = forms.TypedChoiceField(label=_("情形"), required=False, coerce=int)
    severity = forms.ChoiceField(label=_("情节"), required=False)
    person = forms.CharField(label=_("被调查人"), required=False, max_length=64)
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
        self.fields["circumstance"].choices = [("", _("全部"))] + [
            (n, f"第八条第({rulebook.regulation.chinese_number(n)})项") for n in range(1, 10)
        ]
        self.fields["severity"].choices = [("", _("全部")), *list(CaseParty.Severity.choices)]
        self.fields["q"].widget.attrs["placeholder"] = _("案件编号或摘要")
        self.fields["person"].widget.attrs["placeholder"] = _("姓名")

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


# ---------------------------------------------------------------------------------------------
# 13(1) 线索受理


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

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commission = access.user_commission(user)
        self.fields["persons"].queryset = (
            Person.objects.filter(managed_by_id__in=access.subtree_ids(commission))
            .select_related("unit")
            .order_by("unit__code", "id_number")
        )
        self.fields["persons"].label_from_instance = _person_label
        from accountability.cases.selectors import informant_scope_note

        self.fields["informant_name"].help_text = gettext("加密保存。") + informant_scope_note()
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


def _person_label(person: Person) -> str:
    detail = f"{person.unit.name} {person.post}" if person.post else person.unit.name
    return gettext("{name}（{detail}）").format(name=person.name, detail=detail)


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
        self.fields["person"].label_from_instance = _person_label


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
            .exclude(role__in=["system_admin", "security_admin", "audit_admin"])
            .order_by("organisation__code", "username")
        )
        self.fields["user"].label_from_instance = _user_label
        self.fields["person"].queryset = (
            Person.objects.filter(unit_id__in=organs).select_related("unit").order_by("id_number")
        )
        self.fields["person"].label_from_instance = _person_label


def _user_label(user: Any) -> str:
    org = getattr(user, "organisation", None)
    detail = f"{org.name if org else ''} {user.get_role_display()}"
    return gettext("{name}（{detail}）").format(name=user, detail=detail)


class OpinionForm(CaseForm):
    opinion = text_field(_("审批意见"))


class ReasonForm(CaseForm):
    reason = text_field(_("理由"))

    def __init__(self, *args: Any, label: str = "", required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.fields["reason"].error_messages["required"] = MSG_REQUIRED.format(
            label=self.fields["reason"].label
        )


# ---------------------------------------------------------------------------------------------
# 13(2) 调查核实


class TeamForm(CaseForm):
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
            text = _user_label(user)
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


class AttachmentForm(CaseForm):
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    file = forms.FileField(label=_("文件"))


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


def _measures_field(label: object = _("措施"), required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        choices=measure_choices(),
        widget=Checks(inline=True),
    )


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
            self.fields[prefix + "measures"] = _measures_field(
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


# ---------------------------------------------------------------------------------------------
# 13(3) 研究决定


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
    measures = _measures_field(_("追究措施"))
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


# ---------------------------------------------------------------------------------------------
# 13(4) 执行决定


class DocumentIssueForm(CaseForm):
    """Issuing the decision document through the system: the number is allocated on issue."""

    issued_on = date_field(
        _("印发日期"),
        help_text=_("即决定文书的成文日期，不得早于决定日期；发文字号按该日期所在年度连续编号。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())


class IssueForm(CaseForm):
    """纸质文书补录: a decision document already issued on paper outside the system."""

    side_by_side = (("document_number", "issued_on"),)
    document_number = forms.CharField(
        label=_("决定文书字号"),
        max_length=64,
        help_text=_("照录纸质文书上的发文字号，如 镇纪监干〔2026〕3号。"),
    )
    issued_on = date_field(_("印发日期"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("decision", None)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("issued_on", timezone.localdate())


class DeliveryForm(CaseForm):
    side_by_side = (("delivered_on", "manner", "received_by"),)
    recipient = forms.ChoiceField(
        label=_("受送达人"), choices=Delivery.Recipient.choices, widget=Radios()
    )
    delivered_on = date_field(
        _("送达日期"), help_text=_("向本人送达之日起计算申诉期限(第十六条)。")
    )
    manner = forms.ChoiceField(label=_("送达方式"), choices=Delivery.Manner.choices)
    received_by = forms.CharField(label=_("签收人"), max_length=64, required=False)
    note = text_field(_("备注"), required=False, rows=2)

    def __init__(self, *args: Any, decision: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if decision is not None and not self.is_bound:
            # Offer the recipient still waiting first; the service refuses a second delivery.
            done = set(decision.deliveries.values_list("recipient", flat=True))
            remaining = [value for value in Delivery.Recipient.values if value not in done]
            if remaining:
                self.initial.setdefault("recipient", remaining[0])
        if not self.is_bound:
            self.initial.setdefault("delivered_on", timezone.localdate())


class ArchiveForm(CaseForm):
    side_by_side = (("archived_on", "received_by"),)
    archived_on = date_field(_("归档日期"))
    received_by = forms.CharField(label=_("接收人"), max_length=64, required=False)
    note = text_field(_("备注"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("archived_on", timezone.localdate())


class CityFilingForm(CaseForm):
    side_by_side = (("filed_on", "reference"),)
    filed_on = date_field(_("报备日期"))
    reference = forms.CharField(label=_("报备文号"), max_length=64, required=False)
    note = text_field(_("备注"), required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("filed_on", timezone.localdate())


# ---------------------------------------------------------------------------------------------
# Art 16 申诉, Art 10 责令限期整改, 办结


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
    measures = _measures_field(_("变更后的措施"))
    rectification_deadline = date_field(_("整改期限"), required=False, latest=deadline_bound)
    reason = text_field(_("复查理由"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("appeal", None)
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = measure_choices()
        self.fields["measures"].help_text = _("仅“变更原决定”时填写。")
        if not self.is_bound:
            self.initial.setdefault("reviewed_on", timezone.localdate())


class RectificationForm(CaseForm):
    completed_on = date_field(_("完成日期"))
    evidence = text_field(_("整改情况及佐证"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("rectification", None)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("completed_on", timezone.localdate())
