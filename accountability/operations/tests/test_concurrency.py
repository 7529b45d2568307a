"""Ten clue registrations at the same moment all succeed, on SQLite and on PostgreSQL.

The requests go to gunicorn in another process (two workers of five threads, the production
configuration), each on its own database connection, so they really compete for the write
lock and for the case-number sequence. On SQLite the in-memory test database is copied to a
file for the server and the result copied back (an in-memory database cannot be shared
between processes, and within one process Django serialises its use).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import threading
from pathlib import Path

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from accountability.audit.selectors import audit_chain_verify
from accountability.cases.crypto import decrypt_text
from accountability.cases.models import Case
from accountability.demo.testing import make_personas
from accountability.operations.testing import LiveServer, database_url, login_session

CLUES = 10


class ConcurrentClueRegistrationTests(TransactionTestCase):
    def test_ten_simultaneous_registrations_all_succeed_with_gap_free_numbers(self):
        personas = make_personas()
        sessions = [login_session(personas.case_officer) for _ in range(CLUES)]
        folder = Path(tempfile.mkdtemp(prefix="concurrency-"))
        self.addCleanup(shutil.rmtree, folder, True)
        if connection.vendor == "sqlite":
            file = folder / "db.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(file) as target:
                connection.connection.backup(target)
            url = f"sqlite:///{file}"
        else:
            url = database_url(connection.settings_dict)
        results: list[tuple[int, str, str]] = []
        barrier = threading.Barrier(CLUES)
        today = timezone.localdate()

        with LiveServer(url, env={"MEDIA_ROOT": str(folder / "media")}) as server:

            def register(i: int) -> None:
                data = {
                    "source": Case.Source.PETITION,
                    "received_on": today.isoformat(),
                    "summary": f"并发登记的第 {i} 条问题线索。",
                    "handling_opinion": "建议受理。",
                    "informant_name": f"群众{i}",
                    "informant_contact": f"1380000000{i}",
                    "persons": [personas.people.handler.pk],
                }
                barrier.wait()
                results.append(server.post("/cases/new/", data, session=sessions[i]))

            threads = [threading.Thread(target=register, args=(i,)) for i in range(CLUES)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        if connection.vendor == "sqlite":
            with sqlite3.connect(file) as source:
                source.backup(connection.connection)
        statuses = sorted(status for status, _location, _body in results)
        self.assertEqual(statuses, [302] * CLUES, [b[:300] for s, _l, b in results if s != 302])
        self.assertTrue(all(re.search(r"/cases/\d+/$", loc) for _s, loc, _b in results))
        numbers = sorted(
            int(re.search(r"〔\d{4}〕(\d+)号", n).group(1))
            for n in Case.objects.values_list("number", flat=True)
        )
        self.assertEqual(numbers, list(range(1, CLUES + 1)))
        informants = {decrypt_text(c.informant_name_enc) for c in Case.objects.all()}
        self.assertEqual(informants, {f"群众{i}" for i in range(CLUES)})
        report = audit_chain_verify()
        self.assertTrue(report.ok, report.message)
        self.assertGreaterEqual(report.count, CLUES)
