"""Finding 12: huge ids and absurd dates are refused with a message, reads of case and person
records are audited, and who sees the informant is a named setting."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases import forms, selectors, services
from accountability.cases.models import Case
from accountability.cases.tests.factories import Flow, ago, committee
from accountability.cases.workflow import State
from accountability.common.forms import MSG_CHOICE_MISSING, MSG_DATE_TOO_EARLY, MSG_DATE_TOO_LATE
from accountability.demo.testing import PersonasMixin, persona_password_hash

HUGE = "99999999999999999999"


class HugeIdTests(PersonasMixin, TestCase):
    def test_a_huge_person_id_on_the_clue_form_is_a_message(self):
        self.client.force_login(self.case_officer)
        before = Case.objects.count()
        response = self.client.post(
            reverse("cases:clue_create"),
            {
                "source": "petition",
                "received_on": ago(1).isoformat(),
                "summary": "反映问题",
                "persons": [HUGE],
            },
        )
        self.assertContains(response, MSG_CHOICE_MISSING.format(label="被反映人(被调查人)"))
        self.assertEqual(Case.objects.count(), before)

    def test_huge_ids_for_team_members_and_meeting_members(self):
        p = self.personas
        accepted = Flow.register(p, p.people.handler).to(State.ACCEPTED)
        self.client.force_login(self.case_officer)
        response = self.client.post(
            reverse("cases:team_form", args=[accepted.case.pk]),
            {"members": [HUGE, "-1", "abc"], "leader": HUGE},
        )
        self.assertContains(response, MSG_CHOICE_MISSING.format(label="调查组成员"))
        self.assertContains(response, MSG_CHOICE_MISSING.format(label="组长"))
        reported = Flow.register(p, p.people.handler).to(State.REPORTED)
        committee(p)
        self.client.force_login(self.committee_secretary)
        response = self.client.post(
            reverse("cases:meeting_record", args=[reported.case.pk]),
            {"held_on": ago(1).isoformat(), "members_present": [HUGE], "votes_for": 5},
        )
        self.assertContains(response, MSG_CHOICE_MISSING.format(label="到会成员"))


class DateBoundTests(PersonasMixin, TestCase):
    def post_clue(self, day: str):
        self.client.force_login(self.case_officer)
        return self.client.post(
            reverse("cases:clue_create"),
            {"source": "petition", "received_on": day, "summary": "反映问题"},
        )

    def test_a_date_before_the_regulation_names_the_bound_and_why(self):
        for day in ("0001-01-01", "2020-10-29"):
            with self.subTest(day):
                self.assertContains(
                    self.post_clue(day),
                    MSG_DATE_TOO_EARLY.format(
                        label="收到线索日期", bound="2020-10-30", reason=forms.REASON_REGULATION
                    ),
                )
        self.assertFalse(Case.objects.exists())

    def test_a_date_in_the_future_is_refused(self):
        response = self.post_clue("9999-12-31")
        self.assertContains(response, services.MSG_FUTURE_DATE.format(label="收到线索日期"))

    def test_a_deadline_at_most_three_years_ahead(self):
        field = forms.DecisionForm.base_fields["rectification_deadline"]
        bound, reason = forms.deadline_bound()
        with self.assertRaisesMessage(
            Exception,
            MSG_DATE_TOO_LATE.format(label="整改期限", bound=bound.isoformat(), reason=reason),
        ):
            field.clean("9999-12-31")

    def test_a_search_from_year_one_is_dropped_not_a_500(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("cases:list"), {"received_from": "0001-01-01"})
        self.assertEqual(response.status_code, 200)


class ReadAuditTests(PersonasMixin, TestCase):
    def test_each_view_of_a_case_page_is_one_entry_without_content(self):
        flow = Flow.register(self.personas, self.personas.people.handler, summary="秘密的摘要")
        self.client.force_login(self.office_head)
        url = reverse("cases:detail", args=[flow.case.pk])
        for _ in range(2):
            self.assertEqual(self.client.get(url).status_code, 200)
        entries = AuditEntry.objects.filter(action="view", target_type="cases.case")
        self.assertEqual(entries.count(), 2)
        entry = entries.latest("seq")
        self.assertEqual((entry.actor, entry.target_id), (self.office_head, str(flow.case.pk)))
        self.assertEqual(entry.changes, {})
        self.assertNotIn("秘密", entry.detail + str(entry.changes) + entry.target_repr)

    def test_each_view_of_a_person_s_record_is_audited(self):
        person = self.personas.people.handler
        self.client.force_login(self.case_officer)
        self.client.get(reverse("people:detail", args=[person.pk]))
        entry = AuditEntry.objects.latest("seq")
        self.assertEqual(
            (entry.action, entry.target_id, entry.changes), ("view", str(person.pk), {})
        )


class InformantScopeTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.other_officer = get_user_model().objects.create(
            username="officer2",
            full_name="钱二",
            role="case_officer",
            organisation=p.orgs.supervision_office,
            password=persona_password_hash(),
        )
        cls.flow = Flow.register(p, p.people.handler, informant_name="举报人甲").to(
            State.INVESTIGATING
        )

    def can(self, user) -> bool:
        return selectors.can_view_informant(case=self.flow.case, user=user)

    def test_office_scope_every_case_officer_of_the_office(self):
        self.assertTrue(self.can(self.other_officer))
        self.assertTrue(self.can(self.case_officer))
        self.assertTrue(self.can(self.office_head))
        self.assertFalse(self.can(self.leader))

    @override_settings(CASES_INFORMANT_SCOPE="assigned")
    def test_assigned_scope_the_registrant_the_team_s_officers_and_the_head(self):
        self.assertTrue(self.can(self.case_officer))  # registered the clue
        self.assertTrue(self.can(self.office_head))
        self.assertFalse(self.can(self.other_officer))
        self.assertFalse(self.can(self.team_member))  # on the team, but not an informant viewer
        services.team_member_add(
            case=self.flow.case, actor=self.case_officer, user=self.other_officer
        )
        self.assertTrue(self.can(self.other_officer))

    @override_settings(CASES_INFORMANT_SCOPE="assigned")
    def test_the_page_says_who_may_see_it(self):
        self.client.force_login(self.other_officer)
        response = self.client.get(reverse("cases:detail", args=[self.flow.case.pk]))
        note = selectors.informant_scope_note()
        self.assertEqual(
            note,
            "按设置，仅登记该线索的监督室工作人员、参加本案调查组的监督室工作人员和监督室负责人"
            "可查看举报人信息。",
        )
        self.assertContains(response, note)
        response = self.client.get(reverse("cases:informant", args=[self.flow.case.pk]))
        self.assertContains(response, note, status_code=403)
        self.assertNotContains(response, "举报人甲", status_code=403)

    def test_the_office_scope_is_named_on_the_page_too(self):
        self.client.force_login(self.leader)
        response = self.client.get(reverse("cases:detail", args=[self.flow.case.pk]))
        note = selectors.informant_scope_note()
        self.assertEqual(note, "按设置，仅办理机关的监督室工作人员和监督室负责人可查看举报人信息。")
        self.assertContains(response, note)
