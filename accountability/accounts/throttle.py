"""Login throttling (GB/T 22239-2019 level 3, 登录失败处理) that nobody can use to keep an
account out for good.

Failed attempts (a wrong password, a wrong second factor, a wrong activation code) are
counted under three keys at once, each with its own rule:

- client address: 30 failures free, then blocked 1 min, doubling with each further failure
  up to 15 min. At most 30 attempts in the first minute, then at most 4 an hour.
- account + address: the security policy's lockout threshold free (5), then blocked for its
  lockout time (15 min), doubling up to 24 h. At most 5, then 1 per 15, 30, 60 … min.
- account (from any address): 20 failures free, then blocked 1 min, doubling up to 15 min.
  At most 20, then at most 4 an hour.

A key with no failure for 24 hours starts again at zero (and its row is purged). While a key
is blocked, attempts under it are refused without checking anything, and are not counted.

The account-wide block is the soft one: it stops guessing from many addresses, but a person
who gives the right password *and* a valid second factor (TOTP or recovery code) from an
address with no failure for that account passes it (login.py). An attacker can therefore
block an account only from the addresses they fail from, never for its owner elsewhere. An
account without a second factor has no such way round the account-wide block; the roles that
matter must have one (settings.ACCOUNTS_OTP_REQUIRED_ROLES) and the security administrator can
lift a block.

The account is keyed by the name typed (lower-cased), whether or not it exists, so a missing
account is throttled, and answers, exactly like an existing one.

The state is kept in the database (LoginThrottle), not in the cache: it is shared by every
worker process on SQLite and PostgreSQL alike without a cache server, it survives restarts,
and each update is one short transaction holding a row lock (select_for_update). Redis would
serve as well but is not needed for a few writes per failed login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accountability.accounts.models import LoginThrottle
from accountability.accounts.policy import Policy

Scope = LoginThrottle.Scope

FORGET_AFTER = timedelta(hours=24)
MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class Rule:
    scope: str
    threshold: int
    first_block: timedelta
    max_block: timedelta

    def block_after(self, failures: int) -> timedelta | None:
        """The block that starts with the ``failures``-th failure in a row, if any."""
        if failures < self.threshold:
            return None
        doublings = min(failures - self.threshold, MAX_DOUBLINGS)
        return min(self.first_block * (2**doublings), self.max_block)


ADDRESS_RULE = Rule(Scope.ADDRESS, 30, timedelta(minutes=1), timedelta(minutes=15))
ACCOUNT_RULE = Rule(Scope.ACCOUNT, 20, timedelta(minutes=1), timedelta(minutes=15))


def account_address_rule(policy: Policy) -> Rule:
    """The level-3 lockout of the security policy (5 failures, 15 minutes by default)."""
    return Rule(
        Scope.ACCOUNT_ADDRESS,
        policy.lockout_threshold,
        timedelta(minutes=policy.lockout_minutes),
        timedelta(hours=24),
    )


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()[:150]


def client_address(request) -> str:
    """The client's address as the audit trail records it (REMOTE_ADDR).

    Behind a reverse proxy the proxy must pass the client's address as REMOTE_ADDR, or every
    client shares the proxy's address and its throttle.
    """
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


@dataclass(frozen=True)
class ThrottleState:
    address_blocked_until: datetime | None = None
    account_address_blocked_until: datetime | None = None
    account_blocked_until: datetime | None = None
    account_address_failures: int = 0

    @property
    def hard_block_until(self) -> datetime | None:
        """The end of a block of this address (for everyone, or for this account)."""
        blocks = [b for b in (self.address_blocked_until, self.account_address_blocked_until) if b]
        return max(blocks) if blocks else None

    @property
    def clean_address(self) -> bool:
        """No failure for this account from this address (and the address is not blocked)."""
        return self.account_address_failures == 0 and self.hard_block_until is None

    @property
    def any_block_until(self) -> datetime | None:
        blocks = [b for b in (self.hard_block_until, self.account_blocked_until) if b]
        return max(blocks) if blocks else None


def _keys(username: str, address: str) -> list[tuple[str, str, str]]:
    return [
        (Scope.ADDRESS, "", address),
        (Scope.ACCOUNT_ADDRESS, username, address),
        (Scope.ACCOUNT, username, ""),
    ]


def _state(rows: dict[str, LoginThrottle], now: datetime) -> ThrottleState:
    def live(scope: str) -> LoginThrottle | None:
        row = rows.get(scope)
        if row is None or row.last_failure_at + FORGET_AFTER <= now:
            return None
        return row

    def until(scope: str) -> datetime | None:
        row = live(scope)
        if row is None or row.blocked_until is None or row.blocked_until <= now:
            return None
        return row.blocked_until

    pair = live(Scope.ACCOUNT_ADDRESS)
    return ThrottleState(
        address_blocked_until=until(Scope.ADDRESS),
        account_address_blocked_until=until(Scope.ACCOUNT_ADDRESS),
        account_blocked_until=until(Scope.ACCOUNT),
        account_address_failures=pair.failures if pair else 0,
    )


def throttle_state(*, username: str, address: str, now: datetime | None = None) -> ThrottleState:
    """The blocks in force for this account name from this address (one query)."""
    now = now or timezone.now()
    username = normalise_username(username)
    query = Q()
    for scope, name, addr in _keys(username, address):
        query |= Q(scope=scope, username=name, address=addr)
    rows = {row.scope: row for row in LoginThrottle.objects.filter(query)}
    return _state(rows, now)


@transaction.atomic
def throttle_failure(
    *, username: str, address: str, policy: Policy, now: datetime | None = None
) -> ThrottleState:
    """Count one failure under the three keys; return the blocks now in force."""
    now = now or timezone.now()
    username = normalise_username(username)
    rules = {
        Scope.ADDRESS: ADDRESS_RULE,
        Scope.ACCOUNT_ADDRESS: account_address_rule(policy),
        Scope.ACCOUNT: ACCOUNT_RULE,
    }
    LoginThrottle.objects.filter(last_failure_at__lte=now - FORGET_AFTER).delete()
    rows: dict[str, LoginThrottle] = {}
    for scope, name, addr in _keys(username, address):
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(
            scope=scope, username=name, address=addr, defaults={"last_failure_at": now}
        )
        if row.last_failure_at + FORGET_AFTER <= now:
            row.failures = 0
            row.blocked_until = None
        row.failures += 1
        row.last_failure_at = now
        block = rules[scope].block_after(row.failures)
        if block is not None:
            row.blocked_until = max(now + block, row.blocked_until or now)
        row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
        rows[scope] = row
    return _state(rows, now)


def throttle_success(*, username: str, address: str) -> None:
    """A full login clears the account's own counts (never the address's: an attacker could
    clear their address with an account of their own)."""
    username = normalise_username(username)
    LoginThrottle.objects.filter(
        Q(scope=Scope.ACCOUNT, username=username, address="")
        | Q(scope=Scope.ACCOUNT_ADDRESS, username=username, address=address)
    ).delete()


def throttle_clear_account(*, username: str) -> int:
    """Lift every block of an account (the security administrator's unlock)."""
    username = normalise_username(username)
    deleted, _ = LoginThrottle.objects.filter(
        scope__in=[Scope.ACCOUNT, Scope.ACCOUNT_ADDRESS], username=username
    ).delete()
    return deleted


def blocked_usernames(usernames: list[str], now: datetime | None = None) -> set[str]:
    """Which of these account names (lower-cased) are blocked now, anywhere (one query)."""
    now = now or timezone.now()
    return set(
        LoginThrottle.objects.filter(
            scope__in=[Scope.ACCOUNT, Scope.ACCOUNT_ADDRESS],
            username__in=[normalise_username(u) for u in usernames],
            blocked_until__gt=now,
        ).values_list("username", flat=True)
    )


def minutes_left(until: datetime, now: datetime | None = None) -> int:
    now = now or timezone.now()
    seconds = max((until - now).total_seconds(), 0)
    return max(1, int(seconds // 60) + (1 if seconds % 60 else 0))
