"""The second factor (GB/T 22239-2019 level 3: two factors, one of them cryptographic).

django-otp keeps the devices: one TOTP device (RFC 6238, an authenticator app) and one static
device holding the recovery codes (codes.py: stored as salted SM3 digests, each works once).
Which roles must have a second factor is the named setting ACCOUNTS_OTP_REQUIRED_ROLES; the
three administrators are always among them. A user of another role may enrol one, and once
enrolled must use it.

Reads live here; the writes (enrol, new recovery codes, reset) are services in services.py.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accountability.accounts import codes
from accountability.accounts.models import User

TOTP_DEVICE_NAME = "动态口令"
RECOVERY_DEVICE_NAME = "恢复码"


def required_roles() -> frozenset[str]:
    """settings.ACCOUNTS_OTP_REQUIRED_ROLES, checked: known roles, the administrators among them."""
    roles = frozenset(str(r) for r in settings.ACCOUNTS_OTP_REQUIRED_ROLES)
    unknown = roles - set(User.Role.values)
    if unknown:
        raise ImproperlyConfigured(
            f"ACCOUNTS_OTP_REQUIRED_ROLES names unknown roles: {sorted(unknown)}"
        )
    missing = {str(r) for r in User.ADMIN_ROLES} - roles
    if missing:
        raise ImproperlyConfigured(
            f"ACCOUNTS_OTP_REQUIRED_ROLES must include the administrators: {sorted(missing)}"
        )
    return roles


def second_factor_required(user) -> bool:
    return getattr(user, "role", None) in required_roles()


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()
        if user is not None and user.pk
        else None
    )


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def is_totp_code(raw: str) -> bool:
    value = (raw or "").strip().replace(" ", "")
    return len(value) == 6 and value.isdigit()


def verify_code(user, raw: str) -> Device | None:
    """The device that accepts this TOTP code or recovery code, or None.

    Each device counts its own failures and makes the next try wait longer (django-otp's
    throttling); a TOTP code is accepted once (the device remembers the last time step).
    """
    value = (raw or "").strip().replace(" ", "")
    with transaction.atomic():
        if is_totp_code(value):
            device = (
                TOTPDevice.objects.select_for_update()
                .filter(user=user, confirmed=True)
                .order_by("-id")
                .first()
            )
            if device is not None and device.verify_token(value):
                return device
            return None
        if codes.looks_like_recovery_code(value):
            static = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            for device in static:
                if device.verify_token(codes.recovery_digest(user_id=user.pk, code=value)):
                    return device
    return None


def secret_base32(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code, made on the server (no request leaves)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, svgclass="otp-qr", lineclass=None, title="TOTP"
    )
