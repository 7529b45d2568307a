"""Throttling of the public pages: fixed windows counted in the database.

Rules (the figures are settings; docs/public.md lists them):

* 查询码 look-ups that fail: at most PUBLIC_LOOKUP_ADDRESS_PER_MINUTE (5) a minute from one
  address, PUBLIC_LOOKUP_CODE_PER_MINUTE (3) a minute for codes that begin with the same four
  characters (a guesser working on one code), and PUBLIC_LOOKUP_GLOBAL_PER_MINUTE (60) a
  minute from everyone together (a guesser with many addresses). Past a limit, look-ups under
  it are refused without checking the code until the minute is over, and are not counted.
  A successful look-up is never counted. Every look-up also needs the challenge.
* Submissions: PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR (5) an hour from one address.
* The reporter's messages and evidence: PUBLIC_POSTS_PER_REPORT_PER_HOUR (10) an hour per report.

Keys are keyed hashes (codes.keyed): the table holds no address and no part of a code. Rows
older than a day are purged as new ones are written. Counting in the database (one short
transaction with a row lock) is shared by every worker process on SQLite and PostgreSQL
alike, as the login throttle is (accounts/throttle.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accountability.public import codes
from accountability.public.models import PublicThrottle

KEEP = timedelta(days=1)
MINUTE = 60
HOUR = 3600


@dataclass(frozen=True)
class Rule:
    scope: str
    setting: str
    window: int  # seconds

    @property
    def limit(self) -> int:
        return int(getattr(settings, self.setting))


LOOKUP_ADDRESS = Rule("lookup_address", "PUBLIC_LOOKUP_ADDRESS_PER_MINUTE", MINUTE)
LOOKUP_CODE = Rule("lookup_code", "PUBLIC_LOOKUP_CODE_PER_MINUTE", MINUTE)
LOOKUP_GLOBAL = Rule("lookup_global", "PUBLIC_LOOKUP_GLOBAL_PER_MINUTE", MINUTE)
SUBMIT_ADDRESS = Rule("submit_address", "PUBLIC_SUBMISSIONS_PER_ADDRESS_PER_HOUR", HOUR)
POST_REPORT = Rule("post_report", "PUBLIC_POSTS_PER_REPORT_PER_HOUR", HOUR)


def _window(rule: Rule, now: datetime) -> datetime:
    seconds = int(now.timestamp())
    return datetime.fromtimestamp(seconds - seconds % rule.window, tz=now.tzinfo)


def _key(rule: Rule, value: str) -> str:
    return codes.keyed(rule.scope, value)


def exceeded(rules: list[tuple[Rule, str]], *, now: datetime | None = None) -> Rule | None:
    """The first rule whose count in its current window has reached its limit (one query)."""
    if not rules:
        return None
    now = now or timezone.now()
    wanted = {(r.scope, _key(r, v), _window(r, now)): r for r, v in rules}
    query = Q()
    for scope, key, start in wanted:
        query |= Q(scope=scope, key=key, window_start=start)
    counts = {
        (row.scope, row.key, row.window_start): row.count
        for row in PublicThrottle.objects.filter(query)
    }
    for ident, rule in wanted.items():
        if counts.get(ident, 0) >= rule.limit:
            return rule
    return None


def count(rules: list[tuple[Rule, str]], *, now: datetime | None = None) -> None:
    """Add one event under each rule's key in its current window."""
    if not rules:
        return
    now = now or timezone.now()
    with transaction.atomic():
        PublicThrottle.objects.filter(window_start__lt=now - KEEP).delete()
        for rule, value in rules:
            ident = {
                "scope": rule.scope,
                "key": _key(rule, value),
                "window_start": _window(rule, now),
            }
            updated = PublicThrottle.objects.filter(**ident).update(count=F("count") + 1)
            if not updated:
                try:
                    with transaction.atomic():
                        PublicThrottle.objects.create(count=1, **ident)
                except IntegrityError:  # written meanwhile by another request
                    PublicThrottle.objects.filter(**ident).update(count=F("count") + 1)


def lookup_rules(address: str, typed_code: str) -> list[tuple[Rule, str]]:
    prefix = (codes.normalise(typed_code) or typed_code.strip().upper())[: codes.PREFIX_LENGTH]
    return [(LOOKUP_ADDRESS, address), (LOOKUP_CODE, prefix), (LOOKUP_GLOBAL, "")]


def submit_rules(address: str) -> list[tuple[Rule, str]]:
    # Without an address (a service called from the server itself) there is nothing to count.
    return [(SUBMIT_ADDRESS, address)] if address else []


def post_rules(report_id: int) -> list[tuple[Rule, str]]:
    return [(POST_REPORT, str(report_id))]
