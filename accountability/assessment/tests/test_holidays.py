"""Holiday schedules as data: parsing a pasted notice, saving a year whole, using it in 测算."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

import rulebook
from accountability.assessment import holidays as h
from accountability.assessment import services
from accountability.assessment.current import current_rulebook
from accountability.assessment.holidays import (
    ScheduleTextError,
    extra_schedules,
    parse_schedule_text,
    schedule_from_days,
)
from accountability.assessment.models import HolidayDay, HolidayYear
from accountability.audit.models import AuditEntry
from accountability.common.errors import DomainError, PermissionDenied
from accountability.demo.testing import PersonasMixin

NOTICE_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知(示例)
2027-01-01 元旦 休
2027-02-06 至 2027-02-12 春节 休
2027-02-14 春节 班
2027-10-01 ~ 2027-10-07 国庆节 休
2027-10-09 国庆节 班
"""
SOURCE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


class ParseScheduleTextTests(SimpleTestCase):
    def test_dates_ranges_names_and_kinds_are_read(self):
        """Single dates and ranges (至, ~) become days with their kind and name."""
        days = parse_schedule_text(NOTICE_2027, year=2027)
        schedule = schedule_from_days(2027, days, SOURCE_2027)
        self.assertEqual(len(schedule.holidays), 1 + 7 + 7)
        self.assertEqual(schedule.names[date(2027, 1, 1)], "元旦")
        self.assertEqual(schedule.workdays, frozenset({date(2027, 2, 14), date(2027, 10, 9)}))

    def test_range_overlapping_a_single_working_day_is_a_duplicate(self):
        """A day listed twice (even inside a range) is refused with both line numbers."""
        with self.assertRaises(ScheduleTextError) as raised:
            parse_schedule_text("2027-02-06 至 2027-02-12 休\n2027-02-07 班", year=2027)
        self.assertEqual(
            raised.exception.errors,
            [h.LINE_DUPLICATE.format(line=2, day="2027-02-07", first=1)],
        )

    def test_every_bad_line_is_reported_with_its_number(self):
        """Bad lines are all reported, each with its line number and what is wrong."""
        text = "\n".join(
            [
                "2027-01-01 元旦 休",  # 1 good
                "元旦 2027-01-02 休",  # 2 no date first
                "2027-02-30 休",  # 3 not a date
                "2026-12-31 休",  # 4 other year
                "2027-01-01 班",  # 5 duplicate of line 1
                "2027-05-01 劳动节",  # 6 no kind
                "2027-05-05 休 班",  # 7 two kinds
                "2027-05-05 至 2027-05-01 休",  # 8 range backwards
                "",
                "2027-03-01 至 2027-05-01 休",  # 10 range too long
            ]
        )
        with self.assertRaises(ScheduleTextError) as raised:
            parse_schedule_text(text, year=2027)
        self.assertEqual(
            raised.exception.errors,
            [
                h.LINE_BAD_FORMAT.format(line=2, text="元旦 2027-01-02 休"),
                h.LINE_BAD_DATE.format(line=3, text="2027-02-30"),
                h.LINE_WRONG_YEAR.format(line=4, day="2026-12-31", year=2027),
                h.LINE_DUPLICATE.format(line=5, day="2027-01-01", first=1),
                h.LINE_NO_KIND.format(line=6),
                h.LINE_TWO_KINDS.format(line=7),
                h.LINE_RANGE_ORDER.format(line=8, start="2027-05-05", end="2027-05-01"),
                h.LINE_RANGE_TOO_LONG.format(line=10, limit=h.MAX_RANGE_DAYS),
            ],
        )

    def test_a_schedule_without_holidays_is_refused(self):
        """Only make-up working days, or nothing at all, is not a schedule."""
        for text in ("", "# nothing\n", "2027-02-07 班"):
            with self.subTest(text=text), self.assertRaises(ScheduleTextError) as raised:
                parse_schedule_text(text, year=2027)
            self.assertEqual(raised.exception.errors, [h.NO_HOLIDAYS])

    def test_chinese_date_forms_are_accepted(self):
        """2027年1月1日 and 2027/1/1 are read like ISO dates; full-width spaces are spaces."""
        days = parse_schedule_text("2027年1月1日　元旦　休\n2027/2/7 班\n2027.1.2 休", year=2027)
        self.assertEqual(
            [(d.day, d.kind) for d in days],
            [
                (date(2027, 1, 1), h.HOLIDAY),
                (date(2027, 1, 2), h.HOLIDAY),
                (date(2027, 2, 7), h.WORKDAY),
            ],
        )


class HolidayServiceTests(PersonasMixin, TestCase):
    def schedule(self, year=2027, text=NOTICE_2027, source=SOURCE_2027):
        return schedule_from_days(year, parse_schedule_text(text, year=year), source)

    def test_system_admin_saves_a_year_whole_with_an_audit_entry(self):
        """All days are saved in one go and the audit trail records who entered what."""
        entry = services.holiday_year_create(schedule=self.schedule(), actor=self.system_admin)
        self.assertEqual(entry.days.count(), 17)
        self.assertEqual(entry.entered_by, self.system_admin)
        audit = AuditEntry.objects.get(target_type="assessment.holidayyear")
        self.assertEqual(audit.action, "create")
        self.assertEqual(audit.actor, self.system_admin)
        self.assertIn("2027-01-01", audit.changes["holidays"])

    def test_only_the_system_admin_may_save(self):
        """Other roles, administrators included, are refused and nothing is saved."""
        for user in (self.case_officer, self.security_admin, self.audit_admin):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied) as raised:
                services.holiday_year_create(schedule=self.schedule(), actor=user)
            self.assertEqual(raised.exception.message, services.ONLY_SYSTEM_ADMIN)
        self.assertFalse(HolidayYear.objects.exists())

    def test_a_year_already_entered_or_shipped_is_refused(self):
        """A second entry of 2027, or any entry of a package year, is refused."""
        services.holiday_year_create(schedule=self.schedule(), actor=self.system_admin)
        with self.assertRaises(DomainError) as raised:
            services.holiday_year_create(schedule=self.schedule(), actor=self.system_admin)
        self.assertEqual(raised.exception.message, services.YEAR_ALREADY_ENTERED.format(year=2027))
        with self.assertRaises(DomainError) as raised:
            services.holiday_year_create(
                schedule=self.schedule(2026, "2026-10-01 休"), actor=self.system_admin
            )
        self.assertEqual(raised.exception.message, services.YEAR_IN_PACKAGE.format(year=2026))
        self.assertEqual(HolidayYear.objects.count(), 1)

    def test_extra_schedules_come_from_the_database(self):
        """extra_schedules() gives the rulebook one YearSchedule per year entered."""
        services.holiday_year_create(schedule=self.schedule(), actor=self.system_admin)
        (schedule,) = extra_schedules()
        self.assertEqual(schedule.year, 2027)
        self.assertEqual(schedule.source, SOURCE_2027)
        self.assertEqual(schedule, self.schedule())
        rb = current_rulebook()
        self.assertTrue(rb.calendar.covers(2027))
        self.assertFalse(rb.calendar.is_working_day(date(2027, 10, 7)))
        self.assertTrue(rb.calendar.is_working_day(date(2027, 10, 9)))

    def test_delete_removes_the_year(self):
        """The system admin can delete a year entered by mistake; it is audited."""
        services.holiday_year_create(schedule=self.schedule(), actor=self.system_admin)
        services.holiday_year_delete(year=2027, actor=self.system_admin)
        self.assertFalse(HolidayDay.objects.exists())
        self.assertEqual(
            list(
                AuditEntry.objects.filter(target_type="assessment.holidayyear")
                .order_by("seq")
                .values_list("action", flat=True)
            ),
            ["create", "delete"],
        )


class HolidayPagesTests(PersonasMixin, TestCase):
    ADD = reverse("assessment:holiday_add")
    LIST = reverse("assessment:holidays")

    def test_list_shows_package_years_and_the_missing_year(self):
        """The page lists 2004–2026 from the package and warns that a year is missing."""
        self.client.force_login(self.case_officer)
        response = self.client.get(self.LIST, {"year": "2026"})
        self.assertEqual(response.status_code, 200)
        for year in (2004, 2026):
            self.assertContains(response, f'href="?year={year}#days"')
        self.assertContains(response, "2026-10-01")
        self.assertContains(response, "尚未录入")
        self.assertNotContains(response, self.ADD)

    def test_only_the_system_admin_may_open_the_form(self):
        """Other users get 403; anonymous users go to the login page."""
        for user in (self.case_officer, self.security_admin, self.audit_admin):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.ADD).status_code, 403)
                response = self.client.post(
                    self.ADD, {"year": 2027, "source": SOURCE_2027, "text": NOTICE_2027}
                )
                self.assertEqual(response.status_code, 403)
        self.client.logout()
        response = self.client.get(self.ADD)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertFalse(HolidayYear.objects.exists())

    def test_system_admin_adds_a_year(self):
        """A good paste is saved and the year's days are shown."""
        self.client.force_login(self.system_admin)
        self.assertContains(self.client.get(self.LIST), self.ADD)
        response = self.client.post(
            self.ADD, {"year": 2027, "source": SOURCE_2027, "text": NOTICE_2027}, follow=True
        )
        self.assertRedirects(response, f"{self.LIST}?year=2027")
        self.assertContains(response, "2027年节假日安排已保存：放假15天，调休上班2天。")
        self.assertContains(response, "2027-02-12")
        self.assertEqual(HolidayDay.objects.filter(schedule__year=2027).count(), 17)

    def test_bad_lines_are_shown_with_numbers_and_nothing_is_saved(self):
        """One bad line refuses the whole paste; each error names its line."""
        self.client.force_login(self.system_admin)
        text = NOTICE_2027 + "2028-01-01 元旦 休\n2027-13-01 休\n"
        response = self.client.post(self.ADD, {"year": 2027, "source": SOURCE_2027, "text": text})
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors["text"]
        self.assertEqual(
            errors,
            [
                h.LINE_WRONG_YEAR.format(line=7, day="2028-01-01", year=2027),
                h.LINE_BAD_DATE.format(line=8, text="2027-13-01"),
            ],
        )
        self.assertContains(response, "第7行")
        self.assertFalse(HolidayYear.objects.exists())
        self.assertFalse(HolidayDay.objects.exists())

    def test_package_year_and_missing_source_are_field_errors(self):
        """Entering 2026 (shipped) or leaving out the source is refused on the field."""
        self.client.force_login(self.system_admin)
        response = self.client.post(
            self.ADD, {"year": 2026, "source": SOURCE_2027, "text": "2026-10-01 休"}
        )
        self.assertEqual(
            response.context["form"].errors["year"], [services.YEAR_IN_PACKAGE.format(year=2026)]
        )
        response = self.client.post(self.ADD, {"year": 2027, "source": "", "text": NOTICE_2027})
        self.assertIn("source", response.context["form"].errors)
        self.assertFalse(HolidayYear.objects.exists())

    def test_system_admin_deletes_a_year(self):
        """Delete is a POST by the system admin; others get 403."""
        services.holiday_year_create(
            schedule=schedule_from_days(2027, parse_schedule_text(NOTICE_2027, year=2027), "x"),
            actor=self.system_admin,
        )
        url = reverse("assessment:holiday_delete", args=[2027])
        self.client.force_login(self.case_officer)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.system_admin)
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "2027年节假日安排已删除。")
        self.assertFalse(HolidayYear.objects.exists())


class AssessUsesDatabaseYearTests(PersonasMixin, TestCase):
    """Received 2026-12-17: day 15 is 2027-01-01, 元旦 once 2027 is entered."""

    CASE = {
        "role": "具体承办人",
        "circumstance": "3",
        "severity": "较轻",
        "decided_on": "2026-12-15",
        "received_on": "2026-12-17",
    }
    WARNING = "2027年的法定节假日安排尚未录入"

    def test_without_the_year_the_deadline_warns(self):
        """Without 2027 the deadline is counted by weekends only, with a visible warning."""
        response = self.client.get(reverse("assessment:assess"), self.CASE)
        self.assertEqual(response.context["result"]["appeal_deadline"], "2027-01-01")
        self.assertContains(response, self.WARNING)

    def test_with_the_year_in_the_database_the_holiday_counts(self):
        """With 2027 entered, 元旦 (Fri) and the weekend move the deadline to Monday, no warning."""
        services.holiday_year_create(
            schedule=schedule_from_days(
                2027, parse_schedule_text(NOTICE_2027, year=2027), SOURCE_2027
            ),
            actor=self.system_admin,
        )
        response = self.client.get(reverse("assessment:assess"), self.CASE)
        self.assertEqual(response.context["result"]["appeal_deadline"], "2027-01-04")
        self.assertNotContains(response, self.WARNING)
        self.assertEqual(response.context["result"]["warnings"], [])


class ImportHolidaysCommandTests(TestCase):
    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def write(self, data, name="2027.json") -> str:
        path = self.folder / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    DATA_2027 = {
        "year": 2027,
        "source": SOURCE_2027,
        "holidays": [{"date": "2027-01-01", "name": "元旦"}],
        "workdays": [{"date": "2027-02-07", "name": "春节"}],
    }

    def test_imports_a_year_from_json(self):
        """The rulebook's JSON form of a year is saved, audited as an import."""
        out = StringIO()
        call_command("import_holidays", self.write(self.DATA_2027), stdout=out)
        self.assertIn("已导入2027年节假日安排", out.getvalue())
        self.assertEqual(
            sorted(HolidayDay.objects.values_list("date", "kind")),
            [(date(2027, 1, 1), "holiday"), (date(2027, 2, 7), "workday")],
        )
        self.assertEqual(AuditEntry.objects.get().action, "import")
        self.assertTrue(current_rulebook().calendar.covers(2027))

    def test_a_list_is_all_or_nothing(self):
        """A list whose second year is a package year saves nothing."""
        data = [self.DATA_2027, {**self.DATA_2027, "year": 2026, "holidays": [], "workdays": []}]
        with self.assertRaises(CommandError):
            call_command("import_holidays", self.write(data), stdout=StringIO())
        self.assertFalse(HolidayYear.objects.exists())

    def test_replace_swaps_an_existing_year(self):
        """--replace replaces a year already in the database; without it the import fails."""
        path = self.write(self.DATA_2027)
        call_command("import_holidays", path, stdout=StringIO())
        with self.assertRaises(CommandError) as raised:
            call_command("import_holidays", path, stdout=StringIO())
        self.assertEqual(str(raised.exception), services.YEAR_ALREADY_ENTERED.format(year=2027))
        changed = {**self.DATA_2027, "holidays": [{"date": "2027-01-02", "name": "元旦"}]}
        path = self.write(changed, "2027-changed.json")
        call_command("import_holidays", path, "--replace", stdout=StringIO())
        self.assertEqual(
            list(HolidayDay.objects.filter(kind="holiday").values_list("date", flat=True)),
            [date(2027, 1, 2)],
        )

    def test_bad_file_is_a_command_error(self):
        """A missing file or a bad date stops with a Chinese message, nothing saved."""
        with self.assertRaises(CommandError):
            call_command("import_holidays", "/nonexistent/2027.json")
        bad = {**self.DATA_2027, "holidays": [{"date": "2027-02-30"}]}
        with self.assertRaises(CommandError) as raised:
            call_command("import_holidays", self.write(bad, "bad.json"))
        self.assertIn("无效日期", str(raised.exception))
        self.assertFalse(HolidayYear.objects.exists())


class RulebookContractTests(SimpleTestCase):
    def test_package_years_cover_2004_to_2026(self):
        """The shipped calendar covers 2004–2026 (chinesecalendar 1.11.0)."""
        years = h.package_years()
        self.assertEqual((years[0], years[-1]), (2004, 2026))
        self.assertEqual(rulebook.load().calendar.years, years)
