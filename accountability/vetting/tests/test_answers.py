"""Matching a list to the registry (never guessed) and the answer for each person."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.cases.tests.factories import Flow, ago
from accountability.demo.testing import PersonasTestCase
from accountability.people.models import Person
from accountability.vetting.answers import ListRow, answer_people, finding_text, match_rows
from accountability.vetting.models import Restriction, VettingEntry
from accountability.vetting.tests.helpers import decided

Match = VettingEntry.Match
Answer = VettingEntry.Answer


class MatchingTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        # A second 吴刚, in a township: a name alone does not say which one is meant.
        cls.namesake = Person.objects.create(
            name="吴刚",
            id_number="WF0100",
            unit=p.orgs.township,
            role="具体承办人",
            managed_by=p.orgs.county,
        )

    def one(self, **row) -> object:
        return match_rows([ListRow(1, **row)])[0]

    def test_by_id_number(self):
        m = self.one(name="吴刚", id_number="ZX0008")
        self.assertEqual((m.match, m.person_id), (Match.ID_NUMBER, self.personas.people.handler.pk))

    def test_an_id_number_under_another_name_is_not_taken(self):
        m = self.one(name="吴钢", id_number="ZX0008")
        self.assertEqual((m.match, m.person_id), (Match.AMBIGUOUS, None))
        self.assertEqual([c["id_number"] for c in m.candidates], ["ZX0008"])

    def test_by_name_and_unit_code_or_name(self):
        p = self.personas
        for unit in ("ZX-WF", "乌峰街道纪工委"):
            m = self.one(name="吴刚", unit=unit)
            self.assertEqual((m.match, m.person_id), (Match.NAME_UNIT, self.namesake.pk))
        m = self.one(name="吴刚", unit=p.orgs.conduct_office.name)
        self.assertEqual((m.match, m.person_id), (Match.NAME_UNIT, p.people.handler.pk))

    def test_a_name_alone_is_ambiguous_even_with_one_person_of_that_name(self):
        m = self.one(name="吴刚")
        self.assertEqual(m.match, Match.AMBIGUOUS)
        self.assertEqual({c["id_number"] for c in m.candidates}, {"ZX0008", "WF0100"})
        m = self.one(name="朱磊")
        self.assertEqual((m.match, m.person_id), (Match.AMBIGUOUS, None))
        self.assertEqual(len(m.candidates), 1)

    def test_a_name_in_another_unit_shows_the_candidates(self):
        m = self.one(name="吴刚", unit="县委巡察办")
        self.assertEqual(m.match, Match.AMBIGUOUS)
        self.assertEqual(len(m.candidates), 2)

    def test_an_unknown_number_falls_back_to_candidates_by_name_never_to_a_guess(self):
        m = self.one(name="吴刚", id_number="ZX9999", unit="ZX-WF")
        self.assertEqual((m.match, m.person_id), (Match.AMBIGUOUS, None))
        self.assertEqual(self.one(name="查无此人").match, Match.NOT_FOUND)


class AnswerTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.barred = decided(p, p.people.handler, ["诫勉"])  # 6 months, from 90 days ago
        cls.open = Flow.register(p, p.people.direct, received_days_ago=3)
        cls.restriction = Restriction.objects.get(kind="no_promotion_or_important_post")

    def answers(self, on=None, purpose="promotion"):
        people = self.personas.people
        ids = [people.handler.pk, people.direct.pk, people.township_handler.pk]
        return answer_people(ids, on=on or ago(0), purpose=purpose)

    def test_a_running_restriction_does_not_agree(self):
        answer, findings = self.answers()[self.personas.people.handler.pk]
        self.assertEqual(answer, Answer.DISAGREE)
        restriction = next(f for f in findings if f["type"] == "restriction")
        self.assertEqual(restriction["until"], self.restriction.until.isoformat())
        self.assertEqual(restriction["case"], self.barred.case.number)
        text = finding_text(restriction)
        self.assertIn("不得提拔或者重用", text)
        self.assertIn(self.restriction.until.isoformat(), text)

    def test_after_the_period_the_earlier_decision_is_listed_but_agreed(self):
        after = self.restriction.until.replace(year=self.restriction.until.year + 1)
        answer, findings = self.answers(on=after)[self.personas.people.handler.pk]
        self.assertEqual(answer, Answer.CLEAR)
        self.assertEqual([f["type"] for f in findings], ["decision"])

    def test_an_open_case_suggests_postponing(self):
        answer, findings = self.answers()[self.personas.people.direct.pk]
        self.assertEqual(answer, Answer.POSTPONE)
        self.assertEqual(findings[0]["case"], self.open.case.number)
        self.assertIn(self.open.case.number, finding_text(findings[0]))

    def test_no_adverse_information(self):
        self.assertEqual(
            self.answers()[self.personas.people.township_handler.pk], (Answer.CLEAR, [])
        )

    def test_an_award_is_barred_by_the_award_kinds(self):
        """诫勉 bars awards for its year: on 31 December the award is refused, on 1 January
        of the next year only the promotion restriction still runs."""
        decided_on = self.barred.decisions[0].decided_on
        last = decided_on.replace(month=12, day=31)
        answer, findings = self.answers(on=last, purpose="award")[self.personas.people.handler.pk]
        self.assertEqual(answer, Answer.DISAGREE)
        self.assertEqual({f["kind"] for f in findings if f["type"] == "restriction"}, {"no_award"})
        first = last.replace(year=last.year + 1, month=1, day=1)
        answer, _ = self.answers(on=first, purpose="award")[self.personas.people.handler.pk]
        self.assertEqual(answer, Answer.CLEAR)


class QueryCountTests(PersonasTestCase):
    """Matching and answering run a fixed number of queries, however long the list."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        decided(p, p.people.handler, ["诫勉"])
        Flow.register(p, p.people.direct, received_days_ago=3)
        Person.objects.bulk_create(
            Person(
                name=f"干部{i:04d}",
                id_number=f"BULK{i:04d}",
                unit=p.orgs.township,
                role="具体承办人",
                managed_by=p.orgs.county,
            )
            for i in range(300)
        )

    def count(self, size: int) -> int:
        rows = [ListRow(1, "吴刚", "ZX0008"), ListRow(2, "朱磊", "", "第一监督检查室")]
        rows += [ListRow(3 + i, f"干部{i:04d}", f"BULK{i:04d}") for i in range(size // 2)]
        rows += [ListRow(1000 + i, f"干部{i:04d}", "", "ZX-WF") for i in range(size // 2, size)]
        rows += [ListRow(5000, "吴刚")]
        with CaptureQueriesContext(connection) as queries:
            matched = match_rows(rows)
            answers = answer_people(
                [m.person_id for m in matched if m.person_id], on=ago(0), purpose="promotion"
            )
        self.assertEqual(len(answers), size + 2)
        return len(queries)

    def test_the_query_count_does_not_grow_with_the_list(self):
        small, large = self.count(10), self.count(300)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 6)


class EmptySetTests(PersonasTestCase):
    def test_nobody_matched_is_answered_without_error(self):
        self.assertEqual(answer_people([], on=ago(0), purpose="promotion"), {})
        self.assertEqual(match_rows([ListRow(1, "查无此人")])[0].match, Match.NOT_FOUND)
