"""Reading the audit trail: the log page's query and the chain verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from accountability.audit.services import entry_hash

CHAIN_OK = _("审计日志完整 {count} 条")
CHAIN_MISSING = _("第 {seq} 条审计日志缺失(已被删除)")
CHAIN_EDITED = _("第 {seq} 条审计日志已被篡改(哈希不符)")
CHAIN_LINK_BROKEN = _("第 {seq} 条审计日志的前序哈希不符(前一条被删除、插入或篡改)")
CHAIN_TAIL_MISSING = _("审计日志末尾缺失:链头记录到第 {head} 条,表中只到第 {last} 条")
CHAIN_HEAD_MISMATCH = _("审计链头与第 {seq} 条记录的哈希不符")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    broken_seq: int | None = None
    message: str = ""


def audit_chain_verify() -> ChainReport:
    """Recompute every hash in order; report the first entry that breaks the chain."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainReport(False, count, expected_seq, CHAIN_MISSING.format(seq=expected_seq))
        if entry.prev_hash != prev_hash:
            return ChainReport(False, count, entry.seq, CHAIN_LINK_BROKEN.format(seq=entry.seq))
        if entry_hash(entry) != entry.hash:
            return ChainReport(False, count, entry.seq, CHAIN_EDITED.format(seq=entry.seq))
        prev_hash = entry.hash
        expected_seq += 1
        count += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.seq > count:
            return ChainReport(
                False, count, count + 1, CHAIN_TAIL_MISSING.format(head=head.seq, last=count)
            )
        if head.seq == count and head.hash != prev_hash:
            return ChainReport(False, count, count, CHAIN_HEAD_MISMATCH.format(seq=count))
    return ChainReport(True, count, None, CHAIN_OK.format(count=count))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entry_list(
    *,
    actor: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered by actor (username or name), action and date range."""
    entries = AuditEntry.objects.select_related("actor").order_by("-seq")
    if actor:
        entries = entries.filter(Q(actor_name__icontains=actor) | Q(actor__username__iexact=actor))
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    return entries
