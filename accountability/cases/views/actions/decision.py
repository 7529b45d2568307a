"""13(3) 研究决定: the committee meeting and each person's decision."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accountability.cases import forms, services
from accountability.cases import workflow as wf
from accountability.cases.views.actions.base import ActionView

A = wf.Action


class MeetingRecordView(ActionView):
    action = A.MEETING_RECORD
    form_class = forms.MeetingForm
    anchor = "parties"
    intro = _("第十三条第(三)项：县纪委常委会听取调查组调查核实情况报告后，作出责任追究决定。")
    submit_label = _("记录会议")
    success_message = _("已记录常委会会议；请逐人记录决定。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}

    def extra_context(self) -> dict[str, Any]:
        size = services.committee_size()
        rule = services.quorum_rule()
        return {
            "quorum": {
                "size": size,
                "required": services.quorum_required(size, rule),
                "votes_required": services.votes_required(size),
            }
        }

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        return services.meeting_record(
            case=self.case,
            actor=self.request.user,
            held_on=data["held_on"],
            members_present=list(data["members_present"]),
            members_recused=list(data["members_recused"]),
            votes_for=data["votes_for"],
            votes_against=data["votes_against"] or 0,
            votes_abstain=data["votes_abstain"] or 0,
            minutes=data["minutes"],
            request=self.request,
        )


class DecisionRecordView(ActionView):
    action = A.DECISION_RECORD
    form_class = forms.DecisionForm
    service = staticmethod(services.decision_record)
    service_fields = (
        "meeting",
        "outcome",
        "measures",
        "reason",
        "rectification_deadline",
        "decided_on",
    )
    target_kind = "party"
    anchor = "parties"
    submit_label = _("记录决定")
    success_message = _("已记录责任追究决定。")

    def heading(self) -> str:
        return _("记录对%(name)s的决定") % {"name": self.target.person.name}

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}

    def extra_context(self) -> dict[str, Any]:
        context = self.party_context(self.target)
        finding = self.target.findings.order_by("-report__number").first()
        context["finding"] = finding
        return context
