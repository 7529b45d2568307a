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
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from accountability.audit.models import AuditEntry
from accountability.audit.services import audit_log
from accountability.cases import forms, selectors, services
from accountability.cases import workflow as wf
from accountability.cases.models import (
    Appeal,
    Case,
    CaseParty,
    Decision,
    Delivery,
    Evidence,
    Hearing,
    Rectification,
)
from accountability.cases.views.common import assessment_view, get_case
from accountability.common.errors import DomainError, NotFound, PermissionDenied

A = wf.Action


class ActionView(LoginRequiredMixin, View):
    action: ClassVar[wf.Action]
    form_class: ClassVar[type[forms.CaseForm]]
    title: ClassVar[Any] = ""
    intro: ClassVar[Any] = ""
    submit_label: ClassVar[Any] = _("提交")
    success_message: ClassVar[Any] = _("已保存。")
    template_name: ClassVar[str] = "cases/action_form.html"
    #: "party", "decision", "appeal", "rectification", "hearing", "evidence" or "delivery":
    #: the record the action is about.
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
            raise refusal  # the middleware answers 403 and audits the refusal
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
            except (NotFound, PermissionDenied):
                raise  # the middleware answers (404/403) and audits the refusal
            except DomainError as error:
                if not error.audited:  # the services audit their own refusals
                    self.audit_refusal(error)
                form.add_domain_error(error)
            else:
                messages.add_message(request, self.message_level(result), self.message_text(result))
                return redirect(self.success_url(result))
        return self.render_form(form)

    def audit_refusal(self, error: DomainError) -> None:
        """Record an action that failed on the form (GB/T 22239: success and failure are
        audited); a PermissionDenied is audited where it is answered (common.middleware).

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
            outcome=AuditEntry.Outcome.FAILURE,
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
            "hearing": Hearing.objects.filter(party__case=self.case).select_related(
                "party__person", "recorded_by"
            ),
            "evidence": Evidence.objects.filter(case=self.case).select_related("added_by"),
            "delivery": Delivery.objects.filter(decision__party__case=self.case).select_related(
                "decision__party__person", "recorded_by"
            ),
            "rectification": Rectification.objects.filter(
                decision__party__case=self.case
            ).select_related("decision__party__person"),
        }
        try:
            return queries[self.target_kind].get(pk=int(obj))
        except (TypeError, ValueError, models.ObjectDoesNotExist):
            raise NotFound() from None

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
    #: The service's keyword for the day the step happened, and its label (none when empty).
    date_name: ClassVar[str] = ""
    date_label: ClassVar[Any] = ""

    def form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"label": self.reason_label, "required": self.reason_required}
        if self.date_name:
            kwargs.update(date_name=self.date_name, date_label=self.date_label)
        return kwargs

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.date_name and cls.date_name not in cls.service_fields:
            cls.service_fields = (*cls.service_fields, cls.date_name)


def attachment_max_bytes() -> int:
    """The upload limit of the attachment and evidence pages (CASES_ATTACHMENT_MAX_MB)."""
    return services._attachment_max_bytes()
