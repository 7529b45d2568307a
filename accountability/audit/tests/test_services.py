"""audit_log: one appended, hash-chained entry per call; rows cannot change."""

import pytest
from django.db import connection
from django.test import RequestFactory

from accountability.audit.keys import current_key
from accountability.audit.models import (
    APPEND_ONLY_MESSAGE,
    GENESIS_HASH,
    AppendOnlyError,
    AuditChainHead,
    AuditEntry,
)
from accountability.audit.services import (
    ANONYMOUS_ACTOR_NAME,
    audit_log,
    entry_hash,
    head_mac,
    seal_value,
)

pytestmark = pytest.mark.django_db


def test_first_entry_links_to_genesis(personas):
    """The first entry's prev_hash is the genesis hash; its hash an HMAC-SM3 (64 hex digits)
    under the current key, whose id it names."""
    entry = audit_log(actor=personas.case_officer, action="create", target=personas.county)
    assert entry.seq == 1
    assert entry.prev_hash == GENESIS_HASH
    assert len(entry.hash) == 64
    assert entry.key_id == current_key().key_id
    assert entry.hash == entry_hash(AuditEntry.objects.get(pk=entry.pk))


def test_entries_chain(personas):
    """Each entry carries the previous entry's hash and the head follows the last one."""
    first = audit_log(actor=personas.case_officer, action="create")
    second = audit_log(actor=personas.office_head, action="update", changes={"a": [1, 2]})
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (second.seq, second.hash)
    assert head.mac == head_mac(seq=second.seq, hash=second.hash, key=current_key())


def test_snapshot_of_actor_target_and_request(personas):
    """The entry keeps the actor's name and role, the target's type and id, the IP; a
    person's record is content: its name, the values and the detail are kept only as
    keyed hashes, under their field names."""
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7")
    entry = audit_log(
        actor=personas.case_officer,
        action="update",
        target=personas.people.handler,
        changes={"post": ["科员", "副主任"], "when": __import__("datetime").date(2026, 1, 2)},
        request=request,
        detail="调整职务",
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor_name, entry.actor_role) == ("张明", "case_officer")
    assert entry.target_type == "people.person"
    assert entry.target_id == str(personas.people.handler.pk)
    assert entry.target_repr == ""
    assert entry.ip == "10.0.0.7"
    assert entry.changes == {}
    assert entry.detail == ""
    assert entry.sealed == {
        "fields": {
            "post": seal_value(["科员", "副主任"]),
            "when": seal_value("2026-01-02"),
        },
        "target": seal_value("吴刚"),
        "detail": seal_value("调整职务"),
    }
    assert entry.hash == entry_hash(entry)


def test_administration_stays_in_clear(personas):
    """An account's change (the role an administrator gave) is shown in full."""
    entry = audit_log(
        actor=personas.system_admin,
        action="update",
        target=personas.case_officer,
        changes={"role": ["case_officer", "office_head"]},
        detail="调岗",
    )
    assert entry.target_repr == "张明"
    assert entry.changes == {"role": ["case_officer", "office_head"]}
    assert entry.detail == "调岗"
    assert entry.sealed == {}


def test_case_number_and_procedure_stay_in_clear(personas):
    """In the case domain the case number, the step and the state are clear; the rest is
    sealed."""
    entry = audit_log(
        actor=personas.case_officer,
        action="transition",
        target=("cases.caseparty", "9", "镇纪干监〔2026〕3号 吴刚"),
        changes={"case": "镇纪干监〔2026〕3号", "action": "report_submit", "party": "吴刚"},
        detail="调查报告摘要",
    )
    assert entry.case_number == "镇纪干监〔2026〕3号"
    assert entry.changes == {"case": "镇纪干监〔2026〕3号", "action": "report_submit"}
    assert set(entry.sealed) == {"fields", "target", "detail"}
    assert list(entry.sealed["fields"]) == ["party"]


def test_a_keyed_hash_reveals_nothing_without_the_key(personas):
    """The same value sealed under two keys gives two unrelated hashes."""
    from django.test import override_settings

    with override_settings(AUDIT_HMAC_KEY="aa" * 32):
        first = seal_value("诫勉")
    with override_settings(AUDIT_HMAC_KEY="bb" * 32):
        second = seal_value("诫勉")
    assert first != second
    assert len(first) == 64


def test_anonymous_actor(db):
    """Without an actor (a failed login) the entry names the actor 匿名."""
    entry = audit_log(actor=None, action="login_failed", outcome="failure", detail="nobody")
    assert entry.actor is None
    assert entry.actor_name == ANONYMOUS_ACTOR_NAME
    assert entry.outcome == "failure"


def test_request_user_is_the_default_actor(personas):
    """Given only a request, the logged-in user of the request is the actor."""
    request = RequestFactory().get("/")
    request.user = personas.audit_admin
    entry = audit_log(action="view", request=request)
    assert entry.actor == personas.audit_admin


def test_rollback_leaves_no_entry(personas):
    """An entry written in a transaction that fails disappears with it, the chain intact."""
    from django.db import transaction

    audit_log(actor=personas.case_officer, action="create")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_log(actor=personas.case_officer, action="update")
        raise RuntimeError
    entry = audit_log(actor=personas.case_officer, action="delete")
    assert entry.seq == 2
    assert AuditEntry.objects.count() == 2


def test_entries_cannot_be_changed_through_the_orm(personas):
    """save() of an existing row, delete(), queryset update() and delete() are refused."""
    entry = audit_log(actor=personas.case_officer, action="create")
    entry.detail = "changed"
    with pytest.raises(AppendOnlyError, match=APPEND_ONLY_MESSAGE):
        entry.save()
    with pytest.raises(AppendOnlyError, match=APPEND_ONLY_MESSAGE):
        entry.delete()
    with pytest.raises(AppendOnlyError, match=APPEND_ONLY_MESSAGE):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="x")
    with pytest.raises(AppendOnlyError, match=APPEND_ONLY_MESSAGE):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_raw_update(personas):
    """On PostgreSQL the database itself refuses UPDATE on an audit entry."""
    from django.db import DatabaseError, transaction

    entry = audit_log(actor=personas.case_officer, action="create")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [entry.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL only")
def test_postgresql_head_cannot_move_backwards(personas):
    """The head's trigger refuses a rewind, a jump past the last entry and a delete."""
    from django.db import DatabaseError, transaction

    first = audit_log(actor=personas.case_officer, action="create")
    audit_log(actor=personas.case_officer, action="create")
    for sql, params in (
        ("UPDATE audit_auditchainhead SET seq = 1, hash = %s", [first.hash]),
        ("UPDATE audit_auditchainhead SET seq = 3", []),
        ("DELETE FROM audit_auditchainhead", []),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
