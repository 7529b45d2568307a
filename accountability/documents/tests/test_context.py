"""Contexts built from cases walked through the services, and the documents they fill."""

from __future__ import annotations

from datetime import date

from accountability.cases import services as case_services
from accountability.cases.models import Appeal
from accountability.cases.tests.factories import Flow, ago
from accountability.documents import context as ctx
from accountability.documents import render, sandbox, services
from accountability.documents.formatting import cn_date
from accountability.documents.kinds import DocumentKind
from accountability.documents.tests.base import (
    DocumentsTestCase,
    criminal,
    decided,
    deliver,
    issue_decisions,
)
from accountability.documents.tests.helpers import SOFTWARE_WORDS, docx_part, docx_text


def fill(kind, subject, **kwargs):
    kwargs.setdefault("number", "镇纪监干〔2026〕9号")
    kwargs.setdefault("issued_on", ago(0))
    kwargs.setdefault("actor", None)
    data = ctx.build(kind, subject, **kwargs)
    document = render.render_docx(
        render.shipped_template(kind), data, fields=sandbox.fields_for(kind)
    )
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

    def test_the_decision_speaks_as_the_organ_particulars_first(self):
        """Particulars (name, sex, birth, political status, post), 经查 and the facts, the
        finding quoting the item it rests on, the decision, the appeal; no software words."""
        person = self.party.person
        person.gender, person.birth_year = "男", 1988
        person.save()
        _, text = fill(DocumentKind.DECISION, self.subject)
        name = self.party.person.name
        body = text.split("责任追究决定书", 1)[1]
        lines = [line for line in body.splitlines() if line.strip()]
        self.assertEqual(lines[0], f"{name}，男，1988年生，中共党员，现任党风政风监督室科员。")
        self.assertTrue(lines[1].startswith("经查，"), lines[1])
        self.assertIn(
            f"{name}同志作为具体承办人，其上述行为属于《镇雄县纪检监察干部工作责任追究办法"
            "（试行）》（以下简称《办法》）第八条第（三）项“执纪问责、调查处置工作中不认真执行"
            "工作制度、工作细则和工作纪律，造成工作失误或不良后果的”所列情形，情节较轻。",
            text,
        )
        order = [
            "经查，",
            "所列情形",
            "决定给予",
            "如对本决定不服",
            "中共镇雄县纪律检查委员会\n",
        ]
        places = [body.find(words) for words in order]
        self.assertEqual(places, sorted(places))
        self.assertNotIn(-1, places)
        for word in SOFTWARE_WORDS:
            self.assertNotIn(word, text)
        self.assertNotIn("zx-2020-10-30", text)

    def test_the_decision_names_the_person_measures_and_rectification(self):
        data, text = fill(DocumentKind.DECISION, self.subject)
        name = self.party.person.name
        self.assertEqual(data["person"]["name"], name)
        meeting = cn_date(self.flow.decisions[0].meeting.held_on)
        self.assertIn(
            f"依据《办法》第八条第（三）项、第十条的规定，经{meeting}县纪委常委会会议研究，"
            f"决定给予{name}同志批评教育处理。",
            text,
        )
        rectification = self.flow.decisions[0].rectifications.get()
        self.assertIn(f"责令{name}同志于{cn_date(rectification.deadline)}前完成整改", text)
        self.assertIn(f"{name}同志在陈述中称：对未报批的事实无异议。", text)
        self.assertIn("抄送：县纪委监委组织部，市纪委监委纪检监察干部监督室，", text)

    def test_the_appeal_right_names_the_organs_and_the_deadline_once_delivered(self):
        data, text = fill(DocumentKind.DECISION, self.subject)
        self.assertIn(
            "可以依照《办法》第十六条的规定，自接到本决定之日起15日内，"
            "向中共镇雄县纪律检查委员会或者中共昭通市纪律检查委员会提出书面申诉。"
            "申诉期间，不停止本决定的执行。",
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
        _, sheet = fill(DocumentKind.ASSESSMENT_SHEET, self.subject)
        self.assertIn(f"作出决定之日\n{cn_date(decision.decided_on)}", sheet)
        self.assertIn(f"申诉期满\n{cn_date(decision.appeal_deadline)}届满", sheet)
        self.assertIn("执行\n申诉期间不停止决定的执行", sheet)

    def test_the_assessment_sheet_keeps_what_the_decision_does_not_say(self):
        """The rule trace, the version and its interpretations, each restriction's source."""
        data, text = fill(DocumentKind.ASSESSMENT_SHEET, self.subject, actor=self.case_officer)
        version = self.flow.decisions[0].current_version
        self.assertIn("适用规则版本", text)
        self.assertIn("《镇雄县纪检监察干部工作责任追究办法（试行）》", data["rulebook"]["text"])
        for interpretation in version.assessment["interpretations"]:
            self.assertIn(interpretation["title"].replace("(", "（").replace(")", "）"), text)
        self.assertEqual(len(data["steps"]), len(version.assessment["explanation"]))
        self.assertIn("责令限期整改", text)
        self.assertIn("张明", text)  # prepared by the officer who issued it
        _, decision = fill(DocumentKind.DECISION, self.subject)
        for interpretation in version.assessment["interpretations"]:
            self.assertNotIn(interpretation["text"][:12], decision)

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
        "依照《镇雄县纪检监察干部工作责任追究办法（试行）》（以下简称《办法》）第十七条的规定，"
        "张三同志自本决定作出之日起，"
        "2027年3月4日前不得提拔使用（依据：《党政领导干部选拔任用工作条例》）；"
        "2026年12月31日前不得评优评先；"
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
    (line,) = ctx._restriction_lines("张三", old)
    assert line.endswith(
        "第十七条的规定，张三同志自本决定作出之日起，2027年3月4日前不得提拔使用（依据：x）。"
    )


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
        self.assertIn("决定给予吴刚同志批评教育处理。", before)
        self.assertIn("责令吴刚同志于", before)
        _, after = fill(DocumentKind.DECISION, decision_subject, issued_on=ago(0))
        self.assertIn("决定给予吴刚同志批评教育处理。", after)
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
        # 开除 is a 政务处分: it rests on the 政务处分法 and reads 处分.
        self.assertIn("依据《中华人民共和国公职人员政务处分法》第七条和《办法》", decision)
        self.assertIn("决定给予吴刚同志开除处分。", decision)


class SanctionContextTests(DocumentsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        flow = Flow.register(p, p.people.handler).accept().investigate()
        party = flow.parties[0]
        case_services.party_facts_update(
            party=party,
            actor=p.team_member,
            role=party.person.role,
            occurred_on=ago(200),
            facts="经查，吴刚在办理信访件时违反工作纪律，造成严重后果。",
            circumstance=3,
            severity="严重",
            violates_discipline=True,
        )
        measures = ("追究", ["党内警告"], "")
        flow.hear().report({party.person: measures})
        flow.decide(decisions={party.person: measures})
        cls.flow = flow.refresh()

    def test_a_party_sanction_cites_the_disciplinary_regulation_and_reads_chufen(self):
        """党内警告 rests on 纪律处分条例 第八条 and is a 处分, never a 处理."""
        party = self.flow.parties[0]
        _, text = fill(DocumentKind.DECISION, ctx.Subject(self.flow.case, party))
        self.assertIn("经查，吴刚在办理信访件时违反工作纪律", text)
        self.assertNotIn("经查，经查", text)
        self.assertIn("情节严重，构成违纪。", text)
        meeting = cn_date(self.flow.decisions[0].meeting.held_on)
        self.assertIn(
            "依据《中国共产党纪律处分条例》第八条和《办法》第八条第（三）项、第十条的规定，"
            f"经{meeting}县纪委常委会会议研究，决定给予吴刚同志党内警告处分。",
            text,
        )
        self.assertNotIn("党内警告处理", text)
        self.assertIn("不得在党内提升职务和向党外组织推荐担任高于其原任职务的党外职务", text)
        self.assertNotIn("不得提拔使用", text)


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
