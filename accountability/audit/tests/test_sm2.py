"""The anchors' SM2 signatures are standard: OpenSSL verifies them (SM3, default user id)."""

import base64
import shutil
import subprocess

import pytest

from accountability.audit.anchors import new_private_key, public_key_of, sm2_sign, sm2_verify

# SubjectPublicKeyInfo prefix: id-ecPublicKey with the SM2 curve (1.2.156.10197.1.301).
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d03420004")


def der_signature(signature_hex: str) -> bytes:
    def integer(value: int) -> bytes:
        raw = value.to_bytes((value.bit_length() + 8) // 8, "big")
        return b"\x02" + bytes([len(raw)]) + raw

    body = integer(int(signature_hex[:64], 16)) + integer(int(signature_hex[64:], 16))
    return b"\x30" + bytes([len(body)]) + body


def test_sign_and_verify():
    """A signature verifies with its key, not with another key nor over another message."""
    private = new_private_key()
    public = public_key_of(private)
    signature = sm2_sign(b"anchor", private)
    assert sm2_verify(b"anchor", signature, public)
    assert not sm2_verify(b"anchor!", signature, public)
    assert not sm2_verify(b"anchor", signature, public_key_of(new_private_key()))
    assert not sm2_verify(b"anchor", "0" * 128, public)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_openssl_verifies_the_signature(tmp_path):
    """OpenSSL's SM2 (GB/T 32918 with SM3 and the id 1234567812345678) accepts it."""
    private = new_private_key()
    message = b'{"seq":5,"hash":"ab"}'
    (tmp_path / "msg").write_bytes(message)
    (tmp_path / "sig").write_bytes(der_signature(sm2_sign(message, private)))
    spki = SPKI_PREFIX + bytes.fromhex(public_key_of(private))
    pem = (
        "-----BEGIN PUBLIC KEY-----\n"
        + base64.b64encode(spki).decode()
        + "\n-----END PUBLIC KEY-----\n"
    )
    (tmp_path / "pub.pem").write_text(pem)
    result = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            str(tmp_path / "pub.pem"),
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
            "-in",
            str(tmp_path / "msg"),
            "-sigfile",
            str(tmp_path / "sig"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Signature Verified Successfully" in result.stdout
