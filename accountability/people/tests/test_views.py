"""Registry pages: list with tree and search, detail within authority, import, export."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability.audit.models import AuditEntry
from accountability.demo.testing import PersonasTestCase
from accountability.jobs.testing import clear_queue, run_jobs
from accountability.people.models import Person
from accountability.people.roster import REQUIRED
from accountability.people.tests.helpers import row, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegistryPagesTests(PersonasTestCase):
    def setUp(self) -> None:
        clear_queue()
        self.addCleanup(clear_queue)

    def test_access_by_role(self):
        """Registry viewers open the list; managers import and export; others get 403."""
        viewers = {
            "case_officer",
            "office_head",
            "leader",
            "archivist",
            "city_officer",
            "township_officer",
            "system_admin",
        }
        managers = {"case_officer", "office_head", "system_admin"}
        pages = {
            reverse("people:list"): viewers,
            reverse("people:import"): managers,
            reverse("people:export"): managers,
        }
        for url, allowed in pages.items():
            for user in self.personas.users:
                self.client.force_login(user)
                status = self.client.get(url).status_code
                self.assertEqual(status, 200 if user.role in allowed else 403, (url, user.role))

    def test_list_with_tree_filter_and_search(self):
        """The list shows the tree; filtering by a unit and searching narrow it."""
        self.client.force_login(self.case_officer)
        response = self.client.get(reverse("people:list"))
        self.assertContains(response, "乌峰街道纪工委")
        self.assertContains(response, "吴刚")
        self.assertNotContains(response, "钱伟")
        response = self.client.get(reverse("people:list"), {"org": self.personas.township.pk})
        self.assertContains(response, "胡静")
        self.assertNotContains(response, "吴刚")
        response = self.client.get(reverse("people:list"), {"q": "ZX0008"})
        self.assertEqual([p.name for p in response.context["page_obj"]], ["吴刚"])

    def test_detail_within_authority(self):
        """A person managed by the city is not found by a county user, but is by the city."""
        url = reverse("people:detail", args=[self.personas.people.deputy_secretary.pk])
        self.client.force_login(self.case_officer)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.city_officer)
        self.assertContains(self.client.get(url), "县纪委副书记")

    def test_import_page_shows_error_table(self):
        """Errors appear as a table of row, column and message; nothing is saved."""
        self.client.force_login(self.case_officer)
        upload = SimpleUploadedFile(
            "r.xlsx", workbook_bytes([row(), row(**{"工号": "X2", "姓名": ""})]), XLSX
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("people:import"), {"file": upload})
        run_jobs()
        response = self.client.get(response["Location"])
        self.assertContains(response, REQUIRED.format(column="姓名"))
        self.assertContains(response, '<td class="num">3</td>', html=False)
        self.assertFalse(Person.objects.filter(id_number="ZX1001").exists())

    def test_import_page_success(self):
        """A good file is imported and the list shows the counts."""
        self.client.force_login(self.case_officer)
        upload = SimpleUploadedFile("r.xlsx", workbook_bytes([row()]), XLSX)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("people:import"), {"file": upload})
        run_jobs()
        response = self.client.get(response["Location"])
        self.assertContains(response, "新增 1 人")
        self.assertTrue(Person.objects.filter(id_number="ZX1001").exists())

    def test_export_download(self):
        """The export is an .xlsx attachment and is audited."""
        self.client.force_login(self.office_head)
        response = self.client.get(reverse("people:export"))
        self.assertEqual(response["Content-Type"], XLSX)
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertTrue(AuditEntry.objects.filter(action="export").exists())
