"""Backup and restore: the database and the stored files in one archive with a manifest.

The archive (``.tar.gz``) holds ``manifest.json``, the database and ``media/``:

* PostgreSQL: ``database.dump``, made by pg_dump (custom format) and read back by pg_restore;
* SQLite: ``database.sqlite3``, a copy made with SQLite's online backup API.

Both copy rows as stored, so timestamps keep their microseconds and the audit chain, whose
hashes cover them, verifies after a restore (``dumpdata``/``loaddata`` rounds them and breaks
it). The manifest records the SHA-256 and SM3 of every member, the migrations applied, the
counts and the audit chain head; restore checks every hash before it changes anything,
refuses a database that holds data unless told to overwrite it, and then verifies the
restored system: the audit chain, the hash of every issued document and attachment, and the
informant fields against the configured keys. No key is ever written into an archive.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext_lazy as _

from accountability.common.errors import DomainError
from accountability.operations.db import close_all_connections

FORMAT = "accountability-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20

MSG_NOT_AN_ARCHIVE = _("“{path}”不是本系统的备份文件（没有可读的 manifest.json）。")
MSG_MEMBER_MISSING = _("备份文件不完整：缺少清单中列出的“{name}”。")
MSG_MEMBER_ALTERED = _("备份文件已损坏或被改动：“{name}”的哈希与清单不符。")
MSG_MEMBER_EXTRA = _("备份文件含清单以外的内容：“{name}”。")
MSG_MEMBER_UNSAFE = _("备份文件含不安全的路径：“{name}”。")
MSG_ENGINE_MISMATCH = _(
    "备份来自 {source} 数据库，当前配置的是 {target}：只能恢复到同一种数据库（设置 DATABASE_URL）。"
)
MSG_NOT_EMPTY = _("当前数据库已有数据（{what}）：恢复会覆盖这些数据。确需覆盖时请加 --force。")
MSG_MIGRATIONS_NEWER = _(
    "备份中的数据库结构比本程序新（{names} 等迁移本程序没有）：请用与备份相同或更新版本的程序恢复。"
)
MSG_TOOL_FAILED = _("{tool} 执行失败：{detail}")
MSG_TOOL_MISSING = _("找不到 {tool}（设置 PG_BIN_DIR 指定其所在目录）。")

ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(DomainError):
    pass


# --- what the system holds ------------------------------------------------------------------


def _file_digest(path: Path) -> tuple[str, str, int]:
    sha256, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            sha256.update(chunk)
            sm3.update(chunk)
            size += len(chunk)
    return sha256.hexdigest(), sm3.hexdigest(), size


def _media_files(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _counts() -> dict[str, int]:
    from accountability.accounts.models import User
    from accountability.audit.models import AuditEntry
    from accountability.cases.models import Attachment, Case
    from accountability.documents.models import IssuedDocument

    return {
        "users": User.objects.count(),
        "cases": Case.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
        "issued_documents": IssuedDocument.objects.count(),
        "attachments": Attachment.objects.count(),
    }


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _key_ids_in_use() -> list[str]:
    """The ids of the field keys the stored ciphertexts need (the keys are never archived)."""
    from django.apps import apps

    from accountability.cases.crypto import ENCRYPTED_FIELDS
    from accountability.common.crypto import stored_key_id

    used: set[str] = set()
    for label, fields in ENCRYPTED_FIELDS:
        model = apps.get_model(label)
        for row in model._default_manager.values_list(*fields).iterator():
            for value in row:
                if value:
                    used.add(stored_key_id(value) or "(k0)")
    return sorted(used)


# --- the database -------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    folder = settings.PG_BIN_DIR
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(MSG_TOOL_MISSING.format(tool=name), code="tool_missing")
    return path


def _pg_args_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            MSG_TOOL_FAILED.format(tool=Path(command[0]).name, detail=" ".join(detail[-3:])),
            code="tool_failed",
        )


def _dump_database(folder: Path) -> Path:
    if _engine() == "sqlite":
        target = folder / SQLITE_MEMBER
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target
    target = folder / POSTGRES_MEMBER
    args, env = _pg_args_env()
    _run_tool([_pg_tool("pg_dump"), "--format=custom", "--file", str(target), *args], env)
    return target


def _load_database(source: Path) -> None:
    if _engine() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as archived:
            archived.backup(connection.connection)
        archived.close()
        connection.close()
        return
    close_all_connections()
    args, env = _pg_args_env()
    _run_tool(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source),
        ],
        env,
    )


# --- backup -------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    sha256: str
    manifest: dict[str, Any]


def _audit_head() -> dict[str, Any]:
    from accountability.audit.models import AuditEntry

    last = AuditEntry.objects.order_by("-seq").first()
    return {"seq": last.seq, "hash": last.hash} if last else {"seq": 0, "hash": ""}


def system_backup(*, output: Path | None = None, actor: Any = None) -> BackupResult:
    """Write the database and MEDIA_ROOT into one archive; return its path and SHA-256."""
    from accountability.audit.services import audit_log

    media_root = Path(settings.MEDIA_ROOT)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if output is None:
        output = Path(settings.BACKUP_DIR) / f"accountability-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    # The backup records itself: the entry is in the copy it describes.
    audit_log(
        actor=actor,
        action="export",
        target=("system", "", "系统备份"),
        changes={"archive": output.name},
        detail=f"系统备份：数据库与文件写入 {output.name}",
    )
    with tempfile.TemporaryDirectory(prefix="backup-") as scratch:
        # The database first, then the files: files are only ever added, so every file the
        # copied rows name is there.
        database = _dump_database(Path(scratch))
        members: dict[str, dict[str, Any]] = {}
        sha256, sm3, size = _file_digest(database)
        members[database.name] = {"sha256": sha256, "sm3": sm3, "size": size}
        media = list(_media_files(media_root))
        for path in media:
            sha256, sm3, size = _file_digest(path)
            name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
            members[name] = {"sha256": sha256, "sm3": sm3, "size": size}
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "engine": _engine(),
            "database": database.name,
            "migrations": _applied_migrations(),
            "counts": _counts(),
            "audit_head": _audit_head(),
            "field_key_ids": _key_ids_in_use(),
            "members": members,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
            archive.add(database, arcname=database.name, recursive=False)
            for path in media:
                name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)
    digest, _sm3, _size = _file_digest(output)
    return BackupResult(path=output, sha256=digest, manifest=manifest)


# --- restore ------------------------------------------------------------------------------


@dataclass
class VerifyReport:
    audit_ok: bool = False
    audit_message: str = ""
    documents: int = 0
    documents_bad: list[str] = field(default_factory=list)
    attachments: int = 0
    attachments_bad: list[str] = field(default_factory=list)
    informants: int = 0
    informants_bad: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.audit_ok
            and not self.documents_bad
            and not self.attachments_bad
            and not self.informants_bad
        )


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    media_files: int
    counts: dict[str, int]
    verify: VerifyReport


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
        manifest = json.loads(handle.read()) if handle else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(MSG_NOT_AN_ARCHIVE.format(path=path.name), code="not_an_archive")
    return manifest


def _extract_verified(archive: tarfile.TarFile, manifest: dict[str, Any], folder: Path) -> None:
    """Every member into ``folder``, each checked against the manifest; nothing else."""
    listed: dict[str, dict[str, Any]] = manifest["members"]
    seen: set[str] = set()
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if not member.isfile() or not _safe_member(member.name):
            raise BackupError(MSG_MEMBER_UNSAFE.format(name=member.name), code="unsafe_member")
        if member.name not in listed:
            raise BackupError(MSG_MEMBER_EXTRA.format(name=member.name), code="extra_member")
        target = folder / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = archive.extractfile(member)
        sha256, sm3 = hashlib.sha256(), hashlib.new("sm3")
        with target.open("wb") as out:
            while source is not None and (chunk := source.read(CHUNK)):
                sha256.update(chunk)
                sm3.update(chunk)
                out.write(chunk)
        expected = listed[member.name]
        if sha256.hexdigest() != expected["sha256"] or sm3.hexdigest() != expected["sm3"]:
            raise BackupError(MSG_MEMBER_ALTERED.format(name=member.name), code="altered")
        seen.add(member.name)
    for name in listed:
        if name not in seen:
            raise BackupError(MSG_MEMBER_MISSING.format(name=name), code="missing_member")


def _data_present() -> str:
    """What the current database and MEDIA_ROOT hold ('' when there is nothing to lose)."""
    tables = set(connection.introspection.table_names())
    held = []
    if {"accounts_user", "audit_auditentry", "cases_case"} <= tables:
        counts = _counts()
        labels = {"users": "用户", "cases": "案件", "audit_entries": "审计日志"}
        held += [f"{labels[k]} {counts[k]} 条" for k in labels if counts[k]]
    if any(_media_files(Path(settings.MEDIA_ROOT))):
        held.append("已存储的文件")
    return "、".join(held)


def _check_migrations(manifest: dict[str, Any]) -> None:
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            MSG_MIGRATIONS_NEWER.format(names="、".join(unknown[:3])), code="migrations"
        )


def restored_system_verify() -> VerifyReport:
    """The checks a restored system must pass: the audit chain, every issued document's and
    attachment's stored hash, and every encrypted informant field under the configured keys."""
    from accountability.audit.selectors import audit_chain_verify
    from accountability.cases.models import Attachment, Case
    from accountability.common.crypto import DecryptionError, decrypt_text
    from accountability.documents.models import IssuedDocument

    report = VerifyReport()
    chain = audit_chain_verify()
    report.audit_ok, report.audit_message = chain.ok, str(chain.message)

    def matches(file: Any, sha256: str) -> bool:
        try:
            with file.open("rb") as handle:
                digest = hashlib.sha256()
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
        except OSError:
            return False
        return digest.hexdigest() == sha256

    for document in IssuedDocument.objects.select_related("pdf").order_by("pk").iterator():
        report.documents += 1
        copy = document.pdf_copy
        if not matches(document.docx, document.docx_sha256) or (
            copy is not None and copy.file and not matches(copy.file, copy.sha256)
        ):
            report.documents_bad.append(str(document))
    for attachment in Attachment.objects.select_related("case").order_by("pk").iterator():
        report.attachments += 1
        if not matches(attachment.file, attachment.sha256):
            report.attachments_bad.append(f"{attachment.case.number} {attachment.title}")
    for case in Case.objects.exclude(informant_name_enc="", informant_contact_enc="").iterator():
        report.informants += 1
        try:
            decrypt_text(case.informant_name_enc)
            decrypt_text(case.informant_contact_enc)
        except DecryptionError as error:
            report.informants_bad.append(f"{case.number}：{error.message}")
    return report


def system_restore(
    *,
    archive_path: Path,
    force: bool = False,
    actor: Any = None,
    progress: Callable[[str], None] | None = None,
) -> RestoreResult:
    """Restore the database and MEDIA_ROOT from an archive made by system_backup."""
    from accountability.audit.services import audit_log

    say = progress or (lambda _text: None)
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError):
        raise BackupError(
            MSG_NOT_AN_ARCHIVE.format(path=archive_path.name), code="not_an_archive"
        ) from None
    with archive, tempfile.TemporaryDirectory(prefix="restore-") as scratch:
        manifest = _read_manifest(archive, archive_path)
        if manifest["engine"] != _engine():
            raise BackupError(
                MSG_ENGINE_MISMATCH.format(
                    source=ENGINE_LABELS[manifest["engine"]], target=ENGINE_LABELS[_engine()]
                ),
                code="engine",
            )
        _check_migrations(manifest)
        held = _data_present()
        if held and not force:
            raise BackupError(MSG_NOT_EMPTY.format(what=held), code="not_empty")
        folder = Path(scratch)
        _extract_verified(archive, manifest, folder)
        say(f"备份文件完整：{len(manifest['members'])} 个文件的哈希与清单一致。")
        _load_database(folder / manifest["database"])
        media_root = Path(settings.MEDIA_ROOT)
        media = 0
        source_media = folder / MEDIA_PREFIX.rstrip("/")
        for path in _media_files(source_media):
            target = media_root / path.relative_to(source_media)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            media += 1
    verify = restored_system_verify()
    counts = _counts()
    audit_log(
        actor=actor,
        action="import",
        target=("system", "", "系统恢复"),
        changes={
            "archive": archive_path.name,
            "created_at": manifest["created_at"],
            "counts": counts,
            "verified": verify.ok,
        },
        detail=f"从备份 {archive_path.name}（{manifest['created_at']}）恢复",
    )
    return RestoreResult(manifest=manifest, media_files=media, counts=counts, verify=verify)
