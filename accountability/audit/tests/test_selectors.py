"""audit_chain_verify: recomputes the chain and names the first broken entry."""

import pytest
from django.db import connection

from accountability.audit.selectors import (
    CHAIN_EDITED,
    CHAIN_HEAD_MISMATCH,
    CHAIN_LINK_BROKEN,
    CHAIN_MISSING,
    CHAIN_OK,
    CHAIN_TAIL_MISSING,
    audit_chain_verify,
    audit_entry_list,
)
from accountability.audit.services import audit_log

pytestmark = pytest.mark.django_db


def raw_sql(sql, params=()):
    """Tamper below the ORM, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch the append-only trigger off for the session.
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


@pytest.fixture
def five_entries(personas):
    return [
        audit_log(actor=personas.case_officer, action="create", detail=f"entry {i}")
        for i in range(1, 6)
    ]


def test_intact_chain(five_entries):
    """An untouched log verifies, with its entry count."""
    report = audit_chain_verify()
    assert report.ok
    assert report.count == 5
    assert report.message == CHAIN_OK.format(count=5)


def test_empty_chain(db):
    """An empty log verifies with 0 entries."""
    assert audit_chain_verify().message == CHAIN_OK.format(count=0)


def test_edited_field_detected(five_entries):
    """Changing one field of entry 3 breaks the chain at 3."""
    raw_sql("UPDATE audit_auditentry SET detail = 'forged' WHERE seq = 3")
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == 3
    assert report.message == CHAIN_EDITED.format(seq=3)


def test_edited_changes_json_detected(five_entries):
    """Changing the recorded changes of entry 2 breaks the chain at 2."""
    raw_sql("UPDATE audit_auditentry SET changes = %s WHERE seq = 2", ['{"x": 1}'])
    assert audit_chain_verify().broken_seq == 2


def test_edited_and_rehashed_entry_detected_by_the_next(five_entries):
    """Recomputing an edited entry's own hash still breaks the link of the entry after it."""
    from accountability.audit.models import AuditEntry
    from accountability.audit.services import entry_hash

    entry = AuditEntry.objects.get(seq=2)
    entry.detail = "forged"
    raw_sql(
        "UPDATE audit_auditentry SET detail = %s, hash = %s WHERE seq = 2",
        ["forged", entry_hash(entry)],
    )
    report = audit_chain_verify()
    assert report.broken_seq == 3
    assert report.message == CHAIN_LINK_BROKEN.format(seq=3)


def test_deleted_row_detected(five_entries):
    """Deleting entry 2 reports entry 2 missing."""
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 2")
    report = audit_chain_verify()
    assert report.broken_seq == 2
    assert report.message == CHAIN_MISSING.format(seq=2)


def test_deleted_tail_detected(five_entries):
    """Deleting the last entry is caught by the chain head."""
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 5")
    report = audit_chain_verify()
    assert report.broken_seq == 5
    assert report.message == CHAIN_TAIL_MISSING.format(head=5, last=4)


def test_inserted_row_detected(five_entries):
    """Renumbering to insert a forged entry breaks the link at the insertion point."""
    from accountability.audit.models import AuditEntry

    raw_sql("UPDATE audit_auditentry SET seq = seq + 100 WHERE seq >= 3")
    raw_sql("UPDATE audit_auditentry SET seq = seq - 99 WHERE seq >= 103")
    entry = AuditEntry.objects.get(seq=2)
    raw_sql(
        "INSERT INTO audit_auditentry (seq, at, actor_name, action, target_type, target_id,"
        " target_repr, changes, outcome, ip, detail, prev_hash, hash)"
        " VALUES (3, %s, 'x', 'create', '', '', '', '{}', 'success', '', 'forged', %s, %s)",
        [entry.at, entry.hash, "f" * 64],
    )
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == 3
    assert report.message == CHAIN_EDITED.format(seq=3)


def test_forged_head_detected(five_entries):
    """A chain head whose hash differs from the last entry's is reported."""
    raw_sql("UPDATE audit_auditchainhead SET hash = %s", ["a" * 64])
    assert audit_chain_verify().message == CHAIN_HEAD_MISMATCH.format(seq=5)


def test_list_filters(personas):
    """The list filters by actor (name or username), action and day."""
    import datetime

    from django.utils import timezone

    audit_log(actor=personas.case_officer, action="create")
    audit_log(actor=personas.office_head, action="update")
    audit_log(actor=None, action="login_failed", outcome="failure")
    assert [e.action for e in audit_entry_list(actor="张明")] == ["create"]
    assert [e.action for e in audit_entry_list(actor="office_head")] == ["update"]
    assert [e.action for e in audit_entry_list(action="login_failed")] == ["login_failed"]
    today = timezone.localdate()
    assert audit_entry_list(date_from=today, date_to=today).count() == 3
    assert audit_entry_list(date_to=today - datetime.timedelta(days=1)).count() == 0
