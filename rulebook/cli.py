"""Command line: `accountability assess` and `accountability rulebook check`.

Neither needs Django nor a database. `assess` reads one JSON object (a file or
- for stdin) and writes the result as JSON; with --jsonl it reads and writes
one case a line. Bad input exits with status 2 and {"error": {...}} on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from rulebook.calendar import schedules_from_path
from rulebook.check import check_rulebook
from rulebook.engine import assess_dict
from rulebook.errors import RulebookError
from rulebook.versions import Rulebook, load

EXIT_BAD_INPUT = 2


def _dump(obj: Any, out: TextIO, *, pretty: bool) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None))
    out.write("\n")


def _rulebook(holidays: str | None) -> Rulebook:
    path = holidays or os.environ.get("ACCOUNTABILITY_HOLIDAYS")
    if not path:
        return load()
    location = Path(path)
    if not location.exists():
        raise RulebookError("holidays", f"节假日安排文件或目录不存在:{location}")
    return load(extra_schedules=schedules_from_path(location))


def _today(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise RulebookError("today", f"“{raw}”不是有效日期,须为 YYYY-MM-DD 格式") from None


def _open(name: str) -> TextIO:
    if name == "-":
        return sys.stdin
    try:
        return open(name, encoding="utf-8")
    except OSError as exc:
        raise RulebookError("file", f"无法读取输入文件 {name}:{exc.strerror}") from exc


def run_assess(args: argparse.Namespace, out: TextIO) -> int:
    try:
        book = _rulebook(args.holidays)
        today = _today(args.today)
        source = _open(args.file)
    except RulebookError as exc:
        _dump(exc.as_dict(), out, pretty=not args.jsonl)
        return EXIT_BAD_INPUT
    with source:
        if not args.jsonl:
            try:
                data = json.loads(source.read())
            except ValueError as exc:
                _dump(RulebookError(None, f"输入不是有效的 JSON:{exc}").as_dict(), out, pretty=True)
                return EXIT_BAD_INPUT
            try:
                _dump(assess_dict(data, rulebook=book, today=today), out, pretty=True)
            except RulebookError as exc:
                _dump(exc.as_dict(), out, pretty=True)
                return EXIT_BAD_INPUT
            return 0
        failed = False
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                result = assess_dict(data, rulebook=book, today=today)
            except ValueError as exc:
                if not isinstance(exc, RulebookError):
                    exc = RulebookError(None, f"第{number}行不是有效的 JSON:{exc}")
                result = {"error": {**exc.as_dict()["error"], "line": number}}
                failed = True
            _dump(result, out, pretty=False)
        return EXIT_BAD_INPUT if failed else 0


def run_check(args: argparse.Namespace, out: TextIO) -> int:
    try:
        book = _rulebook(args.holidays)
    except RulebookError as exc:
        out.write(f"规则检查失败:{exc.message}\n")
        return 1
    failed = False
    for report in check_rulebook(book):
        if report.version == "(versions)":
            years = book.calendar.years
            out.write(
                f"版本 {len(book.versions)} 个;节假日安排 {years[0]}–{years[-1]} 年,"
                f"{'无误' if not report.problems else '有误'}\n"
            )
        else:
            count = len(report.problems)
            out.write(f"{report.version}: 检查组合 {report.combinations} 种,问题 {count} 个\n")
            if report.inherits:
                out.write(
                    f"  继承 {report.inherits},本版本列明:{'、'.join(report.stated)};"
                    "合并后的规则表已全部检查\n"
                )
        for problem in report.problems[:50]:
            out.write(f"  - {problem}\n")
        failed = failed or bool(report.problems)
    out.write("规则检查未通过\n" if failed else "规则检查通过\n")
    return 1 if failed else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="accountability", description="责任追究规则(无需数据库)")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("assess", help="测算一个案件当事人的责任追究结果,输出 JSON")
    a.add_argument("file", nargs="?", default="-", help="JSON 文件;- 表示标准输入(默认)")
    a.add_argument("--jsonl", action="store_true", help="每行一个案件,逐行输出结果")
    a.add_argument("--holidays", help="补充的节假日安排:JSON 文件或目录")
    a.add_argument("--today", help="未给出 decided_on 时使用的日期(默认今天)")
    r = sub.add_parser("rulebook", help="规则版本的检查")
    rsub = r.add_subparsers(dest="action", required=True)
    c = rsub.add_parser("check", help="证明各版本的规则表完整、一致、有出处")
    c.add_argument("--holidays", help="补充的节假日安排:JSON 文件或目录")
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    stream = out or sys.stdout
    if args.command == "assess":
        return run_assess(args, stream)
    return run_check(args, stream)


if __name__ == "__main__":
    sys.exit(main())
