"""`accountability restore ARCHIVE`: the database and the stored files from a backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountability.common.errors import DomainError
from accountability.operations.backup import system_restore

RESTORED = (
    "已恢复 {created_at} 的备份（{engine}）：用户 {users} 个，案件 {cases} 件，"
    "审计日志 {audit_entries} 条，已印发文书 {issued_documents} 份，附件 {attachments} 个，"
    "文件 {media} 个。"
)
AUDIT = "审计日志：{message}"
DOCUMENTS = "已印发文书：{count} 份，哈希全部一致。"
ATTACHMENTS = "附件：{count} 个，哈希全部一致。"
INFORMANTS = "举报人信息：{count} 件案件的加密字段均可解密。"
BAD = "{what}：{count} 项校验不通过：{items}"
FAILED = "恢复后的校验未通过，请勿投入使用。"


class Command(BaseCommand):
    help = (
        "从 accountability backup 生成的归档恢复数据库和已存储的文件：先核对每个文件的哈希，"
        "数据库已有数据时拒绝覆盖(除非加 --force)，恢复后校验审计链、文书和附件哈希及举报人信息。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="归档文件路径")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据的数据库")

    def handle(self, *args, **options):
        try:
            result = system_restore(
                archive_path=Path(options["archive"]),
                force=options["force"],
                progress=self.stdout.write,
            )
        except DomainError as error:
            raise CommandError(error.message, returncode=1) from None
        manifest, verify = result.manifest, result.verify
        self.stdout.write(
            RESTORED.format(
                created_at=manifest["created_at"],
                engine={"sqlite": "SQLite", "postgresql": "PostgreSQL"}[manifest["engine"]],
                media=result.media_files,
                **manifest["counts"],
            )
        )
        self.stdout.write(AUDIT.format(message=verify.audit_message))
        checks = (
            ("已印发文书", verify.documents, verify.documents_bad, DOCUMENTS),
            ("附件", verify.attachments, verify.attachments_bad, ATTACHMENTS),
            ("举报人信息", verify.informants, verify.informants_bad, INFORMANTS),
        )
        for what, count, bad, good in checks:
            if bad:
                self.stderr.write(BAD.format(what=what, count=len(bad), items="；".join(bad[:10])))
            else:
                self.stdout.write(good.format(count=count))
        if not verify.ok:
            raise CommandError(FAILED, returncode=1)
