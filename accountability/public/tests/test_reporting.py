"""The reporter's side: a report with its receipt, the 查询码 look-up, the status in general
terms, messages and evidence; every public action audited without case content in clear."""

from __future__ import annotations

import io
import re
import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.utils import timezone
from PIL import Image

from accountability.audit.models import AuditEntry
from accountability.audit.selectors import audit_chain_verify
from accountability.cases import services as case_services
from accountability.cases.models import Case
from accountability.demo.testing import PersonasMixin
from accountability.public import codes, forms, services, views
from accountability.public.models import PublicReport, ReportFile, ReportMessage
from accountability.public.testing import (
    REPORT_FIELDS,
    look_up_through_page,
    make_report,
    solved,
    submit_through_page,
)
from accountability.public.tests.test_evidence import GPS_IFD, MARK, jpeg

ADDRESS = "203.0.113.7"


class PublicTestCase(PersonasMixin, TestCase):
    def setUp(self) -> None:
        self.media = tempfile.mkdtemp(prefix="public-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.client.defaults.update(REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE="zh-hans")

    def entries(self, **filters):
        return list(AuditEntry.objects.filter(**filters).order_by("seq"))

    def assert_no_content_in_clear(self, entry: AuditEntry, *texts: str) -> None:
        clear = " ".join(
            str(v)
            for v in (entry.changes, entry.target_repr, entry.detail, entry.ip, entry.actor_name)
        )
        for text in texts:
            self.assertNotIn(text, clear)


class SubmitTests(PublicTestCase):
    def test_a_report_gives_a_code_once_and_stores_only_its_keyed_hash(self):
        response, code = submit_through_page(self.client)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertRegex(code, r"^([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}$")
        report = PublicReport.objects.get()
        self.assertEqual(report.code_digest, codes.digest(code))
        self.assertEqual((report.subject_name, report.anonymous), ("王五", True))
        self.assertEqual(report.organ, self.personas.county)
        # Nowhere in the database: neither as typed nor without its hyphens.
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f'SELECT * FROM "{table}"')
                dump = repr(cursor.fetchall())
                with self.subTest(table=table):
                    self.assertNotIn(code, dump)
                    self.assertNotIn(code.replace("-", ""), dump)

    def test_the_receipt_prints_the_code_and_no_content(self):
        response, code = submit_through_page(self.client)
        html = response.content.decode()
        self.assertIn(code, html)
        self.assertIn("举报回执", html)
        self.assertIn('src="/static/public/receipt.js"', html)
        self.assertNotIn(REPORT_FIELDS["facts"], html)
        self.assertNotIn(REPORT_FIELDS["subject_name"], html)

    def test_a_named_report_keeps_the_identity_encrypted(self):
        submit_through_page(
            self.client, identity="named", reporter_name="赵六", reporter_contact="13800000000"
        )
        report = PublicReport.objects.get()
        self.assertFalse(report.anonymous)
        self.assertTrue(report.reporter_name_enc.startswith("sm4gcm$"))
        self.assertNotIn("赵六", report.reporter_name_enc)
        self.assertNotIn("13800000000", report.reporter_contact_enc)

    def test_an_anonymous_report_drops_what_was_typed_in_the_identity_fields(self):
        submit_through_page(self.client, reporter_name="赵六", reporter_contact="138")
        report = PublicReport.objects.get()
        self.assertEqual((report.reporter_name_enc, report.reporter_contact_enc), ("", ""))

    def test_a_named_report_needs_name_and_contact(self):
        response, code = submit_through_page(self.client, identity="named", reporter_name="赵六")
        self.assertEqual(code, "")
        self.assertContains(response, str(forms.MSG_IDENTITY_REQUIRED), status_code=400)
        self.assertFalse(PublicReport.objects.exists())

    def test_a_wrong_answer_to_the_challenge_refuses_the_report(self):
        page = self.client.get("/report/")
        data = {**REPORT_FIELDS, **solved(page.content.decode())}
        data["challenge_1"] = "wrong"
        response = self.client.post("/report/", data)
        self.assertContains(response, str(forms.MSG_CHALLENGE), status_code=400)
        self.assertFalse(PublicReport.objects.exists())

    def test_an_answer_serves_once(self):
        page = self.client.get("/report/")
        data = {**REPORT_FIELDS, **solved(page.content.decode())}
        self.assertEqual(self.client.post("/report/", data).status_code, 200)
        again = self.client.post("/report/", data)
        self.assertContains(again, str(forms.MSG_CHALLENGE), status_code=400)
        self.assertEqual(PublicReport.objects.count(), 1)

    def test_required_fields_are_named(self):
        response, _code = submit_through_page(self.client, facts="", subject_unit="")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(PublicReport.objects.exists())

    def test_evidence_is_stored_without_its_metadata_under_a_generic_name(self):
        photo = SimpleUploadedFile("王五收卡-张三拍摄.jpg", jpeg(), "image/jpeg")
        response, code = submit_through_page(self.client, files=[photo])
        self.assertTrue(code, response.content.decode()[:2000])
        stored = ReportFile.objects.get()
        self.assertEqual((stored.name, stored.content_type), ("证据材料1.jpg", "image/jpeg"))
        self.assertTrue(stored.file.name.startswith(f"public/{stored.report_id}/"))
        with stored.file.open("rb") as handle:
            content = handle.read()
        self.assertNotIn(MARK.encode(), content)
        self.assertEqual(dict(Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD)), {})
        self.assertNotIn("张三", stored.file.name + stored.name)

    def test_a_refused_file_refuses_the_report_and_leaves_no_file(self):
        good = SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")
        bad = SimpleUploadedFile("a.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 500)
        response, code = submit_through_page(self.client, files=[good, bad])
        self.assertEqual(code, "")
        self.assertContains(response, "不能上传此类文件", status_code=400)
        self.assertFalse(PublicReport.objects.exists())
        self.assertEqual(list(__import__("pathlib").Path(self.media).rglob("*.*")), [])

    def test_the_submission_is_audited_without_content_or_address(self):
        submit_through_page(
            self.client, identity="named", reporter_name="赵六", reporter_contact="13800000000"
        )
        report = PublicReport.objects.get()
        [entry] = self.entries(target_type="public.publicreport", action="create")
        self.assertEqual(entry.actor_id, None)
        self.assertEqual(entry.actor_name, "匿名")
        self.assertEqual(entry.target_repr, f"网上举报第{report.pk}号")
        self.assertEqual(entry.changes["action"], "public_submit")
        self.assertEqual(entry.changes["files"], 0)
        self.assertTrue(entry.ip.startswith("h:"))
        self.assertEqual(entry.ip, "h:" + codes.keyed("address", ADDRESS)[:40])
        self.assert_no_content_in_clear(
            entry, ADDRESS, "王五", "赵六", "13800000000", REPORT_FIELDS["facts"]
        )
        self.assertTrue(audit_chain_verify().ok)

    @override_settings(PUBLIC_AUDIT_ADDRESS="none")
    def test_the_address_can_be_left_out_of_the_audit_trail(self):
        submit_through_page(self.client)
        self.assertEqual(self.entries(target_type="public.publicreport")[0].ip, "")

    @override_settings(PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR=2)
    def test_submissions_are_throttled_per_address(self):
        for _ in range(2):
            self.assertTrue(submit_through_page(self.client)[1])
        response, code = submit_through_page(self.client)
        self.assertEqual(code, "")
        self.assertContains(response, str(services.MSG_SUBMIT_THROTTLED), status_code=429)
        self.client.defaults["REMOTE_ADDR"] = "198.51.100.9"
        self.assertTrue(submit_through_page(self.client)[1])
        self.assertEqual(PublicReport.objects.count(), 3)

    def test_texts_are_bounded(self):
        response, code = submit_through_page(self.client, facts="多" * (services.FACTS_MAX + 1))
        self.assertEqual(code, "")
        self.assertEqual(response.status_code, 400)


class LookupTests(PublicTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report, self.code = make_report()

    def test_the_right_code_opens_the_status_page(self):
        response = look_up_through_page(self.client, self.code.lower().replace("-", " "))
        self.assertRedirects(response, "/report/status/", fetch_redirect_response=False)
        page = self.client.get("/report/status/")
        self.assertEqual(page["Cache-Control"], "no-store")
        self.assertContains(page, "已提交，待受理")
        self.assertContains(page, timezone.localdate().isoformat())
        [entry] = self.entries(target_type="public.publicreport", action="view")
        self.assertEqual((entry.outcome, entry.changes), ("success", {"action": "public_lookup"}))

    def test_a_wrong_code_is_refused_and_audited_as_a_failure(self):
        wrong = codes.generate()
        response = look_up_through_page(self.client, wrong)
        self.assertContains(response, str(services.MSG_CODE_NOT_FOUND), status_code=400)
        self.assertNotIn(views.SESSION_REPORT, self.client.session)
        [entry] = self.entries(target_type="public.lookup")
        self.assertEqual(entry.outcome, "failure")
        self.assertEqual(entry.changes, {"action": "public_lookup", "code": "not_found"})
        self.assert_no_content_in_clear(entry, wrong, wrong.replace("-", ""), ADDRESS)
        self.assertEqual(self.client.get("/report/status/").status_code, 302)

    def test_a_malformed_code_is_named_as_such(self):
        response = look_up_through_page(self.client, "12345")
        self.assertContains(response, str(services.MSG_CODE_MALFORMED), status_code=400)

    def test_the_session_key_changes_on_a_successful_look_up(self):
        self.client.get("/report/lookup/")
        before = self.client.session.session_key
        look_up_through_page(self.client, self.code)
        self.assertNotEqual(self.client.session.session_key, before)

    def test_signing_out_ends_the_look_up(self):
        look_up_through_page(self.client, self.code)
        self.client.post("/report/status/sign-out/")
        self.assertEqual(self.client.get("/report/status/").status_code, 302)


class ThrottleTests(PublicTestCase):
    """Failed look-ups: 5 a minute per address, 3 a minute per code prefix, 60 a minute in all
    (the defaults); past a limit even the right code is refused until the minute is over."""

    def setUp(self) -> None:
        super().setUp()
        self.report, self.code = make_report()

    def fail(self, code: str | None = None) -> None:
        response = look_up_through_page(self.client, code or codes.generate())
        self.assertIn(response.status_code, {400, 429})

    def test_an_address_has_five_failures_a_minute(self):
        for _ in range(5):
            self.fail()
        response = look_up_through_page(self.client, self.code)
        self.assertContains(response, str(services.MSG_LOOKUP_THROTTLED), status_code=429)
        entry = self.entries(target_type="public.lookup")[-1]
        self.assertEqual(
            (entry.outcome, entry.changes),
            ("denied", {"action": "public_lookup", "code": "throttled", "scope": "lookup_address"}),
        )
        # Another address is not held up by this one.
        self.client.defaults["REMOTE_ADDR"] = "198.51.100.9"
        self.assertEqual(look_up_through_page(self.client, self.code).status_code, 302)

    def test_the_block_ends_with_the_minute(self):
        import time_machine

        with time_machine.travel(timezone.now().replace(second=5), tick=False) as traveller:
            for _ in range(5):
                self.fail()
            self.assertEqual(look_up_through_page(self.client, self.code).status_code, 429)
            traveller.shift(60)
            self.assertEqual(look_up_through_page(self.client, self.code).status_code, 302)

    def test_a_code_prefix_has_three_failures_a_minute_from_any_address(self):
        prefix = self.code[:4]
        for i in range(3):
            self.client.defaults["REMOTE_ADDR"] = f"198.51.100.{i + 10}"
            self.fail(prefix + codes.generate()[4:])
        self.client.defaults["REMOTE_ADDR"] = "198.51.100.50"
        response = look_up_through_page(self.client, self.code)
        self.assertContains(response, str(services.MSG_LOOKUP_THROTTLED), status_code=429)
        self.assertEqual(
            self.entries(target_type="public.lookup")[-1].changes["scope"], "lookup_code"
        )

    @override_settings(PUBLIC_LOOKUP_GLOBAL_PER_MINUTE=4)
    def test_all_addresses_together_have_a_limit(self):
        for i in range(4):
            self.client.defaults["REMOTE_ADDR"] = f"198.51.100.{i + 10}"
            self.fail()
        self.client.defaults["REMOTE_ADDR"] = "198.51.100.60"
        response = look_up_through_page(self.client, self.code)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(
            self.entries(target_type="public.lookup")[-1].changes["scope"], "lookup_global"
        )

    def test_successful_look_ups_are_not_counted(self):
        for _ in range(8):
            self.assertEqual(look_up_through_page(self.client, self.code).status_code, 302)

    def test_the_throttle_stores_no_address_and_no_code(self):
        from accountability.public.models import PublicThrottle

        wrong = "ZZZZ-" + codes.generate()[5:]
        self.fail(wrong)
        rows = PublicThrottle.objects.filter(scope__startswith="lookup_")
        keys = " ".join(rows.values_list("key", flat=True))
        self.assertNotIn(ADDRESS, keys)
        self.assertNotIn("ZZZZ", keys.upper())
        self.assertEqual(rows.count(), 3)


class FollowUpTests(PublicTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.report, self.code = make_report()
        look_up_through_page(self.client, self.code)

    def test_the_reporter_writes_to_the_office(self):
        response = self.client.post("/report/status/message/", {"body": "补充：还有一张购物卡。"})
        self.assertRedirects(response, "/report/status/#thread", fetch_redirect_response=False)
        message = ReportMessage.objects.get()
        self.assertEqual(
            (message.author, message.status, message.written_by),
            ("reporter", "published", None),
        )
        self.assertContains(self.client.get("/report/status/"), "补充：还有一张购物卡。")
        [entry] = self.entries(target_type="public.reportmessage")
        self.assertEqual(entry.changes, {"action": "public_message", "report": self.report.pk})
        self.assert_no_content_in_clear(entry, "购物卡")

    def test_the_reporter_adds_evidence(self):
        photo = SimpleUploadedFile("x.jpg", jpeg(), "image/jpeg")
        response = self.client.post("/report/status/evidence/", {"files": [photo]})
        self.assertRedirects(response, "/report/status/#evidence", fetch_redirect_response=False)
        stored = ReportFile.objects.get()
        [entry] = self.entries(target_type="public.reportfile")
        self.assertEqual(entry.changes["sm3"], stored.sm3)
        self.assertEqual(entry.changes["action"], "public_evidence")
        self.assertContains(self.client.get("/report/status/"), "证据材料1.jpg")

    def test_an_empty_message_is_refused(self):
        response = self.client.post("/report/status/message/", {"body": "  "})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ReportMessage.objects.exists())

    @override_settings(PUBLIC_POSTS_PER_REPORT_PER_HOUR=2)
    def test_posts_are_throttled_per_report(self):
        for i in range(2):
            self.client.post("/report/status/message/", {"body": f"第{i}条"})
        response = self.client.post("/report/status/message/", {"body": "第三条"})
        self.assertContains(response, str(services.MSG_POST_THROTTLED), status_code=429)
        self.assertEqual(ReportMessage.objects.count(), 2)

    def test_the_reporter_sees_only_published_replies_and_never_who_wrote_them(self):
        services.office_message_add(
            report=self.report, actor=self.case_officer, body="待审批的答复"
        )
        services.office_message_add(
            report=self.report, actor=self.office_head, body="请补充时间地点"
        )
        page = self.client.get("/report/status/").content.decode()
        self.assertIn("请补充时间地点", page)
        self.assertNotIn("待审批的答复", page)
        self.assertIn("受理机关", page)
        for name in (self.case_officer.full_name, self.office_head.full_name):
            self.assertNotIn(name, page)


class StatusTests(PublicTestCase):
    """What the reporter is told, by the case's stage: 已提交，待受理 → 已受理 → 办理中 → 已办结."""

    def setUp(self) -> None:
        super().setUp()
        self.report, self.code = make_report()

    def status(self) -> str:
        look_up_through_page(self.client, self.code)
        page = self.client.get("/report/status/").content.decode()
        return re.search(r'data-testid="public-status">([^<]+)<', page).group(1)

    def register(self) -> Case:
        return services.report_register(
            report=self.report, actor=self.case_officer, summary="群众反映王五收受购物卡。"
        )

    def test_each_stage_in_general_terms(self):
        self.assertEqual(self.status(), "已提交，待受理")
        case = self.register()
        self.assertEqual(self.status(), "已受理")
        case_services.party_add(
            case=case, actor=self.case_officer, person=self.personas.people.handler
        )
        case_services.clue_approve(case=case, actor=self.office_head, opinion="同意受理")
        self.assertEqual(self.status(), "办理中")
        page = self.client.get("/report/status/").content.decode()
        self.assertNotIn("吴刚", page)
        self.assertNotIn("同意受理", page)

    def test_a_clue_not_taken_up_shows_as_closed_with_its_date(self):
        case = self.register()
        case_services.clue_reject(case=case, actor=self.office_head, reason="反映问题不属实")
        self.assertEqual(self.status(), "已办结")
        page = self.client.get("/report/status/").content.decode()
        self.assertIn(timezone.localdate().isoformat(), page)
        self.assertNotIn("反映问题不属实", page)
        self.assertNotIn("不予受理", page)

    def test_a_closed_report_takes_no_more_messages(self):
        case = self.register()
        case_services.clue_reject(case=case, actor=self.office_head, reason="不属实")
        look_up_through_page(self.client, self.code)
        response = self.client.post("/report/status/message/", {"body": "还有情况"})
        self.assertContains(response, str(services.MSG_REPORT_CLOSED), status_code=400)
