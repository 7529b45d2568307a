"""The figures of a small county year (tests/dataset.py) are the ones worked out by hand.

Each expected table is written out from the data set's description, with the reasoning in a
comment; none is computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import TestCase

from accountability.common.errors import DomainError
from accountability.demo.testing import PersonasMixin
from accountability.reports import selectors
from accountability.reports.selectors import Period
from accountability.reports.tests import dataset


def rows(table: Any) -> list[tuple[Any, ...]]:
    return [(row.label, *row.values) for row in table.rows]


def total(table: Any) -> tuple[Any, ...]:
    return tuple(table.total.values)


class FiguresTestCase(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.data = dataset.build(cls.personas)

    def stats(
        self, user: Any = None, *, organ: Any = None, period: Period | None = None
    ) -> selectors.Statistics:
        viewer = selectors.viewer_for_user(user=user or self.case_officer)
        return selectors.statistics_for(
            viewer=viewer,
            organ_id=organ.pk if organ is not None else None,
            period=period or Period.for_year(dataset.YEAR),
            today=dataset.TODAY,
        )


class CountyYearTests(FiguresTestCase):
    """The county's 2025, as its case officer sees it (the county commission, default organ)."""

    def setUp(self) -> None:
        self.s = self.stats()

    def test_the_default_organ_is_the_users_commission(self):
        self.assertEqual(self.s.scope.organ.id, self.personas.orgs.county.pk)

    def test_by_month(self):
        """Clues by month of receipt, handled by the county: C1 Jan; C2, C3 Feb; C4 Apr (rejected);
        C5 May; C8 Aug; C9 Sep (C6 came in 2024, C7 is the city's). People pursued by decision
        month: C6 Jan; C1 two in Mar (C2's is revoked on appeal); C3 one in Jun (its other person
        not pursued); C7 Sep; C8 Oct; C9 Nov."""
        table = self.s.table("by_month")
        self.assertEqual(
            rows(table),
            [
                ("一月", 1, 0, 1, 1, 0),
                ("二月", 2, 0, 0, 0, 0),
                ("三月", 0, 0, 2, 1, 0),
                ("四月", 1, 1, 0, 0, 0),
                ("五月", 1, 0, 0, 0, 0),
                ("六月", 0, 0, 1, 1, 1),
                ("七月", 0, 0, 0, 0, 0),
                ("八月", 1, 0, 0, 0, 0),
                ("九月", 1, 0, 1, 1, 0),
                ("十月", 0, 0, 1, 1, 0),
                ("十一月", 0, 0, 1, 1, 0),
                ("十二月", 0, 0, 0, 0, 0),
            ],
        )
        # 7 clues, 1 rejected; 7 people in 6 cases (C1 has two); 1 not pursued (C3).
        self.assertEqual(total(table), (7, 1, 7, 6, 1))

    def test_tiles(self):
        """Overdue: C8's rectification and C3's appeal, pending since June."""
        self.assertEqual(
            self.s.tiles, {"clues": 7, "people": 7, "cases": 6, "appeals": 5, "overdue": 2}
        )

    def test_by_unit(self):
        """党风政风监督室: the handler in C1 and C9 (较轻 both). 第一监督检查室: direct in C1 (较重)
        and C8 (较轻), office_head in C6 (严重). The leading group: the deputy secretary in C7
        (较重). 乌峰: the township secretary in C3 (较重); its handler's decision was revoked.
        以古's person was not pursued: no row."""
        table = self.s.table("by_unit")
        self.assertEqual(
            rows(table),
            [
                ("党风政风监督室", 2, 2, 2, 0, 0, 0),
                ("第一监督检查室", 3, 3, 1, 1, 1, 0),
                ("县纪委监委领导班子", 1, 1, 0, 1, 0, 0),
                ("乌峰街道纪工委", 1, 1, 0, 1, 0, 0),
            ],
        )
        self.assertEqual([row.level for row in table.rows], [1, 1, 1, 1])
        self.assertEqual(total(table), (7, 6, 3, 3, 1, 0))

    def test_by_circumstance(self):
        """(三): the handler in C1 and C9 and direct in C1: 3 people in 2 cases; (二) C3; (四) C7;
        (五) C6; (六) C8. (一) was C2's, revoked."""
        table = self.s.table("by_circumstance")
        self.assertEqual(
            [(label.split(" ")[0], *values) for label, *values in rows(table)],
            [
                ("第八条第(一)项", 0, 0),
                ("第八条第(二)项", 1, 1),
                ("第八条第(三)项", 3, 2),
                ("第八条第(四)项", 1, 1),
                ("第八条第(五)项", 1, 1),
                ("第八条第(六)项", 1, 1),
                ("第八条第(七)项", 0, 0),
                ("第八条第(八)项", 0, 0),
                ("第八条第(九)项", 0, 0),
            ],
        )
        self.assertTrue(table.rows[2].label.startswith("第八条第(三)项 执纪问责"))
        self.assertEqual(total(table), (7, 6))

    def test_by_tier(self):
        """较轻: handler C1, direct C8, handler C9. 较重: direct C1, C3, C7. 严重: C6."""
        table = self.s.table("by_tier")
        self.assertEqual(
            rows(table),
            [("情节较轻", 3, 3), ("情节较重", 3, 3), ("情节严重", 1, 1), ("涉嫌犯罪", 0, 0)],
        )
        self.assertEqual(total(table), (7, 6))

    def test_by_measure(self):
        """The current version's measures: direct's 通报 in C1 was changed to 提醒约谈 on appeal;
        C2's 提醒约谈 and 责令限期整改 were revoked. 批评教育: C1, C9. 责令限期整改: C1, C8, C9.
        通报 and 诫勉: C3's township secretary; 诫勉 also C7. 党内警告: C6. In the regulation's
        order (measures.toml)."""
        table = self.s.table("by_measure")
        self.assertEqual(
            rows(table),
            [
                ("批评教育", 2, 2),
                ("提醒约谈", 1, 1),
                ("责令限期整改", 3, 3),
                ("通报", 1, 1),
                ("诫勉", 2, 2),
                ("党内警告", 1, 1),
            ],
        )
        # Seven people with ten measures between them: the total counts each person once.
        self.assertEqual(total(table), (7, 6))

    def test_by_kind(self):
        """主要领导责任: C3 (collective) and C6; 重要领导责任: C7; 直接责任: handler and direct
        in C1, direct in C8 (2 cases); C9's kind was not recorded."""
        table = self.s.table("by_kind")
        self.assertEqual(
            rows(table),
            [
                ("主要领导责任", 2, 2, 1, 1),
                ("重要领导责任", 1, 1, 1, 0),
                ("直接责任", 3, 2, 3, 0),
                ("未认定责任类型", 1, 1, 1, 0),
            ],
        )
        self.assertEqual(total(table), (7, 6, 6, 1))

    def test_by_source(self):
        """Petitions: C1, C9 accepted, C4 rejected. Media: C2, C8. Work: C3 (C7 is the city's).
        Instruction: C5, awaiting approval."""
        table = self.s.table("by_source")
        self.assertEqual(
            rows(table),
            [
                ("群众信访举报", 3, 2, 1, 0),
                ("媒体曝光", 2, 2, 0, 0),
                ("工作发现", 1, 1, 0, 0),
                ("领导批示", 1, 0, 0, 1),
            ],
        )
        self.assertEqual(total(table), (7, 5, 1, 1))

    def test_by_step(self):
        """Stays that ended in 2025, in days: approval C1 5, C2 2, C4 3.5 (C6's ended in 2024,
        C5's has not ended, C7 is the city's); team C1 5, C2 1, C6 31; investigation C1 49,
        C2 21 + 10 (resumed after the returned report), C6 8; decision C1 10, C2 4 + 13, C6 5.
        Nothing was recorded after the decisions."""
        table = self.s.table("by_step")
        self.assertEqual(
            [row.values for row in table.rows],
            [
                (3, 3.5, 5.0),  # (5 + 2 + 3.5) / 3
                (3, 12.3, 31.0),  # 37 / 3
                (3, 29.3, 49.0),  # 88 / 3
                (3, 10.7, 17.0),  # 32 / 3
                (0, None, None),
                (0, None, None),
                (0, None, None),
                (0, None, None),
            ],
        )

    def test_by_appeal(self):
        """Five appeals received in 2025, one of each outcome; C7's came late."""
        table = self.s.table("by_appeal")
        self.assertEqual(
            rows(table),
            [
                ("维持原决定", 1, 0),
                ("变更原决定", 1, 0),
                ("撤销原决定", 1, 0),
                ("待复查", 1, 0),
                ("逾期不予受理", 1, 1),
            ],
        )
        self.assertEqual(total(table), (5, 1))

    def test_by_deadline(self):
        """Rectifications due in 2025: C1 done before its deadline, C2 cancelled by the
        revocation, C8 open since 2025-11-10 (111 days before 2026-03-01), C9 done after its
        deadline. Appeals, to be reviewed within 30 days: C1's two in 18 and 20 days; C2's in 52;
        C3's pending since 2025-06-20, due 07-20 (224 days before 2026-03-01); C7's not accepted."""
        table = self.s.table("by_deadline")
        self.assertEqual(
            rows(table),
            [
                ("责令限期整改（第十条）", 4, 1, 1, 1, 0, 1, 111),
                ("申诉复查（30日内）", 5, 2, 1, 1, 0, 1, 224),
            ],
        )

    def test_side_by_side(self):
        """The county's own organs, then each township. Clues are the county's (it handles them
        all); people by their unit: 6 in the county's offices and leading group, 1 in 乌峰.
        Appeals by the appellant's unit: C1's two and C7's at the county, C2's and C3's at 乌峰.
        The one overdue rectification is C8's (第一监督检查室)."""
        table = self.s.table("side_by_side")
        self.assertEqual(
            rows(table),
            [
                ("镇雄县纪委监委（本级）", 7, 6, 3, 2, 1, 0, 3, 1),
                ("乌峰街道纪工委", 0, 1, 0, 1, 0, 0, 2, 0),
                ("以古镇纪委", 0, 0, 0, 0, 0, 0, 0, 0),
            ],
        )
        self.assertEqual(total(table), (7, 7, 3, 3, 1, 0, 5, 1))


class OtherScopesTests(FiguresTestCase):
    def test_the_city_sees_its_own_case_and_the_county_side_by_side(self):
        """The city handles C7: one more clue (work, July) and one more approval step (2 days);
        the people are the same seven (all work in the county)."""
        s = self.stats(self.city_officer)
        self.assertEqual(s.scope.organ.id, self.personas.orgs.city.pk)
        self.assertEqual(
            rows(s.table("side_by_side")),
            [
                ("昭通市纪委监委（本级）", 1, 0, 0, 0, 0, 0, 0, 0),
                ("镇雄县纪委监委", 7, 7, 3, 3, 1, 0, 5, 1),
            ],
        )
        self.assertEqual(rows(s.table("by_source"))[2], ("工作发现", 2, 2, 0, 0))
        self.assertEqual(rows(s.table("by_month"))[6], ("七月", 1, 0, 0, 0, 0))
        # (5 + 2 + 3.5 + 2) / 4 = 3.125
        self.assertEqual(s.table("by_step").rows[0].values, (4, 3.1, 5.0))
        self.assertEqual(s.tiles["people"], 7)

    def test_the_city_may_look_at_the_county(self):
        """Choosing the county gives the county's figures (not the city's C7 clue)."""
        s = self.stats(self.city_officer, organ=self.personas.orgs.county)
        self.assertEqual(s.tiles["clues"], 7)
        self.assertEqual(rows(s.table("side_by_side"))[1][0], "乌峰街道纪工委")

    def test_a_township_sees_its_own_people(self):
        """乌峰: the township secretary (C3, pursued) and its handler (C2, revoked). The township
        handles no case itself: no clues, no steps."""
        s = self.stats(self.township_officer)
        self.assertEqual(s.scope.organ.id, self.personas.orgs.township.pk)
        self.assertEqual(s.tiles, {"clues": 0, "people": 1, "cases": 1, "appeals": 2, "overdue": 1})
        self.assertEqual(rows(s.table("by_tier"))[1], ("情节较重", 1, 1))
        self.assertEqual(rows(s.table("by_unit")), [("乌峰街道纪工委", 1, 1, 0, 1, 0, 0)])
        # C2's rectification was cancelled; C3's appeal is overdue.
        self.assertEqual(
            rows(s.table("by_deadline")),
            [
                ("责令限期整改（第十条）", 1, 0, 0, 0, 0, 1, None),
                ("申诉复查（30日内）", 2, 0, 1, 1, 0, 0, 224),
            ],
        )
        self.assertEqual(
            rows(s.table("side_by_side")), [("乌峰街道纪工委（本级）", 0, 1, 0, 1, 0, 0, 2, 0)]
        )

    def test_one_office(self):
        """第一监督检查室: direct (C1, C8) and office_head (C6)."""
        s = self.stats(organ=self.personas.orgs.first_inspection_office)
        self.assertEqual(
            rows(s.table("by_tier"))[:3],
            [("情节较轻", 1, 1), ("情节较重", 1, 1), ("情节严重", 1, 1)],
        )
        self.assertEqual(s.tiles["clues"], 0)

    def test_the_year_before(self):
        """2024: only C6's clue (November) and its approval (12 days); its decision is 2025's."""
        s = self.stats(period=Period.for_year(2024))
        self.assertEqual(s.tiles, {"clues": 1, "people": 0, "cases": 0, "appeals": 0, "overdue": 0})
        self.assertEqual(rows(s.table("by_month"))[10], ("十一月", 1, 0, 0, 0, 0))
        self.assertEqual(s.table("by_step").rows[0].values, (1, 12.0, 12.0))
        self.assertEqual(
            rows(s.table("by_deadline")),
            [
                ("责令限期整改（第十条）", 0, 0, 0, 0, 0, 0, None),
                ("申诉复查（30日内）", 0, 0, 0, 0, 0, 0, None),
            ],
        )

    def test_a_date_range(self):
        """1 March to 30 June 2025: C1's two people (March) and C3's secretary (June); clues of
        C4 (April, rejected) and C5 (May)."""
        s = self.stats(period=Period(date(2025, 3, 1), date(2025, 6, 30)))
        self.assertEqual(
            rows(s.table("by_month")),
            [
                ("三月", 0, 0, 2, 1, 0),
                ("四月", 1, 1, 0, 0, 0),
                ("五月", 1, 0, 0, 0, 0),
                ("六月", 0, 0, 1, 1, 1),
            ],
        )
        self.assertEqual((s.tiles["people"], s.tiles["cases"]), (3, 2))

    def test_a_range_across_years_labels_months_with_the_year(self):
        s = self.stats(period=Period(date(2024, 11, 1), date(2025, 1, 31)))
        self.assertEqual(
            [(row.label, row.values[0], row.values[2]) for row in s.table("by_month").rows],
            [("2024-11", 1, 0), ("2024-12", 0, 0), ("2025-01", 1, 1)],
        )

    def test_an_organ_outside_the_users_authority_is_refused(self):
        """Art 11: the county's officer may not choose the city, a township officer not the
        county; the refusal names the field."""
        for user, organ in (
            (self.case_officer, self.personas.orgs.city),
            (self.township_officer, self.personas.orgs.county),
            (self.township_officer, self.personas.orgs.second_township),
        ):
            with self.subTest(user=user.username, organ=organ.name):
                with self.assertRaises(DomainError) as caught:
                    self.stats(user, organ=organ)
                self.assertEqual(caught.exception.field, "organ")
                self.assertEqual(caught.exception.message, str(selectors.MSG_ORGAN))
