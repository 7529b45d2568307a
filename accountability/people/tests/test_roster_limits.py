"""A hostile or broken roster file is refused with a clear message, never a 500.

The file is parsed in a background job with limits (size once decompressed, rows, columns,
time; no XML entities), and the upload page then shows the job and its result.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.audit.selectors import audit_chain_verify
from accountability.common.tests import hostile_files as hf
from accountability.demo.testing import PersonasMixin
from accountability.jobs.models import Job
from accountability.jobs.testing import clear_queue, run_jobs
from accountability.people import roster
from accountability.people.models import Person, RosterUpload
from accountability.people.services import IMPORT_FAILED
from accountability.people.tests.helpers import row, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_errors(content: bytes) -> list[tuple[int, str, str]]:
    parsed = roster.parse_roster(content)
    return [(e.row, e.column, e.message) for e in parsed.errors]


class ParseLimitsTests(PersonasMixin, TestCase):
    """Each hostile file gets one file-level error (row 0) with its own message."""

    def test_openpyxl_reads_xml_through_defusedxml(self):
        self.assertTrue(openpyxl.DEFUSEDXML)

    def test_not_a_zip_and_truncated_files_are_not_workbooks(self):
        self.assertEqual(file_errors(hf.not_a_zip()), [(0, "", roster.NOT_XLSX)])
        truncated = hf.truncated(workbook_bytes([row()]))
        self.assertEqual(file_errors(truncated), [(0, "", roster.NOT_XLSX)])

    def test_a_workbook_without_sheets(self):
        self.assertEqual(file_errors(hf.no_sheets()), [(0, "", roster.NO_SHEET)])

    def test_billion_laughs_in_the_sheet_or_the_shared_strings_is_refused(self):
        for content in (hf.billion_laughs_sheet(), hf.billion_laughs_shared_strings()):
            self.assertEqual(file_errors(content), [(0, "", roster.UNSAFE_XML)])

    def test_an_external_entity_is_never_read(self):
        for content in (hf.xxe_sheet(), hf.xxe_shared_strings()):
            self.assertEqual(file_errors(content), [(0, "", roster.UNSAFE_XML)])

    def test_a_sheet_declaring_millions_of_rows_is_refused_before_reading_them(self):
        self.assertEqual(
            file_errors(hf.declares_millions_of_rows()),
            [(0, "", roster.TOO_MANY_ROWS.format(limit=20000))],
        )

    def test_a_sheet_holding_millions_of_rows_stops_at_the_limit(self):
        content = hf.contains_millions_of_rows()
        self.assertLess(len(content), 100_000)
        self.assertEqual(file_errors(content), [(0, "", roster.TOO_MANY_ROWS.format(limit=20000))])

    @override_settings(ROSTER_MAX_ROWS=3)
    def test_the_row_limit_is_a_setting(self):
        content = workbook_bytes([row(**{"工号": f"ZX2{i:03d}"}) for i in range(3)])
        self.assertEqual(file_errors(content), [(0, "", roster.TOO_MANY_ROWS.format(limit=3))])
        content = workbook_bytes([row(**{"工号": f"ZX2{i:03d}"}) for i in range(2)])
        self.assertEqual(file_errors(content), [])

    @override_settings(ROSTER_MAX_UNCOMPRESSED_MB=1)
    def test_the_size_after_decompression_is_checked_before_parsing(self):
        content = hf.zip_bomb(uncompressed_mb=4)
        self.assertLess(len(content), 50_000)
        self.assertEqual(
            file_errors(content), [(0, "", roster.TOO_LARGE_UNCOMPRESSED.format(mb=1))]
        )

    def test_too_many_parts_in_the_archive(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for i in range(roster.MAX_ZIP_ENTRIES + 1):
                archive.writestr(f"x/{i}.xml", "")
        self.assertEqual(
            file_errors(buffer.getvalue()),
            [(0, "", roster.TOO_MANY_ENTRIES.format(limit=roster.MAX_ZIP_ENTRIES))],
        )

    @override_settings(ROSTER_MAX_COLUMNS=5)
    def test_a_header_wider_than_the_limit(self):
        self.assertEqual(
            file_errors(workbook_bytes([row()])),
            [(0, "", roster.TOO_MANY_COLUMNS.format(limit=5))],
        )

    @override_settings(ROSTER_MAX_SECONDS=0)
    def test_processing_time_is_limited(self):
        content = workbook_bytes([row(**{"工号": f"ZX3{i:03d}"}) for i in range(5)])
        self.assertEqual(file_errors(content), [(0, "", roster.TOO_SLOW.format(seconds=0))])


class UploadPageTests(PersonasMixin, TestCase):
    """Through the page: the upload is queued, the job checks it, the page shows the result."""

    def setUp(self) -> None:
        clear_queue()
        self.addCleanup(clear_queue)
        self.client.force_login(self.case_officer)

    def upload(self, content: bytes, name: str = "名册.xlsx"):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("people:import"), {"file": SimpleUploadedFile(name, content, XLSX)}
            )
        return response

    def test_every_hostile_file_ends_in_a_clear_refusal(self):
        files = {
            "truncated": hf.truncated(workbook_bytes([row()])),
            "not a zip": hf.not_a_zip(),
            "no sheets": hf.no_sheets(),
            "billion laughs": hf.billion_laughs_shared_strings(),
            "XXE": hf.xxe_sheet(),
            "4 million rows": hf.contains_millions_of_rows(),
        }
        for label, content in files.items():
            with self.subTest(label):
                response = self.upload(content)
                self.assertEqual(response.status_code, 302)
                upload = RosterUpload.objects.latest("pk")
                self.assertRedirects(response, reverse("people:import_status", args=[upload.pk]))
                self.assertEqual(run_jobs(), 1)
                page = self.client.get(response["Location"])
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, IMPORT_FAILED.format(count=1))
                upload.refresh_from_db()
                self.assertEqual(upload.state, RosterUpload.State.REFUSED)
                self.assertEqual(upload.job.state, Job.State.FAILED)
        self.assertFalse(Person.objects.filter(id_number="ZX1001").exists())
        self.assertTrue(audit_chain_verify().ok)

    def test_the_page_shows_progress_then_each_row_error(self):
        response = self.upload(workbook_bytes([row(), row(**{"工号": "X2", "姓名": ""})]))
        status_url = response["Location"]
        page = self.client.get(status_url)
        self.assertContains(page, '<progress id="job-progress"')
        self.assertContains(page, '<meta http-equiv="refresh"')
        run_jobs()
        page = self.client.get(status_url)
        self.assertNotContains(page, '<meta http-equiv="refresh"')
        self.assertContains(page, IMPORT_FAILED.format(count=1))
        self.assertContains(page, '<td class="num">3</td>', html=False)
        self.assertContains(page, "<td>姓名</td>", html=False)
        self.assertContains(page, roster.REQUIRED.format(column="姓名"))
        self.assertFalse(Person.objects.filter(id_number="ZX1001").exists())

    def test_a_good_file_is_imported_in_one_transaction_with_its_audit_entry(self):
        response = self.upload(workbook_bytes([row(), row(**{"工号": "ZX1002"})]))
        self.assertFalse(Person.objects.filter(id_number="ZX1001").exists())
        run_jobs()
        upload = RosterUpload.objects.get()
        self.assertEqual(upload.state, RosterUpload.State.IMPORTED)
        self.assertEqual(upload.job.state, Job.State.SUCCEEDED)
        self.assertEqual((upload.job.progress_done, upload.job.progress_total), (2, 2))
        self.assertEqual(upload.content, b"")
        page = self.client.get(response["Location"])
        self.assertContains(page, "新增 2 人")
        self.assertEqual(Person.objects.filter(id_number__in=["ZX1001", "ZX1002"]).count(), 2)
        entry = AuditEntry.objects.get(action="import")
        self.assertEqual(entry.actor_id, self.case_officer.pk)
        self.assertEqual(entry.changes["file"]["sha256"], upload.sha256)

    def test_another_user_does_not_see_the_upload(self):
        response = self.upload(workbook_bytes([row()]))
        self.client.force_login(self.office_head)
        self.assertEqual(self.client.get(response["Location"]).status_code, 404)

    @override_settings(ROSTER_MAX_UPLOAD_MB=1)
    def test_an_oversized_file_is_refused_on_the_form(self):
        response = self.upload(b"PK\x03\x04" + b"\x00" * (1 << 20))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, roster.FILE_TOO_LARGE.format(mb=1))
        self.assertFalse(RosterUpload.objects.exists())
