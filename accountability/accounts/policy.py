"""The security policy in force (GB/T 22239-2019 level 3 identity controls).

Defaults come from Django settings (ACCOUNT_LOCKOUT_THRESHOLD,
ACCOUNT_LOCKOUT_MINUTES, PASSWORD_MAX_AGE_DAYS, SESSION_COOKIE_AGE); the
security administrator may tighten them on the security page, which stores
one SecurityPolicy row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings

DEFAULT_LOCKOUT_THRESHOLD = 5
DEFAULT_LOCKOUT_MINUTES = 15
DEFAULT_PASSWORD_MAX_AGE_DAYS = 90
PASSWORD_MIN_LENGTH = 8
PASSWORD_MIN_CLASSES = 3


@dataclass(frozen=True)
class Policy:
    lockout_threshold: int
    lockout_minutes: int
    password_max_age_days: int
    idle_timeout_minutes: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def default_policy() -> Policy:
    return Policy(
        lockout_threshold=int(
            getattr(settings, "ACCOUNT_LOCKOUT_THRESHOLD", DEFAULT_LOCKOUT_THRESHOLD)
        ),
        lockout_minutes=int(getattr(settings, "ACCOUNT_LOCKOUT_MINUTES", DEFAULT_LOCKOUT_MINUTES)),
        password_max_age_days=int(
            getattr(settings, "PASSWORD_MAX_AGE_DAYS", DEFAULT_PASSWORD_MAX_AGE_DAYS)
        ),
        idle_timeout_minutes=int(settings.SESSION_COOKIE_AGE) // 60,
    )


def security_policy() -> Policy:
    """The stored policy if the security administrator saved one, else the defaults."""
    from accountability.accounts.models import SecurityPolicy

    row = SecurityPolicy.objects.filter(pk=1).first()
    if row is None:
        return default_policy()
    return Policy(
        lockout_threshold=row.lockout_threshold,
        lockout_minutes=row.lockout_minutes,
        password_max_age_days=row.password_max_age_days,
        idle_timeout_minutes=row.idle_timeout_minutes,
    )
