"""`accountability db-roles`: the PostgreSQL owner and application roles (roles.py).

    accountability db-roles --create --database NAME   # SQL for the DBA (superuser), once
    accountability db-roles --grant [--apply]          # after every migrate, as the owner
    accountability db-roles --check [--role NAME]      # what the role may do to the audit

Without --apply the statements are printed for review (psql -f); with it they run on the
configured database connection.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accountability.audit import roles


class Command(BaseCommand):
    help = "PostgreSQL 角色分离:属主角色执行迁移,应用角色对审计日志只能 INSERT 和 SELECT。"

    def add_arguments(self, parser):
        parser.add_argument("--owner", default=roles.OWNER)
        parser.add_argument("--app", default=roles.APP)
        parser.add_argument("--database", default=None, help="for --create (default: current)")
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--create", action="store_true")
        mode.add_argument("--grant", action="store_true")
        mode.add_argument("--check", action="store_true")
        parser.add_argument("--apply", action="store_true", help="run instead of printing")
        parser.add_argument("--role", default=None, help="for --check (default: --app)")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and (options["apply"] or options["check"]):
            raise CommandError("db-roles needs PostgreSQL (DATABASE_URL=postgres://…)")
        if options["check"]:
            role = options["role"] or options["app"]
            privileges = roles.audit_privileges(role)
            granted = ", ".join(k for k, v in privileges.items() if v) or "-"
            if not roles.audit_role_is_safe(privileges):
                raise CommandError(
                    f"角色 {role} 对审计日志的权限不符合要求(应只有 SELECT、INSERT):{granted}",
                    returncode=1,
                )
            self.stdout.write(f"角色 {role} 对审计日志只能 SELECT、INSERT")
            return
        try:
            if options["create"]:
                database = options["database"] or connection.settings_dict["NAME"]
                statements = roles.create_statements(
                    owner=options["owner"], app=options["app"], database=database
                )
            else:
                statements = roles.grant_statements(owner=options["owner"], app=options["app"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not options["apply"]:
            for statement in statements:
                self.stdout.write(statement + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{len(statements)} statements applied")
