"""Form fields that refuse absurd input with a message instead of failing in the database.

* ``ModelChoiceField`` / ``ModelMultipleChoiceField``: an id that is not a whole number in
  the range of the database's ids (``persons=99999999999999999999`` overflows SQLite's
  integers, a 500 with Django's own fields) is "选择的…不存在" before any query; an id in
  range that is not among the choices keeps the field's own invalid-choice message.
* ``BoundedDateField``: a date field with plausible bounds, each given with its reason
  (callables, since "today" moves); a date outside them is refused naming the field, the
  bound and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MSG_CHOICE_MISSING = _("选择的{label}不存在，请重新选择。")
MSG_DATE_TOO_EARLY = _("{label}不能早于{bound}（{reason}）。")
MSG_DATE_TOO_LATE = _("{label}不能晚于{bound}（{reason}）。")

#: Ids are positive 64-bit integers (BigAutoField on SQLite and PostgreSQL).
MAX_ID = 2**63 - 1


def _plausible_id(value: Any) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 < value <= MAX_ID
    text = str(value).strip()
    return text.isdigit() and text.isascii() and len(text) <= 19 and 0 < int(text) <= MAX_ID


class _BoundedIds:
    label: Any
    error_messages: dict[str, Any]

    def _missing(self) -> forms.ValidationError:
        return forms.ValidationError(
            str(MSG_CHOICE_MISSING).format(label=self.label or ""), code="invalid_choice"
        )


class ModelChoiceField(_BoundedIds, forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        plain_id = self.to_field_name is None and not isinstance(value, self.queryset.model)
        if plain_id and not _plausible_id(value):
            raise self._missing()
        return super().to_python(value)


class ModelMultipleChoiceField(_BoundedIds, forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            try:
                values = frozenset(value)
            except TypeError:
                values = frozenset()
            if any(not _plausible_id(v) for v in values):
                raise self._missing()
        return super()._check_values(value)


#: A bound: a function giving the date and the reason shown with it.
Bound = Callable[[], tuple[date, Any]]


class BoundedDateField(forms.DateField):
    def __init__(
        self,
        *,
        earliest: Bound | None = None,
        latest: Bound | None = None,
        too_late_message: Any = None,
        **kwargs: Any,
    ) -> None:
        """``too_late_message`` (with ``{label}``) replaces the generic message for ``latest``,
        as in "{label}不能晚于今天。"."""
        super().__init__(**kwargs)
        self.earliest = earliest
        self.latest = latest
        self.too_late_message = too_late_message

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        label = self.label or ""
        if self.earliest is not None:
            bound, reason = self.earliest()
            if value < bound:
                raise forms.ValidationError(
                    str(MSG_DATE_TOO_EARLY).format(
                        label=label, bound=bound.isoformat(), reason=reason
                    ),
                    code="too_early",
                )
        if self.latest is not None:
            bound, reason = self.latest()
            if value > bound:
                template = self.too_late_message or MSG_DATE_TOO_LATE
                raise forms.ValidationError(
                    str(template).format(label=label, bound=bound.isoformat(), reason=reason),
                    code="too_late",
                )
