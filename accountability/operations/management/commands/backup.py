"""`accountability backup`: the database and the stored files into one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountability.common.errors import DomainError
from accountability.operations.backup import system_backup

DONE = (
    "备份完成：{path}\n"
    "SHA-256：{sha256}\n"
    "内容：{engine} 数据库，用户 {users} 个，案件 {cases} 件，审计日志 {audit_entries} 条，"
    "已印发文书 {issued_documents} 份，附件 {attachments} 个，共 {members} 个文件。\n"
    "恢复时需要的字段密钥：{keys}（密钥不在备份中，请另行妥善保管）。"
)


class Command(BaseCommand):
    help = (
        "备份数据库(PostgreSQL 用 pg_dump，SQLite 用在线备份)和已存储的文件，"
        "写入一个带哈希清单的归档文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="", help="归档文件路径(默认写到 BACKUP_DIR，文件名含时间)"
        )

    def handle(self, *args, **options):
        output = Path(options["output"]) if options["output"] else None
        try:
            result = system_backup(output=output)
        except DomainError as error:
            raise CommandError(error.message, returncode=1) from None
        manifest = result.manifest
        self.stdout.write(
            DONE.format(
                path=result.path,
                sha256=result.sha256,
                engine={"sqlite": "SQLite", "postgresql": "PostgreSQL"}[manifest["engine"]],
                members=len(manifest["members"]),
                keys="、".join(manifest["field_key_ids"]) or "无",
                **manifest["counts"],
            )
        )
