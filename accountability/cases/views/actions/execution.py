"""13(4) 执行决定: issue (through the system or on paper), delivery, archive, city filing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accountability.cases import forms, services
from accountability.cases import workflow as wf
from accountability.cases.models import Decision
from accountability.cases.views.actions.base import ActionView
from accountability.common.errors import DomainError
from accountability.documents import selectors as document_selectors
from accountability.documents import services as document_services
from accountability.documents.kinds import DocumentKind
from accountability.documents.pdf import pdf_available

A = wf.Action


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


MSG_DELIVERED_DEADLINE = _("已记录送达；申诉期限至{deadline}届满（第十六条）。")
MSG_DOCUMENT_ISSUED = _("已印发{title}，发文字号{number}。")


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
