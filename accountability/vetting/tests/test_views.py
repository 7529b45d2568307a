"""Integrity vetting through the test client: submit, the job, resolve, confirm, sign, download."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accountability.audit.models import AuditEntry
from accountability.cases.tests.factories import Flow, ago
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasTestCase
from accountability.jobs.testing import clear_queue, run_jobs
from accountability.people.models import Person
from accountability.vetting import services
from accountability.vetting.models import VettingEntry, VettingRequest
from accountability.vetting.tests.helpers import decided

LINES = "吴刚,ZX0008\n朱磊,,第一监督检查室\n胡静\n查无此人,,县委巡察办"


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class VettingFlowTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.barred = decided(p, p.people.handler, ["诫勉"])
        cls.open = Flow.register(p, p.people.direct, received_days_ago=3)

    def setUp(self) -> None:
        clear_queue()
        self.addCleanup(clear_queue)

    def submit(self, user=None, **data) -> VettingRequest:
        self.client.force_login(user or self.archivist)
        values = {
            "purpose": "promotion",
            "intended_on": ago(0).isoformat(),
            "reference": "组干函〔2026〕7号",
        }
        values.update(data)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("vetting:list"), values)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        run_jobs()
        vetting = VettingRequest.objects.order_by("-id").first()
        self.assertEqual(response["Location"], reverse("vetting:detail", args=[vetting.pk]))
        return vetting

    def test_the_whole_reply(self):
        vetting = self.submit(lines=LINES)
        vetting.refresh_from_db()
        self.assertEqual(vetting.state, VettingRequest.State.ANSWERED)
        self.assertEqual(vetting.content, b"")
        answers = dict(vetting.entries.values_list("name", "answer"))
        self.assertEqual(
            answers,
            {"吴刚": "disagree", "朱磊": "postpone", "胡静": "unresolved", "查无此人": "clear"},
        )
        # The requester sees the progress and the answers; nothing to confirm or sign.
        page = self.client.get(reverse("vetting:detail", args=[vetting.pk]))
        self.assertContains(page, "不同意")
        self.assertContains(page, "不得提拔或者重用")
        self.assertContains(page, self.open.case.number)
        self.assertNotContains(page, reverse("vetting:confirm", args=[vetting.pk]))
        # The supervision office resolves the ambiguous name, then confirms.
        self.client.force_login(self.case_officer)
        entry = vetting.entries.get(name="胡静")
        response = self.client.post(reverse("vetting:confirm", args=[vetting.pk]), follow=True)
        self.assertContains(response, "尚有 1 人未确认身份")
        self.client.post(
            reverse("vetting:resolve", args=[vetting.pk, entry.pk]),
            {"person": self.personas.people.township_handler.pk},
        )
        entry.refresh_from_db()
        self.assertEqual(
            (entry.match, entry.answer, entry.resolved_by),
            (VettingEntry.Match.RESOLVED, "clear", self.case_officer),
        )
        self.client.post(reverse("vetting:confirm", args=[vetting.pk]))
        vetting.refresh_from_db()
        self.assertEqual((vetting.state, vetting.confirmed_by), ("confirmed", self.case_officer))
        # Not downloadable before it is signed.
        self.assertEqual(
            self.client.get(reverse("vetting:download", args=[vetting.pk])).status_code, 400
        )
        # The leader signs.
        self.client.force_login(self.leader)
        self.client.post(reverse("vetting:sign", args=[vetting.pk]))
        vetting.refresh_from_db()
        self.assertEqual((vetting.state, vetting.signed_by), ("signed", self.leader))
        # The reply downloads, naming who confirmed and who signed.
        response = self.client.get(reverse("vetting:download", args=[vetting.pk]))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        self.assertIn("不同意", cells)
        self.assertTrue(any("不得提拔或者重用" in c for c in cells))
        self.assertTrue(any(c.startswith(self.case_officer.full_name) for c in cells))
        self.assertTrue(any(c.startswith(self.leader.full_name) for c in cells))
        # Every step is in the audit trail.
        actions = list(
            AuditEntry.objects.filter(
                target_type="vetting.vettingrequest", target_id=str(vetting.pk)
            )
            .order_by("id")
            .values_list("action", "actor_id")
        )
        self.assertEqual(
            actions,
            [
                ("create", self.archivist.pk),
                ("update", self.archivist.pk),
                ("update", self.case_officer.pk),
                ("update", self.case_officer.pk),
                ("update", self.leader.pk),
                ("export", self.leader.pk),
            ],
        )

    def test_an_uploaded_workbook_is_read_in_the_worker(self):
        content = workbook(
            [["单位", "姓名", "工号"], ["", "吴刚", "ZX0008"], ["县委巡察办", "黄涛", ""]]
        )
        vetting = self.submit(file=SimpleUploadedFile("名单.xlsx", content))
        vetting.refresh_from_db()
        self.assertEqual(vetting.state, "answered")
        self.assertEqual(
            list(vetting.entries.values_list("name", "match", "answer")),
            [("吴刚", "id_number", "disagree"), ("黄涛", "name_unit", "clear")],
        )
        self.assertEqual(vetting.job.progress_done, 2)

    def test_a_file_that_is_not_a_workbook_is_refused_with_its_reason(self):
        vetting = self.submit(file=SimpleUploadedFile("名单.xlsx", b"not a zip"))
        vetting.refresh_from_db()
        self.assertEqual(vetting.state, "refused")
        self.assertIn("不是有效的 Excel", vetting.errors[0])
        self.assertEqual(vetting.job.state, "failed")
        page = self.client.get(reverse("vetting:detail", args=[vetting.pk]))
        self.assertContains(page, "不是有效的 Excel")

    def test_a_list_without_a_name_column_is_refused(self):
        vetting = self.submit(
            file=SimpleUploadedFile("名单.xlsx", workbook([["工号"], ["ZX0008"]]))
        )
        vetting.refresh_from_db()
        self.assertEqual((vetting.state, vetting.errors), ("refused", ["名单缺少“姓名”列。"]))

    def test_a_list_over_the_limit_is_refused(self):
        with self.settings(VETTING_MAX_ROWS=2):
            vetting = self.submit(
                file=SimpleUploadedFile("名单.xlsx", workbook([["姓名"], ["甲"], ["乙"], ["丙"]]))
            )
        vetting.refresh_from_db()
        self.assertEqual(vetting.errors, ["名单不能超过 2 人。"])


class PermissionTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.personas
        cls.vetting = services.vetting_submit(
            actor=p.archivist, purpose="promotion", intended_on=ago(0), lines="吴刚,ZX0008"
        )
        services.vetting_answer(vetting=cls.vetting)
        cls.vetting.refresh_from_db()

    def setUp(self) -> None:
        clear_queue()
        self.addCleanup(clear_queue)

    def test_who_sees_the_pages(self):
        allowed = {"archivist", "case_officer", "office_head", "leader"}
        for user in self.personas.users:
            self.client.force_login(user)
            for url in (reverse("vetting:list"), reverse("vetting:detail", args=[self.vetting.pk])):
                status = self.client.get(url).status_code
                with self.subTest(role=user.role, url=url):
                    self.assertEqual(status, 200 if user.role in allowed else 403)

    def test_who_may_submit(self):
        for user in self.personas.users:
            with self.subTest(role=user.role):
                if user.role == "archivist":
                    continue
                with self.assertRaises(PermissionDenied):
                    services.vetting_submit(
                        actor=user, purpose="promotion", intended_on=ago(0), lines="吴刚"
                    )
        self.client.force_login(self.case_officer)
        page = self.client.get(reverse("vetting:list"))
        self.assertNotContains(page, 'name="lines"')

    def test_who_may_confirm_and_sign(self):
        p = self.personas
        for user in (p.archivist, p.leader, p.committee_secretary, p.system_admin):
            with self.subTest(role=user.role), self.assertRaises(PermissionDenied):
                services.vetting_confirm(vetting=self.vetting, actor=user)
        with self.assertRaises(DomainError):
            services.vetting_sign(vetting=self.vetting, actor=p.leader)  # not confirmed yet
        services.vetting_confirm(vetting=self.vetting, actor=p.office_head)
        for user in (p.archivist, p.case_officer, p.office_head, p.security_admin):
            with self.subTest(role=user.role), self.assertRaises(PermissionDenied):
                services.vetting_sign(vetting=self.vetting, actor=user)
        signed = services.vetting_sign(vetting=self.vetting, actor=p.leader)
        self.assertEqual((signed.confirmed_by, signed.signed_by), (p.office_head, p.leader))

    def test_another_commission_neither_sees_nor_acts(self):
        p = self.personas
        other = type(p.case_officer).objects.create(
            username="city_case", role="case_officer", organisation=p.orgs.city_supervision_office
        )
        self.client.force_login(other)
        self.assertEqual(
            self.client.get(reverse("vetting:detail", args=[self.vetting.pk])).status_code, 404
        )
        with self.assertRaises(PermissionDenied):
            services.vetting_confirm(vetting=self.vetting, actor=other)

    def test_a_candidate_must_be_one_of_the_rows_candidates(self):
        p = self.personas
        vetting = services.vetting_submit(
            actor=p.archivist, purpose="award", intended_on=ago(0), lines="胡静"
        )
        services.vetting_answer(vetting=vetting)
        entry = vetting.entries.get()
        stranger = Person.objects.exclude(name="胡静").first()
        with self.assertRaisesMessage(DomainError, str(services.MSG_NOT_CANDIDATE)):
            services.vetting_resolve(entry=entry, actor=p.case_officer, person_id=stranger.pk)


class PageQueryTests(PersonasTestCase):
    """The reply's page runs the same queries for a list of 3 and of 60 names."""

    def reply(self, size: int) -> VettingRequest:
        p = self.personas
        lines = "\n".join(["吴刚,ZX0008", "胡静"] + [f"查无{i}号" for i in range(size - 2)])
        vetting = services.vetting_submit(
            actor=p.archivist, purpose="promotion", intended_on=ago(0), lines=lines
        )
        services.vetting_answer(vetting=vetting)
        return vetting

    def queries(self, vetting: VettingRequest) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        url = reverse("vetting:detail", args=[vetting.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(captured)

    def test_the_query_count_does_not_grow_with_the_list(self):
        decided(self.personas, self.personas.people.handler, ["诫勉"])
        self.client.force_login(self.case_officer)
        small, large = self.reply(3), self.reply(60)
        self.assertEqual(self.queries(small), self.queries(large))
