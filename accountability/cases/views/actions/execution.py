"""13(4) 执行决定: delivery, archive, city filing. Issuing the decision document (through the
system or on paper) is the documents app's (documents/views_case.py), under the same URL names."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accountability.cases import forms, services
from accountability.cases import workflow as wf
from accountability.cases.views.actions.base import ActionView, ReasonActionView

A = wf.Action

MSG_DELIVERED_DEADLINE = _("已记录送达；申诉期限至{deadline}届满（第十六条）。")


class DeliveryRecordView(ActionView):
    action = A.DELIVERY_RECORD
    form_class = forms.DeliveryForm
    service = staticmethod(services.delivery_record)
    service_fields = ("recipient", "delivered_on", "manner", "received_by", "note")
    target_kind = "decision"
    anchor = "parties"
    intro = _("第十三条第(四)项：送达被追究责任者本人及其所在单位。向本人送达之日起计算申诉期限。")
    submit_label = _("记录送达")
    success_message = _("已记录送达。")

    def heading(self) -> str:
        return _("送达%(name)s的决定") % {"name": self.target.party.person.name}

    def form_kwargs(self) -> dict[str, Any]:
        return {"decision": self.target}

    def message_text(self, result: Any) -> str:
        decision = result.decision
        if decision.appeal_deadline and result.recipient == "person":
            return MSG_DELIVERED_DEADLINE.format(deadline=decision.appeal_deadline.isoformat())
        return str(self.success_message)


class ArchiveRecordView(ActionView):
    action = A.ARCHIVE_RECORD
    form_class = forms.ArchiveForm
    service = staticmethod(services.archive_record)
    service_fields = ("archived_on", "received_by", "note")
    anchor = "execution"
    intro = _("第十三条第(四)项：责任追究有关材料应送县纪委监委组织部归入干部个人档案。")
    submit_label = _("记录归档")
    success_message = _("已记录归入干部个人档案。")


class CityFilingView(ActionView):
    action = A.CITY_FILING_RECORD
    form_class = forms.CityFilingForm
    service = staticmethod(services.city_filing_record)
    service_fields = ("filed_on", "reference", "note")
    anchor = "execution"
    intro = _("第十三条第(四)项：同时报市纪委纪检监察干部监督室备案。")
    submit_label = _("记录备案")
    success_message = _("已记录报市纪委备案。")


class DeliveryCorrectView(ActionView):
    action = A.DELIVERY_CORRECT
    form_class = forms.DeliveryCorrectForm
    service = staticmethod(services.delivery_correct)
    service_fields = ("delivered_on", "manner", "received_by", "note", "reason")
    target_kind = "delivery"
    anchor = "parties"
    intro = _(
        "更正由录入人或监督室主任进行，应当写明理由；原记录保留在记录历史和审计日志中。"
        "更正向本人送达的日期的，重新计算申诉期限。"
    )
    submit_label = _("保存更正")
    success_message = _("已更正，原记录保留在记录历史中。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"delivery": self.target}

    def heading(self) -> str:
        return _("更正%(name)s的送达记录") % {"name": self.target.decision.party.person.name}


class DeliveryWithdrawView(ReasonActionView):
    action = A.DELIVERY_WITHDRAW
    service = staticmethod(services.delivery_withdraw)
    target_kind = "delivery"
    reason_label = _("撤回理由")
    anchor = "parties"
    intro = _("撤回的送达记录保留并标明撤回理由，不再计算申诉期限，应当重新送达。")
    submit_label = _("撤回记录")
    success_message = _("已撤回该记录。")
    danger = True

    def heading(self) -> str:
        return _("撤回%(name)s的送达记录") % {"name": self.target.decision.party.person.name}
