"""Key rotation: every stored ciphertext re-encrypted with the current field key.

Rows are taken in batches, each batch in one transaction with its audit entry, so a run that
stops (a crash, an unknown key) keeps what it finished and the next run carries on: a row
needs work exactly when one of its values is written with another key than FIELD_KEY_ID.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accountability.audit.services import audit_log
from accountability.cases.crypto import ENCRYPTED_FIELDS
from accountability.common.crypto import (
    PREFIX,
    DecryptionError,
    KeyRing,
    decrypt_text,
    encrypt_text,
    key_ring,
    needs_rotation,
    stored_key_id,
)
from accountability.common.errors import DomainError
from accountability.common.i18n import source_language

MSG_CANNOT_DECRYPT = _("{model}“{record}”的{field}无法解密，轮换已停止：{reason}")
# Audit entries are records, kept in the source language.
AUDIT_TARGET = "加密字段（{model}）"
AUDIT_DETAIL = "字段密钥轮换：{count} 条记录改用密钥“{key_id}”加密"


@dataclass
class RotationReport:
    current: str
    total: int = 0
    done: int = 0


def _pending(model: Any, fields: tuple[str, ...], current: str) -> Q:
    done = f"{PREFIX}{current}$"
    pending = (~Q(**{field: ""}) & ~Q(**{f"{field}__startswith": done}) for field in fields)
    return reduce(or_, pending)


def rotation_pending() -> int:
    """How many rows still hold a value written with another key than the current one."""
    current = key_ring().current
    total = 0
    for label, fields in ENCRYPTED_FIELDS:
        model = apps.get_model(label)
        total += model._default_manager.filter(_pending(model, fields, current)).count()
    return total


def _rotate_batch(
    model: Any, fields: tuple[str, ...], ring: KeyRing, batch_size: int, actor: Any
) -> int:
    with transaction.atomic():
        rows = list(
            model._default_manager.select_for_update()
            .filter(_pending(model, fields, ring.current))
            .order_by("pk")
            .only("pk", *fields)[:batch_size]
        )
        old_keys: set[str] = set()
        for row in rows:
            values = {}
            for field in fields:
                stored = getattr(row, field)
                if not needs_rotation(stored, ring):
                    continue
                try:
                    plain = decrypt_text(stored, ring=ring)
                except DecryptionError as error:
                    raise DomainError(
                        MSG_CANNOT_DECRYPT.format(
                            model=model._meta.verbose_name,
                            record=row,
                            field=model._meta.get_field(field).verbose_name,
                            reason=error.message,
                        ),
                        field=field,
                        code=error.code,
                    ) from None
                old_keys.add(stored_key_id(stored) or ring.legacy)
                values[field] = encrypt_text(plain)
            if values:
                model._default_manager.filter(pk=row.pk).update(**values)
        if rows:
            with source_language():
                target_text = AUDIT_TARGET.format(model=model._meta.verbose_name)
            audit_log(
                actor=actor,
                action="update",
                # The rows are named by their ids only: nothing of their content is written.
                target=("system.field_keys", model._meta.label_lower, target_text),
                changes={
                    "field_key": [sorted(old_keys), ring.current],
                    "rows": len(rows),
                    "first_id": rows[0].pk,
                    "last_id": rows[-1].pk,
                },
                detail=AUDIT_DETAIL.format(count=len(rows), key_id=ring.current),
            )
    return len(rows)


def field_keys_rotate(
    *,
    batch_size: int = 200,
    actor: Any = None,
    progress: Callable[[RotationReport], None] | None = None,
) -> RotationReport:
    """Re-encrypt every stored ciphertext with the current key (FIELD_KEY_ID)."""
    ring = key_ring()
    report = RotationReport(current=ring.current, total=rotation_pending())
    for label, fields in ENCRYPTED_FIELDS:
        model = apps.get_model(label)
        while True:
            count = _rotate_batch(model, fields, ring, batch_size, actor)
            if not count:
                break
            report.done += count
            if progress is not None:
                progress(report)
    return report
