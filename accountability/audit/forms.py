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
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
