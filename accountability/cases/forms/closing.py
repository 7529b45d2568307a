"""Art 10 责令限期整改 and 办结: a rectification completed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.cases.forms.base import (
    CaseForm,
    date_field,
    text_field,
)


class RectificationForm(CaseForm):
    completed_on = date_field(_("完成日期"))
    evidence = text_field(_("整改情况及佐证"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("rectification", None)
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("completed_on", timezone.localdate())
