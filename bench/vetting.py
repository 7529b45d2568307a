"""Integrity vetting at scale: the register's queries beside the obvious per-person ORM loop.

Fills a database of its own (SQLite in memory, or ``bench_<name>`` next to DATABASE_URL's
PostgreSQL database, dropped afterwards) with --people people (default 20,000) in a county's
units and townships, --decisions decisions (default half as many) over 2021–2026, each with the
rulebook's assessment stored on its version as cases.services.decision_record stores it, and
the register rows written from those assessments by the register's own function
(vetting.register.restriction_values, bulk-inserted: bulk_create sends no post_save), plus a
few hundred open cases. Then, in the same run, on the same data:

* list: a vetting list of --list names (default 5,000; four in five by 工号, the rest by name
  and unit) answered for a promotion on day D through vetting.answers (match_rows +
  answer_people: the register), and by the obvious loop (per person: find them, read their
  decisions and each stored assessment's restrictions, look for an open case);
* barred: everyone barred from promotion on day D, from the register (selectors.barred_on) and
  by the obvious loop over every person.

Each is timed --repeat times (best of), checked to give the same answer both ways, and
printed with the ratio and the number of queries; on PostgreSQL the plan of the barred query
(EXPLAIN) is printed too. --loop-people K times the per-person loops on the first K people
only and scales the time up (printed as extrapolated).

Run: .venv/bin/python bench/vetting.py [--people 20000] [--decisions N] [--list 5000]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/acc_vetting .venv/bin/python bench/vetting.py
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SEED = 20261201
FIRST = date(2021, 1, 1)
LAST = date(2026, 11, 30)
DAY = date(2026, 12, 1)
TIERS = (("较轻", 0.5), ("较重", 0.3), ("严重", 0.17), ("涉嫌犯罪", 0.03))
MEASURES = {
    "较轻": ["批评教育", "提醒约谈", "诫勉谈话"],
    "较重": ["通报", "诫勉", "停职检查", "调整职务", "免职", "降职"],
    "严重": ["党内警告", "党内严重警告", "撤销党内职务", "政务警告", "记过", "记大过", "撤职"],
    "涉嫌犯罪": ["开除党籍", "开除", "移送司法机关依法处理"],
}
ROLES = ["分管领导", "部门负责人", "乡镇纪委书记", "直接负责人", "具体承办人"]


def generate(people: int, decisions: int, rng: random.Random) -> dict[str, int]:
    """The registry, the cases, decisions with their stored assessments, and the register."""
    import rulebook
    from accountability.cases.models import (
        Case,
        CaseParty,
        CommitteeMeeting,
        Decision,
        DecisionVersion,
    )
    from accountability.demo.testing import make_personas
    from accountability.people.models import Organisation, Person
    from accountability.vetting.models import Restriction
    from accountability.vetting.register import restriction_values

    personas = make_personas()
    county, user = personas.orgs.county, personas.case_officer
    units = list(Organisation.objects.filter(parent=county))
    for i in range(30):
        units.append(
            Organisation.objects.create(
                code=f"ZX-T{i:02d}", name=f"第{i + 1}乡镇纪委", kind="township", parent=county
            )
        )
    base = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows = [
        Person(
            pk=base + i,
            name=f"人员{base + i}",
            id_number=f"B{base + i:08d}",
            unit=rng.choice(units),
            role=rng.choice(ROLES),
            managed_by=county,
        )
        for i in range(people)
    ]
    Person.objects.bulk_create(rows, batch_size=5000)
    ids = [p.pk for p in rows]
    book = rulebook.load()
    cases, parties, meetings, decided, versions, register = [], [], [], [], [], []
    span = (LAST - FIRST).days
    for n in range(1, decisions + 1):
        person = rng.choice(ids)
        on = FIRST + timedelta(days=rng.randint(0, span))
        severity = rng.choices([t for t, _ in TIERS], [w for _, w in TIERS])[0]
        measures = rng.sample(MEASURES[severity], 1)
        inputs = {
            "role": rng.choice(ROLES),
            "circumstance": 3,
            "severity": severity,
            "violates_discipline": severity in ("严重", "涉嫌犯罪"),
            "decided_on": on.isoformat(),
            "imposed": measures,
        }
        if severity == "涉嫌犯罪" and "移送司法机关依法处理" not in measures:
            measures.append("移送司法机关依法处理")
            inputs["imposed"] = measures
        try:
            assessment = rulebook.assess_dict(inputs, rulebook=book)
        except rulebook.RulebookError:
            continue
        cases.append(
            Case(
                pk=n,
                number=f"V{n:08d}",
                source="petition",
                summary="基准测试案件",
                received_on=on - timedelta(days=60),
                handling_organ=county,
                state="closed",
                registered_by=user,
            )
        )
        meetings.append(
            CommitteeMeeting(
                pk=n,
                case_id=n,
                held_on=on,
                committee_size=9,
                quorum_rule="more_than_half",
                votes_for=9,
                recorded_by=user,
            )
        )
        parties.append(CaseParty(pk=n, case_id=n, person_id=person, severity=severity))
        decision = Decision(
            pk=n, party_id=n, meeting_id=n, decided_on=on, current_version_id=n, recorded_by=user
        )
        version = DecisionVersion(
            pk=n,
            decision_id=n,
            number=1,
            source="committee",
            outcome="追究",
            measures=measures,
            effective_on=on,
            inputs=inputs,
            assessment=assessment,
            rulebook_version=str(assessment["rulebook"]),
            created_by=user,
        )
        decided.append(decision)
        versions.append(version)
        for values in restriction_values(version, decided_on=on):
            register.append(Restriction(person_id=person, decision_id=n, version_id=n, **values))
    # A few hundred open cases (investigating, nobody decided yet).
    opened = max(50, people // 50)
    for k in range(opened):
        n = decisions + 1 + k
        cases.append(
            Case(
                pk=n,
                number=f"V{n:08d}",
                source="work",
                summary="基准测试线索",
                received_on=LAST,
                handling_organ=county,
                state="investigating",
                registered_by=user,
            )
        )
        parties.append(CaseParty(pk=n, case_id=n, person_id=rng.choice(ids)))
    with transaction.atomic():
        for model, objs in (
            (Case, cases),
            (CaseParty, parties),
            (CommitteeMeeting, meetings),
            (Decision, decided),
            (DecisionVersion, versions),
            (Restriction, register),
        ):
            model.objects.bulk_create(objs, batch_size=2000)
    return {"decisions": len(decided), "restrictions": len(register), "open": opened}


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Counter:
    """Counts the queries run (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def best(func, repeat: int):  # type: ignore[no-untyped-def]
    times, result, queries = [], None, 0
    for _ in range(repeat):
        counter = Counter()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - start)
        queries = counter.count
    return min(times), result, queries


# --- the register ---------------------------------------------------------------------------


def register_list(rows):  # type: ignore[no-untyped-def]
    from accountability.vetting.answers import answer_people, match_rows

    matched = match_rows(rows)
    found = {m.person_id for m in matched if m.person_id}
    answers = answer_people(found, on=DAY, purpose="promotion")
    by_person = {m.row.row: m.person_id for m in matched if m.person_id}
    return {row: answers[pk][0] for row, pk in by_person.items()}


def register_barred() -> set[int]:
    from accountability.vetting.selectors import barred_on

    return set(barred_on(on=DAY).values_list("person_id", flat=True))


# --- the obvious per-person loop ------------------------------------------------------------


def loop_barred_person(person) -> bool:  # type: ignore[no-untyped-def]
    from accountability.cases.models import Decision

    day = DAY.isoformat()
    for decision in Decision.objects.filter(
        party__person=person, current_version__outcome="追究"
    ).select_related("current_version"):
        for r in decision.current_version.assessment.get("restrictions", []):
            if "promotion" in r.get("bars", ()) and r["start"] <= day <= r["until"]:
                return True
    return False


def loop_list(rows):  # type: ignore[no-untyped-def]
    from accountability.cases.models import CaseParty
    from accountability.cases.workflow import TERMINAL_STATES
    from accountability.people.models import Person

    answers = {}
    for row in rows:
        if row.id_number:
            person = Person.objects.filter(id_number=row.id_number).first()
        else:
            person = Person.objects.filter(name=row.name, unit__code=row.unit).first()
        if person is None:
            continue
        if loop_barred_person(person):
            answers[row.row] = "disagree"
        elif (
            CaseParty.objects.filter(person=person, decision__isnull=True)
            .exclude(case__state__in=TERMINAL_STATES)
            .exists()
        ):
            answers[row.row] = "postpone"
        else:
            answers[row.row] = "clear"
    return answers


def loop_barred(limit: int | None) -> set[int]:
    from accountability.people.models import Person

    people = Person.objects.order_by("pk")
    if limit:
        people = people[:limit]
    return {p.pk for p in people if loop_barred_person(p)}


def explain_barred() -> str:
    from accountability.vetting.selectors import barred_on

    qs = barred_on(on=DAY).values_list("person_id", flat=True)
    sql, params = qs.query.sql_with_params()
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join("  " + " ".join(str(c) for c in row) for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--decisions", type=int, default=0, help="default: half the people")
    parser.add_argument("--list", type=int, default=5_000, help="names on the vetting list")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (best of)")
    parser.add_argument(
        "--loop-people",
        type=int,
        default=0,
        help="time the per-person loops on this many people and scale up (default: all)",
    )
    args = parser.parse_args()
    decisions = args.decisions or args.people // 2
    rng = random.Random(SEED)

    setup_test_environment(debug=False)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        db.setdefault("TEST", {})["NAME"] = f"bench_{db['NAME']}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from accountability.people.models import Person
        from accountability.vetting.answers import ListRow

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        start = time.perf_counter()
        counts = generate(args.people, decisions, rng)
        analyze()
        print(
            f"{args.people:,} people, {counts['decisions']:,} decisions, "
            f"{counts['restrictions']:,} register rows, {counts['open']:,} open cases "
            f"generated in {time.perf_counter() - start:.1f} s; day D = {DAY}"
        )
        sample = list(Person.objects.select_related("unit").order_by("pk"))
        rng.shuffle(sample)
        sample = sample[: args.list]
        rows = [
            ListRow(i, p.name, p.id_number) if i % 5 else ListRow(i, p.name, "", p.unit.code)
            for i, p in enumerate(sample, start=1)
        ]
        scale = 1.0
        loop_rows = rows
        if args.loop_people and args.loop_people < len(rows):
            loop_rows = rows[: args.loop_people]
            scale = len(rows) / len(loop_rows)

        print(f"\nvetting list of {len(rows):,} names for a promotion on {DAY}")
        fast, fast_answers, fast_q = best(lambda: register_list(rows), args.repeat)
        slow, slow_answers, slow_q = best(lambda: loop_list(loop_rows), 1)
        agree = all(fast_answers.get(r.row) == slow_answers.get(r.row) for r in loop_rows)
        tally = {a: list(fast_answers.values()).count(a) for a in ("disagree", "postpone")}
        print(f"  register        {fast:9.3f} s  {fast_q:>7,} queries   {tally}")
        label = "per-person loop" + (" (extrapolated)" if scale != 1 else "")
        print(f"  {label:<15} {slow * scale:9.3f} s  {int(slow_q * scale):>7,} queries")
        print(f"  ratio {slow * scale / fast:,.0f}x   same answers: {agree}")

        everyone = Person.objects.count()
        limit = args.loop_people or None
        print(f"\neveryone barred from promotion on {DAY} ({everyone:,} people)")
        fast, barred, fast_q = best(register_barred, args.repeat)
        slow, looped, slow_q = best(lambda: loop_barred(limit), 1)
        scale = everyone / limit if limit and limit < everyone else 1.0
        first = set(Person.objects.order_by("pk").values_list("pk", flat=True)[: limit or everyone])
        agree = (barred & first) == looped
        print(f"  register        {fast:9.3f} s  {fast_q:>7,} queries   {len(barred):,} barred")
        label = "per-person loop" + (" (extrapolated)" if scale != 1 else "")
        print(f"  {label:<15} {slow * scale:9.3f} s  {int(slow_q * scale):>7,} queries")
        print(f"  ratio {slow * scale / fast:,.0f}x   same people: {agree}")
        print("\nplan of the barred query:\n" + explain_barred())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
