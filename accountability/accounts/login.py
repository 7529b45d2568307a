"""The login, in two steps: the password, then the second factor.

After the password the session holds only a *pending* login (this module's session key):
the user is not logged in, and every page but the second-factor and logout pages sends them
back to the second-factor page (middleware.SecondFactorMiddleware). Django's ``login()`` runs
only once the second factor is verified, or right after the password for a user whose role
does not need one and who has not enrolled one.

What an attacker learns is the same for a missing account and an existing one: the throttle
is keyed by the name typed, a blocked name is refused before anything is looked up, and
otherwise the password hasher runs in both cases (Django's ModelBackend hashes the password
for a missing user too); the message and the status are the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.utils.translation import gettext, gettext_noop
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accountability.accounts import otp, services, throttle
from accountability.accounts.models import User
from accountability.accounts.policy import security_policy
from accountability.common.errors import DomainError

PENDING_KEY = "accounts_pending_login"
#: How the session was completed: "verified" (second factor) or "password" (none needed).
FACTOR_KEY = "accounts_factor"
VERIFIED = "verified"
PASSWORD_ONLY = "password"  # noqa: S105 (a session marker, not a password)
#: A pending login lasts five minutes and allows five wrong codes.
PENDING_SECONDS = 300
PENDING_MAX_ATTEMPTS = 5
BACKEND = "django.contrib.auth.backends.ModelBackend"

LOGIN_INVALID = gettext_noop(
    "用户名或密码错误。同一账号在同一地址连续失败 {threshold} 次，将暂停登录 {minutes} 分钟。"
)
LOGIN_THROTTLED = gettext_noop(
    "登录尝试过多，请在 {minutes} 分钟后再试。已启用双因素认证的用户，"
    "可在未出现登录失败的设备上用密码和动态口令（或恢复码）登录。"
)
SECOND_FACTOR_INVALID = gettext_noop("动态口令或恢复码不正确，请重新输入。")
SECOND_FACTOR_EXPIRED = gettext_noop("登录已超时或验证失败次数过多，请重新输入用户名和密码。")
RECOVERY_CODE_USED = gettext_noop(
    "您使用了一个恢复码，还剩 {count} 个。恢复码不多时，请在“双因素认证”页重新生成。"
)


@dataclass(frozen=True)
class Step:
    """What the view does next: show ``error``, go to the second factor, or go on."""

    error: str = ""
    pending: bool = False


def throttled_message(until) -> str:
    return gettext(LOGIN_THROTTLED).format(minutes=throttle.minutes_left(until))


def invalid_message() -> str:
    policy = security_policy()
    return gettext(LOGIN_INVALID).format(
        threshold=policy.lockout_threshold, minutes=policy.lockout_minutes
    )


# --- the pending login ------------------------------------------------------------------------


def pending_start(request, user: User, next_url: str = "") -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "hash": user.get_session_auth_hash(),
        "at": time.time(),
        "attempts": 0,
        "next": next_url,
        "setup_key": None,
    }


def pending_data(request) -> dict | None:
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        pending_clear(request)
        return None
    return data


def pending_user(request) -> User | None:
    """The user whose password was accepted, while the pending login is still good."""
    data = pending_data(request)
    if data is None:
        return None
    user = User.objects.filter(pk=data.get("user_id"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != data.get("hash"):
        pending_clear(request)
        return None
    return user


def pending_update(request, **values) -> None:
    data = dict(request.session.get(PENDING_KEY) or {})
    data.update(values)
    request.session[PENDING_KEY] = data


def pending_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)


def needs_second_factor(user: User) -> bool:
    return otp.second_factor_required(user) or otp.has_second_factor(user)


# --- the steps --------------------------------------------------------------------------------


def complete_login(request, user: User, device=None) -> str:
    """Log the user in (after the second factor, or the password alone where none is needed);
    returns where they wanted to go."""
    data = pending_data(request) or {}
    next_url = data.get("next", "")
    pending_clear(request)
    auth_login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
        request.session[FACTOR_KEY] = VERIFIED
    else:
        request.session[FACTOR_KEY] = PASSWORD_ONLY
    request.session.set_expiry(security_policy().idle_timeout_minutes * 60)
    if isinstance(device, StaticDevice):
        detail = "密码+恢复码"
    elif device is not None:
        detail = "密码+动态口令"
    else:
        detail = "密码"
    services.login_success_record(user=user, request=request, detail=detail)
    return next_url


def after_password(request, user: User, next_url: str = "") -> Step:
    """The password (or an activation) is accepted: on to the second factor, or logged in."""
    if needs_second_factor(user):
        pending_start(request, user, next_url)
        return Step(pending=True)
    complete_login(request, user)
    return Step()


def _refused(request, username: str, until, why: str) -> Step:
    services.login_refused_record(
        username=username, request=request, detail=f"{why}，暂停登录中，未校验密码"
    )
    return Step(error=throttled_message(until))


def gate(request, username: str) -> tuple[Step | None, throttle.ThrottleState]:
    """Refuse at once while a block holds; the returned state says whether the account-wide
    block is in force (then only a clean address may go on, and only with a second factor)."""
    state = throttle.throttle_state(username=username, address=throttle.client_address(request))
    if state.hard_block_until is not None:
        return _refused(request, username, state.hard_block_until, "本地址登录失败过多"), state
    if state.account_blocked_until is not None and not state.clean_address:
        return _refused(request, username, state.account_blocked_until, "账号登录失败过多"), state
    return None, state


def password_step(request, *, username: str, password: str, next_url: str = "") -> Step:
    refused, state = gate(request, username)
    if refused is not None:
        return refused
    account_blocked = state.account_blocked_until
    user = authenticate(request, username=username, password=password)
    if user is None:
        after = services.login_failure_record(username=username, request=request)
        until = after.any_block_until
        return Step(error=throttled_message(until) if until else invalid_message())
    if account_blocked is not None and not otp.has_second_factor(user):
        # Past the account-wide block only with a second factor. Counted and answered as a
        # wrong password would be, so that nothing tells this one was right.
        services.login_failure_record(
            username=username,
            request=request,
            detail="账号暂停登录中，未启用双因素认证，不能从其他地址登录",
        )
        return Step(error=throttled_message(account_blocked))
    return after_password(request, user, next_url)


def second_factor_step(request, *, code: str) -> Step:
    """Check a TOTP code or a recovery code for the pending login."""
    user = pending_user(request)
    if user is None:
        return Step(error=gettext(SECOND_FACTOR_EXPIRED))
    refused, _ = gate(request, user.username)
    if refused is not None:
        pending_clear(request)
        return refused
    device = otp.verify_code(user, code)
    if device is None:
        data = pending_data(request) or {}
        attempts = int(data.get("attempts", 0)) + 1
        after = services.login_failure_record(
            username=user.username, request=request, detail="动态口令或恢复码错误"
        )
        if attempts >= PENDING_MAX_ATTEMPTS or after.hard_block_until is not None:
            pending_clear(request)
            return Step(error=gettext(SECOND_FACTOR_EXPIRED))
        pending_update(request, attempts=attempts)
        return Step(error=gettext(SECOND_FACTOR_INVALID), pending=True)
    complete_login(request, user, device)
    return Step()


def activation_step(
    request, *, username: str, first_code: str, second_code: str, password: str
) -> Step:
    """Set one's own password with both halves of an activation code, throttled like a login."""
    refused, _ = gate(request, username)
    if refused is not None:
        return refused
    try:
        user = services.account_activate(
            username=username,
            first_code=first_code,
            second_code=second_code,
            password=password,
            request=request,
        )
    except DomainError as error:
        if error.code == "activation":
            after = services.login_failure_record(
                username=username, request=request, detail="激活码错误"
            )
            if after.any_block_until is not None:
                return Step(error=throttled_message(after.any_block_until))
        raise
    return after_password(request, user)


def recovery_notice(user: User, device) -> str:
    if isinstance(device, StaticDevice):
        return gettext(RECOVERY_CODE_USED).format(count=otp.recovery_codes_left(user))
    return ""
