"""The regulation's vocabulary in the case forms comes from the rulebook version in force:
a new county text (more circumstances, other tiers) is a data change, not a code change."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

from django.test import SimpleTestCase

from accountability.cases import forms

#: A hypothetical revision: a tenth circumstance, a renamed referral tier.
REVISION = SimpleNamespace(
    circumstances={
        1: SimpleNamespace(ref="第八条第(一)项", summary="不履行职责"),
        10: SimpleNamespace(ref="第八条第(十)项", summary="新增情形"),
    },
    severities=("较轻", "移送处理"),
    referral_tier="移送处理",
    measures={
        "较轻": (SimpleNamespace(name="批评教育"),),
        "移送处理": (SimpleNamespace(name="批评教育"), SimpleNamespace(name="移送司法机关")),
    },
)


class VocabularyTests(SimpleTestCase):
    def setUp(self):
        patcher = mock.patch("accountability.cases.forms.base.version_in_force")
        patcher.start().return_value = REVISION
        self.addCleanup(patcher.stop)

    def test_the_list_filter_offers_the_version_s_circumstances_and_severities(self):
        form = forms.CaseFilterForm()
        self.assertEqual([value for value, _ in form.fields["circumstance"].choices], ["", 1, 10])
        self.assertIn((10, "第八条第(十)项"), form.fields["circumstance"].choices)
        self.assertEqual(
            [value for value, _ in form.fields["severity"].choices], ["", "较轻", "移送处理"]
        )

    def test_measures_are_grouped_by_tier_the_referral_tier_by_its_name(self):
        self.assertEqual(
            forms.measure_choices(),
            [
                ("情节较轻", [("批评教育", "批评教育")]),
                ("移送处理", [("移送司法机关", "移送司法机关")]),
            ],
        )
