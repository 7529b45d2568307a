"""Verifying the audit chain: every entry, the head both ways, witnesses, signed anchors.

What is caught, and by what:

* an edited entry, even with its hashes recomputed: its HMAC-SM3 needs the key;
* a forged entry appended or inserted: same (and the link to the entry before it);
* a deleted entry or a renumbering: the seq runs 1, 2, 3 … and each entry links the one
  before it;
* a deleted tail with the head rewound: the head carries its own MAC, so it can only be set
  back to a value it once had; a signed anchor taken after that point proves the chain was
  longer (on PostgreSQL a trigger also refuses to move the head backwards);
* rows appended behind the head's back: the table is checked against the head as well as
  the head against the table;
* everything deleted, entries and head: an anchor proves how long the chain was; without
  one, the rows whose creation is always audited (cases, transition logs, logins) show that
  entries must have existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from accountability.audit.anchors import Anchor, AnchorProblem
from accountability.audit.keys import known_keys
from accountability.audit.models import GENESIS_HASH, LEGACY_FORMAT, AuditChainHead, AuditEntry
from accountability.audit.services import HEAD_PK, entry_mac, head_mac, legacy_entry_hash

CHAIN_OK = _("审计日志完整 {count} 条")
CHAIN_MISSING = _("第 {seq} 条审计日志缺失(已被删除)")
CHAIN_EDITED = _("第 {seq} 条审计日志的校验码不符:该条被篡改,或不是持有密钥的系统写入的")
CHAIN_LINK_BROKEN = _("第 {seq} 条审计日志的前序哈希不符(前一条被删除、插入或篡改)")
CHAIN_UNKNOWN_KEY = _(
    "第 {seq} 条审计日志使用的密钥 {key_id} 未配置,无法校验(旧密钥须列入 AUDIT_HMAC_OLD_KEYS)"
)
CHAIN_LEGACY_AFTER_KEYED = _(
    "第 {seq} 条审计日志是无密钥的旧格式,却排在带密钥的记录之后:该条是伪造或插入的"
)
CHAIN_TAIL_MISSING = _("审计日志末尾缺失:链头记录到第 {head} 条,表中只到第 {last} 条")
CHAIN_BEYOND_HEAD = _("第 {seq} 条审计日志在链头(第 {head} 条)之后:该条是绕过系统追加的")
CHAIN_HEAD_MISMATCH = _("审计链头与第 {seq} 条记录的哈希不符")
CHAIN_HEAD_FORGED = _("审计链头(第 {seq} 条)的校验码不符:链头被改写")
CHAIN_HEAD_MISSING = _("审计链头缺失:表中有 {count} 条记录,链头被删除")
CHAIN_HEAD_REBUILT = _(
    "第 {seq} 条审计日志表明链头曾丢失、按第 {from_seq} 条重建:其后的记录可能已被删除"
)
CHAIN_EMPTY_WITNESSED = _(
    "审计日志为空,但数据库中有 {cases} 件案件、{logs} 条流转记录、{logins} 个曾登录的账号:"
    "这些操作都有审计记录,审计日志已被整体删除"
)
CHAIN_WITNESS_SHORT = _(
    "数据库中有 {logs} 条案件流转记录,审计日志中只有 {audited} 条相应记录:审计日志被删除后重建"
)
ANCHOR_SHORT = _("审计日志比锚点短:{at} 的锚点证明至少有 {seq} 条,表中只有 {count} 条")
ANCHOR_DIFFERENT = _("第 {seq} 条审计日志与 {at} 的锚点不符:该条或其之前的记录被改写")
NOTE_LEGACY = _("其中前 {count} 条为旧格式(无密钥 SM3):只证明内部一致,持有数据库权限者可以重算")
NOTE_ANCHORS = _("与 {count} 个锚点相符(最新:{at},第 {seq} 条)")
NOTE_NO_ANCHOR = _("未提供锚点:无法证明整段删除或回滚前的长度")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    broken_seq: int | None = None
    message: str = ""
    notes: tuple[str, ...] = ()
    anchors_checked: int = 0
    legacy: int = 0
    last_hash: str = GENESIS_HASH


@dataclass
class _Walk:
    count: int = 0
    prev_hash: str = GENESIS_HASH
    legacy: int = 0
    keyed_seen: bool = False
    audited_transitions: int = 0
    hashes: dict[int, str] = field(default_factory=dict)


_FIELDS = [f.attname for f in AuditEntry._meta.concrete_fields]


def _entries(after: int) -> Iterable[AuditEntry]:
    """Entries in seq order, fetched by keyset (no OFFSET, constant memory)."""
    last = after
    while True:
        chunk = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq").only(*_FIELDS)[:2000])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def _fail(walk: _Walk, seq: int | None, message: str) -> ChainReport:
    return ChainReport(False, walk.count, seq, str(message), legacy=walk.legacy)


def audit_chain_verify(
    *,
    anchors: Iterable[Anchor] = (),
    anchor_problems: Iterable[AnchorProblem] = (),
    start_after: tuple[int, str] | None = None,
) -> ChainReport:
    """Recompute every MAC in order; report the first entry that breaks the chain.

    ``anchors`` (already checked for their signature) must each match the chain;
    ``anchor_problems`` (unreadable, badly signed) fail the verification. ``start_after``
    (seq, hash) verifies only the entries after a point already proven (an anchor).

    Runs in one snapshot (REPEATABLE READ on PostgreSQL, a read transaction on SQLite), so
    that entries written meanwhile by the application do not look like a broken tail."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _verify(list(anchors), list(anchor_problems), start_after)


def _verify(
    anchors: list[Anchor], problems: list[AnchorProblem], start_after: tuple[int, str] | None
) -> ChainReport:
    if problems:
        return ChainReport(False, 0, None, str(problems[0].message))
    anchors = sorted(anchors, key=lambda a: a.seq)
    wanted = {a.seq for a in anchors}
    keys = known_keys()
    walk = _Walk()
    if start_after is not None:
        walk.count, walk.prev_hash, walk.keyed_seen = start_after[0], start_after[1], True
    for entry in _entries(walk.count):
        expected = walk.count + 1
        if entry.seq != expected:
            return _fail(walk, expected, CHAIN_MISSING.format(seq=expected))
        if entry.prev_hash != walk.prev_hash:
            return _fail(walk, entry.seq, CHAIN_LINK_BROKEN.format(seq=entry.seq))
        if entry.format == LEGACY_FORMAT:
            if walk.keyed_seen:
                return _fail(walk, entry.seq, CHAIN_LEGACY_AFTER_KEYED.format(seq=entry.seq))
            if legacy_entry_hash(entry) != entry.hash:
                return _fail(walk, entry.seq, CHAIN_EDITED.format(seq=entry.seq))
            walk.legacy += 1
        else:
            key = keys.get(entry.key_id)
            if key is None:
                return _fail(
                    walk, entry.seq, CHAIN_UNKNOWN_KEY.format(seq=entry.seq, key_id=entry.key_id)
                )
            if entry_mac(entry, key) != entry.hash:
                return _fail(walk, entry.seq, CHAIN_EDITED.format(seq=entry.seq))
            walk.keyed_seen = True
            if entry.action == AuditEntry.Action.HEAD_REBUILT:
                return _fail(
                    walk,
                    entry.seq,
                    CHAIN_HEAD_REBUILT.format(
                        seq=entry.seq, from_seq=entry.changes.get("rebuilt_from", "?")
                    ),
                )
        if (
            entry.outcome == AuditEntry.Outcome.SUCCESS
            and entry.target_type.startswith("cases.")
            and "action" in entry.changes
        ):
            walk.audited_transitions += 1
        if entry.seq in wanted:
            walk.hashes[entry.seq] = entry.hash
        walk.prev_hash = entry.hash
        walk.count = entry.seq
    failure = _check_head(walk, keys)
    if failure is None and start_after is None:
        failure = _check_witnesses(walk)
    if failure is None:
        failure = _check_anchors(walk, anchors)
    if failure is not None:
        return failure
    notes: list[str] = []
    if walk.legacy:
        notes.append(str(NOTE_LEGACY.format(count=walk.legacy)))
    if anchors:
        latest = anchors[-1]
        notes.append(str(NOTE_ANCHORS.format(count=len(anchors), at=latest.at, seq=latest.seq)))
    else:
        notes.append(str(NOTE_NO_ANCHOR))
    return ChainReport(
        True,
        walk.count,
        None,
        str(CHAIN_OK.format(count=walk.count)),
        tuple(notes),
        len(anchors),
        walk.legacy,
        walk.prev_hash,
    )


def _check_head(walk: _Walk, keys) -> ChainReport | None:
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is None:
        if walk.count:
            return _fail(walk, walk.count, CHAIN_HEAD_MISSING.format(count=walk.count))
        return None
    key = keys.get(head.key_id)
    if key is None or head_mac(seq=head.seq, hash=head.hash, key=key) != head.mac:
        return _fail(walk, head.seq, CHAIN_HEAD_FORGED.format(seq=head.seq))
    if head.seq > walk.count:
        return _fail(
            walk, walk.count + 1, CHAIN_TAIL_MISSING.format(head=head.seq, last=walk.count)
        )
    if head.seq < walk.count:
        return _fail(walk, head.seq + 1, CHAIN_BEYOND_HEAD.format(seq=head.seq + 1, head=head.seq))
    if head.hash != walk.prev_hash:
        return _fail(walk, walk.count, CHAIN_HEAD_MISMATCH.format(seq=walk.count))
    return None


def _check_witnesses(walk: _Walk) -> ChainReport | None:
    """Rows whose creation always writes an audit entry in the same transaction."""
    logs = apps.get_model("cases", "TransitionLog").objects.count()
    if walk.count == 0:
        cases = apps.get_model("cases", "Case").objects.count()
        logins = apps.get_model("accounts", "User").objects.filter(last_login__isnull=False)
        login_count = logins.count()
        if cases or logs or login_count:
            return _fail(
                walk, None, CHAIN_EMPTY_WITNESSED.format(cases=cases, logs=logs, logins=login_count)
            )
    if logs > walk.audited_transitions:
        return _fail(
            walk, None, CHAIN_WITNESS_SHORT.format(logs=logs, audited=walk.audited_transitions)
        )
    return None


def _check_anchors(walk: _Walk, anchors: list[Anchor]) -> ChainReport | None:
    for anchor in anchors:
        if anchor.seq > walk.count:
            return _fail(
                walk,
                walk.count + 1,
                ANCHOR_SHORT.format(at=anchor.at, seq=anchor.seq, count=walk.count),
            )
        if anchor.seq == 0:
            continue
        if walk.hashes.get(anchor.seq) != anchor.hash:
            return _fail(walk, anchor.seq, ANCHOR_DIFFERENT.format(seq=anchor.seq, at=anchor.at))
    return None
