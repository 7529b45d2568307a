"""One page per workflow action: a form, ONE service call, a redirect with a message.

``ActionView`` holds the pattern; each subclass names its action, its form, and the service it
calls with the form's fields (``service``, ``service_fields``), or overrides ``perform`` when
the call needs more than the fields as they are. Who may open the page comes from the workflow
table through ``selectors.allowed_actions``: a role that may never take the action gets 403
with the rule's message; a role that may, but not in the case's current state, is sent back to
the case page with the workflow's message. The services check everything again on submit;
their DomainErrors go back onto the form field they name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View

from accountability.audit.models import AuditEntry
from accountability.audit.services import audit_log
from accountability.cases import access, forms, selectors, services
from accountability.cases import workflow as wf
from accountability.cases.models import (
    Appeal,
    Case,
    CaseParty,
    Decision,
    Rectification,
)
from accountability.cases.views_common import as_http, assessment_view, get_case
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.documents import selectors as document_selectors
from accountability.documents import services as document_services
from accountability.documents.kinds import DocumentKind
from accountability.documents.pdf import pdf_available

A = wf.Action

MSG_APPEAL_LATE_REJECTED = _(
    "申诉已逾期（期限{deadline}届满），未说明正当理由，已记录为逾期不予受理（第十六条）。"
)
MSG_APPEAL_LATE_ACCEPTED = _("申诉已逾期（期限{deadline}届满），因说明了正当理由予以受理，待复查。")
MSG_DELIVERED_DEADLINE = _("已记录送达；申诉期限至{deadline}届满（第十六条）。")
MSG_DOCUMENT_ISSUED = _("已印发{title}，发文字号{number}。")


class ActionView(LoginRequiredMixin, View):
    action: ClassVar[wf.Action]
    form_class: ClassVar[type[forms.CaseForm]]
    title: ClassVar[Any] = ""
    intro: ClassVar[Any] = ""
    submit_label: ClassVar[Any] = _("提交")
    success_message: ClassVar[Any] = _("已保存。")
    template_name: ClassVar[str] = "cases/action_form.html"
    #: "party", "decision", "appeal" or "rectification": the record the action is about.
    target_kind: ClassVar[str | None] = None
    #: Anchor of the case page section to return to.
    anchor: ClassVar[str] = ""
    #: What ``perform`` calls (wrapped in ``staticmethod``): the service gets the target under
    #: its ``target_kind`` (or ``case=``), the acting user, the request, and these form fields.
    service: ClassVar[Callable[..., Any] | None] = None
    service_fields: ClassVar[tuple[str, ...]] = ()
    danger: ClassVar[bool] = False

    case: Case
    target: Any

    # -- the pattern

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = get_case(request, kwargs["pk"])
        self.target = self.get_target(kwargs.get("obj"))
        refusal = self.refusal()
        if isinstance(refusal, PermissionDenied):
            self.audit_refusal(refusal)
            raise HttpPermissionDenied(refusal.message)
        if refusal is not None:
            messages.error(request, refusal.message)
            return redirect(self.case_url())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.perform(form)
            except (NotFound, PermissionDenied) as error:
                self.audit_refusal(error)
                raise as_http(error) from error
            except DomainError as error:
                self.audit_refusal(error)
                form.add_domain_error(error)
            else:
                messages.add_message(request, self.message_level(result), self.message_text(result))
                return redirect(self.success_url(result))
        return self.render_form(form)

    def audit_refusal(self, error: DomainError) -> None:
        """Record a refused action (GB/T 22239: success and failure are audited).

        The service's own audit entry rolled back with its transaction; this one is
        written after it, outside any transaction of the action.
        """
        audit_log(
            actor=self.request.user,
            action="transition",
            target=self.case,
            # The code and field are language-neutral; the message is as the user saw it.
            changes={"action": str(self.action), "code": error.code, "field": error.field},
            request=self.request,
            outcome=(
                AuditEntry.Outcome.DENIED
                if isinstance(error, PermissionDenied)
                else AuditEntry.Outcome.FAILURE
            ),
            detail=error.message,
        )

    # -- hooks

    def perform(self, form: Any) -> Any:
        if self.service is None:
            raise NotImplementedError
        data = form.cleaned_data
        subject = {self.target_kind: self.target} if self.target_kind else {"case": self.case}
        return self.service(
            **subject,
            actor=self.request.user,
            **{name: data[name] for name in self.service_fields},
            request=self.request,
        )

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def extra_context(self) -> dict[str, Any]:
        return {}

    def message_level(self, result: Any) -> int:
        return messages.SUCCESS

    def message_text(self, result: Any) -> str:
        return str(self.success_message)

    def success_url(self, result: Any) -> str:
        return self.case_url()

    # -- helpers

    def get_form(self, data: Any = None, files: Any = None) -> forms.CaseForm:
        return self.form_class(data, files, **self.form_kwargs())

    def case_url(self) -> str:
        url = reverse("cases:detail", args=[self.case.pk])
        return f"{url}#{self.anchor}" if self.anchor else url

    def get_target(self, obj: Any) -> Any:
        if self.target_kind is None:
            return None
        queries: dict[str, models.QuerySet[Any]] = {
            "party": CaseParty.objects.filter(case=self.case).select_related("person__unit"),
            "decision": Decision.objects.filter(party__case=self.case).select_related(
                "party__person", "current_version"
            ),
            "appeal": Appeal.objects.filter(decision__party__case=self.case).select_related(
                "decision__party__person", "reviewing_organ"
            ),
            "rectification": Rectification.objects.filter(
                decision__party__case=self.case
            ).select_related("decision__party__person"),
        }
        try:
            return queries[self.target_kind].get(pk=int(obj))
        except (TypeError, ValueError, models.ObjectDoesNotExist):
            raise Http404(NotFound().message) from None

    def refusal(self) -> DomainError | None:
        """Why the user may not take this action on this case now (None when they may)."""
        user = self.request.user
        allowed = {t.action for t in selectors.allowed_actions(case=self.case, user=user)}
        if self.action in allowed:
            return None
        transition = wf.transition_for(self.action)
        roles = selectors.case_roles_for_user(case=self.case, user=user)
        if not roles & {str(r) for r in transition.roles}:
            return PermissionDenied(wf.role_message(transition, roles), code="role_not_allowed")
        return DomainError(wf.illegal_message(self.case.state, self.action), field="state")

    def heading(self) -> str:
        return str(self.title or wf.transition_for(self.action).label)

    def render_form(self, form: Any) -> HttpResponse:
        self.form = form
        context = {
            "case": self.case,
            "form": form,
            "title": self.heading(),
            "intro": self.intro,
            "submit_label": self.submit_label,
            "target": self.target,
            "danger": self.danger,
            "cancel_url": self.case_url(),
            "has_files": any(isinstance(f, django_forms.FileField) for f in form.fields.values()),
        }
        context.update(self.extra_context())
        return render(self.request, self.template_name, context)

    def party_context(self, party: CaseParty) -> dict[str, Any]:
        """The person's assessment as the form's aside (the rulebook's view of the facts)."""
        result = None
        if party.facts_complete:
            try:
                result = selectors.party_assessment(party=party)
            except DomainError:
                result = None
        return {"party": party, "assessment": assessment_view(result, _("按已认定事实测算"))}


class ReasonActionView(ActionView):
    """An action that takes one reason (``forms.ReasonForm``), under the label it names."""

    form_class = forms.ReasonForm
    service_fields = ("reason",)
    reason_label: ClassVar[Any] = ""
    reason_required: ClassVar[bool] = True

    def form_kwargs(self) -> dict[str, Any]:
        return {"label": self.reason_label, "required": self.reason_required}


# ---------------------------------------------------------------------------------------------
# 13(1) 线索受理


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


def attachment_max_bytes() -> int:
    """The upload limit of the attachment and evidence pages (CASES_ATTACHMENT_MAX_MB)."""
    return services._attachment_max_bytes()


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
    service_fields = ("opinion",)
    intro = _("第十三条第(一)项：纪检监察干部监督室提出办理意见，按程序报批受理。")
    submit_label = _("批准受理")
    success_message = _("已批准受理。")


class ClueRejectView(ReasonActionView):
    action = A.CLUE_REJECT
    service = staticmethod(services.clue_reject)
    reason_label = _("不予受理理由")
    intro = _("不予受理的，写明理由；案件随即终结。")
    submit_label = _("不予受理")
    success_message = _("已决定不予受理。")
    danger = True


class CaseTakeOverView(ReasonActionView):
    action = A.CASE_TAKE_OVER
    service = staticmethod(services.case_take_over)
    reason_label = _("直接追究理由")
    intro = _(
        "第十一条：确因工作需要，上级纪检监察机关可直接对下级纪检监察机关领导干部进行责任追究。"
    )
    submit_label = _("直接追究")
    success_message = _("本案已由上级机关直接追究。")


# ---------------------------------------------------------------------------------------------
# 13(2) 调查核实


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
    anchor = "reports"
    submit_label = _("退回补充调查")
    success_message = _("调查报告已退回，案件回到调查核实。")


# ---------------------------------------------------------------------------------------------
# 13(3) 研究决定


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


# ---------------------------------------------------------------------------------------------
# 13(4) 执行决定


def _already_issued(decision: Decision) -> DomainError | None:
    """A person's decision is issued once (the case may still wait for the others')."""
    if decision.issued_on is None:
        return None
    return DomainError(
        services.MSG_ALREADY_ISSUED.format(
            name=decision.party.person.name, number=decision.document_number
        ),
        field="document_number",
    )


class DecisionIssueBase(ActionView):
    """A page that records a person's decision as issued (once; the case may still wait)."""

    action = A.DECISION_ISSUE
    target_kind = "decision"
    anchor = "parties"

    def refusal(self) -> DomainError | None:
        return super().refusal() or _already_issued(self.target)

    def success_url(self, result: Any) -> str:
        return f"{reverse('cases:detail', args=[self.case.pk])}#decision-{self.target.pk}"


class DecisionIssueView(DecisionIssueBase):
    """印发 the decision document through the system: a confirmation page with the draft to
    check, then the documents app fills it in, numbers it (per year, without gaps) and freezes
    it, recording the decision as issued in the same transaction."""

    form_class = forms.DocumentIssueForm
    template_name = "cases/decision_issue.html"
    intro = _(
        "第十三条第(四)项：根据常委会作出的决定，及时形成决定文书送相关部门执行。"
        "印发后文书即存档、不可修改，发文字号由系统按年连续编号。"
    )
    submit_label = _("印发决定文书")

    def heading(self) -> str:
        return _("印发%(name)s的决定文书") % {"name": self.target.party.person.name}

    def extra_context(self) -> dict[str, Any]:
        decision = self.target
        party = decision.party
        query = urlencode({"party": party.pk})
        preview = {
            fmt: f"{reverse('documents:preview', args=[self.case.pk, DocumentKind.DECISION, fmt])}"
            f"?{query}"
            for fmt in ("docx", "pdf")
        }
        prefix = document_selectors.number_prefix(
            kind=DocumentKind.DECISION, case=self.case, party=party
        )
        return {
            "decision": decision,
            "preview_docx": preview["docx"],
            "preview_pdf": preview["pdf"] if pdf_available() else "",
            "number_pattern": f"{prefix}〔{timezone.localdate().year}〕　号",
            "paper_url": reverse("cases:decision_issue_paper", args=[self.case.pk, decision.pk]),
        }

    def perform(self, form: Any) -> Any:
        return document_services.document_issue(
            case=self.case,
            kind=DocumentKind.DECISION,
            actor=self.request.user,
            party=self.target.party,
            issued_on=form.cleaned_data["issued_on"],
            request=self.request,
        )

    def message_text(self, result: Any) -> str:
        return MSG_DOCUMENT_ISSUED.format(title=result.title, number=result.number)


class DecisionPaperRecordView(DecisionIssueBase):
    """纸质文书补录: a decision document issued on paper outside the system is recorded with
    the number on the paper (checked: its format, its year, not used before, and the next
    number when it belongs to the series the system numbers)."""

    form_class = forms.IssueForm
    intro = _(
        "仅用于已在系统外以纸质方式印发的决定文书：照录纸质文书上的发文字号和印发日期。"
        "通过本系统印发的，请使用“印发决定文书”，由系统编号并存档。"
    )
    submit_label = _("补录")
    success_message = _("已补录纸质决定文书的印发。")

    def heading(self) -> str:
        return _("纸质文书补录：%(name)s的决定文书") % {"name": self.target.party.person.name}

    def perform(self, form: Any) -> Any:
        data = form.cleaned_data
        return document_services.decision_paper_record(
            decision=self.target,
            actor=self.request.user,
            number=data["document_number"],
            issued_on=data["issued_on"],
            request=self.request,
        )


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


# ---------------------------------------------------------------------------------------------
# Art 16 申诉, Art 10 整改, 办结


class AppealRegisterView(ActionView):
    action = A.APPEAL_REGISTER
    form_class = forms.AppealForm
    service = staticmethod(services.appeal_register)
    service_fields = (
        "received_on",
        "content",
        "manner",
        "postmark_on",
        "written",
        "reviewing_organ",
        "late_acceptance_reason",
    )
    target_kind = "decision"
    anchor = "parties"
    intro = _(
        "第十六条：对责任追究决定不服的，可以自接到处理决定之日起15日内，向作出决定的机关或上级机关提出书面申诉。"
    )
    submit_label = _("登记申诉")
    success_message = _("已登记申诉，待复查。")

    def heading(self) -> str:
        return _("登记%(name)s的申诉") % {"name": self.target.party.person.name}

    def form_kwargs(self) -> dict[str, Any]:
        return {"case": self.case}

    def extra_context(self) -> dict[str, Any]:
        return {"decision": self.target}

    def message_level(self, result: Any) -> int:
        return messages.WARNING if result.late else messages.SUCCESS

    def message_text(self, result: Any) -> str:
        if result.status == Appeal.Status.REJECTED_LATE:
            return MSG_APPEAL_LATE_REJECTED.format(deadline=result.deadline.isoformat())
        if result.late:
            return MSG_APPEAL_LATE_ACCEPTED.format(deadline=result.deadline.isoformat())
        return str(self.success_message)


class AppealReviewView(ActionView):
    action = A.APPEAL_REVIEW_RECORD
    form_class = forms.AppealReviewForm
    service = staticmethod(services.appeal_review_record)
    service_fields = ("reviewed_on", "outcome", "reason", "measures", "rectification_deadline")
    target_kind = "appeal"
    anchor = "parties"
    intro = _("复查后维持、变更或撤销原决定；原决定的各个版本均予保留。")
    submit_label = _("记录复查结果")
    success_message = _("已记录复查结果。")

    def heading(self) -> str:
        return _("复查%(name)s的申诉") % {"name": self.target.decision.party.person.name}

    def refusal(self) -> DomainError | None:
        refusal = super().refusal()
        if refusal is not None:
            return refusal
        # Only the organ the appeal is addressed to reviews it (Art 16).
        commission = access.user_commission(self.request.user)
        if commission is None or commission.pk != self.target.reviewing_organ_id:
            return PermissionDenied(
                services.MSG_REVIEWER_ORGAN.format(organ=self.target.reviewing_organ.name),
                code="organ",
            )
        if self.target.status != Appeal.Status.PENDING:
            return DomainError(
                services.MSG_APPEAL_NOT_PENDING.format(status=self.target.get_status_display()),
                field="appeal",
            )
        return None

    def extra_context(self) -> dict[str, Any]:
        decision = self.target.decision
        version = decision.current_version
        return {
            "appeal": self.target,
            "decision": decision,
            "assessment": assessment_view(version.assessment if version else None, _("原决定测算")),
        }


class RectificationCompleteView(ActionView):
    action = A.RECTIFICATION_COMPLETE
    form_class = forms.RectificationForm
    service = staticmethod(services.rectification_complete)
    service_fields = ("completed_on", "evidence")
    target_kind = "rectification"
    anchor = "parties"
    submit_label = _("记录整改完成")
    success_message = _("已记录整改完成。")

    def heading(self) -> str:
        return _("记录%(name)s的整改完成情况") % {"name": self.target.decision.party.person.name}


class CaseCloseView(ReasonActionView):
    action = A.CASE_CLOSE
    service = staticmethod(services.case_close)
    reason_label = _("办结说明")
    reason_required = False
    intro = _("办结前，每名被调查人的决定应当已生效或已撤销，责令限期整改事项应当已完成。")
    submit_label = _("办结")
    success_message = _("案件已办结。")
