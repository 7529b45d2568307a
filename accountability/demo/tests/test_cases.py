"""The demo cases: every state, the notable situations, and a second run adds nothing."""

from __future__ import annotations

from django.db.models import Count
from django.test import TestCase, override_settings
from django.utils import timezone

from accountability.cases import selectors
from accountability.cases.models import Appeal, Case, DecisionVersion, Hearing, Rectification
from accountability.cases.workflow import State
from accountability.demo.cases import seed_cases
from accountability.demo.registry import seed_registry


# The demo accounts' passwords are hashed quickly here: this test is about the cases.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SeedCasesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_registry()
        cls.first = seed_cases()

    def test_there_is_a_case_in_every_state(self):
        self.assertEqual(set(Case.objects.values_list("state", flat=True)), set(State))

    def test_the_notable_situations_are_there(self):
        closed = Case.objects.filter(state=State.CLOSED).annotate(n=Count("parties"))
        self.assertEqual([c.n for c in closed], [3])
        self.assertTrue(Hearing.objects.filter(refused=True).exists())
        self.assertTrue(Appeal.objects.filter(late=True, status="rejected_late").exists())
        self.assertTrue(Appeal.objects.filter(status="pending").exists())
        self.assertTrue(
            DecisionVersion.objects.filter(number=2, appeal__outcome="changed").exists()
        )
        self.assertTrue(
            Rectification.objects.filter(
                completed_on=None, cancelled_on=None, deadline__lt=timezone.localdate()
            ).exists()
        )
        self.assertTrue(Case.objects.filter(taken_over_on__isnull=False).exists())
        self.assertTrue(Case.objects.exclude(informant_name_enc="").exists())

    def test_a_second_run_adds_nothing(self):
        count = Case.objects.count()
        self.assertEqual(self.first, f"演示案件：新增{count}件，已有0件。")
        self.assertEqual(seed_cases(), f"演示案件：新增0件，已有{count}件。")
        self.assertEqual(Case.objects.count(), count)

    def test_the_demo_subject_sees_their_decision(self):
        from accountability.accounts.models import User

        subject = User.objects.get(username="subject")
        decisions = list(selectors.decision_list_for_user(user=subject))
        self.assertEqual(len(decisions), 1)
        self.assertEqual(selectors.decision_status(decision=decisions[0]).code, "final")
        overdue = selectors.rectification_list_overdue(user=User.objects.get(username="officer"))
        self.assertIn(decisions[0], [r.decision for r in overdue])
