"""The throttle's rules and figures (throttle.py), without the login page."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from accountability.accounts import throttle
from accountability.accounts.models import LoginThrottle
from accountability.accounts.policy import Policy

POLICY = Policy(5, 15, 90, 30)


class RuleTests(TestCase):
    def test_documented_figures(self):
        """Per address 30 free, then 1 minute doubling to 15; per account 20 free, then 1
        minute doubling to 15; per account and address the policy's 5 and 15 minutes,
        doubling to 24 hours."""
        minutes = [throttle.ADDRESS_RULE.block_after(n) for n in (29, 30, 31, 33, 34, 100)]
        self.assertEqual(
            minutes,
            [None, *(timedelta(minutes=m) for m in (1, 2, 8, 15, 15))],
        )
        self.assertEqual(throttle.ACCOUNT_RULE.block_after(19), None)
        self.assertEqual(throttle.ACCOUNT_RULE.block_after(20), timedelta(minutes=1))
        pair = throttle.account_address_rule(POLICY)
        self.assertEqual(
            [pair.block_after(n) for n in (4, 5, 6, 7, 12, 10_000)],
            [
                None,
                timedelta(minutes=15),
                timedelta(minutes=30),
                timedelta(minutes=60),
                timedelta(hours=24),
                timedelta(hours=24),
            ],
        )


class StateTests(TestCase):
    def fail(self, times, username="leader", address="10.0.0.1", now=None):
        state = None
        for _ in range(times):
            state = throttle.throttle_failure(
                username=username, address=address, policy=POLICY, now=now
            )
        return state

    def test_fifth_failure_blocks_the_account_from_that_address_only(self):
        """Four failures block nothing; the fifth blocks this account from this address for
        15 minutes; the account from another address, and the address for another account,
        are not blocked."""
        self.assertIsNone(self.fail(4).any_block_until)
        state = self.fail(1)
        left = state.hard_block_until - timezone.now()
        self.assertTrue(timedelta(minutes=14) < left <= timedelta(minutes=15))
        self.assertIsNone(state.account_blocked_until)
        other = throttle.throttle_state(username="leader", address="10.0.0.2")
        self.assertIsNone(other.any_block_until)
        self.assertTrue(other.clean_address)
        self.assertIsNone(
            throttle.throttle_state(username="head", address="10.0.0.1").any_block_until
        )

    def test_account_wide_block_after_twenty_from_many_addresses(self):
        """Twenty failures from twenty addresses block the account everywhere for a minute;
        an address with no failure for it stays clean (the way round with a second factor)."""
        for n in range(20):
            self.fail(1, address=f"10.1.0.{n}")
        state = throttle.throttle_state(username="leader", address="10.9.9.9")
        self.assertIsNotNone(state.account_blocked_until)
        self.assertIsNone(state.hard_block_until)
        self.assertTrue(state.clean_address)
        dirty = throttle.throttle_state(username="LEADER ", address="10.1.0.3")
        self.assertFalse(dirty.clean_address)

    def test_address_block_after_thirty_names(self):
        """Thirty failures from one address, for thirty names (existing or not), block the
        address for everyone."""
        for n in range(30):
            self.fail(1, username=f"name{n}")
        self.assertIsNotNone(
            throttle.throttle_state(username="someone", address="10.0.0.1").hard_block_until
        )

    def test_forgotten_after_a_day_and_purged(self):
        """A key without failure for 24 hours counts from zero, and its row goes."""
        past = timezone.now() - timedelta(hours=25)
        self.fail(5, now=past)
        self.assertIsNone(
            throttle.throttle_state(username="leader", address="10.0.0.1").any_block_until
        )
        state = self.fail(1, username="other")
        self.assertIsNone(state.any_block_until)
        self.assertFalse(LoginThrottle.objects.filter(username="leader").exists())

    def test_success_clears_the_accounts_counts_not_the_addresses(self):
        """A full login resets the account's counts; the address keeps its own."""
        self.fail(3)
        throttle.throttle_success(username="leader", address="10.0.0.1")
        self.assertEqual(
            set(LoginThrottle.objects.values_list("scope", flat=True)),
            {LoginThrottle.Scope.ADDRESS},
        )
