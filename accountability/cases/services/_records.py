"""Correcting (更正) or withdrawing (撤回) a hearing, evidence item or delivery entered by mistake.

Only the person who entered the record or the office head may do it, always with a reason. A
correction keeps the values before and after in a RecordCorrection row (append-only), a
withdrawal marks the record withdrawn and keeps it: the original stays in the record's history
and in the audit trail. The stage modules (investigation.py, execution.py) hold the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accountability.accounts.models import User
from accountability.cases import access
from accountability.cases.models import Case, RecordCorrection, WithdrawableModel
from accountability.cases.services._common import _text
from accountability.cases.workflow import Role
from accountability.common.errors import DomainError, PermissionDenied

MSG_NOT_AUTHOR = _("{record}只能由录入人（{author}）或监督室主任{action}。")
MSG_WITHDRAWN = _("{record}已于{date}撤回，不能再{action}。")
MSG_NO_CHANGE = _("更正内容与原记录相同，没有需要更正的内容。")
ACT_CORRECT = _("更正")
ACT_WITHDRAW = _("撤回")


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def check_may_change(
    case: Case, actor: User, record: WithdrawableModel, *, author: User, action: str
) -> None:
    """The rule: the person who entered the record or the office head; not once withdrawn."""
    label = str(record._meta.verbose_name)
    if record.withdrawn_at is not None:
        raise DomainError(
            MSG_WITHDRAWN.format(
                record=label,
                date=timezone.localdate(record.withdrawn_at).isoformat(),
                action=action,
            ),
            field="reason",
            code="withdrawn",
        )
    if actor.pk == author.pk:
        return
    if str(Role.OFFICE_HEAD) in access.case_roles(case=case, user=actor):
        return
    raise PermissionDenied(
        MSG_NOT_AUTHOR.format(record=label, author=str(author), action=action),
        code="not_author",
    )


def reason_of(reason: str | None) -> str:
    return _text(reason, field="reason", label=gettext("理由"))


def correct(
    case: Case,
    actor: User,
    record: WithdrawableModel,
    record_type: str,
    *,
    values: Mapping[str, Any],
    reason: str,
) -> RecordCorrection:
    """Apply the changed ``values`` to ``record`` and keep the values before (DomainError when
    nothing changes)."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        old = getattr(record, name)
        if value != old:
            before[name] = _plain(old)
            after[name] = _plain(value)
            setattr(record, name, value)
    if not after:
        raise DomainError(MSG_NO_CHANGE, field="reason", code="no_change")
    record.save(update_fields=list(after))
    return RecordCorrection.objects.create(
        case=case,
        record_type=record_type,
        record_id=record.pk,
        kind=RecordCorrection.Kind.CORRECTION,
        before=before,
        after=after,
        reason=reason,
        made_by=actor,
    )


def withdraw(
    case: Case, actor: User, record: WithdrawableModel, record_type: str, *, reason: str
) -> RecordCorrection:
    """Mark ``record`` withdrawn (it stays, and no longer counts)."""
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = actor
    record.withdrawal_reason = reason
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return RecordCorrection.objects.create(
        case=case,
        record_type=record_type,
        record_id=record.pk,
        kind=RecordCorrection.Kind.WITHDRAWAL,
        reason=reason,
        made_by=actor,
    )


def history(record_type: str, record_id: int) -> list[RecordCorrection]:
    """The corrections and the withdrawal of one record, oldest first."""
    return list(
        RecordCorrection.objects.filter(record_type=record_type, record_id=record_id)
        .select_related("made_by")
        .order_by("made_at", "id")
    )
