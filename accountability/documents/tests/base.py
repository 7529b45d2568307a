"""A TestCase with the personas and a media folder of its own, and case walks for documents."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accountability.cases import services as case_services
from accountability.cases.models import Delivery
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.demo.testing import PersonasTestCase
from accountability.documents import office_templates, services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import TemplateUpload
from accountability.jobs.testing import clear_queue, run_jobs


class DocumentsTestCase(PersonasTestCase):
    """Stored files live in a temporary folder for the whole class (setUpTestData included);
    each test starts with this process's job queue empty."""

    @classmethod
    def setUpClass(cls) -> None:
        cls._media_dir = tempfile.mkdtemp(prefix="documents-test-")
        cls._media = override_settings(MEDIA_ROOT=cls._media_dir)
        cls._media.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            super().tearDownClass()
        finally:
            cls._media.disable()
            shutil.rmtree(cls._media_dir, ignore_errors=True)

    def setUp(self) -> None:
        super().setUp()
        clear_queue()
        self.addCleanup(clear_queue)

    def stored_files(self) -> set[Path]:
        """Every file under this class's MEDIA_ROOT."""
        return {p for p in Path(self._media_dir).rglob("*") if p.is_file()}

    def upload_template(
        self, kind: str, name: str, content: bytes, *, actor: Any = None, note: str = ""
    ) -> TemplateUpload:
        """Upload through the service, then run the check job for real; the upload, checked."""
        with self.captureOnCommitCallbacks(execute=True):
            row = office_templates.template_upload(
                kind=kind,
                upload=SimpleUploadedFile(name, content, "application/octet-stream"),
                actor=actor or self.office_head,
                note=note,
            )
        self.assertEqual(row.state, TemplateUpload.State.CHECKING)
        run_jobs()
        row.refresh_from_db()
        assert row.job is not None
        row.job.refresh_from_db()
        return row


def decided(personas: Any, *persons: Any) -> Flow:
    """A case about `persons` (default: the handler and the direct person) at 已决定."""
    p = personas
    return Flow.register(p, *(persons or (p.people.handler, p.people.direct))).to(State.DECIDED)


def issue_decisions(
    flow: Flow, actor: Any, *, with_pdf: bool = False, days_ago: int = 10
) -> list[Any]:
    """Every person's decision document, issued `days_ago` (so deliveries can follow)."""
    return [
        services.document_issue(
            case=flow.case,
            kind=DocumentKind.DECISION,
            actor=actor,
            party=party,
            issued_on=ago(days_ago),
            with_pdf=with_pdf,
        )
        for party in flow.parties
    ]


def deliver(flow: Flow, actor: Any, *, days_ago: int = 3) -> None:
    for decision in flow.decisions:
        for recipient in (Delivery.Recipient.PERSON, Delivery.Recipient.UNIT):
            case_services.delivery_record(
                decision=decision,
                actor=actor,
                recipient=recipient,
                delivered_on=ago(days_ago),
                manner=Delivery.Manner.DIRECT,
                received_by=decision.party.person.name,
            )


def criminal(personas: Any) -> Flow:
    """A case whose one person's conduct is found 涉嫌犯罪, decided with the referral."""
    p = personas
    flow = Flow.register(p, p.people.handler).accept().investigate()
    party = flow.parties[0]
    case_services.party_facts_update(
        party=party,
        actor=p.team_member,
        role=party.person.role,
        occurred_on=ago(200),
        facts="吴刚在办理信访件时收受他人财物，泄露案情。",
        circumstance=3,
        severity="涉嫌犯罪",
    )
    measures = ("追究", ["开除", "移送司法机关依法处理"], "")
    flow.hear().report({party.person: measures})
    flow.decide(decisions={party.person: measures})
    return flow.refresh()
