"""Every action page through Django's test client: the happy path and a refusal for each.

A refusal never writes: the form comes back (200) with the service's or the form's Chinese
message on the field it names, or the user is sent back to the case page with the
workflow's message when the case is not in a state that allows the action.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.audit.services import seal_value
from accountability.cases import forms, services
from accountability.cases import workflow as wf
from accountability.cases.models import (
    Appeal,
    ArchiveRecord,
    CityFiling,
    CommitteeMeeting,
    ConflictDeclaration,
    Decision,
    Delivery,
    Evidence,
    Hearing,
    InvestigationReport,
    TeamMembership,
)
from accountability.cases.tests.factories import Flow, ago, committee, today
from accountability.cases.views import actions
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasMixin
from accountability.documents import selectors as document_selectors
from accountability.documents import services as document_services
from accountability.documents import views_case
from accountability.documents.models import DocumentNumberSequence, IssuedDocument
from accountability.documents.pdf import pdf_available
from accountability.documents.tests.helpers import docx_text
from accountability.jobs.testing import clear_queue, run_jobs

MEDIA = tempfile.mkdtemp(prefix="cases-actions-media-")


@override_settings(MEDIA_ROOT=MEDIA)
class ActionTestCase(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.members = committee(cls.personas)

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def flow(self, state: State | None = None, *people, **kwargs) -> Flow:
        walk = Flow.register(self.personas, *(people or (self.personas.people.handler,)), **kwargs)
        return walk.to(state) if state else walk

    def post(self, user, name, args, data=None):
        self.client.force_login(user)
        return self.client.post(reverse(name, args=args), data or {})

    def assertDone(self, response, flow: Flow, message: str) -> None:
        """Redirected to the case page, where the success message shows."""
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        self.assertTrue(
            response["Location"].startswith(reverse("cases:detail", args=[flow.case.pk]))
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, message)

    def assertRefused(self, response, field: str | None, message: str) -> None:
        """The form is shown again with ``message`` on ``field`` (None: above the form)."""
        self.assertEqual(response.status_code, 200)
        self.assertFormError(response.context["form"], field, message)


# ---------------------------------------------------------------------------------------------
# 13(1) 线索受理


class ClueApproveTests(ActionTestCase):
    def test_office_head_approves(self):
        """Approving the clue accepts the case and records the opinion."""
        flow = self.flow()
        response = self.post(
            self.office_head, "cases:clue_approve", [flow.case.pk], {"opinion": "同意受理。"}
        )
        self.assertDone(response, flow, "已批准受理。")
        self.assertEqual(flow.refresh().case.state, State.ACCEPTED)
        self.assertEqual(flow.case.approval_opinion, "同意受理。")

    def test_empty_opinion_is_named(self):
        """The approval needs an opinion."""
        flow = self.flow()
        response = self.post(self.office_head, "cases:clue_approve", [flow.case.pk])
        self.assertRefused(response, "opinion", forms.MSG_REQUIRED.format(label="审批意见"))
        self.assertEqual(flow.refresh().case.state, State.CLUE_REGISTERED)

    def test_clue_without_person_is_refused(self):
        """A clue that names nobody cannot be accepted (the service's rule, above the form)."""
        case = services.clue_register(
            actor=self.case_officer, source="work", summary="工作中发现问题。", received_on=ago(1)
        )
        flow = Flow(self.personas, case)
        response = self.post(
            self.office_head, "cases:clue_approve", [flow.case.pk], {"opinion": "同意。"}
        )
        self.assertRefused(response, None, services.MSG_NO_PARTY.format(action="批准受理"))
        self.assertEqual(flow.refresh().case.state, State.CLUE_REGISTERED)

    def test_wrong_state_goes_back_to_the_case(self):
        """Approving an accepted case sends the head back with the workflow's message."""
        flow = self.flow(State.ACCEPTED)
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("cases:clue_approve", args=[flow.case.pk]))
        self.assertRedirects(
            response, reverse("cases:detail", args=[flow.case.pk]), fetch_redirect_response=False
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, wf.illegal_message(State.ACCEPTED, wf.Action.CLUE_APPROVE))

    def test_case_officer_is_refused_with_the_rule(self):
        """A role that may never approve gets 403 naming the roles that may."""
        flow = self.flow()
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("cases:clue_approve", args=[flow.case.pk]))
        transition = wf.transition_for(wf.Action.CLUE_APPROVE)
        message = wf.role_message(transition, {"case_officer"})
        self.assertContains(response, message, status_code=403)

    def test_the_refusal_is_audited_once_where_it_is_answered(self):
        """The 403 is the middleware's: one access_denied entry with the path and the message."""
        flow = self.flow()
        self.client.force_login(self.case_officer)
        url = reverse("cases:clue_approve", args=[flow.case.pk])
        before = AuditEntry.objects.filter(outcome="denied").count()
        self.client.get(url)
        entries = AuditEntry.objects.filter(outcome="denied").order_by("seq")
        self.assertEqual(entries.count(), before + 1)
        entry = entries.last()
        message = wf.role_message(wf.transition_for(wf.Action.CLUE_APPROVE), {"case_officer"})
        self.assertEqual(
            (entry.action, entry.actor, entry.target_repr, entry.sealed["detail"]),
            ("access_denied", self.case_officer, url, seal_value(message)),
        )


class ClueRejectTests(ActionTestCase):
    def test_leader_rejects_with_reason(self):
        """Rejecting ends the case with its reason."""
        flow = self.flow()
        response = self.post(
            self.leader, "cases:clue_reject", [flow.case.pk], {"reason": "反映问题不属实。"}
        )
        self.assertDone(response, flow, "已决定不予受理。")
        self.assertEqual(flow.refresh().case.state, State.REJECTED)
        self.assertEqual(flow.case.rejection_reason, "反映问题不属实。")

    def test_reason_is_required(self):
        """A rejection needs its reason."""
        flow = self.flow()
        response = self.post(self.leader, "cases:clue_reject", [flow.case.pk], {"reason": " "})
        self.assertRefused(response, "reason", forms.MSG_REQUIRED.format(label="不予受理理由"))


class PartyAddTests(ActionTestCase):
    def test_adds_a_person(self):
        """The case officer adds a second person concerned."""
        flow = self.flow()
        data = {"person": self.personas.people.direct.pk, "responsibility_scope": "个人责任"}
        response = self.post(self.case_officer, "cases:party_add", [flow.case.pk], data)
        self.assertDone(response, flow, "已添加被调查人。")
        self.assertEqual(flow.case.parties.count(), 2)

    def test_person_outside_the_authority_is_not_offered(self):
        """A cadre managed by the city (Art 11) is not a valid choice for the county."""
        flow = self.flow()
        data = {
            "person": self.personas.people.deputy_secretary.pk,
            "responsibility_scope": "个人责任",
        }
        response = self.post(self.case_officer, "cases:party_add", [flow.case.pk], data)
        self.assertRefused(response, "person", forms.MSG_INVALID_CHOICE.format(label="被调查人"))
        self.assertEqual(flow.case.parties.count(), 1)


class PartyFactsTests(ActionTestCase):
    def data(self, **overrides):
        data = {
            "role": "具体承办人",
            "responsibility_scope": "个人责任",
            "responsibility_kind": "直接责任",
            "circumstance": "3",
            "severity": "较轻",
            "occurred_on": ago(100).isoformat(),
            "facts": "未按规定报批。",
            "lighter": ["1"],
        }
        data.update(overrides)
        return data

    def test_team_member_records_the_facts(self):
        """The facts are stored and the assessment appears on the case page."""
        flow = self.flow(State.ACCEPTED).investigate()
        party = flow.parties[0]
        response = self.post(
            self.team_member, "cases:party_facts", [flow.case.pk, party.pk], self.data()
        )
        self.assertDone(response, flow, "已保存责任事实认定。")
        party.refresh_from_db()
        self.assertEqual((party.circumstance, party.severity, party.lighter), (3, "较轻", [1]))
        page = self.client.get(reverse("cases:detail", args=[flow.case.pk]))
        self.assertContains(page, "按已认定事实测算")
        self.assertContains(page, "第十四条第(一)项")

    def test_condition_of_another_role_is_refused_by_the_rulebook(self):
        """Art 8(1) conditions are checked by the rulebook, whose message names the role."""
        flow = self.flow(State.ACCEPTED).investigate()
        party = flow.parties[0]
        data = self.data(circumstance="1", conditions=["未亲自组织"])
        response = self.post(self.team_member, "cases:party_facts", [flow.case.pk, party.pk], data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors["conditions"]
        self.assertIn("吴刚：“未亲自组织”不是第八条第(一)项对具体承办人规定的情形", errors[0])
        party.refresh_from_db()
        self.assertIsNone(party.circumstance)

    def test_party_of_another_case_is_not_found(self):
        """A person id of another case answers 404 under this case."""
        flow = self.flow(State.ACCEPTED).investigate()
        other = self.flow()
        self.client.force_login(self.team_member)
        url = reverse("cases:party_facts", args=[flow.case.pk, other.parties[0].pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class ConflictDeclareTests(ActionTestCase):
    def test_declares_a_conflict(self):
        """A recorded conflict names the account and its kind."""
        flow = self.flow(State.ACCEPTED)
        data = {"user": self.team_member.pk, "kind": "interest", "note": "与被调查人系同学"}
        response = self.post(self.case_officer, "cases:conflict_declare", [flow.case.pk], data)
        self.assertDone(response, flow, "已登记回避事由。")
        self.assertTrue(ConflictDeclaration.objects.filter(user=self.team_member).exists())

    def test_someone_must_be_named(self):
        """A conflict without a user or a person is refused on the user field."""
        flow = self.flow(State.ACCEPTED)
        data = {"kind": "interest"}
        response = self.post(self.case_officer, "cases:conflict_declare", [flow.case.pk], data)
        self.assertRefused(response, "user", services.MSG_CONFLICT_WHO)


class AttachmentAddTests(ActionTestCase):
    def test_uploads_a_file(self):
        """A file is stored with its hashes and listed on the case page."""
        flow = self.flow(State.INVESTIGATING)
        data = {"title": "谈话录音整理", "file": SimpleUploadedFile("记录.txt", "内容".encode())}
        response = self.post(self.team_member, "cases:attachment_add", [flow.case.pk], data)
        self.assertDone(response, flow, "附件已上传。")
        self.assertEqual(flow.case.attachments.get().title, "谈话录音整理")

    def test_empty_file_is_refused(self):
        """An empty upload is refused with a Chinese message."""
        flow = self.flow(State.INVESTIGATING)
        data = {"file": SimpleUploadedFile("空.txt", b"")}
        response = self.post(self.team_member, "cases:attachment_add", [flow.case.pk], data)
        self.assertRefused(response, "file", forms.MSG_EMPTY_FILE)


class TakeOverTests(ActionTestCase):
    def test_county_roles_may_not_take_over(self):
        """Only the commission above pursues directly (Art 11): the county head gets 403."""
        flow = self.flow(State.ACCEPTED)
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("cases:case_take_over", args=[flow.case.pk]))
        self.assertEqual(response.status_code, 403)


# ---------------------------------------------------------------------------------------------
# 13(2) 调查核实


class TeamFormTests(ActionTestCase):
    def test_forms_the_team(self):
        """The team is formed with its leader and the case moves to investigation."""
        flow = self.flow(State.ACCEPTED)
        data = {"members": [self.team_member.pk], "leader": self.team_member.pk}
        response = self.post(self.case_officer, "cases:team_form", [flow.case.pk], data)
        self.assertDone(response, flow, "调查组已成立，案件进入调查核实。")
        self.assertEqual(flow.refresh().case.state, State.INVESTIGATING)
        self.assertTrue(TeamMembership.objects.get(user=self.team_member).is_leader)

    def test_recused_member_is_refused_with_the_reason(self):
        """A member with a recorded conflict is refused, and the form says why (回避)."""
        flow = self.flow(State.ACCEPTED)
        services.conflict_declare(
            case=flow.case, actor=self.case_officer, kind="witness", user=self.team_member
        )
        self.client.force_login(self.case_officer)
        page = self.client.get(reverse("cases:team_form", args=[flow.case.pk]))
        self.assertContains(page, "应当回避：曾作为本案证人")
        data = {"members": [self.team_member.pk], "leader": self.team_member.pk}
        response = self.post(self.case_officer, "cases:team_form", [flow.case.pk], data)
        message = services.MSG_RECUSAL_CONFLICT.format(
            user=str(self.team_member), kind="曾作为本案证人", note="", what=services.WHAT_TEAM
        )
        self.assertRefused(response, "members", message)
        self.assertEqual(flow.refresh().case.state, State.ACCEPTED)

    def test_leader_must_be_a_member(self):
        """The leader is one of the members."""
        flow = self.flow(State.ACCEPTED)
        data = {"members": [self.team_member.pk], "leader": self.office_head.pk}
        response = self.post(self.case_officer, "cases:team_form", [flow.case.pk], data)
        self.assertRefused(response, "leader", services.MSG_TEAM_LEADER)


class TeamMemberAddTests(ActionTestCase):
    def test_adds_a_member(self):
        """A member joins a formed team."""
        flow = self.flow(State.INVESTIGATING)
        data = {"members": self.archivist.pk}
        response = self.post(self.office_head, "cases:team_member_add", [flow.case.pk], data)
        self.assertDone(response, flow, "已增加调查组成员。")
        self.assertTrue(TeamMembership.objects.filter(user=self.archivist).exists())

    def test_recused_member_is_refused(self):
        """A member with a conflict cannot join later either."""
        flow = self.flow(State.INVESTIGATING)
        services.conflict_declare(
            case=flow.case, actor=self.case_officer, kind="close_relative", user=self.archivist
        )
        data = {"members": self.archivist.pk}
        response = self.post(self.office_head, "cases:team_member_add", [flow.case.pk], data)
        message = services.MSG_RECUSAL_CONFLICT.format(
            user=str(self.archivist), kind="与被调查人有近亲属关系", note="", what="参加调查组"
        )
        self.assertRefused(response, "members", message)


class EvidenceAddTests(ActionTestCase):
    def test_records_evidence_with_a_file(self):
        """Evidence is recorded for a person with its file."""
        flow = self.flow(State.INVESTIGATING)
        data = {
            "title": "信访件办理台账",
            "collected_on": ago(10).isoformat(),
            "party": flow.parties[0].pk,
            "description": "证明未报批。",
            "file": SimpleUploadedFile("台账.txt", "台账".encode()),
        }
        response = self.post(self.team_member, "cases:evidence_add", [flow.case.pk], data)
        self.assertDone(response, flow, "已登记证据材料。")
        evidence = Evidence.objects.get()
        self.assertEqual(evidence.party, flow.parties[0])
        self.assertIsNotNone(evidence.attachment)

    def test_future_date_is_refused(self):
        """Evidence cannot be dated in the future."""
        flow = self.flow(State.INVESTIGATING)
        data = {"title": "台账", "collected_on": (today() + timedelta(days=2)).isoformat()}
        response = self.post(self.team_member, "cases:evidence_add", [flow.case.pk], data)
        self.assertRefused(
            response, "collected_on", services.MSG_FUTURE_DATE.format(label="取得日期")
        )
        self.assertFalse(Evidence.objects.exists())


class HearingTests(ActionTestCase):
    def test_records_statement_and_defence(self):
        """The person's statement and defence are recorded (13(2))."""
        flow = self.flow(State.INVESTIGATING)
        party = flow.parties[0]
        data = {"held_on": ago(5).isoformat(), "statement": "无异议。", "defence": "系疏忽。"}
        response = self.post(
            self.team_member, "cases:hearing_record", [flow.case.pk, party.pk], data
        )
        self.assertDone(response, flow, "已记录陈述和申辩。")
        self.assertEqual(Hearing.objects.get(party=party).statement, "无异议。")

    def test_statement_is_required(self):
        """A hearing without the statement is refused."""
        flow = self.flow(State.INVESTIGATING)
        party = flow.parties[0]
        data = {"held_on": ago(5).isoformat()}
        response = self.post(
            self.team_member, "cases:hearing_record", [flow.case.pk, party.pk], data
        )
        self.assertRefused(response, "statement", forms.MSG_REQUIRED.format(label="本人陈述"))

    def test_records_a_refusal_to_speak(self):
        """A refusal to make a statement is recorded as such."""
        flow = self.flow(State.INVESTIGATING)
        party = flow.parties[0]
        data = {"held_on": ago(5).isoformat(), "refusal_record": "经告知，本人明确拒绝陈述。"}
        response = self.post(
            self.team_member, "cases:hearing_refusal", [flow.case.pk, party.pk], data
        )
        self.assertDone(response, flow, "已记录拒绝陈述申辩。")
        self.assertTrue(Hearing.objects.get(party=party).refused)

    def test_refusal_needs_its_record(self):
        """A refusal without its record is refused."""
        flow = self.flow(State.INVESTIGATING)
        party = flow.parties[0]
        data = {"held_on": ago(5).isoformat()}
        response = self.post(
            self.team_member, "cases:hearing_refusal", [flow.case.pk, party.pk], data
        )
        self.assertRefused(
            response, "refusal_record", forms.MSG_REQUIRED.format(label="拒绝陈述申辩的记录")
        )


class ReportTests(ActionTestCase):
    def data(self, flow, **finding):
        party = flow.parties[0]
        data = {
            "submitted_on": ago(20).isoformat(),
            "summary": "经调查核实，反映问题属实。",
            f"p{party.pk}_recommendation": "追究",
            f"p{party.pk}_measures": ["批评教育"],
            f"p{party.pk}_departure_reason": "",
        }
        data.update({f"p{party.pk}_{k}": v for k, v in finding.items()})
        return data

    def test_submits_the_report(self):
        """The report stores each person's finding with the rulebook's assessment."""
        flow = self.flow(State.INVESTIGATING)
        response = self.post(
            self.team_member, "cases:report_submit", [flow.case.pk], self.data(flow)
        )
        self.assertDone(response, flow, "调查报告已提交常委会。")
        self.assertEqual(flow.refresh().case.state, State.REPORTED)
        finding = InvestigationReport.objects.get().findings.get()
        self.assertEqual(finding.assessment["tier"], "较轻")

    def test_departure_without_reason_is_refused_on_the_person(self):
        """A recommendation outside the assessed measures needs a written reason."""
        flow = self.flow(State.INVESTIGATING)
        party = flow.parties[0]
        data = self.data(flow, measures=["通报"])
        response = self.post(self.team_member, "cases:report_submit", [flow.case.pk], data)
        message = services.MSG_DEPARTURE.format(
            name="吴刚", measures="通报", allowed="批评教育、提醒约谈、诫勉谈话、责令限期整改"
        )
        self.assertRefused(response, f"p{party.pk}_departure_reason", message)
        self.assertFalse(InvestigationReport.objects.exists())

    def test_departure_with_reason_is_accepted(self):
        """With a reason, the departure is recorded and flagged."""
        flow = self.flow(State.INVESTIGATING)
        data = self.data(flow, measures=["通报"], departure_reason="造成恶劣影响，从严处理。")
        response = self.post(self.team_member, "cases:report_submit", [flow.case.pk], data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(InvestigationReport.objects.get().findings.get().departs)

    def test_incomplete_facts_are_refused(self):
        """A person whose facts are not found blocks the report (above the form)."""
        flow = self.flow(State.ACCEPTED).investigate()
        response = self.post(
            self.team_member, "cases:report_submit", [flow.case.pk], self.data(flow)
        )
        self.assertRefused(response, None, services.MSG_FACTS_INCOMPLETE.format(name="吴刚"))

    def test_returns_the_report(self):
        """The committee secretary sends the report back for more investigation."""
        flow = self.flow(State.REPORTED)
        data = {"reason": "事实不清，补充调查。"}
        response = self.post(self.committee_secretary, "cases:report_return", [flow.case.pk], data)
        self.assertDone(response, flow, "调查报告已退回，案件回到调查核实。")
        self.assertEqual(flow.refresh().case.state, State.INVESTIGATING)

    def test_return_needs_a_reason(self):
        """Returning a report needs its reason."""
        flow = self.flow(State.REPORTED)
        response = self.post(self.committee_secretary, "cases:report_return", [flow.case.pk])
        self.assertRefused(response, "reason", forms.MSG_REQUIRED.format(label="退回理由"))


# ---------------------------------------------------------------------------------------------
# 13(3) 研究决定


class MeetingTests(ActionTestCase):
    def data(self, present, **overrides):
        data = {
            "held_on": ago(10).isoformat(),
            "members_present": [p.pk for p in present],
            "votes_for": str(len(present)),
            "votes_against": "0",
            "votes_abstain": "0",
            "minutes": "同意调查组建议。",
        }
        data.update(overrides)
        return data

    def test_records_the_meeting(self):
        """A meeting with quorum is recorded; the decisions follow per person."""
        flow = self.flow(State.REPORTED)
        response = self.post(
            self.committee_secretary,
            "cases:meeting_record",
            [flow.case.pk],
            self.data(self.members),
        )
        self.assertDone(response, flow, "已记录常委会会议；请逐人记录决定。")
        self.assertEqual(CommitteeMeeting.objects.get().members_present.count(), 9)

    def test_meeting_without_quorum_is_refused(self):
        """Three of nine members are no quorum: the meeting is refused and not recorded."""
        flow = self.flow(State.REPORTED)
        response = self.post(
            self.committee_secretary,
            "cases:meeting_record",
            [flow.case.pk],
            self.data(self.members[:3]),
        )
        message = services.MSG_QUORUM.format(n=3, rule="超过应到会成员半数", size=9, required=5)
        self.assertRefused(response, "members_present", message)
        self.assertFalse(CommitteeMeeting.objects.exists())
        refusal = AuditEntry.objects.order_by("-seq").first()
        # The refusal's message is case content: the audit keeps its keyed hash and the
        # language-neutral field in clear.
        self.assertEqual(
            (refusal.action, refusal.outcome, refusal.sealed["detail"], refusal.actor),
            ("transition", "failure", seal_value(message), self.committee_secretary),
        )
        self.assertEqual(refusal.changes["field"], "members_present")

    def test_member_with_a_conflict_must_stand_aside(self):
        """A committee member with a recorded conflict who votes is refused (回避)."""
        flow = self.flow(State.REPORTED)
        member = self.members[0]
        services.conflict_declare(
            case=flow.case, actor=self.case_officer, kind="interest", person=member
        )
        response = self.post(
            self.committee_secretary,
            "cases:meeting_record",
            [flow.case.pk],
            self.data(self.members),
        )
        message = services.MSG_VOTE_RECUSAL_CONFLICT.format(
            name=member.name, kind="与案件有利害关系", note=""
        )
        self.assertRefused(response, "members_recused", message)

    def test_recused_member_is_ticked_in_advance(self):
        """The form ticks the members who must stand aside and says why."""
        flow = self.flow(State.REPORTED)
        member = self.members[0]
        services.conflict_declare(
            case=flow.case, actor=self.case_officer, kind="interest", person=member
        )
        self.client.force_login(self.committee_secretary)
        page = self.client.get(reverse("cases:meeting_record", args=[flow.case.pk]))
        self.assertEqual(page.context["form"].initial["members_recused"], [member.pk])
        self.assertContains(page, "应当回避：与案件有利害关系")


class DecisionTests(ActionTestCase):
    def test_records_the_decision(self):
        """The decision is recorded with its assessment; the case is decided."""
        flow = self.flow(State.REPORTED)
        meeting = flow.meet()
        party = flow.parties[0]
        data = {
            "meeting": meeting.pk,
            "outcome": "追究",
            "measures": ["批评教育", "责令限期整改"],
            "rectification_deadline": today().isoformat(),
        }
        response = self.post(
            self.committee_secretary, "cases:decision_record", [flow.case.pk, party.pk], data
        )
        self.assertDone(response, flow, "已记录责任追究决定。")
        self.assertEqual(flow.refresh().case.state, State.DECIDED)
        decision = Decision.objects.get(party=party)
        self.assertEqual(decision.current_version.rulebook_version, "zx-2020-10-30")
        self.assertEqual(decision.rectifications.get().deadline, today())

    def test_person_not_heard_is_refused(self):
        """No decision for a person who was not heard and did not refuse (13(2))."""
        p = self.personas.people
        flow = self.flow(State.ACCEPTED, p.handler, p.direct).investigate().facts()
        flow.hear(parties=[flow.party(p.handler)]).report()
        meeting = flow.meet()
        party = flow.party(p.direct)
        data = {"meeting": meeting.pk, "outcome": "追究", "measures": ["批评教育"]}
        response = self.post(
            self.committee_secretary, "cases:decision_record", [flow.case.pk, party.pk], data
        )
        self.assertRefused(response, None, services.MSG_NOT_HEARD.format(name="朱磊"))
        self.assertFalse(Decision.objects.exists())

    def test_rectification_needs_a_deadline(self):
        """Ordering a rectification (责令限期整改) needs its deadline."""
        flow = self.flow(State.REPORTED)
        meeting = flow.meet()
        party = flow.parties[0]
        data = {"meeting": meeting.pk, "outcome": "追究", "measures": ["责令限期整改"]}
        response = self.post(
            self.committee_secretary, "cases:decision_record", [flow.case.pk, party.pk], data
        )
        self.assertRefused(
            response,
            "rectification_deadline",
            services.MSG_RECTIFICATION_DEADLINE.format(name="吴刚"),
        )


# ---------------------------------------------------------------------------------------------
# 13(4) 执行决定


class IssueAndDeliveryTests(ActionTestCase):
    def series(self, flow: Flow, day) -> str:
        prefix = document_selectors.number_prefix(kind="decision", case=flow.case)
        return f"{prefix}〔{day.year}〕"

    def test_confirmation_page_offers_the_draft(self):
        """Before issuing, the page links the draft (Word and PDF) and shows the number's form."""
        flow = self.flow(State.DECIDED)
        decision = flow.decisions[0]
        self.client.force_login(self.case_officer)
        response = self.client.get(
            reverse("cases:decision_issue", args=[flow.case.pk, decision.pk])
        )
        preview = reverse("documents:preview", args=[flow.case.pk, "decision", "docx"])
        self.assertContains(response, f"{preview}?party={decision.party.pk}")
        if pdf_available():
            preview = reverse("documents:preview", args=[flow.case.pk, "decision", "pdf"])
            self.assertContains(response, f"{preview}?party={decision.party.pk}")
        self.assertContains(response, f"{self.series(flow, today())}　号")
        self.assertContains(
            response, reverse("cases:decision_issue_paper", args=[flow.case.pk, decision.pk])
        )
        draft = self.client.get(f"{preview}?party={decision.party.pk}")
        self.assertEqual(draft.status_code, 200)
        self.assertFalse(IssuedDocument.objects.exists())

    def test_issues_the_decision_document_through_the_system(self):
        """Issuing numbers, stores and freezes the document, records the decision as issued,
        and the case page then offers the document as Word, and as PDF once the worker has
        made it (its progress shows until then)."""
        flow = self.flow(State.DECIDED)
        decision = flow.decisions[0]
        clear_queue()
        self.addCleanup(clear_queue)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(
                self.case_officer,
                "cases:decision_issue",
                [flow.case.pk, decision.pk],
                {"issued_on": ago(80).isoformat()},
            )
        document = IssuedDocument.objects.get()
        number = f"{self.series(flow, ago(80))}1号"
        self.assertEqual(document.number, number)
        self.assertEqual(
            response["Location"],
            f"{reverse('cases:detail', args=[flow.case.pk])}#decision-{decision.pk}",
        )
        page = self.client.get(response["Location"])
        self.assertContains(
            page,
            views_case.MSG_DOCUMENT_ISSUED.format(title="责任追究决定书（吴刚）", number=number),
        )
        self.assertContains(page, reverse("documents:download", args=[document.pk, "docx"]))
        pdf_link = reverse("documents:download", args=[document.pk, "pdf"])
        if pdf_available():
            self.assertNotContains(page, pdf_link)
            self.assertContains(page, "PDF 排队中")
            self.assertEqual(run_jobs(), 1)
            self.assertContains(self.client.get(response["Location"]), pdf_link)
        decision.refresh_from_db()
        self.assertEqual((decision.document_number, decision.issued_on), (number, ago(80)))
        self.assertEqual(flow.refresh().case.state, State.ISSUED)
        word = self.client.get(reverse("documents:download", args=[document.pk, "docx"]))
        self.assertEqual(word["Content-Type"], document_services.CONTENT_TYPES["docx"])
        text = docx_text(b"".join(word))
        self.assertIn("责任追究决定书", text)
        self.assertIn(number, text)
        if pdf_available():
            pdf = self.client.get(reverse("documents:download", args=[document.pk, "pdf"]))
            self.assertEqual(pdf["Content-Type"], "application/pdf")
            self.assertTrue(b"".join(pdf).startswith(b"%PDF"))

    def test_issue_before_the_decision_is_refused_and_takes_no_number(self):
        """A document cannot be issued before the decision was made; the number stays free."""
        flow = self.flow(State.DECIDED)
        decision = flow.decisions[0]
        data = {"issued_on": ago(200).isoformat()}
        response = self.post(
            self.case_officer, "cases:decision_issue", [flow.case.pk, decision.pk], data
        )
        message = services.MSG_DATE_ORDER.format(
            label="印发日期", other_label="决定日期", other=decision.decided_on.isoformat()
        )
        self.assertRefused(response, "issued_on", message)
        self.assertFalse(IssuedDocument.objects.exists())
        self.assertFalse(DocumentNumberSequence.objects.filter(last__gt=0).exists())

    def test_a_decision_already_issued_goes_back_to_the_case(self):
        """While the case waits for another person's document, the issued one is not offered
        again: its page sends the officer back to the case with the number."""
        flow = self.flow(State.DECIDED, self.personas.people.handler, self.personas.people.direct)
        first = flow.decisions[0]
        document = document_services.document_issue(
            case=flow.case, kind="decision", actor=self.case_officer, party=first.party
        )
        self.assertEqual(flow.refresh().case.state, State.DECIDED)
        for name in ("cases:decision_issue", "cases:decision_issue_paper"):
            with self.subTest(name=name):
                self.client.force_login(self.case_officer)
                response = self.client.get(reverse(name, args=[flow.case.pk, first.pk]))
                self.assertRedirects(
                    response,
                    reverse("cases:detail", args=[flow.case.pk]) + "#parties",
                    fetch_redirect_response=False,
                )
                page = self.client.get(response["Location"])
                self.assertContains(
                    page,
                    services.MSG_ALREADY_ISSUED.format(name="吴刚", number=document.number),
                )

    def test_paper_record_takes_the_next_number(self):
        """纸质文书补录: the number on the paper, the next of the series, is recorded."""
        flow = self.flow(State.DECIDED)
        decision = flow.decisions[0]
        number = f"{self.series(flow, ago(80))}1号"
        data = {"document_number": number, "issued_on": ago(80).isoformat()}
        response = self.post(
            self.case_officer, "cases:decision_issue_paper", [flow.case.pk, decision.pk], data
        )
        self.assertDone(response, flow, "已补录纸质决定文书的印发。")
        decision.refresh_from_db()
        self.assertEqual(decision.document_number, number)
        self.assertEqual(flow.refresh().case.state, State.ISSUED)
        self.assertFalse(IssuedDocument.objects.exists())

    def test_paper_record_checks_the_format(self):
        """A typed number that does not read 机关代字〔年份〕序号号 is refused on its field."""
        flow = self.flow(State.DECIDED)
        decision = flow.decisions[0]
        data = {"document_number": "2026年第3号", "issued_on": ago(80).isoformat()}
        response = self.post(
            self.case_officer, "cases:decision_issue_paper", [flow.case.pk, decision.pk], data
        )
        self.assertRefused(
            response,
            "document_number",
            document_services.MSG_ADOPTED_NUMBER.format(number="2026年第3号"),
        )
        self.assertEqual(flow.refresh().case.state, State.DECIDED)

    def test_delivery_to_the_person_starts_the_appeal_period(self):
        """Delivery to the person computes the appeal deadline and says it."""
        flow = self.flow(State.ISSUED)
        decision = flow.decisions[0]
        data = {
            "recipient": "person",
            "delivered_on": ago(3).isoformat(),
            "manner": "direct",
            "received_by": "吴刚",
        }
        response = self.post(
            self.case_officer, "cases:delivery_record", [flow.case.pk, decision.pk], data
        )
        decision.refresh_from_db()
        message = actions.MSG_DELIVERED_DEADLINE.format(
            deadline=decision.appeal_deadline.isoformat()
        )
        self.assertDone(response, flow, message)
        self.assertTrue(Delivery.objects.filter(decision=decision, recipient="person").exists())

    def test_second_delivery_to_the_same_recipient_is_refused(self):
        """Each recipient is delivered once."""
        flow = self.flow(State.ISSUED)
        decision = flow.decisions[0]
        first = services.delivery_record(
            decision=decision,
            actor=self.case_officer,
            recipient="person",
            delivered_on=ago(4),
            manner="direct",
        )
        data = {"recipient": "person", "delivered_on": ago(3).isoformat(), "manner": "direct"}
        response = self.post(
            self.case_officer, "cases:delivery_record", [flow.case.pk, decision.pk], data
        )
        message = services.MSG_ALREADY_DELIVERED.format(
            name="吴刚", date=first.delivered_on.isoformat(), recipient="被追究责任者本人"
        )
        self.assertRefused(response, "recipient", message)


class ArchiveAndFilingTests(ActionTestCase):
    def test_archivist_archives(self):
        """The archivist records the dossier entry."""
        flow = self.flow(State.DELIVERED)
        data = {"archived_on": ago(10).isoformat(), "received_by": "刘芳"}
        response = self.post(self.archivist, "cases:archive_record", [flow.case.pk], data)
        self.assertDone(response, flow, "已记录归入干部个人档案。")
        self.assertTrue(ArchiveRecord.objects.filter(case=flow.case).exists())

    def test_second_archive_is_refused(self):
        """Archiving twice is refused with the date of the first."""
        flow = self.flow(State.DELIVERED)
        services.archive_record(case=flow.case, actor=self.archivist, archived_on=ago(10))
        data = {"archived_on": ago(5).isoformat()}
        response = self.post(self.archivist, "cases:archive_record", [flow.case.pk], data)
        self.assertRefused(
            response, "archived_on", services.MSG_ALREADY_ARCHIVED.format(date=ago(10).isoformat())
        )

    def test_filing_with_the_city_completes_the_step(self):
        """Archived and filed: the case is filed (已归档备案)."""
        flow = self.flow(State.DELIVERED)
        services.archive_record(case=flow.case, actor=self.archivist, archived_on=ago(10))
        data = {"filed_on": ago(9).isoformat(), "reference": "镇纪干监备〔2026〕2号"}
        response = self.post(self.case_officer, "cases:city_filing", [flow.case.pk], data)
        self.assertDone(response, flow, "已记录报市纪委备案。")
        self.assertEqual(flow.refresh().case.state, State.FILED)
        self.assertTrue(CityFiling.objects.filter(case=flow.case).exists())

    def test_filing_before_the_decision_is_refused(self):
        """The filing date cannot precede the decision."""
        flow = self.flow(State.DELIVERED)
        decided = flow.decisions[0].decided_on
        data = {"filed_on": (decided - timedelta(days=1)).isoformat()}
        response = self.post(self.case_officer, "cases:city_filing", [flow.case.pk], data)
        message = services.MSG_DATE_ORDER.format(
            label="报备日期", other_label="决定日期", other=decided.isoformat()
        )
        self.assertRefused(response, "filed_on", message)


# ---------------------------------------------------------------------------------------------
# Art 16 申诉, Art 10 整改, 办结


class AppealTests(ActionTestCase):
    def data(self, **overrides):
        data = {
            "received_on": ago(75).isoformat(),
            "manner": "in_person",
            "written": "on",
            "content": "认为处理过重，请求复查。",
            "reviewing_organ": self.personas.orgs.county.pk,
        }
        data.update(overrides)
        return data

    def test_registers_an_appeal_in_time(self):
        """An appeal within 15 days of delivery waits for review."""
        flow = self.flow(State.DELIVERED)
        decision = flow.decisions[0]
        response = self.post(
            self.case_officer, "cases:appeal_register", [flow.case.pk, decision.pk], self.data()
        )
        self.assertDone(response, flow, "已登记申诉，待复查。")
        self.assertEqual(Appeal.objects.get().status, Appeal.Status.PENDING)

    def test_late_appeal_is_flagged_not_accepted(self):
        """A late appeal without a justified reason is recorded as 逾期不予受理, with a warning."""
        flow = self.flow(State.DELIVERED)
        decision = flow.decisions[0]
        data = self.data(received_on=ago(2).isoformat())
        response = self.post(
            self.case_officer, "cases:appeal_register", [flow.case.pk, decision.pk], data
        )
        appeal = Appeal.objects.get()
        self.assertTrue(appeal.late)
        self.assertEqual(appeal.status, Appeal.Status.REJECTED_LATE)
        message = actions.MSG_APPEAL_LATE_REJECTED.format(deadline=appeal.deadline.isoformat())
        self.assertDone(response, flow, message)

    def test_late_appeal_with_reason_goes_to_review(self):
        """A late appeal with a justified reason is accepted as late and reviewed."""
        flow = self.flow(State.DELIVERED)
        decision = flow.decisions[0]
        data = self.data(received_on=ago(2).isoformat(), late_acceptance_reason="住院治疗。")
        response = self.post(
            self.case_officer, "cases:appeal_register", [flow.case.pk, decision.pk], data
        )
        appeal = Appeal.objects.get()
        self.assertEqual((appeal.late, appeal.status), (True, Appeal.Status.PENDING))
        message = actions.MSG_APPEAL_LATE_ACCEPTED.format(deadline=appeal.deadline.isoformat())
        self.assertDone(response, flow, message)

    def test_oral_appeal_is_refused(self):
        """An appeal must be written (Art 16)."""
        flow = self.flow(State.DELIVERED)
        decision = flow.decisions[0]
        data = self.data()
        del data["written"]
        response = self.post(
            self.case_officer, "cases:appeal_register", [flow.case.pk, decision.pk], data
        )
        self.assertRefused(response, "written", services.MSG_APPEAL_NOT_WRITTEN)
        self.assertFalse(Appeal.objects.exists())

    def test_review_changes_the_decision(self):
        """A review that changes the decision adds a version and keeps the first."""
        flow = self.flow(State.DELIVERED)
        decision = flow.decisions[0]
        appeal = services.appeal_register(
            decision=decision, actor=self.case_officer, received_on=ago(75), content="请求复查。"
        )
        data = {
            "reviewed_on": ago(70).isoformat(),
            "outcome": "changed",
            "measures": ["提醒约谈"],
            "reason": "情节较轻，改为提醒约谈。",
        }
        response = self.post(
            self.office_head, "cases:appeal_review", [flow.case.pk, appeal.pk], data
        )
        self.assertDone(response, flow, "已记录复查结果。")
        decision.refresh_from_db()
        self.assertEqual(decision.versions.count(), 2)
        self.assertEqual(decision.measures, ["提醒约谈"])

    def test_change_without_measures_is_refused(self):
        """Changing a decision needs the new measures."""
        flow = self.flow(State.DELIVERED)
        decision = flow.decisions[0]
        appeal = services.appeal_register(
            decision=decision, actor=self.case_officer, received_on=ago(75), content="请求复查。"
        )
        data = {"reviewed_on": ago(70).isoformat(), "outcome": "changed", "reason": "改变。"}
        response = self.post(
            self.office_head, "cases:appeal_review", [flow.case.pk, appeal.pk], data
        )
        self.assertRefused(response, "measures", services.MSG_REVIEW_MEASURES)
        self.assertEqual(decision.versions.count(), 1)

    def test_appeal_addressed_to_the_city_is_not_reviewed_by_the_county(self):
        """The county head may not review an appeal addressed to the city (403 with the rule)."""
        flow = self.flow(State.DELIVERED)
        appeal = services.appeal_register(
            decision=flow.decisions[0],
            actor=self.case_officer,
            received_on=ago(75),
            content="请求复查。",
            reviewing_organ=self.personas.orgs.city,
        )
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("cases:appeal_review", args=[flow.case.pk, appeal.pk]))
        message = services.MSG_REVIEWER_ORGAN.format(organ="昭通市纪委监委")
        self.assertContains(response, message, status_code=403)


class RectificationAndCloseTests(ActionTestCase):
    def test_completes_the_rectification(self):
        """Completion is recorded with its evidence."""
        flow = self.flow(State.DELIVERED)
        row = flow.decisions[0].rectifications.get()
        data = {"completed_on": ago(5).isoformat(), "evidence": "已补办报批手续。"}
        response = self.post(
            self.case_officer, "cases:rectification_complete", [flow.case.pk, row.pk], data
        )
        self.assertDone(response, flow, "已记录整改完成。")
        row.refresh_from_db()
        self.assertEqual(row.completed_on, ago(5))

    def test_completion_needs_evidence(self):
        """Completing a rectification needs the evidence of it."""
        flow = self.flow(State.DELIVERED)
        row = flow.decisions[0].rectifications.get()
        data = {"completed_on": ago(5).isoformat()}
        response = self.post(
            self.case_officer, "cases:rectification_complete", [flow.case.pk, row.pk], data
        )
        self.assertRefused(response, "evidence", forms.MSG_REQUIRED.format(label="整改情况及佐证"))

    def test_closes_the_case(self):
        """A filed case whose decisions are final and rectifications done is closed."""
        flow = self.flow(State.FILED).complete_rectifications()
        response = self.post(self.case_officer, "cases:case_close", [flow.case.pk])
        self.assertDone(response, flow, "案件已办结。")
        self.assertEqual(flow.refresh().case.state, State.CLOSED)

    def test_open_rectification_blocks_closing(self):
        """An open rectification keeps the case open, and the page says whose and until when."""
        flow = self.flow(State.FILED)
        deadline = flow.decisions[0].rectifications.get().deadline
        response = self.post(self.case_officer, "cases:case_close", [flow.case.pk])
        message = services.MSG_CLOSE_RECTIFICATION.format(
            name="吴刚", deadline=deadline.isoformat()
        )
        self.assertRefused(response, None, message)
        self.assertEqual(flow.refresh().case.state, State.FILED)
