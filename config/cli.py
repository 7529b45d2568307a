"""The `accountability` console script.

`accountability assess` and `accountability rulebook check` run the rulebook
alone: no Django, no database. Everything else is a Django management command,
as with manage.py.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["assess"], ["rulebook"]):
        from rulebook.cli import main as rulebook_main

        return rulebook_main(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["accountability", *args])
    except ImproperlyConfigured as error:
        # A malformed or missing setting (config/env.py): its name and the rule, no traceback.
        print(f"配置错误：{error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
