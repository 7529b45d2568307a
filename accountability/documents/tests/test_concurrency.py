"""Two officers issuing at once: 发文字号 stay unique and gap-free (PostgreSQL row locks).

Run against PostgreSQL (DATABASE_URL=postgres://…); on SQLite, which has no row locks
and lets one writer in at a time, these tests skip with the reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from accountability.cases.tests.factories import Flow
from accountability.cases.workflow import State
from accountability.common.errors import DomainError
from accountability.documents import services
from accountability.documents.kinds import DocumentKind
from accountability.documents.models import DocumentNumberSequence, IssuedDocument

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL for concurrent row locks: "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/accountability"
        )


def _run_together(jobs: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Start every job at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            value = job()
            with lock:
                results.append(value)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_concurrent_issues_get_distinct_consecutive_numbers(postgres, personas):
    """Six officers issue six decision documents in six cases at once: numbers 1–6."""
    p = personas
    people = [
        p.people.handler,
        p.people.direct,
        p.people.township_handler,
        p.people.office_head,
        p.people.dispatched_head,
        p.people.inspection_head,
    ]
    parties = []
    for person in people[:THREADS]:
        flow = Flow.register(p, person).to(State.DECIDED)
        parties.append((flow.case, flow.parties[0]))

    def job(case, party):
        return lambda: (
            services.document_issue(
                case=case,
                kind=DocumentKind.DECISION,
                actor=p.case_officer,
                party=party,
                with_pdf=False,
            ).number
        )

    numbers, errors = _run_together([job(case, party) for case, party in parties])
    assert not errors, errors
    year = timezone.localdate().year
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"镇纪监干〔{year}〕{n}号" for n in range(1, THREADS + 1)
    ]
    assert DocumentNumberSequence.objects.get(prefix="镇纪监干", year=year).last == THREADS
    assert IssuedDocument.objects.count() == THREADS


def test_the_same_paper_issued_twice_at_once_is_issued_once(postgres, personas):
    """Two officers press 印发 on the same filing report: one gets it, the other is told."""
    p = personas
    flow = Flow.register(p, p.people.handler).to(State.DECIDED)
    services.document_issue(
        case=flow.case,
        kind=DocumentKind.DECISION,
        actor=p.case_officer,
        party=flow.parties[0],
        with_pdf=False,
    )

    def job():
        return services.document_issue(
            case=flow.case,
            kind=DocumentKind.FILING_REPORT,
            actor=p.case_officer,
            with_pdf=False,
        ).number

    numbers, errors = _run_together([job, job])
    assert len(numbers) == 1
    assert len(errors) == 1 and isinstance(errors[0], DomainError)
    assert errors[0].code == "already_issued"
    year = timezone.localdate().year
    assert numbers == [f"镇纪监干〔{year}〕2号"]
    assert DocumentNumberSequence.objects.get(prefix="镇纪监干", year=year).last == 2
