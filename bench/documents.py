"""Throughput of the document layer, and what issuing a document costs everybody else.

1. .docx: every kind's sample context rendered through its shipped template (docxtpl, in the
   sandbox), documents per second.
2. PDF: LibreOffice headless, one run per document (what a conversion per issue would cost)
   against one run for a batch (what the worker's conversion job does), documents per second
   and the ratio, measured in this run.
3. Waiting (PostgreSQL only): while one officer issues a decision document, another user's
   audited action (here an audit entry such as a login writes) is timed again and again. The
   issue the old way (the audit chain's lock taken first, as recording the decision did, then
   the .docx and the PDF made inside the transaction) and the issue as it is now (the document
   stored, its PDF queued for the worker, the audit entries last) are measured in this run, on
   a database of their own (test_<name>, created and dropped here), and printed as a ratio.

Run: .venv/bin/python bench/documents.py [--docx N] [--pdf N] [--batch N] [--issues N]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/acc_x .venv/bin/python bench/documents.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("JOBS_QUEUE", f"bench-{os.getpid()}")

import django

django.setup()

from accountability.documents import pdf, render, samples, sandbox  # noqa: E402
from accountability.documents.kinds import DocumentKind  # noqa: E402

KINDS = [k.value for k in DocumentKind]


def bench_docx(count: int) -> tuple[float, list[bytes]]:
    templates = {k: render.shipped_template(k) for k in KINDS}
    contexts = {k: samples.sample_context(k) for k in KINDS}
    fields = {k: sandbox.fields_for(k) for k in KINDS}
    made = []
    start = time.perf_counter()
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        made.append(
            render.render_docx(templates[kind], contexts[kind], fields=fields[kind], inspect=False)
        )
    return time.perf_counter() - start, made


def bench_pdf(documents: list[bytes], single: int, batch: int) -> None:
    pdf.docx_to_pdf(documents[0])  # the first start warms the disk cache
    start = time.perf_counter()
    for document in documents[:single]:
        pdf.docx_to_pdf(document)
    one_each = single / (time.perf_counter() - start)
    print(f"PDF, one LibreOffice run per document: {single} documents, {one_each:.2f} documents/s")
    many = (documents * (batch // len(documents) + 1))[:batch]
    start = time.perf_counter()
    pdf.docx_to_pdf_many(many)
    batched = batch / (time.perf_counter() - start)
    print(
        f"PDF, {batch} documents in one run (the conversion job): {batched:.2f} documents/s "
        f"= {batched / one_each:.1f}× one run per document"
    )


# --- waiting for the audit chain while a document is issued ------------------------------


def _other_audited_action(user, stop: threading.Event, waits: list[float]) -> None:
    """Another user's audited action, again and again, each in its own transaction."""
    from django.db import connection

    from accountability.audit.services import audit_log

    try:
        while not stop.is_set():
            start = time.perf_counter()
            audit_log(actor=user, action="login", detail="bench")
            waits.append(time.perf_counter() - start)
            time.sleep(0.005)
    finally:
        connection.close()


def _issue_before(case, party, actor) -> None:
    """The issue as it was: the audit chain's lock first (recording the decision as issued
    wrote its audit entry before anything else), then the .docx and the PDF conversion, all
    inside the one transaction."""
    from django.db import transaction

    from accountability.audit.services import audit_log
    from accountability.documents import services

    with transaction.atomic():
        audit_log(actor=actor, action="update", target=party.decision, detail="bench: 旧顺序")
        document = services.document_issue(
            case=case, kind=DocumentKind.DECISION, actor=actor, party=party, with_pdf=False
        )
        pdf.docx_to_pdf(document.docx.open("rb").read())


def _issue_now(case, party, actor) -> None:
    from accountability.documents import services

    services.document_issue(case=case, kind=DocumentKind.DECISION, actor=actor, party=party)


def _measure(issue, cases, actor, other) -> tuple[float, float, float]:
    """(seconds an issue takes, the longest and the median wait of the other action)."""
    durations: list[float] = []
    waits: list[float] = []
    for case, party in cases:
        stop = threading.Event()
        thread = threading.Thread(target=_other_audited_action, args=(other, stop, waits))
        thread.start()
        time.sleep(0.05)
        start = time.perf_counter()
        issue(case, party, actor)
        durations.append(time.perf_counter() - start)
        time.sleep(0.05)
        stop.set()
        thread.join()
    return statistics.median(durations), max(waits), statistics.median(waits)


def bench_waiting(issues: int) -> None:
    import tempfile

    from django.db import connection
    from django.test.utils import override_settings

    if connection.vendor != "postgresql":
        print("Waiting: skipped, needs PostgreSQL (DATABASE_URL=postgres://…)")
        return
    if not pdf.pdf_available():
        print("Waiting: skipped, LibreOffice (soffice) is not installed")
        return
    from accountability.cases.tests.factories import Flow
    from accountability.cases.workflow import State
    from accountability.demo.testing import make_personas
    from accountability.jobs.testing import clear_queue

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    media = tempfile.mkdtemp(prefix="bench-media-")
    try:
        with override_settings(MEDIA_ROOT=media):
            personas = make_personas()
            people = [
                personas.people.handler,
                personas.people.direct,
                personas.people.township_handler,
                personas.people.office_head,
                personas.people.dispatched_head,
                personas.people.inspection_head,
            ]
            flows = [Flow.register(personas, *people).to(State.DECIDED) for _ in range(2)]
            subjects = [(flow.case, party) for flow in flows for party in flow.parties]
            count = min(issues, len(subjects) // 2)
            before = _measure(
                _issue_before, subjects[:count], personas.case_officer, personas.office_head
            )
            now = _measure(
                _issue_now,
                subjects[count : 2 * count],
                personas.case_officer,
                personas.office_head,
            )
            clear_queue()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        import shutil

        shutil.rmtree(media, ignore_errors=True)
    for label, (issue, longest, median) in (("before", before), ("now", now)):
        print(
            f"Issuing a decision document, {label}: {issue:.2f} s per issue; another audited "
            f"action meanwhile waits up to {longest:.2f} s (median {median * 1000:.0f} ms)"
        )
    print(
        f"Another audited action's longest wait during an issue: now {now[1]:.3f} s against "
        f"{before[1]:.2f} s before = {before[1] / max(now[1], 1e-6):.0f}× shorter "
        f"({count} issues each, PostgreSQL)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docx", type=int, default=400, help="documents to render")
    parser.add_argument("--pdf", type=int, default=8, help="documents converted one run each")
    parser.add_argument("--batch", type=int, default=32, help="documents in one batch run")
    parser.add_argument("--issues", type=int, default=4, help="issues timed each way")
    args = parser.parse_args()

    seconds, documents = bench_docx(args.docx)
    size = sum(len(d) for d in documents) / len(documents) / 1024
    print(
        f".docx (docxtpl in the sandbox, {len(KINDS)} kinds round robin): {args.docx} "
        f"documents in {seconds:.2f} s = {args.docx / seconds:.1f} documents/s "
        f"(average {size:.0f} KiB)"
    )
    if not pdf.pdf_available():
        print("PDF: skipped, LibreOffice (soffice) is not installed")
    else:
        bench_pdf(documents[: len(KINDS)], args.pdf, args.batch)
    bench_waiting(args.issues)
    return 0


if __name__ == "__main__":
    sys.exit(main())
