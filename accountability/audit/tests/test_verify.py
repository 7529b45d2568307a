"""audit_chain_verify: the keyed chain resists whoever can write to the database.

Each test tampers below the ORM, as an insider with database access but without the key
(AUDIT_HMAC_KEY lives in the application's environment, not in the database), and expects
the Chinese sentence naming the first broken entry.
"""

import hashlib
import hmac

import pytest
from django.db import connection
from django.test import override_settings

from accountability.audit import verify
from accountability.audit.anchors import anchors_load
from accountability.audit.keys import current_key
from accountability.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from accountability.audit.services import (
    audit_anchor_create,
    audit_log,
    canonical_json,
    entry_payload,
    head_mac,
    legacy_entry_hash,
)
from accountability.audit.verify import audit_chain_verify

pytestmark = pytest.mark.django_db

COLUMNS = (
    "seq, format, at, actor_name, actor_role, action, target_type, target_id, target_repr,"
    " case_number, changes, sealed, outcome, ip, detail, key_id, prev_hash, hash"
)


def raw_sql(sql, params=()):
    """Tamper below the ORM, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser (or the tables' owner) can switch the triggers off for the session.
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def head_row():
    return AuditChainHead.objects.values_list("seq", "hash", "key_id", "mac").get()


def set_head(seq, hash_, key_id, mac):
    raw_sql(
        "UPDATE audit_auditchainhead SET seq = %s, hash = %s, key_id = %s, mac = %s",
        [seq, hash_, key_id, mac],
    )


def guessed_mac(entry):
    """What an intruder can compute: an HMAC under a key of their own (or plain SM3)."""
    message = b"entry:" + canonical_json(entry_payload(entry)).encode()
    return hmac.new(b"the intruder's guess", message, "sm3").hexdigest()


def insert(entry):
    values = [
        entry.seq,
        entry.format,
        entry.at,
        entry.actor_name,
        entry.actor_role,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.target_repr,
        entry.case_number,
        canonical_json(entry.changes),
        canonical_json(entry.sealed),
        entry.outcome,
        entry.ip,
        entry.detail,
        entry.key_id,
        entry.prev_hash,
        entry.hash,
    ]
    placeholders = ", ".join(["%s"] * len(values))
    raw_sql(f"INSERT INTO audit_auditentry ({COLUMNS}) VALUES ({placeholders})", values)


def forged_after(last, **fields):
    entry = AuditEntry(
        seq=last.seq + 1,
        at=last.at,
        actor_name="张明",
        actor_role="case_officer",
        action="create",
        outcome="success",
        key_id=last.key_id,
        prev_hash=last.hash,
        **fields,
    )
    entry.hash = guessed_mac(entry)
    return entry


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
    assert report.message == verify.CHAIN_OK.format(count=5)
    assert report.notes == (str(verify.NOTE_NO_ANCHOR),)


def test_empty_chain(db):
    """An empty log verifies with 0 entries."""
    assert audit_chain_verify().message == verify.CHAIN_OK.format(count=0)


def test_entries_are_keyed(five_entries):
    """Each entry carries the current key's id and an HMAC-SM3 no one can compute without it."""
    entry = AuditEntry.objects.get(seq=3)
    assert entry.key_id == current_key().key_id
    assert entry.hash != legacy_entry_hash(entry)
    assert entry.hash != guessed_mac(entry)


def test_edited_field_detected(five_entries):
    """Changing one field of entry 3 breaks the chain at 3."""
    raw_sql("UPDATE audit_auditentry SET detail = 'forged' WHERE seq = 3")
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == 3
    assert report.message == verify.CHAIN_EDITED.format(seq=3)


def test_edited_changes_json_detected(five_entries):
    """Changing the recorded changes of entry 2 breaks the chain at 2."""
    raw_sql("UPDATE audit_auditentry SET changes = %s WHERE seq = 2", ['{"x": 1}'])
    assert audit_chain_verify().broken_seq == 2


def test_edited_entry_with_recomputed_hashes_detected(five_entries):
    """Editing entry 2 and recomputing every hash after it (plain SM3, as the old chain
    allowed, and the head too) is caught at entry 2: the hashes need the key."""
    prev = AuditEntry.objects.get(seq=1).hash
    for entry in AuditEntry.objects.filter(seq__gte=2).order_by("seq"):
        if entry.seq == 2:
            entry.detail = "forged"
        entry.prev_hash = prev
        entry.hash = hashlib.new("sm3", canonical_json(entry_payload(entry)).encode()).hexdigest()
        raw_sql(
            "UPDATE audit_auditentry SET detail = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.detail, entry.prev_hash, entry.hash, entry.seq],
        )
        prev = entry.hash
    seq, _hash, key_id, mac = head_row()
    set_head(seq, prev, key_id, mac)
    report = audit_chain_verify()
    assert report.broken_seq == 2
    assert report.message == verify.CHAIN_EDITED.format(seq=2)


def test_forged_appended_entry_detected(five_entries):
    """An entry appended below the application, its MAC computed without the key, is named."""
    insert(forged_after(five_entries[-1], detail="I was never here"))
    report = audit_chain_verify()
    assert report.broken_seq == 6
    assert report.message == verify.CHAIN_EDITED.format(seq=6)


def test_forged_head_detected(five_entries):
    """A chain head moved onto a forged entry needs the head's MAC: it is reported."""
    set_head(5, "a" * 64, current_key().key_id, "b" * 64)
    report = audit_chain_verify()
    assert report.message == verify.CHAIN_HEAD_FORGED.format(seq=5)


def test_deleted_row_detected(five_entries):
    """Deleting entry 2 reports entry 2 missing."""
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 2")
    report = audit_chain_verify()
    assert report.broken_seq == 2
    assert report.message == verify.CHAIN_MISSING.format(seq=2)


def test_deleted_tail_detected(five_entries):
    """Deleting the last entries is caught by the chain head."""
    raw_sql("DELETE FROM audit_auditentry WHERE seq >= 4")
    report = audit_chain_verify()
    assert report.broken_seq == 4
    assert report.message == verify.CHAIN_TAIL_MISSING.format(head=5, last=3)


def test_deleted_tail_with_a_forged_rewound_head_detected(five_entries):
    """Deleting the tail and setting the head back by hand fails on the head's MAC."""
    raw_sql("DELETE FROM audit_auditentry WHERE seq >= 4")
    entry3 = AuditEntry.objects.get(seq=3)
    forged_mac = hmac.new(b"guess", entry3.hash.encode(), "sm3").hexdigest()
    set_head(3, entry3.hash, entry3.key_id, forged_mac)
    assert audit_chain_verify().message == verify.CHAIN_HEAD_FORGED.format(seq=3)


def test_deleted_tail_with_a_replayed_head_caught_by_the_anchor(personas, anchor_dir):
    """The one rewind the key cannot stop: the tail deleted and the head set back to a value
    it really had (copied earlier). The signed anchor taken afterwards proves the chain was
    longer."""
    for _ in range(3):
        audit_log(actor=personas.case_officer, action="create")
    old_head = head_row()
    for _ in range(2):
        audit_log(actor=personas.case_officer, action="create")
    audit_anchor_create()  # anchors seq 5 (and writes entry 6)
    raw_sql("DELETE FROM audit_auditentry WHERE seq > 3")
    set_head(*old_head)
    assert audit_chain_verify().ok  # the database alone agrees with itself …
    anchors, problems = anchors_load(directory=anchor_dir)
    report = audit_chain_verify(anchors=anchors, anchor_problems=problems)
    assert not report.ok  # … the anchor does not
    assert report.message == verify.ANCHOR_SHORT.format(at=anchors[0].at, seq=5, count=3)
    assert report.broken_seq == 4


def test_head_set_back_with_entries_left_detected(five_entries):
    """A head replayed to an earlier value while the entries stay (what the application's
    role could try, having UPDATE on the head) leaves entries behind it: reported."""
    raw_sql("DELETE FROM audit_auditchainhead")
    third = AuditEntry.objects.get(seq=3)
    key = current_key()
    raw_sql(
        "INSERT INTO audit_auditchainhead (id, seq, hash, key_id, mac) VALUES (1, %s, %s, %s, %s)",
        [3, third.hash, key.key_id, head_mac(seq=3, hash=third.hash, key=key)],
    )
    report = audit_chain_verify()
    assert report.broken_seq == 4
    assert report.message == verify.CHAIN_BEYOND_HEAD.format(seq=4, head=3)


def test_everything_deleted_caught_by_the_anchor(five_entries, anchor_dir):
    """Entries and head deleted ("完整 0 条" before): the anchor proves there were entries."""
    audit_anchor_create()
    raw_sql("DELETE FROM audit_auditentry")
    raw_sql("DELETE FROM audit_auditchainhead")
    anchors, _problems = anchors_load(directory=anchor_dir)
    report = audit_chain_verify(anchors=anchors)
    assert report.message == verify.ANCHOR_SHORT.format(at=anchors[0].at, seq=5, count=0)


def test_everything_deleted_shown_by_the_records_that_are_always_audited(personas):
    """Without an anchor, the database itself shows entries must have existed: a case and
    its transition log are written with their audit entries in one transaction."""
    from accountability.cases.models import TransitionLog
    from accountability.cases.tests.factories import Flow

    Flow.register(personas)
    raw_sql("DELETE FROM audit_auditentry")
    raw_sql("DELETE FROM audit_auditchainhead")
    report = audit_chain_verify()
    assert not report.ok
    logs = TransitionLog.objects.count()
    assert logs >= 1
    assert report.message == verify.CHAIN_EMPTY_WITNESSED.format(cases=1, logs=logs, logins=0)


def test_deleted_head_detected_and_its_rebuilding_recorded(five_entries, personas):
    """A deleted head is reported; the next write rebuilds it and records that it did, so
    verification keeps failing (the tail may have gone with the head)."""
    raw_sql("DELETE FROM audit_auditchainhead")
    assert audit_chain_verify().message == verify.CHAIN_HEAD_MISSING.format(count=5)
    audit_log(actor=personas.case_officer, action="create")
    rebuilt = AuditEntry.objects.get(seq=6)
    assert rebuilt.action == AuditEntry.Action.HEAD_REBUILT
    assert audit_chain_verify().message == verify.CHAIN_HEAD_REBUILT.format(seq=6, from_seq=5)


def test_reordered_entries_detected(five_entries):
    """Swapping entries 2 and 3 breaks the link at 2."""
    raw_sql("UPDATE audit_auditentry SET seq = 100 WHERE seq = 2")
    raw_sql("UPDATE audit_auditentry SET seq = 2 WHERE seq = 3")
    raw_sql("UPDATE audit_auditentry SET seq = 3 WHERE seq = 100")
    report = audit_chain_verify()
    assert report.broken_seq == 2
    assert report.message == verify.CHAIN_LINK_BROKEN.format(seq=2)


def test_inserted_entry_detected(five_entries):
    """Renumbering to insert a forged entry, linked to the one before it, fails at the
    insertion point: its MAC needs the key."""
    raw_sql("UPDATE audit_auditentry SET seq = seq + 100 WHERE seq >= 3")
    raw_sql("UPDATE audit_auditentry SET seq = seq - 99 WHERE seq >= 103")
    insert(forged_after(AuditEntry.objects.get(seq=2), detail="forged"))
    report = audit_chain_verify()
    assert report.broken_seq == 3
    assert report.message == verify.CHAIN_EDITED.format(seq=3)


def test_forged_head_hash_detected(five_entries):
    """A chain head whose hash differs from the last entry's, its MAC not recomputed."""
    raw_sql("UPDATE audit_auditchainhead SET hash = %s", ["a" * 64])
    assert audit_chain_verify().message == verify.CHAIN_HEAD_FORGED.format(seq=5)


def test_transition_logs_without_their_entries_detected(personas):
    """A chain rebuilt shorter than the case records it should cover is reported."""
    from accountability.cases.models import TransitionLog
    from accountability.cases.tests.factories import Flow

    Flow.register(personas)
    raw_sql("DELETE FROM audit_auditentry")
    raw_sql("DELETE FROM audit_auditchainhead")
    audit_log(actor=personas.case_officer, action="login")
    report = audit_chain_verify()
    logs = TransitionLog.objects.count()
    assert report.message == verify.CHAIN_WITNESS_SHORT.format(logs=logs, audited=0)


# --- keys ---------------------------------------------------------------------------------

OLD_KEY = "11" * 32
NEW_KEY = "22" * 32


def test_a_new_key_continues_from_the_head(personas):
    """After a key change the next entry links to the head written under the old key; with
    the old key listed both parts verify, without it the first old entry is named."""
    with override_settings(AUDIT_HMAC_KEY=OLD_KEY):
        audit_log(actor=personas.case_officer, action="create")
        audit_log(actor=personas.case_officer, action="create")
        old_id = current_key().key_id
    with override_settings(AUDIT_HMAC_KEY=NEW_KEY, AUDIT_HMAC_OLD_KEYS=[OLD_KEY]):
        third = audit_log(actor=personas.case_officer, action="create")
        assert third.key_id != old_id
        assert third.prev_hash == AuditEntry.objects.get(seq=2).hash
        assert audit_chain_verify().ok
    with override_settings(AUDIT_HMAC_KEY=NEW_KEY, AUDIT_HMAC_OLD_KEYS=[]):
        report = audit_chain_verify()
        assert report.message == verify.CHAIN_UNKNOWN_KEY.format(seq=1, key_id=old_id)


# --- rows of the first format ----------------------------------------------------------------


def legacy_entries(n):
    prev = GENESIS_HASH
    from django.utils import timezone

    for seq in range(1, n + 1):
        entry = AuditEntry(
            seq=seq,
            format=1,
            at=timezone.now(),
            actor_name="张明",
            action="update",
            target_type="cases.caseparty",
            target_id="7",
            target_repr="镇纪干监〔2026〕1号 吴刚",
            changes={"facts": ["", "酒后驾车"]},
            outcome="success",
            detail="",
            prev_hash=prev,
        )
        entry.hash = legacy_entry_hash(entry)
        insert(entry)
        prev = entry.hash
    key = current_key()
    raw_sql(
        "INSERT INTO audit_auditchainhead (id, seq, hash, key_id, mac) VALUES (1, %s, %s, %s, %s)",
        [n, prev, key.key_id, head_mac(seq=n, hash=prev, key=key)],
    )


def test_rows_of_the_first_format_verify_honestly(personas):
    """Old rows (plain SM3) verify before the first keyed entry, and the report says that
    they only prove their own consistency."""
    legacy_entries(2)
    audit_log(actor=personas.case_officer, action="create")
    report = audit_chain_verify()
    assert report.ok
    assert report.legacy == 2
    assert str(verify.NOTE_LEGACY.format(count=2)) in report.notes


def test_a_first_format_row_after_keyed_ones_is_forged(five_entries):
    """A plain-SM3 row appended after keyed entries is a forgery, whatever its hash."""
    last = five_entries[-1]
    forged = forged_after(last)
    forged.format = 1
    forged.key_id = ""
    forged.hash = legacy_entry_hash(forged)
    insert(forged)
    report = audit_chain_verify()
    assert report.message == verify.CHAIN_LEGACY_AFTER_KEYED.format(seq=6)
