"""Throughput of the audit trail's write path, and the log page at scale.

1. audit_log entries per second, each in its own transaction as a request writes it: first the
   previous implementation (plain SM3, values in clear, re-implemented below as the baseline),
   then the keyed chain (HMAC-SM3, key id, keyed head, case content sealed), on the same
   database in the same run; printed with their ratio.
2. Verification: entries per second of audit_chain_verify.
3. The log page's query on --rows entries: the old Paginator (COUNT(*) then OFFSET) against the
   keyset page (seq < before LIMIT 51), filtered by event type; printed with their ratio.

Run: .venv/bin/python bench/audit.py [--entries N] [--rows N]
(SQLite in a temporary folder by default; DATABASE_URL=postgres://… TEST_DATABASE_NAME=… for
PostgreSQL, where a scratch test database is created and dropped.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_scratch = tempfile.mkdtemp(prefix="bench-audit-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accountability.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry  # noqa: E402
from accountability.audit.selectors import audit_entry_list, audit_entry_page  # noqa: E402
from accountability.audit.services import HEAD_PK, audit_log, canonical_json  # noqa: E402
from accountability.audit.verify import audit_chain_verify  # noqa: E402

CASE_TARGET = ("cases.caseparty", "12", "镇纪干监〔2026〕3号 吴刚")
CASE_CHANGES = {
    "case": "镇纪干监〔2026〕3号",
    "action": "party_facts_update",
    "facts": ["", "吴刚在办理信访件时未按规定报批，造成不良影响。"],
    "severity": ["", "较轻"],
    "circumstance": [None, 3],
    "occurred_on": [None, "2026-03-01"],
}
LOGIN_TARGET = ("accounts.user", "7", "张明")


def legacy_audit_log(*, action, target, changes, detail="") -> None:
    """The write path before the keyed chain (commit 6acb90a), as the baseline."""
    kind, ident, text = target
    normalised = json.loads(canonical_json(changes or {}))
    with transaction.atomic():
        AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=models.F("seq"))
        head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=HEAD_PK, seq=0, hash=GENESIS_HASH)
        entry = AuditEntry(
            seq=head.seq + 1,
            format=1,
            at=timezone.now(),
            actor_name="张明",
            action=action,
            target_type=kind,
            target_id=ident,
            target_repr=text,
            changes=normalised,
            outcome="success",
            detail=detail,
            prev_hash=head.hash,
        )
        payload = {
            "seq": entry.seq,
            "at": entry.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor_id": None,
            "actor_name": entry.actor_name,
            "action": action,
            "target_type": kind,
            "target_id": ident,
            "target_repr": text,
            "changes": normalised,
            "outcome": "success",
            "ip": "",
            "detail": detail,
            "prev_hash": entry.prev_hash,
        }
        entry.hash = hashlib.new("sm3", canonical_json(payload).encode()).hexdigest()
        entry.save()
        AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=entry.seq, hash=entry.hash)


def write(count: int, log) -> float:
    start = time.perf_counter()
    for index in range(count):
        if index % 2:
            log(action="login", target=LOGIN_TARGET, changes={})
        else:
            log(action="update", target=CASE_TARGET, changes=CASE_CHANGES, detail="认定事实")
    return count / (time.perf_counter() - start)


def bulk_rows(count: int) -> None:
    """Filler rows for the page query (not a valid chain: only the page is timed)."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    now = timezone.now()
    actions = ["create", "update", "view", "login", "transition"]
    batch = []
    for index in range(count):
        batch.append(
            AuditEntry(
                seq=last + index + 1,
                at=now,
                actor_name="张明",
                action=actions[index % len(actions)],
                outcome="success",
                prev_hash=GENESIS_HASH,
                hash=GENESIS_HASH,
            )
        )
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def time_it(func, repeat: int = 20) -> float:
    func()
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - start) / repeat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=2000, help="entries written per variant")
    parser.add_argument("--rows", type=int, default=200_000, help="rows for the page query")
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor}")
        before = write(args.entries, legacy_audit_log)
        after = write(args.entries, audit_log)
        print(f"audit_log before (plain SM3, values in clear): {before:.0f} entries/s")
        print(f"audit_log after (HMAC-SM3, keyed head, content sealed): {after:.0f} entries/s")
        print(f"ratio after/before: {after / before:.2f}")

        start = time.perf_counter()
        report = audit_chain_verify()
        seconds = time.perf_counter() - start
        assert report.ok, report.message
        print(
            f"verify-audit: {report.count} entries in {seconds:.2f} s = "
            f"{report.count / seconds:.0f} entries/s"
        )

        bulk_rows(args.rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE audit_auditentry")
        entries = audit_entry_list(action="update")

        def old_page():
            page = Paginator(entries, 50).get_page(40)
            return list(page)

        def keyset_page():
            return audit_entry_page(entries, before=args.rows // 2).entries

        old, new = time_it(old_page), time_it(keyset_page)
        print(f"log page on {args.rows + 2 * args.entries} rows, filtered by event type:")
        print(f"  Paginator (COUNT + OFFSET, page 40): {old * 1000:.1f} ms")
        print(f"  keyset (seq < before LIMIT 51): {new * 1000:.1f} ms")
        print(f"  ratio keyset/Paginator: {new / old:.3f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
