"""Throughput of the rulebook: `assess` over 100,000 generated cases.

Prints assessments per second in-process (from dicts, as the JSON contract
takes them, and from Facts) and through `accountability assess --jsonl`.
Run: .venv/bin/python bench/assess.py [--cases N]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

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
        case["imposed"] = rng.sample(tier.measures, 1)
        cases.append(case)
    return cases


def per_second(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s ({seconds:.2f} s for {n:,})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    cases = generate(args.cases)
    facts = [rulebook.facts_from_dict(case) for case in cases]
    # The inputs stay alive through the run: keep the cyclic garbage collector from
    # re-scanning them all the time (as a long-running batch job would).
    gc.freeze()

    # Each measurement starts from a fresh rulebook, so nothing is reused from the one before.
    book = rulebook.load(version_dirs=shipped_version_dirs())
    errors = 0
    started = time.perf_counter()
    for case in cases:
        result = rulebook.assess_dict(case, rulebook=book)
        errors += "error" in result
    dict_seconds = time.perf_counter() - started

    book = rulebook.load(version_dirs=shipped_version_dirs())
    started = time.perf_counter()
    for f in facts:
        rulebook.assess(f, rulebook=book)
    facts_seconds = time.perf_counter() - started

    # The same batch again: every pure part is now known (re-vetting the same people).
    started = time.perf_counter()
    for f in facts:
        rulebook.assess(f, rulebook=book)
    warm_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "cases.jsonl"
        target = Path(folder) / "results.jsonl"
        source.write_text(
            "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8"
        )
        script = Path(sys.executable).parent / "accountability"
        started = time.perf_counter()
        with target.open("w", encoding="utf-8") as out:
            proc = subprocess.run(
                [str(script), "assess", "--jsonl", str(source)], stdout=out, check=False
            )
        jsonl_seconds = time.perf_counter() - started
        with target.open(encoding="utf-8") as results:
            lines = sum(1 for _ in results)
        size = target.stat().st_size

    print(f"cases: {len(cases):,} generated (seed 20261127), errors: {errors}")
    print(f"in-process assess_dict (JSON contract): {per_second(len(cases), dict_seconds)}")
    print(f"in-process assess (Facts):              {per_second(len(cases), facts_seconds)}")
    print(f"in-process assess (Facts), second pass: {per_second(len(cases), warm_seconds)}")
    print(
        f"accountability assess --jsonl file:     {per_second(lines, jsonl_seconds)}"
        f" incl. start-up, {size / 2**20:.0f} MiB written, exit {proc.returncode}"
    )


if __name__ == "__main__":
    main()
