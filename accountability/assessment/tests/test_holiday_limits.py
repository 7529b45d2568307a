"""A pasted or imported holiday schedule has size and line limits with a clear error."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from accountability.assessment import holidays as h
from accountability.assessment.holidays import ScheduleTextError, parse_schedule_text
from accountability.assessment.models import HolidayYear
from accountability.demo.testing import PersonasMixin


def errors(text: str) -> list[str]:
    try:
        parse_schedule_text(text, year=2027)
    except ScheduleTextError as error:
        return error.errors
    raise AssertionError("the text was accepted")


class ParseLimitTests(SimpleTestCase):
    def test_a_text_over_the_character_limit_is_refused_whole(self):
        text = "2027-01-01 元旦 休\n" + "#" * h.MAX_TEXT_CHARS
        self.assertEqual(errors(text), [h.TEXT_TOO_LONG.format(limit=h.MAX_TEXT_CHARS)])

    def test_a_text_over_the_line_limit_is_refused_whole(self):
        text = "2027-01-01 元旦 休" + "\n#" * h.MAX_LINES
        self.assertEqual(errors(text), [h.TOO_MANY_LINES.format(limit=h.MAX_LINES)])

    def test_an_overlong_line_is_an_error_of_its_own(self):
        text = "2027-01-01 元旦 休\n2027-01-02 " + "元" * h.MAX_LINE_CHARS + " 休"
        self.assertEqual(errors(text), [h.LINE_TOO_LONG.format(line=2, limit=h.MAX_LINE_CHARS)])

    def test_many_bad_lines_list_the_first_and_count_the_rest(self):
        text = "\n".join(f"坏行{i}" for i in range(h.MAX_REPORTED_ERRORS + 5))
        found = errors(text)
        self.assertEqual(len(found), h.MAX_REPORTED_ERRORS + 1)
        self.assertEqual(found[-1], h.MORE_ERRORS.format(count=5))

    def test_null_bytes_and_injection_text_are_just_bad_lines(self):
        found = errors("2027-01-01\x00 元旦 休\n{{ 7*7 }}\n=cmd|'/c calc'!A1")
        self.assertEqual(found[0], h.LINE_BAD_FORMAT.format(line=2, text="{{ 7*7 }}"))


class PageLimitTests(PersonasMixin, TestCase):
    def test_an_overlong_paste_is_a_field_error_and_nothing_is_saved(self):
        self.client.force_login(self.system_admin)
        response = self.client.post(
            reverse("assessment:holiday_add"),
            {"year": 2027, "source": "通知", "text": "x" * (h.MAX_TEXT_CHARS + 1)},
        )
        self.assertContains(response, h.TEXT_TOO_LONG.format(limit=h.MAX_TEXT_CHARS))
        self.assertFalse(HolidayYear.objects.exists())


class CommandLimitTests(TestCase):
    def test_a_file_over_the_size_limit_is_refused_before_reading(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "2027.json")
            path.write_bytes(b" " * (h.MAX_FILE_BYTES + 1))
            with self.assertRaises(CommandError) as raised:
                call_command("import_holidays", str(path), stdout=StringIO())
        self.assertEqual(
            str(raised.exception),
            h.FILE_TOO_LARGE.format(name="2027.json", kb=h.MAX_FILE_BYTES >> 10),
        )
        self.assertFalse(HolidayYear.objects.exists())

    def test_a_folder_with_too_many_files_is_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            for i in range(h.MAX_FILES + 1):
                Path(folder, f"{i}.json").write_text("{}")
            with self.assertRaises(CommandError) as raised:
                call_command("import_holidays", folder, stdout=StringIO())
        self.assertEqual(str(raised.exception), h.TOO_MANY_FILES.format(limit=h.MAX_FILES))
