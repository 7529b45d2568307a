"""Throughput of the rulebook on one core, as ratios to a plain oracle measured in the same run.

On the same generated batch (100,000 cases by default) it times:
  - the explained path: assess(facts), every sentence, citation and interpretation rendered;
  - the fast path: assess(facts, explain=False), the outcome only (told later if asked);
  - the plain oracle (bench/oracle.py): the outcome written straight from the regulation;
and checks that fast and explained paths agree on every case (tier, measures, adjustments,
reduced measures, the count, deadline and restrictions), and that the oracle agrees with both.
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


def best_of(
    runs: dict[str, Callable[[], list[Any]]], rounds: int
) -> dict[str, tuple[float, list[Any]]]:
    """Each run `rounds` times, interleaved (the machine is shared); its best time, its results."""
    found: dict[str, tuple[float, list[Any]]] = {}
    for _ in range(rounds):
        for name, run in runs.items():
            found.pop(name, None)  # free the last round's results before timing again
            gc.collect()
            started = time.process_time()
            results = run()
            seconds = time.process_time() - started
            previous = found.get(name, (seconds, results))[0]
            found[name] = (min(seconds, previous), results)
    return found


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

    # Each path keeps what a batch keeps of a result: its outcome (the explained path has
    # rendered every sentence first). The JSON contract keeps the dicts.
    def explained() -> list[Any]:
        return [rulebook.assess(f, rulebook=book).outcome() for f in facts]

    def fast() -> list[Any]:
        return [rulebook.assess(f, rulebook=book, explain=False).outcome() for f in facts]

    def plain() -> list[Any]:
        return [oracle.outcome(version, calendar, f) for f in facts]

    def contract() -> list[Any]:
        return [rulebook.assess_dict(case, rulebook=book) for case in cases]

    timed = best_of({"oracle": plain, "fast": fast, "explained": explained}, args.rounds)
    timed.update(best_of({"contract": contract}, 1))
    oracle_s, oracle_results = timed["oracle"]
    fast_s, fast_results = timed["fast"]
    explained_s, explained_results = timed["explained"]
    dict_s, dicts = timed["contract"]
    errors = sum("error" in d for d in dicts)
    fast_vs_explained = sum(a != b for a, b in zip(fast_results, explained_results, strict=True))
    oracle_vs_fast = sum(a != o for a, o in zip(fast_results, oracle_results, strict=True))

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
