"""The second-factor gate, and the password policy (too old, or to be changed first)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accountability.accounts import login as login_flow
from accountability.accounts import otp
from accountability.accounts.policy import security_policy

SECOND_FACTOR_NEEDED = gettext_noop("请先完成双因素认证。")
SECOND_FACTOR_SESSION_ENDED = gettext_noop(
    "您的会话未通过双因素认证或双因素认证已被重置，请重新登录。"
)
PASSWORD_EXPIRED = gettext_noop("密码已超过 {days} 天未修改，请先修改密码。")
PASSWORD_MUST_CHANGE = gettext_noop("请先修改管理员设置的初始密码或临时密码。")
#: The policy cannot allow a password older than this, so younger ones skip the policy query.
SHORTEST_MAX_AGE_DAYS = 30


def _static_prefixes() -> tuple[str, ...]:
    from django.conf import settings

    return tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)


class SecondFactorMiddleware:
    """A session is fully authenticated only after the second factor.

    - While a login is pending (password accepted, second factor not yet), every page but the
      second-factor pages and logout sends the visitor to the second-factor page.
    - A logged-in session whose user needs a second factor (their role requires one, or the
      session was completed with one) but holds no verified device (django-otp's
      OTPMiddleware, installed before this one, tells) is ended: a session made without the
      second factor, or one whose device the security administrator has reset.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            needed = (
                otp.second_factor_required(user)
                or request.session.get(login_flow.FACTOR_KEY) == login_flow.VERIFIED
            )
            if needed and not user.is_verified():
                logout(request)
                messages.warning(request, gettext(SECOND_FACTOR_SESSION_ENDED))
                return redirect("accounts:login")
        elif (
            login_flow.PENDING_KEY in request.session
            and not self._exempt(request.path)
            and login_flow.pending_data(request) is not None
        ):
            messages.warning(request, gettext(SECOND_FACTOR_NEEDED))
            return redirect("accounts:second_factor")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:second_factor"),
            reverse("accounts:second_factor_setup"),
            reverse("accounts:logout"),
            reverse("set_language"),
        )
        return path in exempt or path.startswith(_static_prefixes())


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not user.is_active:
                logout(request)
                return redirect("accounts:login")
            message = self._change_required(user)
            if message and not self._exempt(request.path):
                messages.warning(request, message)
                return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _change_required(user) -> str:
        if getattr(user, "must_change_password", False):
            return gettext(PASSWORD_MUST_CHANGE)
        changed = getattr(user, "password_changed_at", None)
        if changed is None:
            return ""
        now = timezone.now()
        if changed + timedelta(days=SHORTEST_MAX_AGE_DAYS) > now:
            return ""
        days = security_policy().password_max_age_days
        if user.password_expired(days, now):
            return gettext(PASSWORD_EXPIRED).format(days=days)
        return ""

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
            reverse("set_language"),
        )
        return path in exempt or path.startswith(_static_prefixes())
