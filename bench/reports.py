"""The statistics page at a few sizes: 1,000, 10,000 and 100,000 decisions.

Generates a city with two counties and their townships, people in their units, cases with one
or two people each, decisions over five years (2021–2025), appeals, rectifications and the
transition log of every case, written with bulk_create (the log with one INSERT per batch),
into a database of its own (SQLite in memory, or ``bench_<name>`` next to DATABASE_URL's
PostgreSQL database, dropped afterwards). Then times the page through Django's test client:

* county: the county's case officer, the default page (the county, 2025);
* city: the city office, every organ, 2021-01-01 to 2025-12-31 (the widest query);
* export: the county's .xlsx export.

With --indexes each size is timed again with the indexes proposed for the cases tables
(accountability/reports/indexes.py); with --summary the summary tables are rebuilt (timed)
and the pages timed reading them (REPORTS_SOURCE=summary).

Prints p50 and p95 per size and the ratio to the smallest size, measured in the same run, and
the queries per page (the same at every size).
Run: .venv/bin/python bench/reports.py [--sizes 1000,10000,100000] [--repeat 15]
         [--indexes] [--summary] [--slowest N]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/acc_reports .venv/bin/python bench/reports.py
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SEED = 20261201
FIRST = date(2021, 1, 1)
DAYS = (date(2025, 12, 31) - FIRST).days
TIERS = (("较轻", 0.55), ("较重", 0.3), ("严重", 0.12), ("涉嫌犯罪", 0.03))
MEASURES = {
    "较轻": ["批评教育", "提醒约谈", "诫勉谈话", "责令限期整改"],
    "较重": ["通报", "诫勉", "停职检查", "调整职务"],
    "严重": ["党内警告", "党内严重警告", "政务警告", "记过"],
    "涉嫌犯罪": ["移送司法机关依法处理"],
}
KINDS = ["主要领导责任", "重要领导责任", "直接责任", ""]
ROLES = ["分管领导", "部门负责人", "乡镇纪委书记", "直接负责人", "具体承办人"]
STEPS = ("accepted", "investigating", "reported", "decided", "issued", "delivered", "filed")
ACTIONS = {
    "clue_registered": "clue_register",
    "accepted": "clue_approve",
    "rejected": "clue_reject",
    "investigating": "team_form",
    "reported": "report_submit",
    "decided": "decision_record",
    "issued": "decision_issue",
    "delivered": "delivery_record",
    "filed": "archive_record",
    "closed": "case_close",
}


class World:
    """The registry the cases are about, and the ids handed out so far."""

    def __init__(self) -> None:
        from accountability.demo.testing import make_personas
        from accountability.people.models import Organisation, Person

        self.rng = random.Random(SEED)
        self.personas = make_personas()
        orgs = self.personas.orgs
        second = Organisation.objects.create(
            code="WX", name="威信县纪委监委", kind="county_commission", parent=orgs.city
        )
        units: list[tuple[Organisation, Organisation]] = []  # (unit, its commission)
        for org in Organisation.objects.filter(parent=orgs.county):
            commission = org if org.kind == "township" else orgs.county
            units.append((org, commission))
        for county, prefix, n in ((orgs.county, "ZX-T", 28), (second, "WX-T", 12)):
            for i in range(n):
                township = Organisation.objects.create(
                    code=f"{prefix}{i:02d}",
                    name=f"{county.name[:3]}第{i + 1}乡镇纪委",
                    kind="township",
                    parent=county,
                )
                units.append((township, township))
        for i in range(8):
            office = Organisation.objects.create(
                code=f"WX-O{i}", name=f"威信县第{i + 1}室", kind="office", parent=second
            )
            units.append((office, second))
        self.units = units
        self.user = self.personas.case_officer
        self.person_ids: list[tuple[int, int, int]] = []  # (person, unit, commission)
        self.next_person = (
            Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        self.next = {"case": 1, "party": 1, "meeting": 1, "decision": 1, "version": 1}

    def people(self, n: int) -> None:
        from accountability.people.models import Person

        rows = []
        for _ in range(n):
            unit, commission = self.rng.choice(self.units)
            pk = self.next_person
            self.next_person += 1
            rows.append(
                Person(
                    pk=pk,
                    name=f"人员{pk}",
                    id_number=f"B{pk:08d}",
                    unit=unit,
                    role=self.rng.choice(ROLES),
                    managed_by=commission,
                )
            )
            self.person_ids.append((pk, unit.pk, commission.pk))
        Person.objects.bulk_create(rows, batch_size=5000)

    def take(self, kind: str) -> int:
        value = self.next[kind]
        self.next[kind] += 1
        return value


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, clock(hour), tzinfo=timezone.get_current_timezone())


def generate(world: World, decisions: int) -> None:
    """Add ``decisions`` decisions (and their cases, appeals, rectifications, log)."""
    from accountability.cases.models import (
        Appeal,
        Case,
        CaseParty,
        CommitteeMeeting,
        Decision,
        DecisionVersion,
        Rectification,
    )
    from accountability.reports.testing import LogRow, insert_log_rows

    rng = world.rng
    world.people(max(30, decisions // 3))
    cases, parties, meetings, rows, versions = [], [], [], [], []
    appeals, rectifications, log = [], [], []
    made = 0
    while made < decisions:
        person, _unit, commission = rng.choice(world.person_ids)
        decided = FIRST + timedelta(days=rng.randint(0, DAYS))
        received = decided - timedelta(days=rng.randint(30, 150))
        case_id = world.take("case")
        state = "closed" if decided < date(2025, 10, 1) else "delivered"
        cases.append(
            Case(
                pk=case_id,
                number=f"B{case_id:08d}",
                source=rng.choice(list(Case.Source)).value,
                summary="基准测试案件",
                received_on=received,
                handling_organ_id=commission,
                state=state,
                registered_by=world.user,
            )
        )
        when = at(received)
        log.append(("", "clue_registered", case_id, when))
        previous = "clue_registered"
        for step in STEPS:
            when = (
                at(decided) if step == "decided" else when + timedelta(hours=rng.randint(24, 600))
            )
            log.append((previous, step, case_id, when))
            previous = step
        if state == "closed":
            log.append((previous, "closed", case_id, when + timedelta(days=rng.randint(5, 30))))
        meeting_id = world.take("meeting")
        meetings.append(
            CommitteeMeeting(
                pk=meeting_id,
                case_id=case_id,
                held_on=decided,
                committee_size=9,
                quorum_rule="more_than_half",
                votes_for=9,
                recorded_by=world.user,
            )
        )
        chosen = [person]
        if rng.random() < 0.3:
            other = rng.choice(world.person_ids)
            if other[0] != person:
                chosen.append(other[0])
        for person_id in chosen:
            severity = rng.choices([t for t, _ in TIERS], [w for _, w in TIERS])[0]
            party_id = world.take("party")
            parties.append(
                CaseParty(
                    pk=party_id,
                    case_id=case_id,
                    person_id=person_id,
                    role=rng.choice(ROLES),
                    circumstance=rng.randint(1, 9),
                    severity=severity,
                    responsibility_kind=rng.choice(KINDS),
                    responsibility_scope="集体责任" if rng.random() < 0.1 else "个人责任",
                )
            )
            decision_id, version_id = world.take("decision"), world.take("version")
            pursue = rng.random() < 0.85
            measures = (
                rng.sample(MEASURES[severity], min(len(MEASURES[severity]), rng.randint(1, 2)))
                if pursue
                else []
            )
            outcome = "追究" if pursue else "不予追究"
            appeal = pursue and rng.random() < 0.08
            status = rng.choice(["reviewed", "reviewed", "pending", "rejected_late"])
            review = rng.choice(["upheld", "changed", "revoked"]) if status == "reviewed" else ""
            if review == "revoked":
                outcome, measures = "撤销", []
            rows.append(
                Decision(
                    pk=decision_id,
                    party_id=party_id,
                    meeting_id=meeting_id,
                    decided_on=decided,
                    current_version_id=version_id,
                    recorded_by=world.user,
                )
            )
            versions.append(
                DecisionVersion(
                    pk=version_id,
                    decision_id=decision_id,
                    number=1,
                    source="committee",
                    outcome=outcome,
                    measures=measures,
                    effective_on=decided,
                    created_by=world.user,
                )
            )
            if appeal:
                got = decided + timedelta(days=rng.randint(3, 20))
                appeals.append(
                    Appeal(
                        decision_id=decision_id,
                        received_on=got,
                        manner="in_person",
                        content="申请复查。",
                        deadline=got,
                        status=status,
                        outcome=review,
                        late=status == "rejected_late",
                        reviewing_organ_id=commission,
                        reviewed_on=got + timedelta(days=rng.randint(5, 60)) if review else None,
                        registered_by=world.user,
                    )
                )
            if "责令限期整改" in measures:
                due = decided + timedelta(days=30)
                done = due + timedelta(days=rng.randint(-20, 15)) if rng.random() < 0.8 else None
                rectifications.append(
                    Rectification(decision_id=decision_id, deadline=due, completed_on=done)
                )
            made += 1
    with transaction.atomic():
        # Decisions name their version before it is written: the foreign keys are checked at
        # the end of the transaction (deferred on both databases).
        for model, objs in (
            (Case, cases),
            (CaseParty, parties),
            (CommitteeMeeting, meetings),
            (Decision, rows),
            (DecisionVersion, versions),
            (Appeal, appeals),
            (Rectification, rectifications),
        ):
            model.objects.bulk_create(objs, batch_size=5000)
        insert_log_rows(
            LogRow(
                case_id=c, action=ACTIONS[s], from_state=f, to_state=s, actor_id=world.user.pk, at=w
            )
            for f, s, c, w in log
        )


def time_page(
    client: Client, url: str, params: dict[str, str], repeat: int, slowest: int = 0
) -> tuple[float, float, int]:
    for _ in range(2):
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    count = len(queries)  # now: the next request empties the connection's query log
    if slowest:
        ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:slowest]
        for q in ranked:
            print(f"      {float(q['time']) * 1000:8.1f} ms  {q['sql'][:110]}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, count


def drop_indexes() -> None:
    from accountability.reports import indexes

    present = [p for p in indexes.PROPOSED if p not in indexes.missing(connection)]
    with connection.schema_editor() as editor:
        for proposal in present:
            editor.remove_index(proposal.model_class(), proposal.index())


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="decisions, ascending")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page and size")
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries")
    parser.add_argument(
        "--indexes",
        action="store_true",
        help="also time each size with the indexes of accountability/reports/indexes.py",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="also time the rebuild of the summary tables and the page reading them",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    setup_test_environment(debug=False)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        db.setdefault("TEST", {})["NAME"] = f"bench_{db['NAME']}"
    from django.db import connections
    from django.urls import reverse

    from accountability.reports import indexes

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        world = World()
        county, city = Client(), Client()
        county.force_login(world.personas.case_officer)
        city.force_login(world.personas.city_officer)
        pages = {
            "county": (county, reverse("reports:statistics"), {"year": "2025"}),
            "city": (
                city,
                reverse("reports:statistics"),
                {"start": "2021-01-01", "end": "2025-12-31"},
            ),
            "export": (county, reverse("reports:export"), {"year": "2025"}),
        }
        variants = ["as is", *(["indexed"] if args.indexes else [])]
        variants += ["summary"] if args.summary else []
        results: dict[tuple[str, str], list[tuple[int, float, float, int]]] = {}
        done = 0
        for size in sizes:
            start = time.perf_counter()
            generate(world, size - done)
            done = size
            print(f"\n{size:,} decisions generated in {time.perf_counter() - start:.1f} s")
            for variant in variants:
                settings.REPORTS_SOURCE = "summary" if variant == "summary" else "live"
                if variant == "indexed":
                    made = indexes.create(connection)
                    print(f"  with the proposed indexes ({len(made)} created)")
                elif variant == "summary":
                    from accountability.reports.services import statistics_refresh

                    began = time.perf_counter()
                    record = statistics_refresh()
                    print(
                        f"  summary tables rebuilt in {time.perf_counter() - began:.1f} s "
                        f"({record.decisions:,} decisions, {record.measures:,} measures, "
                        f"{record.stays:,} stays)"
                    )
                elif args.indexes:
                    drop_indexes()
                analyze()
                for name, (client, url, params) in pages.items():
                    p50, p95, queries = time_page(client, url, params, args.repeat, args.slowest)
                    rows = results.setdefault((name, variant), [])
                    rows.append((size, p50, p95, queries))
                    base = results[(name, variants[0])][0]
                    print(
                        f"  {name:7} {variant:8} p50 {p50 * 1000:8.1f} ms  p95 {p95 * 1000:8.1f} ms"
                        f"  x{p50 / base[1]:5.1f} of {base[0]:,} as is  ({queries} queries)"
                    )
        print("\nsummary (p50, and its ratio to the smallest size as is; queries per page):")
        for (name, variant), rows in results.items():
            base = results[(name, variants[0])][0][1]
            ratios = "  ".join(
                f"{s:,}: {p50 * 1000:.0f} ms x{p50 / base:.1f}" for s, p50, _, _ in rows
            )
            print(f"  {name:7} {variant:8} {ratios}  queries {sorted({q for *_, q in rows})}")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
