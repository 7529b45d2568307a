"""Forms of the assessment pages: the 测算 form (GET, no JavaScript needed) and a holiday year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.assessment.holidays import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_TEXT_CHARS,
    TEXT_TOO_LONG,
)
from accountability.common.i18n import join_list

BAD_DATE = _("“%(value)s”不是有效日期，请按“年-月-日”填写，如 2026-10-08。")
CONDITION_NOT_FOR_ROLE = _(
    "“%(condition)s”不是第八条第(一)项对%(role)s规定的情形；%(role)s可选：%(allowed)s。"
)
EARLIER_AFTER_DECISION = _("此前的责任追究决定日期%(value)s晚于本次决定日期%(decided)s。")

EARLIER_DECISION_SLOTS = 4


class MultipleDateInput(forms.Widget):
    """Several <input type="date"> with one name: a plain GET form sends each as a value."""

    template_name = "assessment/widgets/multiple_date.html"

    def __init__(self, slots: int = EARLIER_DECISION_SLOTS, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.slots = slots

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist else data.get(name, [])
        if isinstance(values, str):
            values = [values]
        return [v.strip() for v in values if v and v.strip()]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        values = [str(v) for v in (value or [])]
        slots = max(self.slots, len(values) + 1)
        context["widget"]["values"] = values + [""] * (slots - len(values))
        return context


class DateListField(forms.Field):
    widget = MultipleDateInput

    def to_python(self, value: Any) -> list[date]:
        found: list[date] = []
        for text in value or []:
            try:
                found.append(date.fromisoformat(str(text)))
            except ValueError:
                raise forms.ValidationError(
                    BAD_DATE, code="invalid", params={"value": text}
                ) from None
        return sorted(found)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages={"invalid": _("日期无效，请按“年-月-日”填写，如 2026-10-08。")},
    )


class AssessForm(forms.Form):
    """The facts of one person's case, in the words of the rulebook version shown."""

    role = forms.ChoiceField(label=_("责任主体(第五条)"), widget=forms.RadioSelect)
    circumstance = forms.TypedChoiceField(
        label=_("情形(第八条)"), coerce=int, widget=forms.RadioSelect
    )
    conditions = forms.MultipleChoiceField(
        label=_("第八条第(一)项的具体情形"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("仅第八条第(一)项需要选择，且只能选所选责任主体的一组。"),
    )
    severity = forms.ChoiceField(label=_("情节"), widget=forms.RadioSelect)
    violates_discipline = forms.BooleanField(label=_("构成违纪"), required=False)
    lighter = forms.TypedMultipleChoiceField(
        label=_("从轻或者减轻情节(第十四条)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    heavier = forms.TypedMultipleChoiceField(
        label=_("从重情节(第十五条)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("第十五条第(一)项(一年内2次以上)由此前的决定日期自动认定。"),
    )
    earlier_decisions = DateListField(
        label=_("此前的责任追究决定日期"),
        required=False,
        help_text=_("本人此前受到责任追究的决定日期，可填多个。"),
    )
    occurred_on = _date_field(_("行为发生日期"), _("用于选择适用的规则版本；不填则按决定日期。"))
    decided_on = _date_field(_("决定日期"), _("不填则按今天。"))
    received_on = _date_field(_("接到决定日期"), _("填写后计算申诉期限(第十六条)。"))
    imposed = forms.MultipleChoiceField(
        label=_("拟给予或已给予的措施"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("填写后列出第十七条的评优评先、提拔使用影响期。"),
    )

    def __init__(self, *args: Any, version: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["role"].choices = [(name, name) for name in version.roles]
        self.fields["circumstance"].choices = [
            (item, f"{c.ref} {c.summary}") for item, c in sorted(version.circumstances.items())
        ]
        self.fields["conditions"].choices = [
            (text, text) for texts in version.condition_groups.values() for text in texts
        ]
        self.fields["severity"].choices = [(s, s) for s in version.severities]
        self.fields["lighter"].choices = [
            (item, f.text) for item, f in sorted(version.lighter.items())
        ]
        self.fields["heavier"].choices = [
            (item, f.text) for item, f in sorted(version.heavier.items()) if not f.automatic
        ]
        self.fields["imposed"].choices = [(m, m) for m in version.measure_names]

    def circumstance_options(self) -> list[dict[str, Any]]:
        """Art 8's items with their reference and summary, for a radio list."""
        chosen = str(self["circumstance"].value() or "")
        return [
            {
                "value": item,
                "ref": c.ref,
                "summary": c.summary,
                "text": c.text,
                "checked": str(item) == chosen,
                "id": f"id_circumstance_{item}",
            }
            for item, c in sorted(self.version.circumstances.items())
        ]

    def condition_groups(self) -> list[dict[str, Any]]:
        """Art 8(1)'s failings as the regulation groups them, with each group's roles."""
        chosen = set(self["conditions"].value() or [])
        groups = []
        for group, texts in self.version.condition_groups.items():
            roles = [
                name
                for name, role in self.version.role_info.items()
                if role.condition_group == group
            ]
            groups.append(
                {
                    "key": group,
                    "roles": roles,
                    "options": [
                        {"value": t, "checked": t in chosen, "id": f"id_conditions_{group}_{i}"}
                        for i, t in enumerate(texts)
                    ],
                }
            )
        return groups

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        conditions = data.get("conditions") or []
        if role and data.get("circumstance") == 1:
            allowed = self.version.conditions.get(role, ())
            for condition in conditions:
                if condition not in allowed:
                    self.add_error(
                        "conditions",
                        forms.ValidationError(
                            CONDITION_NOT_FOR_ROLE,
                            code="condition_not_for_role",
                            params={
                                "condition": condition,
                                "role": role,
                                "allowed": join_list(allowed),
                            },
                        ),
                    )
                    break
        decided = data.get("decided_on")
        for earlier in data.get("earlier_decisions") or []:
            if decided and earlier > decided:
                self.add_error(
                    "earlier_decisions",
                    forms.ValidationError(
                        EARLIER_AFTER_DECISION,
                        code="earlier_after_decision",
                        params={"value": earlier.isoformat(), "decided": decided.isoformat()},
                    ),
                )
                break
        return data

    def to_rulebook_input(self) -> dict[str, Any]:
        """The input dict of rulebook.assess_dict (dates as ISO strings)."""
        data = self.cleaned_data

        def iso(value: date | None) -> str | None:
            return value.isoformat() if value else None

        found: dict[str, Any] = {
            "role": data["role"],
            "circumstance": data["circumstance"],
            "severity": data["severity"],
            "violates_discipline": bool(data.get("violates_discipline")),
            "lighter": list(data.get("lighter") or []),
            "heavier": list(data.get("heavier") or []),
            "earlier_decisions": [d.isoformat() for d in data.get("earlier_decisions") or []],
            "imposed": list(data.get("imposed") or []),
        }
        if data.get("conditions"):
            found["conditions"] = list(data["conditions"])
        for key in ("occurred_on", "decided_on", "received_on"):
            if data.get(key):
                found[key] = iso(data[key])
        return found


class HolidayYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("年份"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": _("请填写年份。"),
            "invalid": _("年份应为四位数字，如 2027。"),
        },
    )
    source = forms.CharField(
        label=_("依据"),
        max_length=255,
        help_text=_(
            "国务院办公厅通知的名称和文号，如“国务院办公厅关于2027年部分节假日安排的通知”。"
        ),
        error_messages={"required": _("请填写依据(国务院办公厅通知的名称和文号)。")},
    )
    text = forms.CharField(
        label=_("放假和调休上班日期"),
        widget=forms.Textarea(attrs={"rows": 14, "class": "mono", "spellcheck": "false"}),
        help_text=_(
            "每行一个日期或日期区间，注明“休”(放假)或“班”(调休上班)，可写节日名称。"
            "如：2027-01-01 元旦 休；2027-02-06 至 2027-02-12 春节 休；2027-02-14 班。"
        ),
        max_length=MAX_TEXT_CHARS,
        error_messages={
            "required": _("请粘贴该年的放假和调休上班日期。"),
            "max_length": TEXT_TOO_LONG.format(limit=MAX_TEXT_CHARS),
        },
    )
