"""Every refusal of a workflow action is audited once, whichever door it came through: the
service writes the entry after its transaction rolled back (accountability.audit.refusals);
the page and the error middleware write no second one."""

from __future__ import annotations

from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.audit.refusals import audited_service
from accountability.cases import services
from accountability.cases.models import Case
from accountability.cases.tests.factories import Flow, ago
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasMixin


def entries_after(seq: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


class ServiceRefusalTests(PersonasMixin, TestCase):
    def test_a_role_refused_by_the_service_is_one_denied_entry_on_the_case(self):
        flow = Flow.register(self.personas)
        before = last_seq()
        with self.assertRaises(PermissionDenied) as caught:
            services.clue_approve(case=flow.case, actor=self.archivist, opinion="同意受理。")
        self.assertTrue(caught.exception.audited)
        (entry,) = entries_after(before)
        self.assertEqual(
            (entry.action, entry.outcome, entry.target_id),
            ("transition", AuditEntry.Outcome.DENIED, str(flow.case.pk)),
        )
        self.assertEqual(entry.changes["action"], "clue_approve")
        self.assertEqual(entry.changes["code"], caught.exception.code)
        self.assertEqual(entry.actor_id, self.archivist.pk)

    def test_a_rule_refused_is_one_failed_entry_and_nothing_else(self):
        case = services.clue_register(
            actor=self.case_officer, source="work", summary="工作中发现问题。", received_on=ago(1)
        )
        before = last_seq()
        with self.assertRaises(DomainError) as caught:
            services.clue_approve(case=case, actor=self.office_head, opinion="同意受理。")
        (entry,) = entries_after(before)
        self.assertEqual(entry.outcome, AuditEntry.Outcome.FAILURE)
        self.assertEqual(entry.changes["field"], caught.exception.field)
        self.assertEqual(Case.objects.get(pk=case.pk).state, case.state)

    def test_a_refused_registration_is_audited_without_a_case(self):
        before = last_seq()
        with self.assertRaises(DomainError):
            services.clue_register(
                actor=self.case_officer, source="work", summary="", received_on=ago(1)
            )
        (entry,) = entries_after(before)
        self.assertEqual((entry.changes["action"], entry.target_id), ("clue_register", ""))
        self.assertFalse(Case.objects.exists())

    def test_a_service_inside_another_is_audited_once_after_the_outer_rollback(self):
        @audited_service("inner", target=lambda arguments: None)
        def inner(*, actor) -> None:
            raise DomainError("内层拒绝。", field="x", code="inner_refused")

        @audited_service("outer", target=lambda arguments: None)
        def outer(*, actor) -> None:
            inner(actor=actor)

        before = last_seq()
        with self.assertRaises(DomainError):
            outer(actor=self.case_officer)
        (entry,) = entries_after(before)
        # The outer service writes it, after its own transaction is gone: nothing undoes it.
        self.assertEqual(entry.changes, {"action": "outer", "code": "inner_refused", "field": "x"})
        self.assertFalse(transaction.get_connection().needs_rollback)


class PageRefusalTests(PersonasMixin, TestCase):
    def test_a_refusal_through_the_page_is_one_entry_not_two(self):
        case = services.clue_register(
            actor=self.case_officer, source="work", summary="工作中发现问题。", received_on=ago(1)
        )
        self.client.force_login(self.office_head)
        before = last_seq()
        response = self.client.post(
            reverse("cases:clue_approve", args=[case.pk]), {"opinion": "同意受理。"}
        )
        self.assertEqual(response.status_code, 200)
        refusals = [e for e in entries_after(before) if e.outcome != AuditEntry.Outcome.SUCCESS]
        self.assertEqual(len(refusals), 1, [(e.action, e.changes) for e in refusals])
        self.assertEqual(refusals[0].changes["action"], "clue_approve")
