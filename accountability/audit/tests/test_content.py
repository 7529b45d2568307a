"""Finding 4: the audit administrator reads who did what to which case, never its content.

A case is walked through the workflow by the case roles with recognisable content; the audit
administrator then opens the log (every page, filtered by case and by event) and exports it.
None of the content the case officers entered shows; the case number, the field names and
the actors do.
"""

from django.test import TestCase
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases import services
from accountability.cases.tests.factories import Flow, committee
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin

FACTS = "朱磊于二〇二五年三月违规泄露案情线索"
REJECTION = "线索内容不具体且无可查性，不予受理"
SUMMARY = "经调查核实，朱磊泄露案情线索的问题属实"
PERSON = "朱磊"
REJECTED_PERSON = "胡静"
MEASURE = "批评教育"


class AuditorSeesNoCaseContentTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)
        people = cls.personas.people
        flow = Flow.register(cls.personas, people.direct).accept().investigate()
        for party in flow.parties:
            services.party_facts_update(
                party=party,
                actor=cls.team_member,
                role=party.person.role,
                circumstance=3,
                severity="较轻",
                facts=FACTS,
            )
        flow.hear()
        services.report_submit(
            case=flow.case,
            actor=cls.team_member,
            summary=SUMMARY,
            findings=[
                services.FindingInput(party=p, recommendation="追究", measures=[MEASURE])
                for p in flow.parties
            ],
            submitted_on=flow.case.received_on.replace(year=flow.case.received_on.year),
        )
        flow.decide(decisions={people.direct: ("追究", [MEASURE], "")})
        cls.case = flow.case
        rejected = Flow.register(cls.personas, people.township_handler).case
        services.clue_reject(case=rejected, actor=cls.office_head, reason=REJECTION)
        cls.rejected = rejected
        cls.content = (FACTS, REJECTION, SUMMARY, PERSON, REJECTED_PERSON, MEASURE)

    def pages(self) -> list[str]:
        """Every page of the log, as the audit administrator, newest to oldest."""
        self.client.force_login(self.audit_admin)
        bodies, params = [], {}
        while True:
            response = self.client.get(reverse("audit:log"), params)
            self.assertEqual(response.status_code, 200)
            bodies.append(response.content.decode())
            older = response.context["page"].older_than
            if older is None:
                return bodies
            params = {"before": older}

    def assertNoContent(self, text: str) -> None:
        for value in self.content:
            self.assertNotIn(value, text)

    def test_the_walk_recorded_the_content_somewhere(self):
        """(The content was entered: the case holds it, so its absence below means something.)"""
        self.assertGreater(AuditEntry.objects.filter(case_number=self.case.number).count(), 5)
        party = self.case.parties.get()
        self.assertEqual(party.facts, FACTS)
        self.rejected.refresh_from_db()
        self.assertEqual(self.rejected.rejection_reason, REJECTION)

    def test_no_content_on_any_page(self):
        """No finding of fact, measure, name, rejection reason or report text on any page;
        the case numbers and the names of the changed fields are there."""
        text = "".join(self.pages())
        self.assertNoContent(text)
        self.assertIn(self.case.number, text)
        self.assertIn(self.rejected.number, text)
        self.assertIn("事实认定", text)
        self.assertIn("张明", text)  # the actor is not content

    def test_no_content_when_filtered(self):
        """Filtered by the case number or by the event type, still no content."""
        self.client.force_login(self.audit_admin)
        for params in (
            {"case_number": self.case.number},
            {"case_number": self.rejected.number},
            {"action": "update"},
            {"action": "transition"},
            {"actor": "赵磊"},
        ):
            response = self.client.get(reverse("audit:log"), params)
            self.assertNoContent(response.content.decode())
        response = self.client.get(reverse("audit:log"), {"case_number": self.case.number})
        self.assertContains(response, self.case.number)

    def test_no_content_in_the_export(self):
        """The CSV export of the whole log has none of the content either."""
        self.client.force_login(self.audit_admin)
        response = self.client.get(reverse("audit:export"))
        self.assertEqual(response.status_code, 200)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertNoContent(text)
        self.assertIn(self.case.number, text)
        self.assertIn("事实认定", text)

    def test_legacy_rows_are_shown_without_their_content(self):
        """A row of the first format (values stored in clear) is shown by the same rule."""
        from accountability.audit.describe import describe

        entry = AuditEntry(
            seq=999,
            format=1,
            actor_name="张明",
            actor_role="team_member",
            action="update",
            target_type="cases.caseparty",
            target_id="1",
            target_repr=f"{self.case.number} {PERSON}",
            changes={"case": self.case.number, "facts": ["", FACTS]},
            outcome="success",
            detail=SUMMARY,
        )
        described = describe(entry)
        text = described.sentence + "".join(f"{x.label}{x.value}" for x in described.lines)
        self.assertNoContent(text)
        self.assertIn("事实认定", text)


class CaseStateTests(PersonasMixin, TestCase):
    def test_a_decided_case_reads_as_sentences(self):
        """Every entry of a walked case reads as a sentence: no dict, no app.model #id."""
        committee(self.personas)
        Flow.register(self.personas).to(State.DECIDED)
        self.client.force_login(self.audit_admin)
        response = self.client.get(reverse("audit:log"))
        body = response.content.decode()
        for code in ("{'", "': ", "cases.", "accounts.user", "people.person", "None"):
            self.assertNotIn(code, body)
