"""A TestCase with the personas and a media folder of its own, and case walks for documents."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

from django.test import override_settings

from accountability.cases import services as case_services
from accountability.cases.models import Delivery
from accountability.cases.tests.factories import Flow, ago
from accountability.cases.workflow import State
from accountability.common.testing import PersonasTestCase
from accountability.documents import services
from accountability.documents.kinds import DocumentKind


class DocumentsTestCase(PersonasTestCase):
    """Stored files live in a temporary folder for the whole class (setUpTestData included)."""

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
