"""The office's side: the inbox, registering a report as a clue (through clue_register, source
群众信访举报, informant encrypted), replies and the office head's approval, the case page's
panel, and an audit entry for every read."""

from __future__ import annotations

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.cases.crypto import decrypt_text
from accountability.cases.models import Case
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasMixin
from accountability.public import evidence, selectors, services
from accountability.public.models import ReportMessage
from accountability.public.testing import make_report
from accountability.public.tests.test_evidence import jpeg


class StaffTestCase(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report, cls.code = make_report(reporter_name="赵六", reporter_contact="13800000000")

    def setUp(self) -> None:
        self.media = tempfile.mkdtemp(prefix="public-staff-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.report.refresh_from_db()

    def register(self, actor=None) -> Case:
        return services.report_register(
            report=self.report,
            actor=actor or self.case_officer,
            summary=services.default_summary(self.report),
            handling_opinion="建议受理。",
        )

    def last_entry(self, **filters) -> AuditEntry:
        return AuditEntry.objects.filter(**filters).latest("seq")


class InboxTests(StaffTestCase):
    def test_officers_and_the_head_of_the_organ_see_the_new_report(self):
        for user in (self.case_officer, self.office_head):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(reverse("public_staff:inbox"))
                self.assertContains(response, f"网上举报第{self.report.pk}号")
                self.assertContains(response, "已提交，待受理")
        entry = self.last_entry(target_type="public.publicreport", action="view")
        self.assertEqual(entry.changes, {"count": 1, "state": "new"})

    def test_other_roles_see_none_and_administrators_are_refused(self):
        for user in (self.leader, self.team_member, self.township_officer, self.city_officer):
            with self.subTest(user=user.username):
                self.assertEqual(list(selectors.report_list_for_user(user=user)), [])
        for user in (self.system_admin, self.audit_admin):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(reverse("public_staff:inbox")).status_code, 403)
                url = reverse("public_staff:detail", args=[self.report.pk])
                self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_inbox_is_in_the_navigation_of_those_who_handle_reports(self):
        self.client.force_login(self.case_officer)
        self.assertContains(self.client.get(reverse("cases:queue")), reverse("public_staff:inbox"))
        self.client.force_login(self.leader)
        self.assertNotContains(
            self.client.get(reverse("cases:queue")), reverse("public_staff:inbox")
        )

    def test_an_officer_named_by_the_report_does_not_see_it(self):
        report, _code = make_report(subject_name=self.case_officer.full_name)
        visible = selectors.report_list_for_user(user=self.case_officer)
        self.assertNotIn(report, visible)
        self.assertIn(report, selectors.report_list_for_user(user=self.office_head))
        self.client.force_login(self.case_officer)
        url = reverse("public_staff:detail", args=[report.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_inbox_makes_a_bounded_number_of_queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.office_head)
        url = reverse("public_staff:inbox")
        self.client.get(url)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(captured)

        one = queries()
        for _ in range(6):
            report, _code = make_report()
            services.office_message_add(report=report, actor=self.case_officer, body="请补充。")
        self.assertEqual(queries(), one)


class ReadTests(StaffTestCase):
    def test_each_read_of_a_report_is_audited_without_its_content(self):
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("public_staff:detail", args=[self.report.pk]))
        self.assertContains(response, self.report.facts)
        entry = self.last_entry(target_type="public.publicreport", action="view")
        self.assertEqual(entry.actor, self.case_officer)
        self.assertEqual(entry.target_repr, f"网上举报第{self.report.pk}号")
        for text in ("王五", self.report.facts):
            self.assertNotIn(text, str(entry.changes) + entry.detail + entry.target_repr)

    def test_the_reporter_identity_is_shown_on_request_and_audited(self):
        self.client.force_login(self.office_head)
        detail = self.client.get(reverse("public_staff:detail", args=[self.report.pk]))
        self.assertNotContains(detail, "赵六")
        response = self.client.get(reverse("public_staff:reporter", args=[self.report.pk]))
        self.assertContains(response, "赵六")
        self.assertContains(response, "13800000000")
        entry = self.last_entry(action="view_confidential")
        self.assertEqual(entry.target_type, "public.publicreport")
        self.assertEqual(entry.changes, {"fields": ["reporter_name", "reporter_contact"]})
        self.assertNotIn("赵六", str(entry.changes))

    def test_evidence_is_downloaded_verified_and_audited(self):
        clean = evidence.clean_upload(SimpleUploadedFile("p.jpg", jpeg()))
        [row] = services.reporter_evidence_add(report=self.report, evidence=[clean])
        self.client.force_login(self.case_officer)
        url = reverse("public_staff:file", args=[self.report.pk, row.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), clean.content)
        entry = self.last_entry(action="download")
        self.assertEqual(entry.changes["sm3"], row.sm3)
        with open(row.file.path, "wb") as handle:
            handle.write(b"altered")
        self.assertEqual(self.client.get(url).status_code, 409)


class RegisterTests(StaffTestCase):
    def test_the_report_becomes_a_clue_from_the_public_with_the_informant_encrypted(self):
        self.client.force_login(self.case_officer)
        url = reverse("public_staff:register", args=[self.report.pk])
        page = self.client.get(url)
        self.assertContains(page, "【网上举报】被反映人：王五")
        response = self.client.post(
            url, {"summary": "群众网上举报王五收受购物卡。", "handling_opinion": "建议受理。"}
        )
        case = Case.objects.get()
        self.assertRedirects(response, reverse("cases:detail", args=[case.pk]))
        self.assertEqual(case.source, Case.Source.PETITION)
        self.assertEqual(case.get_source_display(), "群众信访举报")
        self.assertEqual(case.summary, "群众网上举报王五收受购物卡。")
        self.assertEqual(case.received_on, self.report.submitted_at.astimezone().date())
        self.assertEqual(case.registered_by, self.case_officer)
        self.assertTrue(case.informant_name_enc.startswith("sm4gcm$"))
        self.assertEqual(decrypt_text(case.informant_name_enc), "赵六")
        self.assertEqual(decrypt_text(case.informant_contact_enc), "13800000000")
        self.report.refresh_from_db()
        self.assertEqual(self.report.case, case)
        entry = self.last_entry(target_type="public.publicreport", action="update")
        self.assertEqual(entry.changes, {"action": "public_register", "case": case.number})

    def test_a_report_is_registered_once(self):
        case = self.register()
        with self.assertRaises(DomainError) as caught:
            self.register()
        self.assertEqual(caught.exception.message, f"该举报已登记为问题线索（{case.number}）。")

    def test_only_those_who_register_clues_may_register_it(self):
        with self.assertRaises(PermissionDenied):
            self.register(actor=self.office_head)
        with self.assertRaises(PermissionDenied) as caught:
            self.register(actor=self.leader)
        self.assertEqual(caught.exception.message, str(services.MSG_NOT_HANDLER))
        self.assertFalse(Case.objects.exists())

    def test_a_registry_person_of_the_same_name_may_be_added_on_registration(self):
        report, _code = make_report(subject_name="吴刚")
        self.client.force_login(self.case_officer)
        url = reverse("public_staff:register", args=[report.pk])
        self.assertContains(self.client.get(url), "吴刚")
        person = self.personas.people.handler
        self.client.post(url, {"summary": "反映吴刚。", "persons": [person.pk]})
        self.assertEqual(
            list(Case.objects.get().parties.values_list("person", flat=True)), [person.pk]
        )


class ReplyTests(StaffTestCase):
    def test_an_officers_reply_waits_for_the_heads_approval(self):
        message = services.office_message_add(
            report=self.report, actor=self.case_officer, body="请补充具体时间。"
        )
        self.assertEqual(message.status, ReportMessage.Status.PENDING)
        self.assertNotIn(message, selectors.reporter_thread(report=self.report))
        self.assertIn(message, selectors.pending_replies_for_user(user=self.office_head))
        with self.assertRaises(PermissionDenied) as caught:
            services.office_message_approve(message=message, actor=self.case_officer)
        self.assertEqual(caught.exception.message, str(services.MSG_NOT_APPROVER))
        self.client.force_login(self.office_head)
        response = self.client.post(reverse("public_staff:approve", args=[message.pk]))
        self.assertEqual(response.status_code, 302)
        message.refresh_from_db()
        self.assertEqual((message.status, message.decided_by), ("published", self.office_head))
        self.assertIn(message, selectors.reporter_thread(report=self.report))
        entry = self.last_entry(target_type="public.reportmessage", action="update")
        self.assertEqual(entry.changes["state"], ["pending", "published"])
        self.assertNotIn("具体时间", str(entry.changes))

    def test_the_head_returns_a_reply_with_a_reason_and_the_reporter_never_sees_it(self):
        message = services.office_message_add(
            report=self.report, actor=self.case_officer, body="案件已移送审理。"
        )
        self.client.force_login(self.office_head)
        url = reverse("public_staff:return", args=[message.pk])
        self.client.post(url, {"reason": "不得告知办理细节。"})
        message.refresh_from_db()
        self.assertEqual(
            (message.status, message.return_reason), ("returned", "不得告知办理细节。")
        )
        self.assertNotIn(message, selectors.reporter_thread(report=self.report))
        with self.assertRaises(DomainError) as caught:
            services.office_message_approve(message=message, actor=self.office_head)
        self.assertEqual(caught.exception.message, "该答复当前状态为“已退回”，不能审批。")
        entry = self.last_entry(target_type="public.reportmessage", action="update")
        self.assertEqual(entry.detail, "")
        self.assertIn("detail", entry.sealed)

    def test_the_heads_own_reply_goes_out_at_once(self):
        message = services.office_message_add(
            report=self.report, actor=self.office_head, body="已收到。"
        )
        self.assertEqual(message.status, ReportMessage.Status.PUBLISHED)

    @override_settings(PUBLIC_REPLY_APPROVAL=False)
    def test_without_the_approval_setting_an_officers_reply_goes_out_at_once(self):
        message = services.office_message_add(
            report=self.report, actor=self.case_officer, body="已收到。"
        )
        self.assertEqual(message.status, ReportMessage.Status.PUBLISHED)

    def test_a_reply_through_the_page_says_it_waits_for_approval(self):
        self.client.force_login(self.case_officer)
        url = reverse("public_staff:message_add", args=[self.report.pk])
        response = self.client.post(url, {"body": "请补充。"}, follow=True)
        self.assertContains(response, "答复已提交，待监督室负责人审批后举报人可见。")


class CasePanelTests(StaffTestCase):
    def test_the_case_page_shows_the_thread_with_who_wrote_and_when(self):
        case = self.register()
        services.reporter_message_add(report=self.report, body="补充：时间是五月。")
        services.office_message_add(
            report=self.report, actor=self.case_officer, body="已收到补充。"
        )
        self.client.force_login(self.office_head)
        page = self.client.get(reverse("cases:detail", args=[case.pk]))
        self.assertContains(page, 'id="public-report"')
        self.assertContains(page, "补充：时间是五月。")
        self.assertContains(page, "已收到补充。")
        self.assertContains(page, self.case_officer.full_name)
        self.assertContains(page, "待审批")
        self.assertContains(page, "批准发送")
        self.assertContains(page, 'data-testid="case-public-status">已受理<')
        entry = self.last_entry(target_type="public.publicreport", action="view")
        self.assertEqual(entry.actor, self.office_head)

    def test_those_who_may_not_see_the_informant_see_no_thread(self):
        from accountability.cases.tests.factories import Flow

        case = self.register()
        from accountability.cases import services as case_services

        case_services.party_add(
            case=case, actor=self.case_officer, person=self.personas.people.handler
        )
        Flow(self.personas, case).accept().investigate([self.personas.team_member])
        self.client.force_login(self.team_member)
        page = self.client.get(reverse("cases:detail", args=[case.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="public-report"')

    def test_a_case_without_a_report_has_no_panel(self):
        from accountability.cases.tests.factories import Flow

        case = Flow.register(self.personas).case
        self.client.force_login(self.case_officer)
        self.assertNotContains(
            self.client.get(reverse("cases:detail", args=[case.pk])), 'id="public-report"'
        )
