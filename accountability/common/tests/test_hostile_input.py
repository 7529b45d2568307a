"""Hostile input sent to every form and upload of the site: never a 500, nothing written for a
refused request, no orphan file, the audit chain intact.

The forms are not listed by hand: each persona (one per role) crawls the pages it can reach
from the site root and from cases in several states, and every <form> found there (POST and
GET, with its fields and their types) is submitted by the persona that found it. A new form is
covered as soon as a page shows it. For each form the payload families below fill every field
with the family's value for that field's type (text, number, date, choice, file), so the
requests grow with forms × families, not with the cross product of fields and payloads.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.forms import BaseForm
from django.test import TestCase, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT
from django.urls import Resolver404, resolve

from accountability.audit.selectors import audit_chain_verify
from accountability.cases.tests.factories import Flow, committee
from accountability.cases.workflow import State
from accountability.common.tests import hostile_files as hf
from accountability.demo.testing import PersonasMixin
from accountability.jobs.testing import clear_queue, run_jobs

#: Pages a crawl never opens: they log out, switch language, or make files (LibreOffice).
SKIP_PATHS = ("/accounts/logout/", "/i18n/", "/export/", "/preview/", "/dossier/", "/sample.")
SKIP_SUFFIXES = (".docx", ".pdf", ".xlsx", ".zip", ".csv")
#: Forms never submitted: they end the session or switch the interface language.
SKIP_ACTIONS = ("/accounts/logout/", "/i18n/")
MAX_PAGES_PER_USER = 60
#: Tables a refused request may still write: the audit trail (a refusal is audited), the
#: session, and the job queue's bookkeeping.
ALLOWED_WRITES = ("audit_", "django_session")
SCRIPT = "<script>alert(1)</script>"


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, choice, multi, file, hidden, checkbox
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    user: Any
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, frozenset[str]]:
        try:
            name = resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            name = self.action
        return (name, self.method, frozenset(self.fields))


class PageParser(HTMLParser):
    """The links and forms of a page (fields with their types, values and options)."""

    def __init__(self, base: str, user: Any) -> None:
        super().__init__()
        self.base, self.user = base, user
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
        elif tag == "form":
            action = urljoin(self.base, a.get("action") or self.base)
            self.form = Form(action, (a.get("method") or "get").lower(), self.user)
            self.forms.append(self.form)
        elif self.form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = {
                "number": "number",
                "date": "date",
                "file": "file",
                "hidden": "hidden",
                "checkbox": "multi",
                "radio": "choice",
                "submit": "",
                "button": "",
            }.get(a.get("type", "text"), "text")
            if not kind:
                return
            existing = self.form.fields.get(a["name"])
            if existing is not None and kind in ("multi", "choice"):
                existing.options.append(a.get("value", ""))
                return
            self.form.fields[a["name"]] = Field(
                a["name"],
                kind,
                a.get("value", "") if kind not in ("multi", "choice") else "",
                [a.get("value", "")] if kind in ("multi", "choice") else [],
            )
        elif tag == "select":
            kind = "multi" if "multiple" in a else "choice"
            self.select = self.form.fields.setdefault(a["name"], Field(a["name"], kind))
        elif tag == "textarea":
            self.textarea = self.form.fields.setdefault(a["name"], Field(a["name"], "text"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and not self.textarea.value:
            self.textarea.value = data.strip()


# --- the payload families: a value per field type ------------------------------------------

HUGE = "99999999999999999999"
BILLION = hf.billion_laughs_shared_strings()


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


FAMILIES: dict[str, dict[str, Any]] = {
    "injection": {
        "text": f"' OR 1=1; DROP TABLE cases_case; -- {SCRIPT} {{{{ 7|add:1 }}}}{{% debug %}}"
        " =cmd|' /C calc'!A0",
        "number": "1 OR 1=1",
        "date": "2026-01-01' OR '1'='1",
        "choice": SCRIPT,
        "file": lambda: _file("说明.txt", hf.html_page()),
    },
    "control characters": {
        "text": "甲\x00乙\u202etxt.exe\r\n\x1b[31m",
        "number": "\x00",
        "date": "\x00",
        "choice": "\x00",
        "file": lambda: _file("a\x00.pdf", hf.pdf_document()),
    },
    "overlong": {
        "text": "长" * 100_000,
        "number": "9" * 400,
        "date": "2026-01-01" * 100,
        "choice": "9" * 400,
        "file": lambda: _file("长" * 300 + ".txt", b"text"),
    },
    "huge ids and numbers": {
        "text": "",
        "number": HUGE,
        "date": "9999-12-31",
        "choice": HUGE,
        "file": lambda: _file("谈话笔录.pdf", hf.windows_executable()),
    },
    "negative and absurd": {
        "text": "-1",
        "number": "-99999999",
        "date": "0001-01-01",
        "choice": "-1",
        "file": lambda: _file("../../etc/passwd", b"root:x:0:0"),
    },
    "non-numeric": {
        "text": "NaN",
        "number": "1e309",
        "date": "2026-02-30",
        "choice": "abc",
        "file": lambda: _file("C:\\Windows\\..\\名册.xlsx", hf.truncated(hf.no_sheets())),
    },
    "malformed archives": {
        "text": "正常文字",
        "number": "1",
        "date": "2026-01-01",
        "choice": None,  # keep the page's own choice
        "file": lambda: _file("/etc/名册.xlsx", BILLION),
    },
}


def values_for(form: Form, family: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in form.fields.values():
        if f.kind == "hidden":
            data[f.name] = f.value
        elif f.kind == "file":
            data[f.name] = family["file"]()
        elif f.kind in ("choice", "multi"):
            chosen = family["choice"]
            options = [o for o in f.options if o]
            data[f.name] = chosen if chosen is not None else (options[0] if options else "")
            if f.kind == "multi" and chosen is not None:
                data[f.name] = [chosen, *options[:1]]
        else:
            data[f.name] = family[f.kind if f.kind in ("number", "date") else "text"]
    return data


def invalid_utf8_body(form: Form) -> bytes:
    parts = []
    for f in form.fields.values():
        value = b"\xff\xfe\xfa\x80" if f.kind != "hidden" else f.value.encode()
        disposition = f'form-data; name="{f.name}"'
        if f.kind == "file":
            disposition += '; filename="\xff.pdf"'.encode("latin-1").decode("latin-1")
        parts.append(
            f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode("latin-1")
            + value
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


# --- the test ----------------------------------------------------------------------------------


class WriteWatch:
    """The tables written by the statements run while it is installed."""

    def __init__(self) -> None:
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        head = sql.lstrip().split(None, 3)
        verb = head[0].upper() if head else ""
        if verb in ("INSERT", "UPDATE", "DELETE"):
            words = sql.replace('"', " ").split()
            for i, word in enumerate(words):
                if word.upper() in ("INTO", "UPDATE", "FROM") and i + 1 < len(words):
                    self.tables.add(words[i + 1].strip("`"))
                    break
        return execute(sql, params, many, context)


class HostileInputTests(PersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        p = cls.personas
        committee(p)
        cls.flows = [
            Flow.register(p, p.people.handler, informant_name="举报人"),
            Flow.register(p, p.people.handler).to(State.ACCEPTED),
            Flow.register(p, p.people.handler).to(State.INVESTIGATING),
            Flow.register(p, p.people.handler).to(State.REPORTED),
            Flow.register(p, p.people.handler).to(State.DECIDED),
            Flow.register(p, p.people.handler).to(State.DELIVERED),
        ]

    def setUp(self) -> None:
        clear_queue()
        self.addCleanup(clear_queue)
        self.media = tempfile.mkdtemp(prefix="hostile-media-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        self.failures: list[str] = []
        # A 500 is recorded (with every other failure) rather than raised at the first one.
        self.client.raise_request_exception = False

    # -- discovery

    def crawl(self, user: Any) -> Iterator[Form]:
        self.client.force_login(user)
        seeds = ["/", "/cases/", "/cases/queue/", "/people/", "/people/import/", "/holidays/"]
        seeds += [f"/cases/{flow.case.pk}/" for flow in self.flows]
        queue, seen = list(seeds), set()
        while queue and len(seen) < MAX_PAGES_PER_USER:
            url = queue.pop(0)
            path = urlsplit(url).path
            if url in seen or any(s in path for s in SKIP_PATHS) or path.endswith(SKIP_SUFFIXES):
                continue
            seen.add(url)
            response = self.client.get(url)
            self.check(response, f"GET {url} as {user.username}")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = PageParser(f"http://testserver{path}", user)
            parser.feed(response.content.decode())
            for link in parser.links:
                parts = urlsplit(link)
                if parts.netloc in ("", "testserver") and not parts.query:
                    queue.append(parts.path)
            yield from parser.forms

    def discover(self) -> list[Form]:
        found: dict[Any, Form] = {}
        for user in self.personas.users:
            for form in self.crawl(user):
                if any(s in form.action for s in SKIP_ACTIONS) or not form.fields:
                    continue
                found.setdefault(form.key, form)
        return list(found.values())

    # -- checks

    def check(self, response: Any, what: str) -> None:
        if response.status_code >= 500:
            self.failures.append(f"{what}: {response.status_code}")
        elif (
            response.status_code == 200
            and "html" in response.get("Content-Type", "")
            and SCRIPT.encode() in response.content
        ):
            self.failures.append(f"{what}: unescaped script in the page")

    def submit(self, form: Form, family: str, data: dict[str, Any] | None, raw: bytes = b""):
        self.client.force_login(form.user)
        watch = WriteWatch()
        before = self.row_counts() if form.method == "post" else {}
        with connection.execute_wrapper(watch):
            if form.method == "get":
                flat = {k: v for k, v in (data or {}).items() if not hasattr(v, "read")}
                response = self.client.get(form.action + "?" + urlencode(flat, doseq=True))
            elif raw:
                response = self.client.generic(
                    "POST", form.action, raw, content_type=MULTIPART_CONTENT
                )
            else:
                response = self.client.post(form.action, data)
        what = f"{form.method.upper()} {form.action} as {form.user.username} with {family}"
        self.check(response, what)
        refused = self.refused(response)
        if form.method == "post" and refused:
            # A statement in a transaction that rolled back wrote nothing: compare the rows.
            written = {
                table
                for table in watch.tables
                if not table.startswith(ALLOWED_WRITES)
                and self.row_counts([table]).get(table) != before.get(table)
            }
            if written:
                self.failures.append(f"{what}: refused but wrote {sorted(written)}")
        return response

    @staticmethod
    def refused(response) -> bool:
        """A refusal is an error status, the form shown again with its errors, or an error
        message. A page that shows a one-time secret answers the accepted POST itself (200,
        so that the secret is never stored for a redirect): that is an acceptance."""
        if response.status_code == 302:
            return False
        if response.status_code >= 400:
            return True
        values = [v for context in (response.context or []) for v in context.flatten().values()]
        if any(isinstance(v, BaseForm) and v.errors for v in values):
            return True
        notes = response.context.get("messages", []) if response.context else []
        return any(note.level >= message_levels.ERROR for note in notes)

    @staticmethod
    def row_counts(tables: list[str] | None = None) -> dict[str, int]:
        names = tables or connection.introspection.table_names()
        with connection.cursor() as cursor:
            counts = {}
            for name in names:
                cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
                counts[name] = cursor.fetchone()[0]
        return counts

    def test_every_form_survives_every_payload_family(self):
        forms = self.discover()
        names = {form.key[0] for form in forms}
        # The discovery reaches the forms this finding is about (and whatever else exists).
        for expected in (
            "cases:clue_create",
            "cases:attachment_add",
            "cases:evidence_add",
            "cases:team_form",
            "people:import",
            "assessment:holiday_add",
        ):
            self.assertIn(expected, names)
        self.assertGreaterEqual(len(forms), 25)
        for form in forms:
            for family, payloads in FAMILIES.items():
                self.submit(form, family, values_for(form, payloads))
            if form.method == "post":
                self.submit(form, "invalid UTF-8", None, raw=invalid_utf8_body(form))
        run_jobs()
        self.assertEqual(self.failures, [], "\n".join(self.failures))
        self.assertEqual(self.orphans(), [])
        self.assertTrue(audit_chain_verify().ok)

    def test_an_oversized_body_is_refused_without_a_500(self):
        self.client.force_login(self.case_officer)
        body = {"summary": "长" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2), "source": "petition"}
        response = self.client.post("/cases/new/", body)
        self.assertEqual(response.status_code, 400)

    # -- files

    def orphans(self) -> list[str]:
        """Files under MEDIA_ROOT that no file field of any record names."""
        named: set[str] = set()
        for model in apps.get_models():
            for f in model._meta.get_fields():
                if isinstance(f, models.FileField):
                    named.update(
                        model.objects.exclude(**{f.name: ""}).values_list(f.name, flat=True)
                    )
        root = Path(self.media)
        return sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).as_posix() not in named
        )


class DatabaseInputErrorTests(TestCase):
    def test_a_value_the_database_cannot_take_is_a_400_not_a_500(self):
        from django.db import DataError, OperationalError
        from django.test import RequestFactory

        from accountability.common.middleware import MSG_INPUT_OUT_OF_RANGE, DomainErrorMiddleware

        middleware = DomainErrorMiddleware(lambda request: None)
        request = RequestFactory().get("/x/")
        for error in (
            OverflowError("Python int too large to convert to SQLite INTEGER"),
            OperationalError("LIKE or GLOB pattern too complex"),
            DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
        ):
            with self.subTest(str(error)), self.assertLogs("accountability.common", "WARNING"):
                response = middleware.process_exception(request, error)
                self.assertEqual(response.status_code, 400)
                self.assertIn(str(MSG_INPUT_OUT_OF_RANGE), response.content.decode())
        self.assertIsNone(middleware.process_exception(request, OperationalError("disk I/O")))
