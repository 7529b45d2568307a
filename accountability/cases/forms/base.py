"""The base of the case forms: CaseForm (messages that name the field, DomainErrors put back
on the field they name), the shared widgets and fields, the date bounds, and the choices that
come from the rulebook version in force today."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import rulebook
from accountability.assessment.current import version_in_force
from accountability.cases.models import CaseParty
from accountability.common.errors import DomainError
from accountability.common.forms import BoundedDateField
from accountability.common.i18n import join_list
from accountability.people.models import Person

MSG_REQUIRED = _("请填写{label}。")
MSG_CHOOSE = _("请选择{label}。")
#: The help of a step's date that may be left empty (the service takes today).
MSG_DAY_HELP = _("办理当日登记的，保留今天；事后补录的，填写实际办理日期。")
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


def circumstance_refs() -> list[tuple[int, str]]:
    """Art 8's circumstances by their reference alone (第八条第(一)项 …), for a filter."""
    return [(number, c.ref) for number, c in sorted(_version().circumstances.items())]


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
    version = _version()
    seen: set[str] = set()
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for tier, measures in version.measures.items():
        names = [m.name for m in measures if m.name not in seen]
        seen.update(names)
        if names:
            # The referral tier (涉嫌犯罪) reads as it is; the others as 情节较轻 ….
            label = tier if tier == version.referral_tier else f"情节{tier}"
            groups.append((label, [(n, n) for n in names]))
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


def person_label(person: Person) -> str:
    detail = f"{person.unit.name} {person.post}" if person.post else person.unit.name
    return gettext("{name}（{detail}）").format(name=person.name, detail=detail)


def user_label(user: Any) -> str:
    org = getattr(user, "organisation", None)
    detail = f"{org.name if org else ''} {user.get_role_display()}"
    return gettext("{name}（{detail}）").format(name=user, detail=detail)


class OpinionForm(CaseForm):
    side_by_side = (("approved_on",),)
    approved_on = date_field(_("审批日期"), required=False, help_text=MSG_DAY_HELP)
    opinion = text_field(_("审批意见"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("approved_on", timezone.localdate())


class ReasonForm(CaseForm):
    reason = text_field(_("理由"))

    def __init__(
        self,
        *args: Any,
        label: str = "",
        required: bool = True,
        date_name: str = "",
        date_label: Any = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.fields["reason"].error_messages["required"] = MSG_REQUIRED.format(
            label=self.fields["reason"].label
        )
        if date_name:
            # The day the step happened (entered after the fact), today by default; first.
            day = date_field(date_label, required=False, help_text=MSG_DAY_HELP)
            day.error_messages["invalid"] = MSG_INVALID_DATE.format(label=date_label)
            self.fields = {date_name: day, **self.fields}
            self.side_by_side = ((date_name,),)
            if not self.is_bound:
                self.initial.setdefault(date_name, timezone.localdate())


def measures_field(label: object = _("措施"), required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        choices=measure_choices(),
        widget=Checks(inline=True),
    )
