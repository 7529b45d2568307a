"""Signed anchors: the chain head exported so that the city office can keep and check it.

An anchor states the chain's length and last MAC (seq, hash, count, the head's MAC and key
id, the time) and is signed with SM2 (GB/T 32918, with SM3 and the standard's default user
id, so OpenSSL verifies it as well). The city office keeps the files and the public key:
it can verify an anchor (``accountability verify-anchor``) but cannot make one, and whoever
rewrites the database afterwards cannot make the chain agree with an anchor already handed
over. ``accountability verify-audit`` checks the chain against every anchor it is given.

Keys: the signing key is a file outside the database (``AUDIT_ANCHOR_KEY_FILE``, 64 hex
digits, written by ``accountability audit-keygen``); the public keys trusted for
verification are ``AUDIT_ANCHOR_PUBLIC_KEYS`` plus the signing key's own. In development
(no ``AUDIT_HMAC_KEY`` configured) the signing key is derived from SECRET_KEY.

SM2 comes from gmssl (pure Python, about 10 ms a signature). Its own nonce generator uses
the ``random`` module, which is not fit for signatures: the nonce here comes from
``secrets``, and verification checks the ranges of r and s itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from gmssl import sm2

from accountability.audit.keys import keys_configured

ANCHOR_FORMAT = "accountability-audit-anchor/1"
ALGORITHM = "SM2-SM3"
_N = int(sm2.default_ecc_table["n"], 16)

ANCHOR_BAD_SIGNATURE = _("锚点 {name} 的签名无效:锚点文件被改动,或不是本系统签发的")
ANCHOR_UNTRUSTED = _("锚点 {name} 的签名公钥不在受信任的公钥之列(AUDIT_ANCHOR_PUBLIC_KEYS)")
ANCHOR_UNREADABLE = _("锚点 {name} 无法读取:{error}")
ANCHOR_REFUSED = _("审计日志校验未通过,不生成锚点:{reason}")


class AnchorError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    count: int
    key_id: str
    head_mac: str
    at: str
    organisation: str
    public_key: str
    signature: str
    name: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "format": ANCHOR_FORMAT,
            "algorithm": ALGORITHM,
            "organisation": self.organisation,
            "seq": self.seq,
            "count": self.count,
            "hash": self.hash,
            "key_id": self.key_id,
            "head_mac": self.head_mac,
            "at": self.at,
            "public_key": self.public_key,
        }

    def as_json(self) -> str:
        body = {**self.body(), "signature": self.signature}
        return json.dumps(body, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class AnchorProblem:
    name: str
    message: str


def _signed_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# --- SM2 --------------------------------------------------------------------------------


def _normal_public(raw: str) -> str:
    value = raw.strip().lower()
    if len(value) == 130 and value.startswith("04"):
        value = value[2:]
    if len(value) != 128 or any(c not in "0123456789abcdef" for c in value):
        raise ImproperlyConfigured("an SM2 public key is 128 hexadecimal digits (x || y)")
    return value


def public_key_of(private_hex: str) -> str:
    crypt = sm2.CryptSM2(private_key=private_hex, public_key="")
    return crypt._kg(int(private_hex, 16), crypt.ecc_table["g"])


def sm2_sign(message: bytes, private_hex: str) -> str:
    crypt = sm2.CryptSM2(private_key=private_hex, public_key=public_key_of(private_hex))
    while True:
        nonce = "%064x" % (secrets.randbelow(_N - 1) + 1)
        signature = crypt.sign_with_sm3(message, nonce)
        if signature:
            return signature


def sm2_verify(message: bytes, signature_hex: str, public_hex: str) -> bool:
    if len(signature_hex) != 128:
        return False
    try:
        r, s = int(signature_hex[:64], 16), int(signature_hex[64:], 16)
    except ValueError:
        return False
    if not (0 < r < _N and 0 < s < _N):
        return False
    crypt = sm2.CryptSM2(private_key="", public_key=_normal_public(public_hex))
    return bool(crypt.verify_with_sm3(signature_hex, message))


def new_private_key() -> str:
    return "%064x" % (secrets.randbelow(_N - 1) + 1)


def _parse_private(raw: str, name: str) -> str:
    value = raw.strip().lower()
    try:
        number = int(value, 16)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must hold 64 hexadecimal digits") from None
    if len(value) != 64 or not 0 < number < _N:
        raise ImproperlyConfigured(f"{name} must hold 64 hexadecimal digits (an SM2 key)")
    return value


def signing_key() -> str:
    """The anchor signing key (hex), read from the file named by the settings at each call."""
    path = getattr(settings, "AUDIT_ANCHOR_KEY_FILE", "") or ""
    if path:
        try:
            raw = Path(path).read_text(encoding="ascii")
        except OSError as error:
            raise ImproperlyConfigured(f"AUDIT_ANCHOR_KEY_FILE cannot be read: {error}") from None
        return _parse_private(raw, "AUDIT_ANCHOR_KEY_FILE")
    if keys_configured():
        raise ImproperlyConfigured(
            "AUDIT_ANCHOR_KEY_FILE must be set when AUDIT_HMAC_KEY is (production)"
        )
    digest = hashlib.new("sm3", b"audit-anchor-key:" + settings.SECRET_KEY.encode()).digest()
    return "%064x" % (int.from_bytes(digest, "big") % (_N - 1) + 1)


def trusted_public_keys() -> set[str]:
    keys = {_normal_public(k) for k in getattr(settings, "AUDIT_ANCHOR_PUBLIC_KEYS", ()) or ()}
    # A verifier without the signing key trusts the listed public keys only.
    with contextlib.suppress(ImproperlyConfigured):
        keys.add(public_key_of(signing_key()))
    return keys


# --- anchors ----------------------------------------------------------------------------


def anchor_directory() -> Path:
    configured = getattr(settings, "AUDIT_ANCHOR_DIR", "") or ""
    return Path(configured) if configured else settings.BASE_DIR / "var" / "audit-anchors"


def anchor_sign(*, seq: int, hash: str, key_id: str, head_mac: str, at: datetime) -> Anchor:
    private = signing_key()
    unsigned = Anchor(
        seq=seq,
        hash=hash,
        count=seq,
        key_id=key_id,
        head_mac=head_mac,
        at=timezone.localtime(at).isoformat(timespec="seconds"),
        organisation=str(getattr(settings, "ORGANISATION_NAME", "")),
        public_key=public_key_of(private),
        signature="",
    )
    signature = sm2_sign(_signed_bytes(unsigned.body()), private)
    return Anchor(**{**unsigned.__dict__, "signature": signature})


def anchor_write(anchor: Anchor, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = anchor.at.replace(":", "").replace("-", "")[:15]
    path = directory / f"anchor-{anchor.seq:012d}-{stamp}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(anchor.as_json() + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def anchor_parse(text: str, *, name: str, trusted: set[str] | None = None) -> Anchor:
    """The anchor in ``text`` once its signature is checked against a trusted public key."""
    try:
        data = json.loads(text)
        if data.get("format") != ANCHOR_FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        anchor = Anchor(
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            count=int(data["count"]),
            key_id=str(data["key_id"]),
            head_mac=str(data["head_mac"]),
            at=str(data["at"]),
            organisation=str(data.get("organisation", "")),
            public_key=_normal_public(str(data["public_key"])),
            signature=str(data["signature"]),
            name=name,
        )
    except (ValueError, KeyError, TypeError, ImproperlyConfigured) as error:
        raise AnchorError(str(ANCHOR_UNREADABLE.format(name=name, error=error))) from None
    trusted = trusted_public_keys() if trusted is None else trusted
    if anchor.public_key not in trusted:
        raise AnchorError(str(ANCHOR_UNTRUSTED.format(name=name)))
    if anchor.count != anchor.seq or not sm2_verify(
        _signed_bytes(anchor.body()), anchor.signature, anchor.public_key
    ):
        raise AnchorError(str(ANCHOR_BAD_SIGNATURE.format(name=name)))
    return anchor


def anchors_load(
    paths: list[str] | tuple[str, ...] = (), directory: Path | None = None
) -> tuple[list[Anchor], list[AnchorProblem]]:
    """The anchors of the given files and of ``directory`` (*.json), and what is wrong."""
    files = [Path(p) for p in paths]
    if directory is not None and directory.is_dir():
        files.extend(sorted(directory.glob("*.json")))
    trusted = trusted_public_keys()
    anchors: list[Anchor] = []
    problems: list[AnchorProblem] = []
    for path in dict.fromkeys(files):
        try:
            text = path.read_text(encoding="utf-8")
            anchors.append(anchor_parse(text, name=path.name, trusted=trusted))
        except OSError as error:
            message = str(ANCHOR_UNREADABLE.format(name=path.name, error=error.strerror))
            problems.append(AnchorProblem(path.name, message))
        except AnchorError as error:
            problems.append(AnchorProblem(path.name, error.message))
    return anchors, problems
