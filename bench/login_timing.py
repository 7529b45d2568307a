"""How long the login page takes to answer, by case, with the production password hasher.

A missing account must not answer faster or slower than an existing one (the hasher runs for
both), and a blocked name must answer alike whether or not it exists (neither runs it).
Prints the median time of each case as a ratio to the baseline (an existing account with a
wrong password), measured in the same run on a throwaway in-memory database.
Run: .venv/bin/python bench/login_timing.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PASSWORD = "Bench#2026xy"
BASELINE = "existing account, wrong password"


def timed(client: Client, username: str, password: str, address: str) -> float:
    start = time.perf_counter()
    client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9, help="requests per case")
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from accountability.accounts.models import LoginThrottle, User

    user = User(username="officer", full_name="某人", role="leader")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]

    def cases(pairs: dict[str, tuple[str, str]], *, clear: bool) -> dict[str, float]:
        """Median time per case, the cases interleaved so that drift hits them alike."""
        times: dict[str, list[float]] = {label: [] for label in pairs}
        for _ in range(args.rounds):
            for label, (username, address) in pairs.items():
                if clear:
                    LoginThrottle.objects.all().delete()
                times[label].append(timed(client, username, "wrong", address))
        return {label: statistics.median(values) for label, values in times.items()}

    for _ in range(2):  # warm up
        timed(client, "officer", "wrong", "10.0.0.1")
    LoginThrottle.objects.all().delete()
    wrong = cases(
        {
            BASELINE: ("officer", "10.0.0.2"),
            "missing account, wrong password": ("ghost", "10.0.0.3"),
        },
        clear=True,
    )
    for name, address in (("officer", "10.0.0.4"), ("ghost", "10.0.0.5")):
        for _ in range(5):
            timed(client, name, "wrong", address)
    blocked = cases(
        {
            "existing account, blocked": ("officer", "10.0.0.4"),
            "missing account, blocked": ("ghost", "10.0.0.5"),
        },
        clear=False,
    )
    baseline = wrong.pop(BASELINE)
    results = {**wrong, **blocked}

    print(f"login page, {args.rounds} requests per case, hasher {hasher}, median times")
    print(f"  {BASELINE} (baseline): {baseline * 1000:.1f} ms = 1.00")
    for label, seconds in results.items():
        print(f"  {label}: {seconds * 1000:.1f} ms = {seconds / baseline:.2f}")
    ratio = results["missing account, blocked"] / results["existing account, blocked"]
    print(f"  missing / existing, blocked: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
