"""The English interface is complete: every message is translated, and the main pages render
in English apart from data and the regulation's own terms.

The source language is zh-hans; the English messages live in locale/en (and the documents
app's own locale/en). The regulation's terms (role names, tiers, measures, article
references) and the rulebook's explanations stay Chinese by design, like the names and texts
the users entered.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.template import Context, Template
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

import rulebook
from accountability.audit.models import AuditEntry
from accountability.audit.services import seal_value
from accountability.cases import selectors, services
from accountability.cases.models import CaseParty, ConflictDeclaration, TeamMembership
from accountability.cases.tests.factories import Flow, ago, committee
from accountability.cases.workflow import State
from accountability.common.i18n import join_list, label_separator, source_language
from accountability.demo.testing import PersonasMixin
from accountability.documents import context as document_context
from accountability.documents import selectors as document_selectors
from accountability.documents import services as document_services
from accountability.documents.kinds import DocumentKind
from accountability.people.models import Person

ROOT = Path(settings.BASE_DIR)
MAIN_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
DOCUMENTS_PO = ROOT / "accountability" / "documents" / "locale" / "en" / "LC_MESSAGES" / "django.po"
# The project's catalogue plus every app's own (an app keeps the English of its own messages).
PO_FILES = (MAIN_PO, *sorted((ROOT / "accountability").glob("*/locale/en/LC_MESSAGES/django.po")))
# Han characters and the full-width punctuation of the Chinese interface (、：（）；，。).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
HAN = re.compile(r"[\u3400-\u9fff]")
ARTICLE_REF = re.compile(r"第[一二三四五六七八九十]+条(?:第[(（][一二三四五六七八九十]+[)）]项)?")
BRACE_FIELD = re.compile(r"\{(\w*)\}")
PERCENT_FIELD = re.compile(r"%\((\w+)\)[sd]")
# Proper names and terms the English interface keeps: the language switch names Chinese in
# Chinese, and these legal terms appear in explanations the regulation words itself.
KEPT = ("中文", "从旧兼从轻")


# --- the .po files ------------------------------------------------------------------------


def po_entries(path: Path) -> Iterator[dict[str, Any]]:
    """The entries of a .po file (header and obsolete entries left out), with their flags."""
    entry: dict[str, Any] = {}
    key = ""

    def done() -> Iterator[dict[str, Any]]:
        if entry.get("msgid") and not entry.get("obsolete"):
            yield dict(entry)

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            yield from done()
            entry, key = {}, ""
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)


def translations(entry: dict[str, Any]) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


class MessageCatalogueTests(TestCase):
    def test_the_catalogues_exist_and_are_not_trivial(self):
        """Both English catalogues are there, the project's with hundreds of messages."""
        self.assertIn(DOCUMENTS_PO, PO_FILES)
        self.assertGreater(len(list(po_entries(MAIN_PO))), 500)
        self.assertGreater(len(list(po_entries(DOCUMENTS_PO))), 20)

    def test_every_message_is_translated(self):
        """No English msgstr is empty: every message marked in the code has its translation."""
        for path in PO_FILES:
            empty = [e["msgid"] for e in po_entries(path) if not all(translations(e))]
            self.assertEqual(empty, [], f"untranslated in {path.relative_to(ROOT)}")

    def test_no_translation_is_fuzzy(self):
        """No entry is left fuzzy (a guess by makemessages that nobody checked)."""
        for path in PO_FILES:
            fuzzy = [e["msgid"] for e in po_entries(path) if "fuzzy" in e.get("flags", ())]
            self.assertEqual(fuzzy, [], f"fuzzy in {path.relative_to(ROOT)}")

    def test_translations_keep_the_placeholders(self):
        """A translation fills in the same {fields} and %(fields)s as its Chinese message."""
        for path in PO_FILES:
            for entry in po_entries(path):
                for pattern in (BRACE_FIELD, PERCENT_FIELD):
                    wanted = sorted(set(pattern.findall(entry["msgid"])))
                    for text in translations(entry):
                        with self.subTest(msgid=entry["msgid"]):
                            self.assertEqual(sorted(set(pattern.findall(text))), wanted)

    def test_translations_are_english(self):
        """A translation is English text, not a copy of the Chinese (messages that are only
        article references or separators aside: those stay as they are)."""
        for path in PO_FILES:
            for entry in po_entries(path):
                if not HAN.search(ARTICLE_REF.sub("", entry["msgid"])):
                    continue
                for text in translations(entry):
                    with self.subTest(msgid=entry["msgid"]):
                        self.assertRegex(text, "[A-Za-z]")


# --- the pages ----------------------------------------------------------------------------


class TextParser(HTMLParser):
    """The text a reader sees: text nodes and the placeholder/title/label attributes."""

    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "value")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value and not (tag == "input" and name == "value"):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = TextParser()
    parser.feed(html)
    # Joined as a browser shows inline text: a sentence with a link in it stays one sentence.
    return "".join(parser.parts)


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a JSON value (the stored assessments and inputs)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def stored_data() -> set[str]:
    """What the users and the demo entered: every free-text value of the project's rows.

    Fields with choices are left out on purpose: their labels are interface text and must be
    translated (those that are the regulation's terms are in ``legal_terms``).
    """
    found: set[str] = set()
    for label in ("accounts", "people", "cases", "documents", "assessment"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField)
                and not f.choices
            ]
            for row in model.objects.values_list(*(f.attname for f in fields)):
                for value in row:
                    found.update(strings_in(value))
    return {s for s in found if HAN.search(s)}


def legal_terms(version: Any) -> set[str]:
    """The regulation's own words, which the English interface keeps (and its title)."""
    titles = (rulebook.regulation.TITLE, version.title)
    terms: set[str] = {*titles, *(f"《{t}》" for t in titles), *KEPT}
    terms.update(version.roles, version.severities, version.measure_names)
    for c in version.circumstances.values():
        terms.update((c.summary, c.text))
    for conditions in version.conditions.values():
        terms.update(conditions)
    for factor in (*version.lighter.values(), *version.heavier.values()):
        terms.add(factor.text)
    for article in rulebook.regulation.ARTICLES:
        terms.add(article.text)
        terms.update(item.text for item in article.items)
    for choices in (
        Person.Role,
        CaseParty.Severity,
        CaseParty.ResponsibilityKind,
        CaseParty.ResponsibilityScope,
    ):
        terms.update(str(label) for label in choices.labels)
    terms.update(f"{tier}档" for tier in version.severities)
    return {t for t in terms if t}


def strip(text: str, terms: Iterable[str]) -> str:
    for term in sorted(terms, key=len, reverse=True):
        text = text.replace(term, " ")
    return text


class EnglishPagesTests(PersonasMixin, TestCase):
    """The case officer's main pages with Accept-Language: en."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)
        people = cls.personas.people
        # A case with two people, decided, issued and delivered: decisions, deliveries,
        # rectifications and the log all show on its page.
        cls.delivered = (
            Flow.register(
                cls.personas,
                people.handler,
                people.direct,
                informant_name="匿名群众",
                informant_contact="13800000000",
            )
            .to(State.DELIVERED)
            .case
        )
        # One waiting for its team and one for approval, for the work queue.
        Flow.register(cls.personas, people.township_handler).accept()
        Flow.register(cls.personas, people.office_head, received_days_ago=3)

    def setUp(self) -> None:
        self.addCleanup(translation.activate, settings.LANGUAGE_CODE)
        self.version = rulebook.load().version_at(ago(0))
        self.allowed = stored_data() | legal_terms(self.version) | self.assessment_texts()
        self.allowed.add(getattr(settings, "ORGANISATION_NAME", ""))

    def assessment_texts(self) -> set[str]:
        """The rulebook's output shown on the case page (explanations stay Chinese)."""
        texts: set[str] = set()
        for party in CaseParty.objects.all():
            if party.facts_complete:
                texts.update(strings_in(selectors.party_assessment(party=party)))
        return texts

    def get(self, url: str, *, user: Any = None) -> str:
        if user is not None:
            self.client.force_login(user)
        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Language"], "en")
        return response.content.decode()

    def assertEnglish(self, html: str) -> str:
        """Apart from the allowed data and terms, the page's visible text has no Chinese;
        returns the visible text."""
        text = visible_text(html)
        rest = ARTICLE_REF.sub(" ", strip(text, self.allowed))
        left = sorted({m.group() for m in CJK.finditer(rest)})
        # (All of the interface left Chinese: is the .mo compiled? accountability compilemessages)
        self.assertEqual(left, [], "Chinese left on an English page")
        return text

    def test_work_queue(self):
        """The work queue's sections, columns and items are in English."""
        html = self.get(reverse("cases:queue"), user=self.case_officer)
        text = self.assertEnglish(html)
        for label in ("My tasks", "Teams to form", "Form the investigation team", "All cases"):
            self.assertIn(label, text)

    def test_case_list(self):
        """The case list's filters, columns and states are in English."""
        html = self.get(reverse("cases:list"), user=self.case_officer)
        text = self.assertEnglish(html)
        for label in ("Case number or summary", "Delivered", "Clue registered", "Accepted"):
            self.assertIn(label, text)

    def test_case_page(self):
        """A delivered case's page: facts, decisions, deliveries, rectification, log."""
        html = self.get(reverse("cases:detail", args=[self.delivered.pk]), user=self.case_officer)
        text = self.assertEnglish(html)
        for label in (
            "What you can do",
            "Investigation team",
            "Decision document",
            "Rectification within a deadline",
            "Progress",
            "Record delivery",
        ):
            self.assertIn(label, text)

    def test_assessment_page(self):
        """The assessment form is in English; the regulation's terms keep their words."""
        html = self.get(reverse("assessment:assess"), user=self.case_officer)
        text = self.assertEnglish(html)
        self.assertIn("Liability assessment", text)
        self.assertIn(self.version.measure_names[0], text)

    def test_document_titles(self):
        """A document's title on the page is the issued paper's title in Chinese, and names
        the same document in English."""
        options = document_selectors.issue_options(case=self.delivered, user=self.case_officer)
        receipts = [o for o in options if o.kind == DocumentKind.DELIVERY_RECEIPT]
        self.assertEqual(len(receipts), 4)
        for option in options:
            party = CaseParty.objects.filter(pk=option.party_id).first()
            subject = document_context.Subject(self.delivered, party, option.recipient)
            self.assertEqual(option.title, document_context.document_title(option.kind, subject))
        with translation.override("en"):
            titles = [
                o.title
                for o in document_selectors.issue_options(
                    case=self.delivered, user=self.case_officer
                )
            ]
        self.assertIn(f"Proof of delivery ({self.personas.people.handler.name}, in person)", titles)

    def test_login_page(self):
        """The login page, before anyone is logged in."""
        text = self.assertEnglish(self.get(reverse("accounts:login")))
        self.assertIn("Log in", text)


class RecordsInTheSourceLanguageTests(PersonasMixin, TestCase):
    """What is stored (records, the audit trail, the paperwork) is Chinese even when the
    person works in English."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        committee(cls.personas)
        cls.case = Flow.register(cls.personas).to(State.REPORTED).case

    def test_a_recusal_from_an_english_session(self):
        """The team member's reason for leaving and the audit entry name the kind in Chinese."""
        with translation.override("en"):
            conflict = services.conflict_declare(
                case=self.case,
                actor=self.case_officer,
                kind=ConflictDeclaration.Kind.WITNESS,
                user=self.team_member,
            )
        membership = TeamMembership.objects.get(case=self.case, user=self.team_member)
        self.assertEqual(membership.leave_reason, "回避：曾作为本案证人")
        entry = AuditEntry.objects.filter(target_id=str(conflict.pk)).latest("seq")
        # The target's text is case content, kept as the keyed hash of its Chinese form.
        self.assertEqual(entry.sealed["target"], seal_value(f"{self.team_member}: 曾作为本案证人"))

    def test_a_document_issued_from_an_english_session(self):
        """The issued paper's title and fill-in data are Chinese."""
        media = tempfile.mkdtemp(prefix="i18n-media-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        with override_settings(MEDIA_ROOT=media), translation.override("en"):
            document = document_services.document_issue(
                case=self.case,
                kind=DocumentKind.INTAKE_APPROVAL,
                actor=self.case_officer,
                with_pdf=False,
            )
        self.assertEqual(document.title, "线索受理审批表")
        self.assertIn("群众信访举报", json.dumps(document.context, ensure_ascii=False))


class SeparatorTests(TestCase):
    """Lists and labels put together from pieces use the active language's punctuation."""

    def test_lists_and_labels(self):
        """A list is joined with 、 in Chinese and ", " in English; a label ends in ： or ": "."""
        with translation.override("en"):
            self.assertEqual(join_list(["a", "b"]), "a, b")
            self.assertEqual(label_separator(), ": ")
        with translation.override("zh-hans"):
            self.assertEqual(join_list(["a", "b"]), "a、b")
            self.assertEqual(label_separator(), "：")

    def test_the_template_helpers_escape_what_they_join(self):
        """join_list, colon and paren give the same punctuation in templates, escaped."""
        template = Template("{% load ui %}{{ items|join_list }}{% colon %}{{ note|paren }}")
        context = Context({"items": ["<b>", "c"], "note": "n&m"})
        with translation.override("en"):
            self.assertEqual(template.render(context), "&lt;b&gt;, c:  (n&amp;m)")
        with translation.override("zh-hans"):
            self.assertEqual(template.render(context), "&lt;b&gt;、c：（n&amp;m）")

    def test_records_are_written_in_the_source_language(self):
        """A label evaluated for a record is Chinese even from an English request."""
        with translation.override("en"), source_language():
            self.assertEqual(str(State.DELIVERED.label), "已送达")
        with translation.override("en"):
            self.assertEqual(str(State.DELIVERED.label), "Delivered")
