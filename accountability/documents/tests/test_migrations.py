"""Migration 0003 moves a PDF stored with its document onto a DocumentPdf, and back."""

from __future__ import annotations

import shutil
import tempfile

from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase, override_settings

from accountability.cases.tests.factories import Flow
from accountability.cases.workflow import State
from accountability.demo.testing import make_personas
from accountability.documents import render, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import DocumentPdf

BEFORE = ("documents", "0002_template_uploads_and_drafts")
AFTER = ("documents", "0003_pdf_made_by_the_worker")


def migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


class PdfMigrationTests(TransactionTestCase):
    def setUp(self) -> None:
        self.media = tempfile.mkdtemp(prefix="documents-migration-")
        self.settings = override_settings(MEDIA_ROOT=self.media)
        self.settings.enable()
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        self.addCleanup(self.settings.disable)

    def test_a_stored_pdf_survives_the_migration_down_and_up(self):
        personas = make_personas()
        flow = Flow.register(personas, personas.people.handler).to(State.DECIDED)
        document = services.document_issue(
            case=flow.case,
            kind=DocumentKind.DECISION,
            actor=personas.case_officer,
            party=flow.parties[0],
            with_pdf=False,
        )
        data = b"%PDF-1.7 stored with the document"
        copy = DocumentPdf(
            document=document,
            state=DocumentPdf.State.READY,
            sha256=render.sha256_hex(data),
            sm3=render.sm3_hex(data),
            requested_by=personas.case_officer,
        )
        copy.file.save("document.pdf", ContentFile(data), save=False)
        copy.save()
        name = copy.file.name
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pdf, pdf_sha256, pdf_sm3 FROM documents_issueddocument WHERE id = %s",
                [document.pk],
            )
            self.assertEqual(cursor.fetchone(), (name, copy.sha256, copy.sm3))
        migrate(AFTER)
        moved = DocumentPdf.objects.get(document_id=document.pk)
        self.assertEqual(
            (moved.state, moved.file.name, moved.sha256, moved.sm3),
            (DocumentPdf.State.READY, name, copy.sha256, copy.sm3),
        )
        self.assertEqual(moved.requested_by_id, personas.case_officer.pk)
        self.assertEqual(services.document_content(document=document, fmt="pdf").content, data)
