"""Test helpers for the second factor: codes computed with pyotp (an implementation other than
the one under test), and a test client whose ``force_login`` passes the second factor.

    device = persona_totp_device(user)        # the persona's confirmed TOTP device
    code = totp_code(device)                  # the next code the device will accept
    client = TwoFactorClient()
    client.force_login(user)                  # logged in as after password + second factor

``force_login`` skips the login, as Django's does; tests of the login itself go through the
login page (or use ``django.test.Client``, whose ``force_login`` leaves the second factor
missing, and the gate refuses such a session).
"""

from __future__ import annotations

import base64
import hashlib
import time

from django.test import Client

PERSONA_TOTP_PREFIX = "persona-totp:"


def persona_totp_key(username: str) -> str:
    """A fixed TOTP key (hex) for a persona, so that a test can compute its codes."""
    return hashlib.new("sm3", (PERSONA_TOTP_PREFIX + username).encode()).hexdigest()[:40]


def persona_totp_device(user):
    """The user's confirmed TOTP device, created with the persona key if there is none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="动态口令", confirmed=True, key=persona_totp_key(user.username)
        )
    return device


def totp_for_key(hex_key: str):
    import pyotp

    secret = base64.b32encode(bytes.fromhex(hex_key)).decode("ascii")
    return pyotp.TOTP(secret)


def enrolling_device(user, secret: str):
    """The device being enrolled as the person's app knows it: built from the secret the setup
    page shows (nothing is stored until the first code confirms it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = base64.b32decode(secret.replace(" ", "")).hex()
    return TOTPDevice(user=user, key=key, confirmed=False)


def totp_code(device, *, wait: bool = True) -> str:
    """The code for the time step closest to now that the device will still accept (it
    refuses a step it has seen). With ``wait`` it sleeps into the next step if none is left."""
    if device.pk is not None:
        device.refresh_from_db()
    totp = totp_for_key(device.key)
    while True:
        now = int((time.time() - device.t0) // device.step) + device.drift
        window = range(now - device.tolerance, now + device.tolerance + 1)
        usable = sorted((t for t in window if t > device.last_t), key=lambda t: abs(t - now))
        if usable:
            return str(totp.generate_otp(usable[0])).zfill(device.digits)
        if not wait:
            raise AssertionError("no TOTP step left in the window")
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.05)


def second_factor_session(user) -> dict[str, str]:
    """The session values of a login that passed the second factor, where the user has or
    needs one (empty otherwise)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accountability.accounts import login as login_flow
    from accountability.accounts import otp

    if not otp.second_factor_required(user) and not (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    ):
        return {}
    device = persona_totp_device(user)
    return {DEVICE_ID_SESSION_KEY: device.persistent_id, login_flow.FACTOR_KEY: login_flow.VERIFIED}


def mark_second_factor_passed(client: Client, user) -> None:
    """Turn a force_login session into one that passed the second factor, where the user
    has or needs one."""
    values = second_factor_session(user)
    if values:
        session = client.session
        session.update(values)
        session.save()


class TwoFactorClient(Client):
    """``force_login`` logs in fully: as after the password and, where the user has or needs
    one, the second factor."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        mark_second_factor_passed(self, user)


def login_through_pages(client: Client, username: str, password: str, device=None):
    """Log in through the login page and, where asked, the second-factor page; returns the
    last response."""
    from django.urls import reverse

    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    if response.status_code == 302 and response["Location"] == reverse("accounts:second_factor"):
        response = client.post(reverse("accounts:second_factor"), {"code": totp_code(device)})
    return response
