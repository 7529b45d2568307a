"""13(1) 线索受理 and Art 11 直接追究: approving or refusing a clue, taking a case over, the persons
concerned and their facts, conflicts of interest, attachments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accountability.cases import forms, services
from accountability.cases import workflow as wf
from accountability.cases.views.actions.base import (
    ActionView,
    ReasonActionView,
    attachment_max_bytes,
)

A = wf.Action


class PartyAddView(ActionView):
    action = A.PARTY_ADD
    form_class = forms.PartyAddForm
    service = staticmethod(services.party_add)
    service_fields = ("person", "responsibility_kind", "responsibility_scope")
    submit_label = _("添加")
    success_message = _("已添加被调查人。")
    anchor = "parties"

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}


class PartyFactsView(ActionView):
    action = A.PARTY_FACTS_UPDATE
    template_name = "cases/party_facts_form.html"
    form_class = forms.PartyFactsForm
    service = staticmethod(services.party_facts_update)
    service_fields = (
        "role",
        "circumstance",
        "severity",
        "conditions",
        "violates_discipline",
        "lighter",
        "heavier",
        "occurred_on",
        "facts",
        "responsibility_kind",
        "responsibility_scope",
    )
    target_kind = "party"
    anchor = "parties"
    intro = _(
        "责任事实是规则测算的依据：责任主体类别(第五条)、情形(第八条)、情节(第十条)和从轻从重情节(第十四条、第十五条)。"
    )
    submit_label = _("保存责任事实")
    success_message = _("已保存责任事实认定。")

    def heading(self) -> str:
        return _("认定%(name)s的责任事实") % {"name": self.target.person.name}

    def form_kwargs(self) -> dict[str, Any]:
        return {"party": self.target}

    def extra_context(self) -> dict[str, Any]:
        return self.party_context(self.target)


class ConflictDeclareView(ActionView):
    action = A.CONFLICT_DECLARE
    form_class = forms.ConflictForm
    service = staticmethod(services.conflict_declare)
    service_fields = ("kind", "note", "user", "person")
    anchor = "team"
    intro = _("登记后，该人员不得参加调查组或参加常委会表决；已在调查组的，自动退出。")
    submit_label = _("登记")
    success_message = _("已登记回避事由。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}


class AttachmentAddView(ActionView):
    upload_max_bytes = staticmethod(attachment_max_bytes)
    action = A.ATTACHMENT_ADD
    form_class = forms.AttachmentForm
    service = staticmethod(services.attachment_add)
    service_fields = ("file", "title")
    anchor = "materials"
    submit_label = _("上传")
    success_message = _("附件已上传。")


class ClueApproveView(ActionView):
    action = A.CLUE_APPROVE
    form_class = forms.OpinionForm
    service = staticmethod(services.clue_approve)
    service_fields = ("approved_on", "opinion")
    intro = _("第十三条第(一)项：纪检监察干部监督室提出办理意见，按程序报批受理。")
    submit_label = _("批准受理")
    success_message = _("已批准受理。")


class ClueRejectView(ReasonActionView):
    action = A.CLUE_REJECT
    service = staticmethod(services.clue_reject)
    reason_label = _("不予受理理由")
    date_name = "approved_on"
    date_label = _("决定日期")
    intro = _("不予受理的，写明理由；案件随即终结。")
    submit_label = _("不予受理")
    success_message = _("已决定不予受理。")
    danger = True


class CaseTakeOverView(ReasonActionView):
    action = A.CASE_TAKE_OVER
    service = staticmethod(services.case_take_over)
    reason_label = _("直接追究理由")
    date_name = "taken_over_on"
    date_label = _("上级机关直接追究日期")
    intro = _(
        "第十一条：确因工作需要，上级纪检监察机关可直接对下级纪检监察机关领导干部进行责任追究。"
    )
    submit_label = _("直接追究")
    success_message = _("本案已由上级机关直接追究。")
