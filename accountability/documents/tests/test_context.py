"""Contexts built from cases walked through the services, and the documents they fill."""

from __future__ import annotations

from datetime import date

from accountability.cases import services as case_services
from accountability.cases.models import Appeal
from accountability.cases.tests.factories import ago
from accountability.documents import context as ctx
from accountability.documents import render, services
from accountability.documents.formatting import cn_date
from accountability.documents.kinds import DocumentKind
from accountability.documents.quotes import quote_text, refs_in
from accountability.documents.tests.base import (
    DocumentsTestCase,
    criminal,
    decided,
    deliver,
    issue_decisions,
)
from accountability.documents.tests.helpers import docx_part, docx_text


def fill(kind, subject, **kwargs):
    kwargs.setdefault("number", "镇纪监干〔2026〕9号")
    kwargs.setdefault("issued_on", ago(0))
    kwargs.setdefault("actor", None)
    data = ctx.build(kind, subject, **kwargs)
    document = render.render_docx(render.shipped_template(kind), data)
    xml = docx_part(document, "word/document.xml")
    assert "{{" not in xml and "{%" not in xml
    return data, docx_text(document)


class DecisionContextTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = decided(cls.personas)
        cls.party = cls.flow.parties[0]
        cls.subject = ctx.Subject(cls.flow.case, cls.party)

    def test_the_reasoning_is_the_stored_explanation_each_article_quoted_once(self):
        data, text = fill(DocumentKind.DECISION, self.subject)
        version = self.flow.decisions[0].current_version
        explanation = version.assessment["explanation"]
        steps = data["reasoning"]
        quoted = [q["ref"] for step in steps for q in step["quotes"]]
        self.assertEqual(len(quoted), len(set(quoted)))
        # Every cited article is quoted in full text, unless the sentence already quotes it.
        for step in steps:
            for ref in refs_in(step["text"].replace("（", "(").replace("）", ")")):
                inline = quote_text(ref).rstrip("。；") in step["text"]
                self.assertTrue(
                    inline or any(q["text"] == quote_text(ref) for s in steps for q in s["quotes"]),
                    ref,
                )
        self.assertEqual(steps[0]["number"], "（一）")
        self.assertIn("《镇雄县纪检监察干部工作责任追究办法（试行）》", steps[0]["text"])
        self.assertNotIn("zx-2020-10-30", text)
        self.assertTrue(all("第十六条" not in s["text"] for s in steps))
        stated_elsewhere = [s for s in explanation if ctx._about_appeal_or_restrictions(s)]
        self.assertEqual(len(steps), len(explanation) - len(stated_elsewhere))
        self.assertIn("第十条规定：“出现第八条所列情形之一", text)

    def test_the_decision_names_the_person_measures_and_rectification(self):
        data, text = fill(DocumentKind.DECISION, self.subject)
        name = self.party.person.name
        self.assertEqual(data["person"]["name"], name)
        self.assertIn(f"决定对{name}同志给予批评教育、责令限期整改处理。", text)
        rectification = self.flow.decisions[0].rectifications.get()
        self.assertIn(f"责令{name}同志于{cn_date(rectification.deadline)}前完成整改", text)
        self.assertIn(f"{name}同志在陈述中称：对未报批的事实无异议。", text)
        self.assertIn("抄送：县纪委监委组织部，市纪委监委纪检监察干部监督室，", text)

    def test_the_appeal_right_names_the_organs_and_the_deadline_once_delivered(self):
        data, text = fill(DocumentKind.DECISION, self.subject)
        self.assertIn(
            "可以自接到本决定之日起15日内，向中共镇雄县纪律检查委员会或者上级机关"
            "中共昭通市纪律检查委员会提出书面申诉（第十六条）",
            text,
        )
        self.assertEqual(data["appeal"]["deadline_text"], "")
        issue_decisions(self.flow, self.case_officer)
        deliver(self.flow, self.case_officer, days_ago=2)
        decision = self.flow.decisions[0]
        data, text = fill(DocumentKind.DECISION, self.subject)
        self.assertEqual(
            data["appeal"]["deadline_text"],
            f"本决定于{cn_date(ago(2))}送达本人，申诉期限至{cn_date(decision.appeal_deadline)}届满。",
        )
        _, receipt = fill(
            DocumentKind.DELIVERY_RECEIPT, ctx.Subject(self.flow.case, self.party, "person")
        )
        self.assertIn(f"申诉期限至{cn_date(decision.appeal_deadline)}届满", receipt)
        self.assertIn("直接送达", receipt)
        _, unit = fill(
            DocumentKind.DELIVERY_RECEIPT, ctx.Subject(self.flow.case, self.party, "unit")
        )
        self.assertIn(self.party.person.unit.name, unit)
        self.assertIn(f"被追究责任者{self.party.person.name}同志所在单位", unit)

    def test_the_case_level_documents_fill(self):
        _, form = fill(DocumentKind.INTAKE_APPROVAL, ctx.Subject(self.flow.case))
        self.assertIn("群众信访举报", form)
        self.assertIn("批准受理", form)
        self.assertIn("李红", form)  # the office head who approved
        _, report = fill(DocumentKind.INVESTIGATION_REPORT, ctx.Subject(self.flow.case))
        self.assertIn("（一）吴刚同志的问题", report)
        self.assertIn("（二）朱磊同志的问题", report)
        self.assertIn("建议对吴刚同志给予批评教育、责令限期整改处理。", report)
        self.assertIn("第八条第（三）项：执纪问责", report)
        issue_decisions(self.flow, self.case_officer)
        _, filing = fill(DocumentKind.FILING_REPORT, ctx.Subject(self.flow.case))
        for decision in self.flow.decisions:
            self.assertIn(decision.document_number, filing)
        self.assertIn("市纪委监委纪检监察干部监督室：", filing)
        services.document_issue(
            case=self.flow.case,
            kind=DocumentKind.INVESTIGATION_REPORT,
            actor=self.case_officer,
            with_pdf=False,
        )
        _, index = fill(DocumentKind.DOSSIER_INDEX, self.subject, actor=self.archivist)
        self.assertIn("调查报告", index)
        self.assertIn(self.flow.decisions[0].document_number, index)
        self.assertNotIn(self.flow.decisions[1].document_number, index)  # the other person's
        self.assertIn("刘芳", index)  # handed over by the archivist

    def test_an_intake_form_before_approval_leaves_room_for_signatures(self):
        p = self.personas
        from accountability.cases.tests.factories import Flow

        flow = Flow.register(p, p.people.handler, informant_name="某某")
        data, text = fill(DocumentKind.INTAKE_APPROVAL, ctx.Subject(flow.case))
        self.assertEqual(
            [a["label"] for a in data["approvals"]], ["监督室负责人意见", "分管领导意见"]
        )
        self.assertEqual(data["result"], "待审批。")
        self.assertIn("已登记（依规保密，本表不记载）", text)
        self.assertNotIn("某某", text)


def test_restrictions_say_until_when_and_on_what_basis():
    """Art 17 from the assessment: a confirmed basis is named, a setting is said to be one."""
    import rulebook

    assessment = rulebook.assess_dict(
        {
            "role": "具体承办人",
            "circumstance": 3,
            "severity": "较重",
            "decided_on": "2026-03-05",
            "imposed": ["通报", "调整职务"],
        }
    )
    assert ctx._restriction_lines("张三", assessment) == [
        "依照第十七条的规定，张三同志自本决定作出之日起，"
        "2027年3月4日前不得提拔使用（依据：《党政领导干部选拔任用工作条例》）；"
        "2026年12月31日前不得评优评先（依据：本规则版本的设置，以适用的上位规定为准）；"
        "2026年12月31日前年度考核不得确定为优秀等次（依据：《公务员考核规定》）。"
    ]
    assert ctx._restriction_lines("张三", {"restrictions": []}) == []


def test_a_removal_bars_a_higher_post_not_every_promotion():
    """免职: one year no leading post, two years no post above the former rank (Q&A 44)."""
    import rulebook

    facts = {"role": "部门负责人", "circumstance": 4, "severity": "较重", "imposed": ["免职"]}
    assessment = rulebook.assess_dict({**facts, "decided_on": "2026-11-10"})
    (line,) = ctx._restriction_lines("张三", assessment, date(2026, 11, 10))
    assert "2027年11月9日前不得安排领导职务" in line
    assert "2028年11月9日前不得担任高于原任职务层次的职务" in line
    assert "不得提拔使用" not in line


def test_a_restriction_that_starts_later_names_its_first_day():
    """留党察看一年: no equal or higher post from the day the party rights are restored."""
    import rulebook

    facts = {"role": "直接负责人", "circumstance": 3, "severity": "严重"}
    assessment = rulebook.assess_dict(
        {**facts, "decided_on": "2026-03-10", "imposed": ["留党察看一年"]}
    )
    (line,) = ctx._restriction_lines("张三", assessment, date(2026, 3, 10))
    assert "2027年3月9日前没有表决权、选举权和被选举权" in line
    assert "2027年3月10日至2029年3月9日不得在党内担任" in line


def test_an_assessment_stored_before_labels_still_reads():
    """Stored decisions keep the assessment they were made with (kind only, no label)."""
    old = {
        "restrictions": [
            {"kind": "提拔使用", "until": "2027-03-04", "basis": "x", "certainty": "P"}
        ]
    }
    assert ctx._restriction_lines("张三", old) == [
        "依照第十七条的规定，张三同志自本决定作出之日起，2027年3月4日前不得提拔使用（依据：x）。"
    ]


class AppealContextTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = decided(p, p.people.handler)
        issue_decisions(cls.flow, p.case_officer)
        deliver(cls.flow, p.case_officer, days_ago=3)
        cls.decision = cls.flow.decisions[0]
        cls.appeal = case_services.appeal_register(
            decision=cls.decision,
            actor=p.case_officer,
            received_on=ago(1),
            content="认为情节认定过重，请求复查。",
        )

    def test_an_appeal_review_that_changes_the_decision(self):
        p = self.personas
        subject = ctx.Subject(self.flow.case, self.decision.party, "", self.appeal)
        with self.assertRaisesMessage(Exception, ctx.MSG_NEEDS_REVIEWED_APPEAL):
            ctx.check_ready(DocumentKind.APPEAL_REVIEW, subject)
        case_services.appeal_review_record(
            appeal=self.appeal,
            actor=p.committee_secretary,
            reviewed_on=ago(0),
            outcome="changed",
            measures=["批评教育"],
            reason="已主动整改到位，不再责令限期整改。",
        )
        appeal = Appeal.objects.get(pk=self.appeal.pk)
        subject = ctx.Subject(self.flow.case, self.decision.party, "", appeal)
        ctx.check_ready(DocumentKind.APPEAL_REVIEW, subject)
        _, text = fill(DocumentKind.APPEAL_REVIEW, subject)
        self.assertIn(f"《责任追究决定书》（{self.decision.document_number}）", text)
        self.assertIn("在规定的申诉期限内", text)
        self.assertIn("认为情节认定过重，请求复查。", text)
        self.assertIn("已主动整改到位，不再责令限期整改。", text)
        self.assertIn("决定变更原责任追究决定，改为对吴刚同志给予批评教育处理。", text)
        self.assertIn("第十六条规定：“受到责任追究的领导干部", text)
        # The decision document as issued before the review, and as re-issued after it.
        decision_subject = ctx.Subject(self.flow.case, self.decision.party)
        _, before = fill(DocumentKind.DECISION, decision_subject, issued_on=ago(10))
        self.assertIn("决定对吴刚同志给予批评教育、责令限期整改处理。", before)
        _, after = fill(DocumentKind.DECISION, decision_subject, issued_on=ago(0))
        self.assertIn("决定对吴刚同志给予批评教育处理。", after)
        document = services.document_issue(
            case=self.flow.case,
            kind=DocumentKind.APPEAL_REVIEW,
            actor=self.committee_secretary,
            appeal=appeal,
            with_pdf=False,
        )
        self.assertEqual(document.party, self.decision.party)
        self.assertEqual(document.title, "申诉复查决定书（吴刚）")
        self.assertTrue(document.number.startswith("镇纪监干〔"))


class TransferContextTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = criminal(cls.personas)

    def test_the_transfer_letter_goes_to_the_judicial_organ_with_the_person(self):
        data, text = fill(
            DocumentKind.TRANSFER_LETTER, ctx.Subject(self.flow.case), actor=self.case_officer
        )
        self.assertEqual(data["addressee"], "镇雄县人民检察院")
        self.assertIn("关于移送吴刚涉嫌犯罪问题的函", text)
        self.assertIn("吴刚在办理信访件时收受他人财物，泄露案情。", text)
        self.assertIn("（联系人：张明）", text)
        _, decision = fill(DocumentKind.DECISION, ctx.Subject(self.flow.case, self.flow.parties[0]))
        self.assertIn("移送司法机关依法处理", decision)


class OrganTests(DocumentsTestCase):
    def test_the_county_uses_the_configured_names_and_another_organ_its_own(self):
        p = self.personas
        county = ctx.organ_for(p.orgs.county)
        self.assertEqual(county["name"], "中共镇雄县纪律检查委员会")
        self.assertEqual(ctx.number_prefix_for(p.orgs.county), "镇纪监干")
        city = ctx.organ_for(p.orgs.city)
        self.assertEqual(city["name"], "中共昭通市纪律检查委员会")
        self.assertEqual(city["committee"], "市纪委常委会")
        self.assertEqual(ctx.number_prefix_for(p.orgs.city), "昭纪监干")

    def test_settings_rename_the_county(self):
        with self.settings(
            DOCUMENTS_ORGAN={"name": "中共某县纪律检查委员会"}, DOCUMENTS_NUMBER_PREFIX="某纪干"
        ):
            self.assertEqual(ctx.organ_for(None)["name"], "中共某县纪律检查委员会")
            self.assertEqual(ctx.number_prefix_for(None), "某纪干")
