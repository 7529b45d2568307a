"""Art 10 责令限期整改 and 办结: a rectification completed, the case closed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accountability.cases import forms, services
from accountability.cases import workflow as wf
from accountability.cases.views.actions.base import ActionView, ReasonActionView

A = wf.Action


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
    date_name = "closed_on"
    date_label = _("办结日期")
    intro = _("办结前，每名被调查人的决定应当已生效或已撤销，责令限期整改事项应当已完成。")
    submit_label = _("办结")
    success_message = _("案件已办结。")
