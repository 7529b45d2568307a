"""The kinds of document the procedure produces (Art 13), and which of them carry a 发文字号."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    INTAKE_APPROVAL = "intake_approval", _("线索受理审批表")
    INVESTIGATION_REPORT = "investigation_report", _("调查报告")
    DECISION = "decision", _("责任追究决定书")
    DELIVERY_RECEIPT = "delivery_receipt", _("送达回证")
    FILING_REPORT = "filing_report", _("备案报告")
    DOSSIER_INDEX = "dossier_index", _("归档材料目录")
    APPEAL_REVIEW = "appeal_review", _("申诉复查决定书")
    TRANSFER_LETTER = "transfer_letter", _("移送函")
    # The case file's record of how a decision was measured (rule trace, interpretations,
    # restrictions with their sources): what the decision itself does not say.
    ASSESSMENT_SHEET = "assessment_sheet", _("责任追究测算表")


# Documents sent out under the organ's name get a 发文字号; forms and internal
# reports do not.
NUMBERED_KINDS = frozenset(
    {
        DocumentKind.DECISION,
        DocumentKind.APPEAL_REVIEW,
        DocumentKind.FILING_REPORT,
        DocumentKind.TRANSFER_LETTER,
    }
)

# Documents issued for one person concerned (a CaseParty), not for the case as a whole.
PER_PERSON_KINDS = frozenset(
    {
        DocumentKind.DECISION,
        DocumentKind.DELIVERY_RECEIPT,
        DocumentKind.DOSSIER_INDEX,
        DocumentKind.APPEAL_REVIEW,
        DocumentKind.ASSESSMENT_SHEET,
    }
)
