from django import forms
from django.utils.translation import gettext_lazy as _

from accountability.audit.models import AuditEntry


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("事件类型"),
        required=False,
        choices=[("", _("全部")), *AuditEntry.Action.choices],
    )
    case_number = forms.CharField(label=_("案件编号"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict:
        """The cleaned filters (empty when the form is invalid), for the selector."""
        if not self.is_valid():
            return {}
        return {
            "actor": (self.cleaned_data.get("actor") or "").strip(),
            "action": self.cleaned_data.get("action") or "",
            "case_number": (self.cleaned_data.get("case_number") or "").strip(),
            "date_from": self.cleaned_data.get("date_from"),
            "date_to": self.cleaned_data.get("date_to"),
        }
