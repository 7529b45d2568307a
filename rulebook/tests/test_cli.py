"""`accountability assess` and `accountability rulebook check` from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from rulebook.cli import main

CASE = {
    "role": "具体承办人",
    "circumstance": 3,
    "severity": "较重",
    "decided_on": "2026-09-20",
    "received_on": "2026-09-28",
    "imposed": ["诫勉"],
}


def run(args: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(args, out)
    finally:
        sys.stdin = old
    return code, out.getvalue()


def test_assess_reads_stdin_and_writes_json() -> None:
    code, out = run(["assess", "-"], json.dumps(CASE, ensure_ascii=False))
    assert code == 0
    result = json.loads(out)
    assert result["tier"] == "较重"
    assert result["appeal_deadline"] == "2026-10-13"
    assert [(r["kind"], r["label"]) for r in result["restrictions"]] == [
        ("no_promotion_or_important_post", "不得提拔或者重用"),
        ("no_award", "不得评优评先"),
    ]


def test_assess_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE, ensure_ascii=False), encoding="utf-8")
    code, out = run(["assess", str(path)])
    assert code == 0 and json.loads(out)["rulebook"] == "zx-2020-10-30"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "科长"}, "role"),
        ({"circumstance": 10}, "circumstance"),
        ({"decided_on": "2026/09/20"}, "decided_on"),
        ({"circumstance": 1, "conditions": ["未亲自组织"]}, "conditions"),
        ({"severity": None}, "severity"),
        ({"violates_discipline": "yes"}, "violates_discipline"),
    ],
)
def test_bad_input_exits_2_with_the_field(change: dict[str, object], field: str) -> None:
    code, out = run(["assess", "-"], json.dumps({**CASE, **change}, ensure_ascii=False))
    assert code == 2
    error = json.loads(out)["error"]
    assert error["field"] == field
    assert error["message"]


def test_not_json_exits_2() -> None:
    code, out = run(["assess", "-"], "{not json")
    assert code == 2
    assert json.loads(out)["error"]["message"].startswith("输入不是有效的 JSON")


def test_a_missing_file_exits_2() -> None:
    code, out = run(["assess", "/nonexistent/case.json"])
    assert code == 2 and json.loads(out)["error"]["field"] == "file"


def test_jsonl_writes_a_line_per_case_and_flags_bad_lines() -> None:
    good = json.dumps(CASE, ensure_ascii=False)
    bad = json.dumps({**CASE, "circumstance": 10})
    code, out = run(["assess", "--jsonl", "-"], f"{good}\n\n{bad}\n{good}\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert [("error" in line) for line in lines] == [False, True, False]
    assert lines[1]["error"]["line"] == 3


def test_holidays_option_adds_a_year(tmp_path: Path) -> None:
    holidays = [{"date": "2027-01-01", "name": "元旦"}]
    schedule = {"year": 2027, "source": "测试数据", "holidays": holidays}
    (tmp_path / "2027.json").write_text(json.dumps(schedule, ensure_ascii=False), encoding="utf-8")
    case = {**CASE, "decided_on": "2026-12-15", "received_on": "2026-12-17"}
    code, out = run(["assess", "--holidays", str(tmp_path), "-"], json.dumps(case))
    assert code == 0
    assert json.loads(out)["appeal_deadline"] == "2027-01-04"


def test_rulebook_check_passes() -> None:
    code, out = run(["rulebook", "check"])
    assert code == 0
    # 7 roles × 9 items × 4 tiers × 违纪 × 8 lighter × 4 heavier × repeat, and each of the
    # 36 measures of the four tiers imposed alone on two days.
    assert "zx-2020-10-30: 检查组合 32328 种,问题 0 个" in out
    assert out.endswith("规则检查通过\n")


SCRIPT = Path(sys.executable).parent / "accountability"


@pytest.mark.skipif(not SCRIPT.exists(), reason="the package is not installed (pip install -e .)")
def test_console_script_runs_without_a_database() -> None:
    proc = subprocess.run(
        [str(SCRIPT), "assess", "-"],
        input=json.dumps(CASE, ensure_ascii=False),
        capture_output=True,
        text=True,
        env={"PATH": str(Path(sys.executable).parent), "DATABASE_URL": "postgres://nowhere/x"},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tier"] == "较重"
    assert proc.stderr == ""
