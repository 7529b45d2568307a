"""Encryption of confidential case fields (the informant's identity): the generic part lives in
accountability/common/crypto.py; these names stay importable from here.

The encrypted fields are listed in ENCRYPTED_FIELDS, which ``accountability rotate-key`` walks.
"""

from __future__ import annotations

from accountability.common.crypto import (
    PREFIX,
    DecryptionError,
    decrypt_text,
    encrypt_text,
    file_hashes,
    key_ring,
)

# (model label, field names): every column that holds an encrypted value.
ENCRYPTED_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cases.Case", ("informant_name_enc", "informant_contact_enc")),
    # A report from the public before it becomes a clue (accountability/public).
    ("public.PublicReport", ("reporter_name_enc", "reporter_contact_enc")),
)

__all__ = [
    "ENCRYPTED_FIELDS",
    "PREFIX",
    "DecryptionError",
    "decrypt_text",
    "encrypt_text",
    "file_hashes",
    "key_ring",
]
