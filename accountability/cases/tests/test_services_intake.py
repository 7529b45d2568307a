"""13(1) 线索受理: registering, accepting or rejecting a clue; Art 11 authority."""

from __future__ import annotations

from accountability.audit.models import AuditEntry
from accountability.cases import selectors, services
from accountability.cases import workflow as wf
from accountability.cases.crypto import PREFIX, decrypt_text
from accountability.cases.models import Case, TransitionLog
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import Action, State
from accountability.common.errors import DomainError, NotFound, PermissionDenied
from accountability.demo.testing import PersonasTestCase


class ClueRegisterTests(PersonasTestCase):
    def test_numbers_follow_each_other_within_a_year(self):
        first = Flow.register(self.personas).case
        second = Flow.register(self.personas, self.personas.people.direct).case
        year = ago(150).year
        self.assertEqual(first.number, f"镇纪干监〔{year}〕1号")
        self.assertEqual(second.number, f"镇纪干监〔{year}〕2号")

    def test_the_case_belongs_to_the_registering_commission(self):
        case = Flow.register(self.personas).case
        self.assertEqual(case.handling_organ, self.personas.orgs.county)
        self.assertEqual(case.registered_by, self.personas.case_officer)
        log = TransitionLog.objects.filter(case=case).first()
        self.assertEqual(
            (log.action, log.from_state, log.to_state),
            (Action.CLUE_REGISTER, "", State.CLUE_REGISTERED),
        )

    def test_the_informant_is_encrypted_and_kept_out_of_the_audit_trail(self):
        case = Flow.register(
            self.personas, informant_name="李四", informant_contact="13800000000"
        ).case
        case.refresh_from_db()
        self.assertTrue(case.informant_name_enc.startswith(PREFIX))
        self.assertNotIn("李四", case.informant_name_enc)
        self.assertEqual(decrypt_text(case.informant_name_enc), "李四")
        for entry in AuditEntry.objects.all():
            self.assertNotIn("李四", str(entry.changes))
            self.assertNotIn("13800000000", str(entry.changes))

    def test_bad_input_is_refused_with_the_field_and_rule(self):
        p = self.personas
        cases = [
            (dict(source="rumour"), services.MSG_SOURCE, "source"),
            (dict(summary="  "), services.MSG_REQUIRED.format(label="问题线索摘要"), "summary"),
            (
                dict(received_on=ago(-1)),
                services.MSG_FUTURE_DATE.format(label="收到线索日期"),
                "received_on",
            ),
        ]
        for override, message, field in cases:
            kwargs = dict(
                actor=p.case_officer,
                source=Case.Source.WORK,
                summary="工作中发现问题。",
                received_on=ago(1),
            )
            kwargs.update(override)
            with self.subTest(field=field):
                with self.assertRaises(DomainError) as caught:
                    services.clue_register(**kwargs)
                self.assertEqual(
                    (caught.exception.message, caught.exception.field), (message, field)
                )
        self.assertFalse(Case.objects.exists())

    def test_only_the_supervision_office_registers_clues(self):
        for user in (
            self.personas.team_member,
            self.personas.office_head,
            self.personas.system_admin,
        ):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(PermissionDenied, str(services.MSG_REGISTER_ROLE)),
            ):
                services.clue_register(
                    actor=user,
                    source=Case.Source.WORK,
                    summary="工作发现。",
                    received_on=ago(1),
                )

    def test_a_person_outside_the_commissions_authority_is_refused(self):
        """Art 11: 钱伟 is managed by the city commission, not the county."""
        p = self.personas
        case = Flow.register(p).case
        with self.assertRaisesMessage(
            DomainError,
            services.MSG_PARTY_AUTHORITY.format(
                name="钱伟", organ="昭通市纪委监委", handling="镇雄县纪委监委"
            ),
        ):
            services.party_add(case=case, actor=p.case_officer, person=p.people.deputy_secretary)
        with self.assertRaisesMessage(
            DomainError, services.MSG_PARTY_DUPLICATE.format(name="吴刚")
        ):
            services.party_add(case=case, actor=p.case_officer, person=p.people.handler)

    def test_responsibility_kinds_follow_art_9(self):
        p = self.personas
        case = Flow.register(p).case
        party = services.party_add(
            case=case,
            actor=p.case_officer,
            person=p.people.direct,
            responsibility_kind="直接责任",
            responsibility_scope="集体责任",
        )
        self.assertEqual(
            (party.responsibility_kind, party.responsibility_scope, party.role),
            ("直接责任", "集体责任", "直接负责人"),
        )
        with self.assertRaisesMessage(DomainError, str(services.MSG_RESPONSIBILITY_KIND)):
            services.party_add(
                case=case,
                actor=p.case_officer,
                person=p.people.office_head,
                responsibility_kind="连带责任",
            )


class ClueDecisionTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.flow = Flow.register(cls.personas, informant_name="王五", informant_contact="139")

    def test_approving_accepts_the_clue(self):
        case = services.clue_approve(
            case=self.flow.case, actor=self.personas.leader, opinion="同意受理，由监督室组织调查。"
        )
        self.assertEqual(case.state, State.ACCEPTED)
        self.assertEqual(case.approved_by, self.personas.leader)
        self.assertEqual(self.flow.case.state, State.ACCEPTED, "the caller's instance follows")

    def test_the_rejected_clue_ends_the_case_with_its_reason(self):
        case = services.clue_reject(
            case=self.flow.case,
            actor=self.personas.office_head,
            reason="反映问题不属于本办法追究范围（第三条）。",
        )
        self.assertEqual(case.state, State.REJECTED)
        self.assertEqual(case.rejection_reason, "反映问题不属于本办法追究范围（第三条）。")
        self.assertEqual(case.closed_on, ago(0))
        log = case.log.order_by("-id").first()
        self.assertEqual(
            (log.action, log.to_state, log.reason),
            (Action.CLUE_REJECT, State.REJECTED, case.rejection_reason),
        )
        with self.assertRaisesMessage(
            DomainError, wf.illegal_message(State.REJECTED, Action.CLUE_APPROVE)
        ):
            services.clue_approve(case=case, actor=self.personas.office_head, opinion="受理")

    def test_a_rejection_needs_a_reason(self):
        with self.assertRaisesMessage(
            DomainError, services.MSG_REQUIRED.format(label="不予受理理由")
        ):
            services.clue_reject(case=self.flow.case, actor=self.personas.office_head, reason="")
        self.assertEqual(Case.objects.get(pk=self.flow.case.pk).state, State.CLUE_REGISTERED)

    def test_the_case_officer_may_not_approve_their_own_clue(self):
        transition = wf.transition_for(Action.CLUE_APPROVE)
        with self.assertRaisesMessage(
            PermissionDenied, wf.role_message(transition, {"case_officer"})
        ):
            services.clue_approve(
                case=self.flow.case, actor=self.personas.case_officer, opinion="同意"
            )

    def test_an_approver_concerned_by_the_clue_stands_aside(self):
        p = self.personas
        flow = Flow.register(p, p.people.leader)
        with self.assertRaisesMessage(
            PermissionDenied, services.MSG_RECUSAL_PARTY.format(user="王强", what="执行“批准受理”")
        ):
            services.clue_approve(case=flow.case, actor=p.leader, opinion="同意受理")
        services.clue_approve(case=flow.case, actor=p.office_head, opinion="同意受理")

    def test_a_clue_without_a_person_concerned_cannot_be_accepted(self):
        case = services.clue_register(
            actor=self.personas.case_officer,
            source=Case.Source.MEDIA,
            summary="媒体报道某纪委干部作风问题。",
            received_on=ago(3),
        )
        with self.assertRaisesMessage(DomainError, services.MSG_NO_PARTY.format(action="批准受理")):
            services.clue_approve(case=case, actor=self.personas.office_head, opinion="同意")

    def test_the_informant_is_shown_to_the_named_roles_and_each_view_is_audited(self):
        p = self.personas
        case = self.flow.case
        for user in (p.case_officer, p.office_head):
            with self.subTest(user=user.username):
                before = AuditEntry.objects.filter(action="view_confidential").count()
                informant = selectors.case_informant_for_user(case=case, user=user)
                self.assertEqual((informant.name, informant.contact), ("王五", "139"))
                entry = AuditEntry.objects.filter(action="view_confidential").order_by("-seq")[0]
                self.assertEqual(
                    before + 1, AuditEntry.objects.filter(action="view_confidential").count()
                )
                self.assertEqual(entry.actor, user)
        for user in (p.leader, p.committee_secretary, p.archivist, p.city_officer, p.team_member):
            with self.subTest(user=user.username):
                self.assertFalse(selectors.can_view_informant(case=case, user=user))
                with self.assertRaisesMessage(
                    PermissionDenied, str(selectors.MSG_INFORMANT_HIDDEN)
                ):
                    selectors.case_informant_for_user(case=case, user=user)


class TakeOverTests(PersonasTestCase):
    """Art 11: the city commission may pursue the county commission's leading cadres."""

    def test_the_city_takes_over_a_case_about_a_leading_cadre(self):
        p = self.personas
        flow = Flow.register(p, p.people.office_head).accept()
        case = services.case_take_over(
            case=flow.case,
            actor=p.city_officer,
            reason="涉及县纪委监委部门负责人，由市纪委直接追究。",
        )
        self.assertEqual(case.handling_organ, p.orgs.city)
        self.assertTrue(case.is_taken_over)
        self.assertEqual(case.state, State.ACCEPTED)
        self.assertEqual(selectors.case_get_for_user(case_id=case.pk, user=p.city_officer), case)
        with self.assertRaises(NotFound):
            selectors.case_get_for_user(case_id=case.pk, user=p.case_officer)
        # The city's officers now do the county's steps on this case.
        services.team_form(
            case=case, actor=p.city_officer, members=[p.city_officer], leader=p.city_officer
        )
        self.assertEqual(Case.objects.get(pk=case.pk).state, State.INVESTIGATING)

    def test_the_city_sees_county_cases_about_leading_cadres_only(self):
        """Art 11: the city finds the county cases it may take over, and no others."""
        p = self.personas
        leading = Flow.register(p, p.people.office_head).accept().case
        ordinary = Flow.register(p, p.people.handler).case
        visible = set(selectors.case_list_for_user(user=p.city_officer))
        self.assertIn(leading, visible)
        self.assertNotIn(ordinary, visible)
        self.assertIn(
            wf.Action.CASE_TAKE_OVER,
            {a.action for a in selectors.allowed_actions(case=leading, user=p.city_officer)},
        )

    def test_no_take_over_without_a_leading_cadre(self):
        p = self.personas
        flow = Flow.register(p, p.people.handler)
        with self.assertRaisesMessage(DomainError, str(services.MSG_TAKE_OVER_LEADING)):
            services.case_take_over(case=flow.case, actor=p.city_officer, reason="直接追究")

    def test_only_the_commission_above_takes_over(self):
        p = self.personas
        flow = Flow.register(p, p.people.office_head)
        for user in (p.case_officer, p.township_officer):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(
                    PermissionDenied,
                    services.MSG_TAKE_OVER_AUTHORITY.format(organ="镇雄县纪委监委"),
                ),
            ):
                services.case_take_over(case=flow.case, actor=user, reason="直接追究")

    def test_the_city_registers_its_own_clue_about_a_county_cadre(self):
        p = self.personas
        flow = Flow.register(p, p.people.dispatched_head, actor=p.city_officer)
        self.assertEqual(flow.case.handling_organ, p.orgs.city)
        with self.assertRaises(NotFound):
            selectors.case_get_for_user(case_id=flow.case.pk, user=p.case_officer)
