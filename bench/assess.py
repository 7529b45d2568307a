"""Throughput of the rulebook on one core, as ratios to a plain oracle measured in the same run.

On the same generated batch (100,000 cases by default) it times:
  - the explained path: assess(facts), every sentence, citation and interpretation rendered;
  - the fast path: assess(facts, explain=False), the outcome only (told later if asked);
  - the plain oracle (bench/oracle.py): the outcome written straight from the regulation;
and checks, in a pass of its own, that fast and explained paths agree on every case (tier,
measures, adjustments, reduced measures, the count, deadline and restrictions), and that the
oracle agrees with both. Each timed run streams its results (a re-assessment batch stores each
result and moves on); one more run of the fast path keeps every result in memory, to show what
the garbage collector then costs.
Also shown: the JSON contract in-process (assess_dict) and `accountability assess --jsonl`.
Times are the CPU time of this process (of the child, for the command line), so that other
work on a shared machine does not count against a figure: "per second on one core". Each
figure is the best of --rounds interleaved runs. Exits 1 if any case disagrees.
Run: .venv/bin/python bench/assess.py [--cases N] [--rounds R] [--no-cli]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import oracle

import rulebook
from rulebook.versions import shipped_version_dirs


def generate(n: int, seed: int = 20261127) -> list[dict[str, object]]:
    rng = random.Random(seed)
    version = rulebook.load().versions[0]
    start = date(2021, 1, 1)
    cases = []
    for _ in range(n):
        role = rng.choice(version.roles)
        item = rng.randint(1, 9)
        decided = start + timedelta(days=rng.randint(0, 2000))
        case: dict[str, object] = {
            "role": role,
            "circumstance": item,
            "severity": rng.choice(version.severities),
            "violates_discipline": rng.random() < 0.2,
            "lighter": rng.sample([1, 2, 3], rng.randint(0, 1)),
            "heavier": rng.sample([2, 3], rng.randint(0, 1)),
            "earlier_decisions": [
                (decided - timedelta(days=rng.randint(0, 700))).isoformat()
                for _ in range(rng.randint(0, 2))
            ],
            "decided_on": decided.isoformat(),
            "received_on": (decided + timedelta(days=rng.randint(0, 10))).isoformat(),
        }
        if item == 1:
            case["conditions"] = [rng.choice(version.conditions[role])]
        tier = version.tiers[str(case["severity"])]
        case["imposed"] = rng.sample(tier.measures, rng.choice((1, 1, 1, 2)))
        cases.append(case)
    return cases


def best_of(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Each run `rounds` times, interleaved (the machine is shared): its best CPU time."""
    found: dict[str, float] = {}
    for _ in range(rounds):
        for name, run in runs.items():
            gc.collect()
            started = time.process_time()
            run()
            seconds = time.process_time() - started
            found[name] = min(seconds, found.get(name, seconds))
    return found


def disagreements(
    facts: list[rulebook.Facts], book: rulebook.Rulebook, version: Any, calendar: Any
) -> tuple[int, int]:
    """Cases where the fast and explained paths differ, and where the oracle differs."""
    fast_vs_explained = oracle_vs_engine = 0
    for f in facts:
        fast = rulebook.assess(f, rulebook=book, explain=False).outcome()
        explained = rulebook.assess(f, rulebook=book).outcome()
        fast_vs_explained += fast != explained
        oracle_vs_engine += fast != oracle.outcome(version, calendar, f)
    return fast_vs_explained, oracle_vs_engine


def per_second(n: int, seconds: float) -> str:
    return f"{n / seconds:>9,.0f}/s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-cli", action="store_true", help="skip the --jsonl command line run")
    args = parser.parse_args()
    cases = generate(args.cases)
    facts = [rulebook.facts_from_dict(case) for case in cases]
    # A fresh rulebook, loaded from the tables (not the process's cached default).
    book = rulebook.load(version_dirs=shipped_version_dirs())
    version, calendar = book.versions[0], book.calendar
    # The inputs stay alive through the run: keep the cyclic garbage collector from
    # re-scanning them all the time (as a long-running batch job would).
    gc.freeze()
    n = len(facts)

    # Each run streams its results, as a batch that stores each one and moves on does; the
    # restrictions are counted so that every result is looked at.
    def plain() -> int:
        return sum(len(oracle.outcome(version, calendar, f)[7]) for f in facts)  # type: ignore[arg-type]

    def fast() -> int:
        return sum(
            len(rulebook.assess(f, rulebook=book, explain=False).restrictions) for f in facts
        )

    def explained() -> int:
        return sum(len(rulebook.assess(f, rulebook=book).restrictions) for f in facts)

    def fast_kept() -> int:
        # every result kept in memory: the garbage collector rescans them as they grow
        return len([rulebook.assess(f, rulebook=book, explain=False) for f in facts])

    def contract() -> int:
        return sum("error" in rulebook.assess_dict(case, rulebook=book) for case in cases)

    timed = best_of({"oracle": plain, "fast": fast, "explained": explained}, args.rounds)
    timed.update(best_of({"kept": fast_kept, "contract": contract}, 1))
    oracle_s, fast_s, explained_s = timed["oracle"], timed["fast"], timed["explained"]
    kept_s, dict_s = timed["kept"], timed["contract"]
    errors = contract()  # cases refused (none are expected)
    fast_vs_explained, oracle_vs_fast = disagreements(facts, book, version, calendar)

    print(f"cases: {n:,} generated (seed 20261127), errors: {errors}; best of {args.rounds}")
    print(f"plain oracle (bench/oracle.py):        {per_second(n, oracle_s)}  1.00 × oracle")
    print(
        f"fast path assess(explain=False):       {per_second(n, fast_s)}"
        f"  {oracle_s / fast_s:.2f} × oracle"
    )
    print(
        f"explained path assess():               {per_second(n, explained_s)}"
        f"  {oracle_s / explained_s:.2f} × oracle"
    )
    print(
        f"fast path, all results kept (1 run):   {per_second(n, kept_s)}"
        f"  {oracle_s / kept_s:.2f} × oracle"
    )
    print(
        f"assess_dict (JSON contract, 1 run):    {per_second(n, dict_s)}"
        f"  {oracle_s / dict_s:.2f} × oracle"
    )
    print(f"fast and explained paths disagree on {fast_vs_explained} of {n:,} cases")
    print(f"the oracle and the engine disagree on {oracle_vs_fast} of {n:,} cases")

    if not args.no_cli:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "cases.jsonl"
            target = Path(folder) / "results.jsonl"
            source.write_text(
                "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8"
            )
            script = Path(sys.executable).parent / "accountability"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            with target.open("w", encoding="utf-8") as out:
                proc = subprocess.run(
                    [str(script), "assess", "--jsonl", str(source)], stdout=out, check=False
                )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            jsonl_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            with target.open(encoding="utf-8") as results:
                lines = sum(1 for _ in results)
            size = target.stat().st_size
        print(
            f"accountability assess --jsonl file:    {per_second(lines, jsonl_s)}"
            f"  {oracle_s / jsonl_s * lines / n:.2f} × oracle, incl. start-up,"
            f" {size / 2**20:.0f} MiB written, exit {proc.returncode}"
        )
    return 1 if fast_vs_explained or oracle_vs_fast else 0


if __name__ == "__main__":
    sys.exit(main())
