"""Writing to the audit trail.

Every service that changes something calls `audit_log` inside its own
transaction, so the change and its entry commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accountability.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from accountability.common.i18n import source_language

ANONYMOUS_ACTOR_NAME = "匿名"
HEAD_PK = 1


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    """The fields covered by the hash, in a form that survives a database round trip."""
    return {
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
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


def entry_hash(entry: AuditEntry) -> str:
    """SM3 (GB/T 32905) of the entry's canonical JSON, which includes prev_hash."""
    return hashlib.new("sm3", canonical_json(entry_payload(entry)).encode("utf-8")).hexdigest()


def _describe_target(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        meta = target._meta
        return f"{meta.app_label}.{meta.model_name}", str(target.pk or ""), str(target)[:200]
    if isinstance(target, tuple):
        kind, ident, text = [*target, "", ""][:3]
        return str(kind)[:64], str(ident)[:64], str(text)[:200]
    return str(target)[:64], "", ""


def _client_ip(request) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _lock_head() -> AuditChainHead:
    """Take the chain head's row lock (PostgreSQL) or the write lock (SQLite)."""
    for _ in range(2):
        # A write first: on SQLite it takes the database's write lock before the read.
        if AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=models.F("seq")):
            return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
        try:
            with transaction.atomic():
                last = AuditEntry.objects.order_by("-seq").first()
                AuditChainHead.objects.create(
                    pk=HEAD_PK,
                    seq=last.seq if last else 0,
                    hash=last.hash if last else GENESIS_HASH,
                )
        except IntegrityError:
            pass  # another writer created it first
    return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)


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
    {"field": [old, new]}.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    # Entries are written in the source language whatever the user's interface language
    # (a lazy label in ``target`` or ``changes`` becomes Chinese text here).
    with source_language():
        target_type, target_id, target_repr = _describe_target(target)
        normalised_changes = json.loads(canonical_json(changes or {}))
        detail = str(detail)
    with transaction.atomic():
        head = _lock_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_name=(actor.display_name if actor is not None else ANONYMOUS_ACTOR_NAME)[:150],
            action=str(action)[:32],
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            changes=normalised_changes,
            outcome=str(outcome),
            ip=_client_ip(request),
            detail=detail,
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=entry.seq, hash=entry.hash)
    return entry


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
