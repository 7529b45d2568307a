"""Writing to the audit trail.

Every service that changes something calls `audit_log` inside its own
transaction, so the change and its entry commit or roll back together.
What the entry keeps in clear and what only as a keyed hash is decided here,
centrally, by the target's type (``policy.py``): callers pass what they did
and the audit trail keeps case content out of the auditor's sight.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from accountability.audit.keys import AuditKey, current_key
from accountability.audit.models import (
    ANONYMOUS_ACTOR_NAME,
    GENESIS_HASH,
    KEYED_FORMAT,
    LEGACY_FORMAT,
    AuditChainHead,
    AuditEntry,
)
from accountability.audit.policy import TargetPolicy, policy_for
from accountability.common.i18n import source_language

HEAD_PK = 1
CASE_TYPE = "cases.case"


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def _at(entry: AuditEntry) -> str:
    return entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    """The fields covered by the entry's MAC, in a form that survives a database round trip."""
    if entry.format == LEGACY_FORMAT:
        return {
            "seq": entry.seq,
            "at": _at(entry),
            "actor_id": entry.actor_id,
            "actor_name": entry.actor_name,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": entry.target_id,
            "target_repr": entry.target_repr,
            "changes": entry.changes,
            "outcome": entry.outcome,
            "ip": entry.ip,
            "detail": entry.detail,
            "prev_hash": entry.prev_hash,
        }
    return {
        "format": entry.format,
        "seq": entry.seq,
        "at": _at(entry),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "case_number": entry.case_number,
        "changes": entry.changes,
        "sealed": entry.sealed,
        "outcome": entry.outcome,
        "ip": entry.ip,
        "detail": entry.detail,
        "key_id": entry.key_id,
        "prev_hash": entry.prev_hash,
    }


def legacy_entry_hash(entry: AuditEntry) -> str:
    """Format 1: plain SM3 (GB/T 32905) of the canonical JSON, which includes prev_hash.

    Anyone with database access can recompute it; kept to verify rows written before the
    keyed chain."""
    return hashlib.new("sm3", canonical_json(entry_payload(entry)).encode("utf-8")).hexdigest()


def entry_mac(entry: AuditEntry, key: AuditKey) -> str:
    """Format 2: HMAC-SM3 of the canonical JSON (prev_hash and key id included)."""
    return key.chain_mac(b"entry:" + canonical_json(entry_payload(entry)).encode("utf-8"))


def entry_hash(entry: AuditEntry) -> str:
    """The hash an entry should carry under its format (and the current key for format 2)."""
    if entry.format == LEGACY_FORMAT:
        return legacy_entry_hash(entry)
    return entry_mac(entry, current_key())


def head_mac(*, seq: int, hash: str, key: AuditKey) -> str:
    """The chain head's own MAC: without the key the head cannot be set to a new value."""
    message = canonical_json({"seq": seq, "hash": hash, "key_id": key.key_id})
    return key.chain_mac(b"head:" + message.encode("utf-8"))


def seal_value(value: Any, key: AuditKey | None = None) -> str:
    """The keyed hash (HMAC-SM3) kept instead of a value of case content.

    Whoever holds the key and a candidate value can check that the value is the one
    recorded; the hash alone reveals nothing, even of a short value such as a measure."""
    key = key or current_key()
    return key.content_mac(canonical_json(value).encode("utf-8"))


def _describe_target(target: Any) -> tuple[str, str, str, str]:
    """(type, id, text, case number) of the target; the text may be case content."""
    if target is None:
        return "", "", "", ""
    if isinstance(target, models.Model):
        meta = target._meta
        kind = f"{meta.app_label}.{meta.model_name}"
        return kind, str(target.pk or ""), str(target)[:200], _case_number_of(target, kind)
    if isinstance(target, tuple):
        kind, ident, text = [*target, "", ""][:3]
        return str(kind)[:64], str(ident)[:64], str(text)[:200], ""
    return str(target)[:64], "", "", ""


def _case_number_of(target: models.Model, kind: str) -> str:
    """The case's number when it is at hand without a query (the target or a loaded FK)."""
    if kind == CASE_TYPE:
        return str(getattr(target, "number", "") or "")
    try:
        case_field = target._meta.get_field("case")
    except FieldDoesNotExist:
        return ""
    if getattr(case_field, "is_relation", False) and case_field.is_cached(target):  # type: ignore[union-attr]
        return str(getattr(target.case, "number", "") or "")  # type: ignore[attr-defined]
    return ""


def _split(
    policy: TargetPolicy, action: str, changes: dict[str, Any], key: AuditKey
) -> tuple[dict[str, Any], dict[str, str]]:
    """(values that may be shown, {field: keyed hash} of the others)."""
    clear: dict[str, Any] = {}
    sealed: dict[str, str] = {}
    if action in policy.record_keyed_actions:
        if policy.records_key is None:
            records, changes = changes, {}
        else:
            changes = dict(changes)
            records = changes.pop(policy.records_key, {}) or {}
        names = sorted(
            {name for diff in records.values() if isinstance(diff, dict) for name in diff}
        )
        clear.update(records=len(records), fields=names)
        if records:
            sealed["records"] = seal_value(records, key)
    for name, value in changes.items():
        if policy.value_is_clear(name):
            clear[name] = value
        else:
            sealed[name] = seal_value(value, key)
    return clear, sealed


def _client_ip(request) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _lock_head() -> tuple[AuditChainHead, int | None]:
    """Take the chain head's row lock (PostgreSQL) or the database's write lock (SQLite).

    Returns the head and, when the head row was missing although entries exist, the seq it
    was rebuilt from (the caller records that: the tail may have been cut off)."""
    for _ in range(2):
        if connection.vendor != "postgresql":
            # A write first: on SQLite it takes the database's write lock before the read.
            AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=models.F("seq"))
        head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
        if head is not None:
            return head, None
        last = AuditEntry.objects.order_by("-seq").first()
        key = current_key()
        seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS_HASH)
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(
                    pk=HEAD_PK,
                    seq=seq,
                    hash=last_hash,
                    key_id=key.key_id,
                    mac=head_mac(seq=seq, hash=last_hash, key=key),
                )
        except IntegrityError:
            continue  # another writer created it first
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
        return head, (seq if last else None)
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK), None


def _append(head: AuditChainHead, entry: AuditEntry, key: AuditKey) -> AuditEntry:
    entry.seq = head.seq + 1
    entry.format = KEYED_FORMAT
    entry.key_id = key.key_id
    entry.prev_hash = head.hash
    entry.hash = entry_mac(entry, key)
    entry.save()
    head.seq, head.hash, head.key_id = entry.seq, entry.hash, key.key_id
    head.mac = head_mac(seq=entry.seq, hash=entry.hash, key=key)
    AuditChainHead.objects.filter(pk=HEAD_PK).update(
        seq=head.seq, hash=head.hash, key_id=head.key_id, mac=head.mac
    )
    return entry


def audit_log(
    *,
    actor=None,
    action: str,
    target: Any = None,
    changes: dict | None = None,
    request=None,
    outcome: str = AuditEntry.Outcome.SUCCESS,
    detail: str = "",
) -> AuditEntry:
    """Append one entry to the chain.

    `actor` is a user or None (falls back to the request's user when logged in);
    `target` is a model instance, a (type, id, text) tuple or a plain label;
    `changes` any JSON-able mapping (dates become ISO strings), usually
    {"field": [old, new]}. By the target's type (policy.py), values of case
    content, the target's own text and the detail are kept only as keyed hashes.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    key = current_key()
    # Entries are written in the source language whatever the user's interface language
    # (a lazy label in ``target`` or ``changes`` becomes Chinese text here).
    with source_language():
        target_type, target_id, target_text, case_number = _describe_target(target)
        normalised = json.loads(canonical_json(changes or {}))
        detail = str(detail)
    policy = policy_for(target_type)
    action = str(action)[:32]
    clear, sealed_fields = _split(policy, action, normalised, key)
    sealed: dict[str, Any] = {}
    if sealed_fields:
        sealed["fields"] = sealed_fields
    if isinstance(clear.get("case"), str) and not case_number:
        case_number = clear["case"]
    if target_type == CASE_TYPE:
        case_number = case_number or target_text
        label = case_number
    elif policy.clear_label:
        label = target_text
    else:
        label = ""
        if target_text:
            sealed["target"] = seal_value(target_text, key)
    if detail and not policy.clear_detail:
        sealed["detail"] = seal_value(detail, key)
        detail = ""
    entry = AuditEntry(
        actor=actor,
        actor_name=(actor.display_name if actor is not None else ANONYMOUS_ACTOR_NAME)[:150],
        actor_role=str(getattr(actor, "role", "") or "")[:32],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=label[:200],
        case_number=case_number[:64],
        changes=clear,
        sealed=sealed,
        outcome=str(outcome),
        ip=_client_ip(request),
        detail=detail,
    )
    with transaction.atomic():
        head, rebuilt_from = _lock_head()
        if rebuilt_from is not None:
            _append(head, _head_rebuilt_entry(rebuilt_from), key)
        entry.at = timezone.now()
        return _append(head, entry, key)


def _head_rebuilt_entry(seq: int) -> AuditEntry:
    """The record that the head row was missing while entries existed (verify-audit fails
    on it: the entries after ``seq`` may have been deleted together with the head)."""
    return AuditEntry(
        at=timezone.now(),
        actor=None,
        actor_name=ANONYMOUS_ACTOR_NAME,
        action=AuditEntry.Action.HEAD_REBUILT,
        target_type="audit.log",
        target_repr="审计链头",
        changes={"rebuilt_from": seq},
        outcome=AuditEntry.Outcome.FAILURE,
    )


def model_changes(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict:
    """{"field": [old, new]} for the fields whose value differs from `before`."""
    result = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if isinstance(new, models.Model):
            new = str(new)
        if isinstance(old, models.Model):
            old = str(old)
        if old != new:
            result[name] = [old, new]
    return result


def audit_anchor_create(*, directory: Any = None) -> Any:
    """Sign the chain head and write the anchor file; the job queue calls this periodically.

    The chain is verified first, from the latest anchor in the directory on (the whole
    chain when there is none), so that a tampered chain is never signed; then, under the
    head's lock, the few entries written meanwhile. The anchor's own audit entry follows
    it in the chain (the next anchor covers it). Returns the Anchor; raises AnchorError
    when verification fails (nothing is signed then)."""
    from pathlib import Path

    from accountability.audit import anchors as anchoring
    from accountability.audit.verify import audit_chain_verify

    directory = Path(directory) if directory else anchoring.anchor_directory()
    known, _problems = anchoring.anchors_load(directory=directory)
    start = None
    if known:
        latest = max(known, key=lambda a: a.seq)
        if AuditEntry.objects.filter(seq=latest.seq, hash=latest.hash).exists():
            start = (latest.seq, latest.hash)
    report = audit_chain_verify(start_after=start, anchors=() if start else known)
    if not report.ok:
        raise anchoring.AnchorError(str(anchoring.ANCHOR_REFUSED.format(reason=report.message)))
    with transaction.atomic():
        head, _rebuilt = _lock_head()
        if head.seq != report.count:
            report = audit_chain_verify(start_after=(report.count, report.last_hash))
            if not report.ok:
                raise anchoring.AnchorError(
                    str(anchoring.ANCHOR_REFUSED.format(reason=report.message))
                )
        anchor = anchoring.anchor_sign(
            seq=head.seq, hash=head.hash, key_id=head.key_id, head_mac=head.mac, at=timezone.now()
        )
        path = anchoring.anchor_write(anchor, directory)
        audit_log(
            action=AuditEntry.Action.ANCHOR,
            target=("audit.anchor", str(anchor.seq), path.name),
            changes={"seq": anchor.seq, "hash": anchor.hash, "file": path.name},
        )
    return anchor
