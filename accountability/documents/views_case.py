"""The documents' pages and panels on the case pages (the cases app does not import documents).

- 印发 a decision document through the system, or record one issued on paper (纸质文书补录):
  action pages on the cases app's pattern (``ActionView``), under the URL names
  ``cases:decision_issue`` and ``cases:decision_issue_paper`` (urls_case.py, joined to the
  cases namespace through ``cases.extensions``);
- the case page's documents panel, each decision's document and PDF status, and the papers a
  subject may download on their own page: registered in ``DocumentsConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accountability.cases import access, forms, services
from accountability.cases import workflow as wf
from accountability.cases.models import Case, Decision
from accountability.cases.views.actions.base import ActionView
from accountability.cases.views.common import url_or_empty
from accountability.common.errors import DomainError
from accountability.documents import selectors as document_selectors
from accountability.documents import services as document_services
from accountability.documents.context import CRIMINAL
from accountability.documents.kinds import DocumentKind
from accountability.documents.pdf import pdf_available
from accountability.documents.roles import issuer_roles

A = wf.Action

MSG_DOCUMENT_ISSUED = _("已印发{title}，发文字号{number}。")


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
    template_name = "documents/decision_issue.html"
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
            confirm_order=form.cleaned_data.get("confirm_order", False),
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


# ---------------------------------------------------------------------------------------------
# Panels of the case pages (registered in DocumentsConfig.ready through cases.extensions)


def case_panel(*, case: Case, user: Any, has_attachments: bool) -> dict[str, Any]:
    """The case's issued documents (every version), the other papers the user may issue on
    the documents page, and the dossier package when there is something to package."""
    rows = document_selectors.document_list_for_case(case=case)
    superseded = {d.supersedes_id for d in rows if d.supersedes_id}
    roles = access.case_roles(case=case, user=user)
    others = [
        option.title
        for option in document_selectors.issue_options(case=case, user=user)
        if option.kind != DocumentKind.DECISION
        and option.ready
        and option.allowed
        and option.issued is None
    ]
    can_export = bool(rows or has_attachments) and document_selectors.can_export_dossier(
        case=case, user=user
    )
    documents = {
        "rows": [
            {
                "document": d,
                "superseded": d.pk in superseded,
                "can_retry": bool(roles & issuer_roles(d.kind)),
            }
            for d in rows
        ],
        "others": others,
        "can_export": can_export,
        "transfer": can_export and case.parties.filter(severity=CRIMINAL).exists(),
        "pdf_available": pdf_available(),
        "url": reverse("documents:case_documents", args=[case.pk]),
        "next": f"{reverse('cases:detail', args=[case.pk])}#documents",
    }
    return {
        "documents": documents,
        "documents_url": reverse("documents:case_documents", args=[case.pk]),
    }


def decision_panel(*, decision: Decision, case: Case, user: Any) -> dict[str, Any]:
    """A decision's document on the case page, with the PDF status: who may ask for it again."""
    return {
        "document": decision.documents.filter(kind=DocumentKind.DECISION)
        .select_related("pdf__job")
        .order_by("-version", "-id")
        .first(),
        "pdf_available": pdf_available(),
        "can_retry_pdf": bool(
            access.case_roles(case=case, user=user) & issuer_roles(DocumentKind.DECISION)
        ),
    }


def subject_documents(*, decision: Decision) -> list[dict[str, str]]:
    """The papers of a decision its subject may download (addressed to them, or to no one)."""
    result = []
    for document in (
        decision.documents.filter(kind__in=document_selectors.SUBJECT_KINDS)
        .select_related("pdf")
        .order_by("id")
    ):
        if document.recipient not in ("", "person"):
            continue
        fmt = "pdf" if document.pdf_ready else "docx"
        url = url_or_empty("documents:download", document.pk, fmt)
        if url:
            result.append({"title": str(document), "url": url})
    return result
