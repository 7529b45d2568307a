"""13(2) 调查核实: the team and its recusals, evidence, hearings, facts and the report."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accountability.cases import selectors, services
from accountability.cases.models import (
    Attachment,
    ConflictDeclaration,
    InvestigationReport,
    TeamMembership,
)
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.demo.testing import PersonasTestCase


class TeamRecusalTests(PersonasTestCase):
    """A person concerned by the case, or with a recorded conflict, cannot join the team."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        # 王强 (the leader's account) is one of the people concerned.
        cls.flow = Flow.register(p, p.people.handler, p.people.leader).accept()

    def test_a_person_concerned_cannot_join_the_team(self):
        p = self.personas
        with self.assertRaisesMessage(
            DomainError, services.MSG_RECUSAL_PARTY.format(user="王强", what="参加调查组")
        ):
            services.team_form(
                case=self.flow.case,
                actor=p.case_officer,
                members=[p.team_member, p.leader],
                leader=p.team_member,
            )
        self.assertFalse(TeamMembership.objects.exists(), "nothing half-written")
        self.assertEqual(self.flow.refresh().case.state, State.ACCEPTED)

    def test_a_recorded_conflict_is_named_in_the_refusal(self):
        p = self.personas
        services.conflict_declare(
            case=self.flow.case,
            actor=p.case_officer,
            user=p.team_member,
            kind=ConflictDeclaration.Kind.CLOSE_RELATIVE,
            note="与吴刚系表兄弟",
        )
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_RECUSAL_CONFLICT.format(
                user="赵磊",
                kind="与被调查人有近亲属关系",
                note="（与吴刚系表兄弟）",
                what="参加调查组",
            ),
        ):
            services.team_form(
                case=self.flow.case,
                actor=p.case_officer,
                members=[p.team_member],
                leader=p.team_member,
            )

    def test_a_conflict_recorded_on_the_person_reaches_their_account(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler).accept()
        services.conflict_declare(
            case=flow.case,
            actor=p.case_officer,
            person=p.people.leader,
            kind=ConflictDeclaration.Kind.WITNESS,
        )
        self.assertEqual(
            selectors.recusal_reason_for(case=flow.case, user=p.leader), "曾作为本案证人"
        )
        self.assertEqual(
            selectors.recusal_reason_for(case=flow.case, user=p.subject), "本案被调查人"
        )
        self.assertEqual(selectors.recusal_reason_for(case=flow.case, user=p.team_member), "")
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_RECUSAL_CONFLICT.format(
                user="王强", kind="曾作为本案证人", note="", what="参加调查组"
            ),
        ):
            services.team_form(
                case=flow.case, actor=p.case_officer, members=[p.leader], leader=p.leader
            )

    def test_the_subject_and_administrators_cannot_serve(self):
        p = self.personas
        for user in (p.system_admin, p.audit_admin):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(
                    DomainError,
                    services.MSG_TEAM_INELIGIBLE.format(
                        user=str(user), role=user.get_role_display()
                    ),
                ),
            ):
                services.team_form(
                    case=self.flow.case, actor=p.case_officer, members=[user], leader=user
                )

    def test_the_leader_must_be_a_member_and_the_team_not_empty(self):
        p = self.personas
        with self.assertRaisesMessage(DomainError, str(services.MSG_TEAM_EMPTY)):
            services.team_form(case=self.flow.case, actor=p.case_officer, members=[], leader=None)
        with self.assertRaisesMessage(DomainError, str(services.MSG_TEAM_LEADER)):
            services.team_form(
                case=self.flow.case,
                actor=p.case_officer,
                members=[p.team_member],
                leader=p.township_officer,
            )

    def test_team_candidates_leave_out_those_who_must_stand_aside(self):
        p = self.personas
        candidates = set(selectors.team_candidates(case=self.flow.case))
        self.assertIn(p.team_member, candidates)
        self.assertIn(p.township_officer, candidates)
        self.assertNotIn(p.leader, candidates)
        self.assertNotIn(p.subject, candidates)
        self.assertNotIn(p.system_admin, candidates)
        self.assertNotIn(p.city_officer, candidates)

    def test_a_member_with_a_later_conflict_leaves_the_team_and_the_case(self):
        p = self.personas
        self.flow.investigate([p.team_member, p.township_officer])
        self.assertEqual(
            selectors.case_get_for_user(case_id=self.flow.case.pk, user=p.township_officer),
            self.flow.case,
        )
        services.conflict_declare(
            case=self.flow.case,
            actor=p.office_head,
            user=p.township_officer,
            kind=ConflictDeclaration.Kind.INTEREST,
            note="曾参与该信访件的初核",
        )
        row = TeamMembership.objects.get(case=self.flow.case, user=p.township_officer)
        self.assertEqual(row.left_on, ago(0))
        self.assertEqual(row.leave_reason, "回避：与案件有利害关系")
        with self.assertRaises(NotFound):
            selectors.case_get_for_user(case_id=self.flow.case.pk, user=p.township_officer)


class InvestigationTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.flow = Flow.register(p, p.people.handler, p.people.direct).to(State.INVESTIGATING)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.media = tempfile.mkdtemp(prefix="cases-media-")
        cls.media_override = override_settings(MEDIA_ROOT=cls.media)
        cls.media_override.enable()

    @classmethod
    def tearDownClass(cls):
        cls.media_override.disable()
        shutil.rmtree(cls.media, ignore_errors=True)
        super().tearDownClass()

    def test_evidence_with_a_file_is_stored_with_its_hashes(self):
        content = "台账截图".encode() * 100
        evidence = services.evidence_add(
            case=self.flow.case,
            actor=self.personas.team_member,
            title="信访件办理台账",
            collected_on=ago(130),
            party=self.flow.party(self.personas.people.handler),
            file=SimpleUploadedFile("台账 2026.PDF", content, content_type="application/pdf"),
        )
        attachment = evidence.attachment
        self.assertEqual(attachment.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(attachment.sm3, hashlib.new("sm3", content).hexdigest())
        self.assertEqual(attachment.size, len(content))
        self.assertEqual(attachment.original_name, "台账 2026.PDF")
        self.assertEqual(attachment.file.name, f"cases/{self.flow.case.pk}/{attachment.sha256}.pdf")
        self.assertEqual(Path(self.media, attachment.file.name).read_bytes(), content)

    def test_an_empty_file_is_refused(self):
        with self.assertRaisesMessage(DomainError, str(services.MSG_ATTACHMENT_EMPTY)):
            services.attachment_add(
                case=self.flow.case,
                actor=self.personas.case_officer,
                file=SimpleUploadedFile("空.txt", b""),
            )
        self.assertFalse(Attachment.objects.exists())

    def test_a_team_member_account_not_on_this_team_has_no_role_here(self):
        p = self.personas
        with self.assertRaises(PermissionDenied):
            services.hearing_record(
                party=self.flow.party(p.people.handler),
                actor=p.township_officer,
                held_on=ago(1),
                statement="无",
            )

    def test_facts_are_checked_by_the_rulebook_naming_the_person(self):
        party = self.flow.party(self.personas.people.handler)
        with self.assertRaises(DomainError) as caught:
            services.party_facts_update(
                party=party,
                actor=self.personas.team_member,
                role="具体承办人",
                circumstance=10,
                severity="较轻",
            )
        self.assertEqual(caught.exception.field, "circumstance")
        self.assertEqual(caught.exception.code, "rulebook")
        self.assertTrue(caught.exception.message.startswith("吴刚："))
        party.refresh_from_db()
        self.assertEqual(party.circumstance, 3, "unchanged")

    def test_the_report_needs_every_persons_facts(self):
        p = self.personas
        services.party_add(
            case=self.flow.case, actor=p.case_officer, person=p.people.township_handler
        )
        with self.assertRaisesMessage(
            DomainError, services.MSG_FACTS_INCOMPLETE.format(name="胡静")
        ):
            self.flow.report()

    def test_the_report_needs_a_finding_for_every_person(self):
        party = self.flow.party(self.personas.people.handler)
        with self.assertRaisesMessage(
            DomainError, services.MSG_FINDING_MISSING.format(name="朱磊")
        ):
            services.report_submit(
                case=self.flow.case,
                actor=self.personas.team_member,
                summary="调查情况",
                findings=[{"party": party, "recommendation": "追究", "measures": ["批评教育"]}],
            )
        self.assertFalse(InvestigationReport.objects.exists())

    def test_a_recommendation_outside_the_rulebook_needs_a_written_reason(self):
        p = self.personas
        handler, direct = p.people.handler, p.people.direct
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_DEPARTURE.format(
                name="吴刚",
                measures="通报",
                allowed="批评教育、提醒约谈、诫勉谈话、责令限期整改",
            ),
        ):
            self.flow.report({handler: ("追究", ["通报"], "")})
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_DEPARTURE_NOT_PURSUE.format(
                name="朱磊", allowed="批评教育、提醒约谈、诫勉谈话、责令限期整改"
            ),
        ):
            self.flow.report({direct: ("不予追究", [], "")})
        self.flow.report({handler: ("追究", ["通报"], "多次提醒仍不改正，建议从严。")})
        finding = InvestigationReport.objects.get().findings.get(party__person=handler)
        self.assertTrue(finding.departs)
        self.assertEqual(finding.departure_reason, "多次提醒仍不改正，建议从严。")
        self.assertEqual(finding.rulebook_version, "zx-2020-10-30")
        self.assertEqual(finding.assessment["tier"], "较轻")

    def test_reduced_measures_with_a_lighter_factor_are_not_a_departure(self):
        """Art 14: with 减轻, the measures of the tier below are open too."""
        p = self.personas
        party = self.flow.party(p.people.direct)
        services.party_facts_update(
            party=party,
            actor=p.team_member,
            role="直接负责人",
            circumstance=3,
            severity="较重",
            lighter=[1],
        )
        self.flow.hear().report({p.people.direct: ("追究", ["批评教育"], "")})
        finding = InvestigationReport.objects.get().findings.get(party=party)
        self.assertFalse(finding.departs)
        self.assertIn("批评教育", finding.assessment["reduced_measures"])

    def test_unknown_measures_are_refused(self):
        with self.assertRaises(DomainError) as caught:
            self.flow.report({self.personas.people.handler: ("追究", ["罚款"], "理由")})
        self.assertTrue(caught.exception.message.startswith("吴刚：“罚款”不是规定的措施。"))

    def test_a_returned_report_goes_back_to_the_team_and_is_kept(self):
        p = self.personas
        self.flow.hear().report()
        services.report_return(
            case=self.flow.case,
            actor=p.committee_secretary,
            reason="朱磊的情节认定依据不足，请补充调查。",
        )
        self.assertEqual(self.flow.refresh().case.state, State.INVESTIGATING)
        self.flow.report()
        reports = list(InvestigationReport.objects.order_by("number"))
        self.assertEqual([r.number for r in reports], [1, 2])
        self.assertEqual(reports[0].return_reason, "朱磊的情节认定依据不足，请补充调查。")
        self.assertIsNone(reports[1].returned_at)
