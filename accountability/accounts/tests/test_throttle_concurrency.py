"""Several workers counting failures at once: the throttle loses none (PostgreSQL row locks).

The throttle lives in the database so that every gunicorn worker sees the same counts. Run
against PostgreSQL (DATABASE_URL=postgres://…); on SQLite, which lets one writer in at a time,
the test skips with the reason.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from accountability.accounts import throttle
from accountability.accounts.models import LoginThrottle
from accountability.accounts.policy import Policy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 6
EACH = 5


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL for concurrent row locks: "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/accountability"
        )


def test_concurrent_failures_are_all_counted(postgres):
    """Six workers record five failures each for one account, from six addresses, starting
    together on keys that do not exist yet: the account's count is exactly thirty."""
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for _ in range(EACH):
                throttle.throttle_failure(
                    username="leader", address=f"10.0.0.{n}", policy=Policy(5, 15, 90, 30)
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    account = LoginThrottle.objects.get(scope=LoginThrottle.Scope.ACCOUNT, username="leader")
    assert account.failures == WORKERS * EACH
    pairs = LoginThrottle.objects.filter(scope=LoginThrottle.Scope.ACCOUNT_ADDRESS)
    assert sorted(p.failures for p in pairs) == [EACH] * WORKERS
    assert throttle.throttle_state(username="leader", address="10.9.9.9").account_blocked_until
