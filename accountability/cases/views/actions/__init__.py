"""One page per workflow action, one module per stage of the regulation (as the services and
the forms); ``base`` holds the pattern (ActionView). Every view is re-exported here."""

from __future__ import annotations

from accountability.cases.views.actions.appeal import (
    MSG_APPEAL_LATE_ACCEPTED,
    MSG_APPEAL_LATE_REJECTED,
    AppealRegisterView,
    AppealReviewView,
)
from accountability.cases.views.actions.base import (
    ActionView,
    ReasonActionView,
    attachment_max_bytes,
)
from accountability.cases.views.actions.closing import (
    CaseCloseView,
    RectificationCompleteView,
)
from accountability.cases.views.actions.decision import (
    DecisionRecordView,
    MeetingRecordView,
)
from accountability.cases.views.actions.execution import (
    MSG_DELIVERED_DEADLINE,
    ArchiveRecordView,
    CityFilingView,
    DeliveryCorrectView,
    DeliveryRecordView,
    DeliveryWithdrawView,
)
from accountability.cases.views.actions.intake import (
    AttachmentAddView,
    CaseTakeOverView,
    ClueApproveView,
    ClueRejectView,
    ConflictDeclareView,
    PartyAddView,
    PartyFactsView,
)
from accountability.cases.views.actions.investigation import (
    EvidenceAddView,
    EvidenceCorrectView,
    EvidenceWithdrawView,
    HearingCorrectView,
    HearingRecordView,
    HearingRefusalView,
    HearingWithdrawView,
    ReportReturnView,
    ReportSubmitView,
    TeamFormView,
    TeamMemberAddView,
)

__all__ = [
    "MSG_APPEAL_LATE_ACCEPTED",
    "MSG_APPEAL_LATE_REJECTED",
    "MSG_DELIVERED_DEADLINE",
    "ActionView",
    "AppealRegisterView",
    "AppealReviewView",
    "ArchiveRecordView",
    "AttachmentAddView",
    "CaseCloseView",
    "CaseTakeOverView",
    "CityFilingView",
    "ClueApproveView",
    "ClueRejectView",
    "ConflictDeclareView",
    "DecisionRecordView",
    "DeliveryCorrectView",
    "DeliveryRecordView",
    "DeliveryWithdrawView",
    "EvidenceAddView",
    "EvidenceCorrectView",
    "EvidenceWithdrawView",
    "HearingCorrectView",
    "HearingRecordView",
    "HearingRefusalView",
    "HearingWithdrawView",
    "MeetingRecordView",
    "PartyAddView",
    "PartyFactsView",
    "ReasonActionView",
    "RectificationCompleteView",
    "ReportReturnView",
    "ReportSubmitView",
    "TeamFormView",
    "TeamMemberAddView",
    "attachment_max_bytes",
]
