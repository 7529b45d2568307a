"""13(2) 调查核实: the team, evidence, hearings, the report (submitted or returned)."""

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


class TeamFormView(ActionView):
    action = A.TEAM_FORM
    form_class = forms.TeamForm
    anchor = "team"
    intro = _("第十三条第(二)项：纪检监察干部监督室组织相关部室成立调查组。")
    submit_label = _("成立调查组")
    success_message = _("调查组已成立，案件进入调查核实。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        return services.team_form(
            case=self.case,
            actor=self.request.user,
            members=list(data["members"]),
            leader=data["leader"],
            formed_on=data["formed_on"],
            request=self.request,
        )


class TeamMemberAddView(ActionView):
    action = A.TEAM_MEMBER_ADD
    form_class = forms.TeamForm
    anchor = "team"
    submit_label = _("增加成员")
    success_message = _("已增加调查组成员。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case, "single": True}

    def perform(self, form: Any) -> Any:
        return services.team_member_add(
            case=self.case,
            actor=self.request.user,
            user=form.cleaned_data["members"],
            request=self.request,
        )


class EvidenceAddView(ActionView):
    upload_max_bytes = staticmethod(attachment_max_bytes)
    action = A.EVIDENCE_ADD
    form_class = forms.EvidenceForm
    service = staticmethod(services.evidence_add)
    service_fields = ("title", "collected_on", "description", "party", "file")
    anchor = "materials"
    submit_label = _("登记证据")
    success_message = _("已登记证据材料。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}


class HearingRecordView(ActionView):
    action = A.HEARING_RECORD
    form_class = forms.HearingForm
    service = staticmethod(services.hearing_record)
    service_fields = ("held_on", "statement", "defence")
    target_kind = "party"
    anchor = "parties"
    intro = _("第十三条第(二)项：听取被追究责任者陈述和申辩。")
    submit_label = _("保存记录")
    success_message = _("已记录陈述和申辩。")

    def heading(self) -> str:
        return _("记录%(name)s的陈述和申辩") % {"name": self.target.person.name}


class HearingRefusalView(ActionView):
    action = A.HEARING_REFUSAL_RECORD
    form_class = forms.RefusalForm
    service = staticmethod(services.hearing_refusal_record)
    service_fields = ("held_on", "refusal_record")
    target_kind = "party"
    anchor = "parties"
    intro = _("本人拒绝陈述和申辩的，如实记录；有此记录方可作出决定(第十三条第(二)项)。")
    submit_label = _("保存记录")
    success_message = _("已记录拒绝陈述申辩。")

    def heading(self) -> str:
        return _("记录%(name)s拒绝陈述申辩") % {"name": self.target.person.name}


class ReportSubmitView(ActionView):
    action = A.REPORT_SUBMIT
    form_class = forms.ReportForm
    template_name = "cases/report_form.html"
    anchor = "reports"
    intro = _(
        "第十三条第(二)项：及时形成调查报告，对需要追究责任的，提出责任追究建议，并向县纪委常委会报告。"
    )
    submit_label = _("提交调查报告")
    success_message = _("调查报告已提交常委会。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}

    def extra_context(self) -> dict[str, Any]:
        rows = [
            {
                "party": party,
                "fields": fields,
                "assessment": self.party_context(party)["assessment"],
            }
            for party, fields in self.form.party_fields()
        ]
        return {"finding_rows": rows}

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        return services.report_submit(
            case=self.case,
            actor=self.request.user,
            summary=data["summary"],
            findings=form.findings(),
            submitted_on=data["submitted_on"],
            request=self.request,
        )


class ReportReturnView(ReasonActionView):
    action = A.REPORT_RETURN
    service = staticmethod(services.report_return)
    reason_label = _("退回理由")
    date_name = "returned_on"
    date_label = _("退回日期")
    anchor = "reports"
    submit_label = _("退回补充调查")
    success_message = _("调查报告已退回，案件回到调查核实。")


# A hearing or an evidence item entered by mistake: 更正 or 撤回, with a reason, by the person
# who entered it or the office head (the service checks who); the original stays in its history.


class HearingCorrectView(ActionView):
    action = A.INVESTIGATION_RECORD_CORRECT
    form_class = forms.HearingCorrectForm
    target_kind = "hearing"
    anchor = "parties"
    intro = _("更正由录入人或监督室主任进行，应当写明理由；原记录保留在记录历史和审计日志中。")
    submit_label = _("保存更正")
    success_message = _("已更正，原记录保留在记录历史中。")

    def form_kwargs(self) -> dict[str, Any]:
        return {"hearing": self.target}

    def heading(self) -> str:
        return _("更正%(name)s的陈述申辩记录") % {"name": self.target.party.person.name}

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        return services.hearing_correct(
            hearing=self.target,
            actor=self.request.user,
            request=self.request,
            **{name: data[name] for name in form.fields},
        )


class HearingWithdrawView(ReasonActionView):
    action = A.INVESTIGATION_RECORD_WITHDRAW
    service = staticmethod(services.hearing_withdraw)
    target_kind = "hearing"
    reason_label = _("撤回理由")
    anchor = "parties"
    intro = _("撤回的记录保留并标明撤回理由，不再作为听取陈述和申辩的记录(第十三条第(二)项)。")
    submit_label = _("撤回记录")
    success_message = _("已撤回该记录。")
    danger = True

    def heading(self) -> str:
        return _("撤回%(name)s的陈述申辩记录") % {"name": self.target.party.person.name}


class EvidenceCorrectView(ActionView):
    action = A.INVESTIGATION_RECORD_CORRECT
    form_class = forms.EvidenceCorrectForm
    service = staticmethod(services.evidence_correct)
    service_fields = ("title", "collected_on", "description", "reason")
    target_kind = "evidence"
    anchor = "materials"
    intro = HearingCorrectView.intro
    submit_label = _("保存更正")
    success_message = HearingCorrectView.success_message

    def form_kwargs(self) -> dict[str, Any]:
        return {"evidence": self.target}

    def heading(self) -> str:
        return _("更正证据材料“%(title)s”") % {"title": self.target.title}


class EvidenceWithdrawView(ReasonActionView):
    action = A.INVESTIGATION_RECORD_WITHDRAW
    service = staticmethod(services.evidence_withdraw)
    target_kind = "evidence"
    reason_label = _("撤回理由")
    anchor = "materials"
    submit_label = _("撤回记录")
    success_message = _("已撤回该记录。")
    danger = True

    def heading(self) -> str:
        return _("撤回证据材料“%(title)s”") % {"title": self.target.title}
