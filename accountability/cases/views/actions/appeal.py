"""Art 16 申诉: registering an appeal and recording its review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from accountability.cases import access, forms, services
from accountability.cases import workflow as wf
from accountability.cases.models import Appeal
from accountability.cases.views.actions.base import ActionView
from accountability.cases.views.common import assessment_view
from accountability.common.errors import DomainError, PermissionDenied

A = wf.Action

MSG_APPEAL_LATE_REJECTED = _(
    "申诉已逾期（期限{deadline}届满），未说明正当理由，已记录为逾期不予受理（第十六条）。"
)
MSG_APPEAL_LATE_ACCEPTED = _("申诉已逾期（期限{deadline}届满），因说明了正当理由予以受理，待复查。")


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
