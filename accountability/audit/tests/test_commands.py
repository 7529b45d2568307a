"""The audit commands through call_command: verify-audit, audit-anchor, verify-anchor,
audit-keygen."""

import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from accountability.audit import verify
from accountability.audit.anchors import ANCHOR_BAD_SIGNATURE, public_key_of, signing_key
from accountability.audit.services import audit_log
from accountability.audit.tests.test_verify import raw_sql

pytestmark = pytest.mark.django_db


def test_verify_prints_count(personas, capsys):
    """An intact log prints 审计日志完整 N 条, then that no anchor was given."""
    for _ in range(3):
        audit_log(actor=personas.case_officer, action="create")
    call_command("verify-audit")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [verify.CHAIN_OK.format(count=3), verify.NOTE_NO_ANCHOR]


def test_verify_fails_with_status_1(personas):
    """A tampered log makes the command fail with exit status 1 naming the entry."""
    for _ in range(3):
        audit_log(actor=personas.case_officer, action="create")
    raw_sql("UPDATE audit_auditentry SET action = 'delete' WHERE seq = 2")
    with pytest.raises(CommandError) as excinfo:
        call_command("verify-audit")
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == verify.CHAIN_EDITED.format(seq=2)


def test_anchor_written_printed_and_checked(personas, anchor_dir, capsys):
    """audit-anchor writes a signed file to the anchor folder and prints it; verify-audit
    reads the folder; its own entry follows the anchored head."""
    for _ in range(2):
        audit_log(actor=personas.case_officer, action="create")
    call_command("audit-anchor")
    printed = json.loads(capsys.readouterr().out)
    files = list(anchor_dir.glob("*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text()) == printed
    assert (printed["seq"], printed["count"], printed["algorithm"]) == (2, 2, "SM2-SM3")
    call_command("verify-audit")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == verify.CHAIN_OK.format(count=3)
    assert lines[1] == verify.NOTE_ANCHORS.format(count=1, at=printed["at"], seq=2)


def test_anchor_given_by_file(personas, tmp_path, capsys):
    """--anchor FILE with --no-anchor-dir checks the chain against that file only."""
    audit_log(actor=personas.case_officer, action="create")
    call_command("audit-anchor", "--dir", str(tmp_path / "elsewhere"))
    capsys.readouterr()
    (path,) = (tmp_path / "elsewhere").glob("*.json")
    raw_sql("DELETE FROM audit_auditentry")
    raw_sql("DELETE FROM audit_auditchainhead")
    call_command("verify-audit", "--no-anchor-dir")  # without it, nothing shows
    with pytest.raises(CommandError) as excinfo:
        call_command("verify-audit", "--no-anchor-dir", "--anchor", str(path))
    anchor = json.loads(path.read_text())
    assert str(excinfo.value) == verify.ANCHOR_SHORT.format(at=anchor["at"], seq=1, count=0)


def test_anchor_different_from_the_chain(personas, anchor_dir):
    """Even whoever holds the HMAC key and rewrites the chain consistently (entry 1 edited,
    every MAC and the head recomputed) cannot make it agree with an anchor handed over
    before: the anchor's seq has another hash now."""
    from accountability.audit.keys import current_key
    from accountability.audit.models import AuditEntry
    from accountability.audit.services import entry_mac, head_mac

    for _ in range(2):
        audit_log(actor=personas.case_officer, action="create")
    call_command("audit-anchor")
    (path,) = anchor_dir.glob("*.json")
    key, prev = current_key(), "0" * 64
    for entry in AuditEntry.objects.order_by("seq"):
        if entry.seq == 1:
            entry.action = "delete"
        entry.prev_hash = prev
        entry.hash = entry_mac(entry, key)
        raw_sql(
            "UPDATE audit_auditentry SET action = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.action, entry.prev_hash, entry.hash, entry.seq],
        )
        prev, last = entry.hash, entry.seq
    raw_sql(
        "UPDATE audit_auditchainhead SET hash = %s, mac = %s",
        [prev, head_mac(seq=last, hash=prev, key=key)],
    )
    call_command("verify-audit", "--no-anchor-dir")  # consistent without the anchor
    with pytest.raises(CommandError) as excinfo:
        call_command("verify-audit", "--no-anchor-dir", "--anchor", str(path))
    at = json.loads(path.read_text())["at"]
    assert str(excinfo.value) == verify.ANCHOR_DIFFERENT.format(seq=2, at=at)


def test_anchor_refused_on_a_broken_chain(personas):
    """A tampered chain is never signed."""
    audit_log(actor=personas.case_officer, action="create")
    raw_sql("UPDATE audit_auditentry SET detail = 'x' WHERE seq = 1")
    with pytest.raises(CommandError) as excinfo:
        call_command("audit-anchor")
    assert verify.CHAIN_EDITED.format(seq=1) in str(excinfo.value)


def test_edited_anchor_file_refused(personas, anchor_dir):
    """An anchor file edited after signing (a longer chain claimed) fails its signature."""
    audit_log(actor=personas.case_officer, action="create")
    call_command("audit-anchor")
    (path,) = anchor_dir.glob("*.json")
    data = json.loads(path.read_text())
    data["seq"] = data["count"] = 0
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as excinfo:
        call_command("verify-audit")
    assert str(excinfo.value) == ANCHOR_BAD_SIGNATURE.format(name=path.name)


def test_verify_anchor_with_a_public_key(personas, anchor_dir, capsys):
    """The city office checks a file with the public key alone; another key is refused."""
    audit_log(actor=personas.case_officer, action="create")
    call_command("audit-anchor")
    capsys.readouterr()
    (path,) = anchor_dir.glob("*.json")
    call_command("verify-anchor", str(path), "--public-key", public_key_of(signing_key()))
    assert "签名有效" in capsys.readouterr().out
    other = public_key_of(f"{12345:064x}")
    with pytest.raises(CommandError):
        call_command("verify-anchor", str(path), "--public-key", other)


def test_keygen(tmp_path, capsys):
    """audit-keygen prints an HMAC key, writes a private key readable by its owner only and
    prints the public key; it never overwrites a key file."""
    path = tmp_path / "anchor.key"
    call_command("audit-keygen", "--anchor-key", str(path))
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    assert len(bytes.fromhex(lines["AUDIT_HMAC_KEY"])) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert lines["AUDIT_ANCHOR_PUBLIC_KEYS"] == public_key_of(path.read_text().strip())
    with pytest.raises(CommandError):
        call_command("audit-keygen", "--anchor-key", str(path))
