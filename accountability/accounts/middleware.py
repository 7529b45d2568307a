"""Sends a user whose password is too old (or was set by an administrator) to change it."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accountability.accounts.policy import security_policy

PASSWORD_EXPIRED = gettext_noop("密码已超过 {days} 天未修改，请先修改密码。")
PASSWORD_MUST_CHANGE = gettext_noop("请先修改管理员设置的初始密码或临时密码。")
#: The policy cannot allow a password older than this, so younger ones skip the policy query.
SHORTEST_MAX_AGE_DAYS = 30


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
        from django.conf import settings

        prefixes = tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)
        return path in exempt or path.startswith(prefixes)
