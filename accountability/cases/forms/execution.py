"""13(4) 执行决定: issue (through the system or on paper), delivery, archive, city filing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.cases.forms.base import (
    CaseForm,
    Radios,
    date_field,
    text_field,
)
from accountability.cases.models import Delivery


class DocumentIssueForm(CaseForm):
    """Issuing the decision document through the system: the number is allocated on issue."""

    issued_on = date_field(
        _("印发日期"),
        help_text=_("即决定文书的成文日期，不得早于决定日期；发文字号按该日期所在年度连续编号。"),
    )
    confirm_order = forms.BooleanField(
        label=_("确认按登记顺序编号"),
        required=False,
        help_text=_("印发日期早于已编号文书的，发文字号仍按登记顺序取号，须经确认。"),
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
            done = set(
                decision.deliveries.filter(withdrawn_at__isnull=True).values_list(
                    "recipient", flat=True
                )
            )
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


class DeliveryCorrectForm(CaseForm):
    """更正 a delivery (the recipient stays: withdraw and record it again to change it)."""

    side_by_side = (("delivered_on", "manner", "received_by"),)
    delivered_on = date_field(
        _("送达日期"), help_text=_("向本人送达之日起计算申诉期限(第十六条)。")
    )
    manner = forms.ChoiceField(label=_("送达方式"), choices=Delivery.Manner.choices)
    received_by = forms.CharField(label=_("签收人"), max_length=64, required=False)
    note = text_field(_("备注"), required=False, rows=2)
    reason = text_field(_("更正理由"), rows=2)

    def __init__(self, *args: Any, delivery: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            for name in ("delivered_on", "manner", "received_by", "note"):
                self.initial.setdefault(name, getattr(delivery, name))
