"""Load benchmark: 50 users working a realistic mix against the production server, and the same
mix against `runserver` in the same run as the baseline.

    .venv/bin/python bench/load.py                  # 50 users, 60 s each, PostgreSQL acc_platform
    .venv/bin/python bench/load.py --users 20 --seconds 30 --database-url postgres://…/name

Both servers run the production settings (DJANGO_DEBUG=false, HTTPS behind a proxy that sets
X-Forwarded-Proto, secure cookies, preflight) on a fresh PostgreSQL database holding the demo
commission plus a few hundred clues. The production server is `accountability serve`
(preflight, migration check, collectstatic, gunicorn with config/gunicorn.conf.py); the
baseline is `accountability runserver --noreload`. The users are the demo case officer and
office head; their sessions are created in the database (as force_login does), so the bench
does not depend on the login form (or on a second factor). Each user logs in (opens the home
page), then works: the work queue, the case list with filters, a case page, the 测算 page, a
document download; the officer registers clues, the head approves them. Between requests
a user thinks for 0.5-2 s. The first --warmup seconds (10) are not measured. Loopback only,
bounded by --warmup + --seconds per server. The database is dropped and
created again at the start, and each server starts from a copy of the same prepared data
(copied from the template database <name>_template, dropped at the end): give it a
database of its own.

Printed: requests/s, failures, p50/p95/p99 (ms) for each server, the ratios of the production
server to the baseline, and the most PostgreSQL connections seen (sampled twice a second).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/accountability_bench"
OFFICERS_SHARE = 0.6


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(database_url: str, folder: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WEB_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
            "FIELD_KEYS": f"bench:{secrets.token_hex(16)}",
            "FIELD_KEY_ID": "bench",
            "AUDIT_HMAC_KEY": secrets.token_hex(32),
            "PUBLIC_CODE_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "BACKUP_DIR": str(folder / "backups"),
            "WEB_BIND": f"127.0.0.1:{port}",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


# --- preparing the database (a child process with Django) -----------------------------------


def prepare(out: Path, users: int, clues: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from accountability.accounts.models import User
    from accountability.cases import access, selectors, services
    from accountability.cases.models import Case
    from accountability.documents.models import IssuedDocument
    from accountability.operations.testing import login_session
    from accountability.people.models import Person

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", "--force", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", verbosity=0, interactive=False)
    officer = User.objects.get(username="officer")
    head = User.objects.get(username="head")
    commission = access.user_commission(officer)
    # Not the bench's own users: a clue about the head is one the head stands aside from (回避).
    people = list(
        Person.objects.filter(managed_by_id__in=access.subtree_ids(commission))
        .exclude(account__in=[officer, head])
        .order_by("pk")
    )
    today = timezone.localdate()
    pending = []
    for i in range(clues):
        case = services.clue_register(
            actor=officer,
            source=Case.Source.PETITION,
            summary=f"群众反映某干部办理第 {i} 件信访件时未按规定报批（压测数据）。",
            received_on=today,
            handling_opinion="建议受理。",
            informant_name=f"群众{i}",
            persons=[people[i % len(people)]],
        )
        pending.append(case.pk)
    visible = {
        user.pk: set(selectors.case_list_for_user(user=user).values_list("pk", flat=True))
        for user in (officer, head)
    }
    officers = max(1, round(users * OFFICERS_SHARE))
    plan = {
        "officer_sessions": [login_session(officer) for _ in range(officers)],
        "head_sessions": [login_session(head) for _ in range(users - officers)],
        # What both users may see (the demo also has cases of another commission).
        "cases": sorted(visible[officer.pk] & visible[head.pk]),
        "pending": pending,
        "documents": list(
            IssuedDocument.objects.filter(
                case_id__in=visible[officer.pk] & visible[head.pk]
            ).values_list("pk", flat=True)
        ),
        "person": people[0].pk,
        "persons": [p.pk for p in people],
    }
    out.write_text(json.dumps(plan))


# --- the users (gevent, no Django) ------------------------------------------------------------

PLAN: dict = {}


def take(sessions: list[str]) -> str:
    """A session of its own for each user while there are enough, then shared ones."""
    return sessions.pop() if len(sessions) > 1 else sessions[0]


def make_users(pending: list[int]):
    from locust import HttpUser, between, task

    states = ["", "clue_registered", "accepted", "investigating", "decided"]

    class Worker(HttpUser):
        abstract = True
        wait_time = between(0.5, 2.0)
        session_key = ""
        csrf = secrets.token_hex(16)

        def headers(self) -> dict[str, str]:
            origin = "https://" + urlparse(self.host).netloc
            return {
                "Cookie": f"sessionid={self.session_key}; csrftoken={self.csrf}",
                "X-Forwarded-Proto": "https",
                "Origin": origin,
                "Referer": origin + "/",
                "Accept-Language": "zh-hans",
            }

        def get(self, path: str, name: str, expect: int = 200) -> None:
            with self.client.get(
                path, headers=self.headers(), name=name, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != expect:
                    response.failure(f"{response.status_code} {response.headers.get('Location')}")

        def post(self, path: str, data: dict, name: str):
            with self.client.post(
                path,
                data={**data, "csrfmiddlewaretoken": self.csrf},
                headers=self.headers(),
                name=name,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    body = response.text[:200].replace("\n", " ")
                    response.failure(f"{response.status_code}: {body}")
                return response

        def on_start(self) -> None:
            # "Log in": the session exists; the home page sends the user to the work queue.
            self.get("/", "home (log in)", expect=302)

        @task(4)
        def queue(self) -> None:
            self.get("/cases/queue/", "work queue")

        @task(3)
        def case_list(self) -> None:
            query = f"?state={random.choice(states)}&q={random.choice(['', '压测', '〔2026〕'])}"
            self.get("/cases/" + query, "case list (filters)")

        @task(4)
        def case_page(self) -> None:
            self.get(f"/cases/{random.choice(PLAN['cases'])}/", "case page")

        @task(2)
        def assess(self) -> None:
            self.get(
                "/assess/?role=具体承办人&circumstance=3&severity=较重&decided_on=2026-09-20"
                "&received_on=2026-09-28&imposed=诫勉",
                "测算 page",
            )

        @task(2)
        def download(self) -> None:
            if PLAN["documents"]:
                self.get(f"/documents/{random.choice(PLAN['documents'])}.docx", "document download")

    class Officer(Worker):
        weight = round(OFFICERS_SHARE * 10)

        def on_start(self) -> None:
            self.session_key = take(PLAN["officer_sessions"])
            super().on_start()

        @task(1)
        def register(self) -> None:
            response = self.post(
                "/cases/new/",
                {
                    "source": "petition",
                    "received_on": time.strftime("%Y-%m-%d"),
                    "summary": "压测登记的问题线索：反映某干部未按规定报批。",
                    "handling_opinion": "建议受理。",
                    "informant_name": "群众",
                    "persons": [random.choice(PLAN["persons"])],
                },
                "register a clue",
            )
            location = response.headers.get("Location", "")
            if location.rstrip("/").split("/")[-1].isdigit():
                pending.append(int(location.rstrip("/").split("/")[-1]))

    class Head(Worker):
        weight = 10 - round(OFFICERS_SHARE * 10)

        def on_start(self) -> None:
            self.session_key = take(PLAN["head_sessions"])
            super().on_start()

        @task(1)
        def approve(self) -> None:
            if pending:
                case = pending.pop()
                self.post(f"/cases/{case}/approve/", {"opinion": "同意受理。"}, "approve a clue")

    return [Officer, Head]


def count_connections(database_url: str) -> int:
    parsed = urlparse(database_url)
    result = subprocess.run(
        [
            "psql",
            "-h",
            parsed.hostname or "127.0.0.1",
            "-p",
            str(parsed.port or 5432),
            "-U",
            parsed.username or "postgres",
            "-d",
            "postgres",
            "-Atc",
            f"select count(*) from pg_stat_activity where datname = '{parsed.path.lstrip('/')}'",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return int(result.stdout.strip() or 0)


def wait_ready(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            headers = {"X-Forwarded-Proto": "https"}
            requests.get(url + "/accounts/login/", headers=headers, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit("the server did not answer in time")


def run_load(name: str, argv: list[str], env: dict, args, plan: dict, pending: list[int]) -> dict:
    import gevent
    from locust.env import Environment

    port = int(env["WEB_BIND"].rsplit(":", 1)[1])
    url = f"http://127.0.0.1:{port}"
    log = (Path(env["MEDIA_ROOT"]).parent / f"{name}.log").open("w")
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    peak = 0
    try:
        wait_ready(url, process)
        PLAN.clear()
        PLAN.update(json.loads(json.dumps(plan)))
        environment = Environment(user_classes=make_users(pending), host=url)
        runner = environment.create_local_runner()

        def sample() -> None:
            nonlocal peak
            while True:
                peak = max(peak, count_connections(args.database_url))
                gevent.sleep(0.5)

        runner.start(args.users, spawn_rate=max(1, args.users // 5))
        # Warm-up (workers importing, pools filling, users spawning) is not measured.
        gevent.sleep(args.warmup)
        environment.stats.reset_all()
        sampler = gevent.spawn(sample)
        gevent.spawn_later(args.seconds, runner.quit)
        runner.greenlet.join()
        sampler.kill()
        total = environment.stats.total
        failures = {
            f"{e.method} {e.name}: {e.error}": e.occurrences
            for e in environment.stats.errors.values()
        }
        endpoints = {
            entry.name: (
                entry.num_requests,
                entry.get_response_time_percentile(0.5),
                entry.get_response_time_percentile(0.95),
            )
            for entry in environment.stats.entries.values()
        }
        return {
            "endpoints": endpoints,
            "server": name,
            "requests": total.num_requests,
            "failures": total.num_failures,
            "rps": total.num_requests / max(1e-9, total.last_request_timestamp - total.start_time),
            "p50": total.get_response_time_percentile(0.5),
            "p95": total.get_response_time_percentile(0.95),
            "p99": total.get_response_time_percentile(0.99),
            "connections": peak,
            "errors": failures,
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10, help="seconds before measuring")
    parser.add_argument("--clues", type=int, default=40, help="registered clues to approve")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--workers", type=int, default=0, help="WEB_WORKERS (default: setting)")
    parser.add_argument("--threads", type=int, default=0, help="WEB_THREADS (default: setting)")
    parser.add_argument("command", nargs="?", default="run", choices=["run", "prepare"])
    parser.add_argument("--plan", default="")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(Path(args.plan), args.users, args.clues)
        return

    parsed = urlparse(args.database_url)
    if parsed.scheme not in {"postgres", "postgresql"} or parsed.hostname not in {
        "127.0.0.1",
        "localhost",
    }:
        raise SystemExit("bench/load.py runs against a PostgreSQL database on this machine only")
    name = parsed.path.lstrip("/")
    pg = ["-h", parsed.hostname, "-p", str(parsed.port or 5432)]
    pg += ["-U", parsed.username or "postgres"]
    subprocess.run(["dropdb", *pg, "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", *pg, name], check=True)

    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    plan_file = folder / "plan.json"
    base_env = production_env(args.database_url, folder, free_port())
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            __file__,
            "prepare",
            "--plan",
            str(plan_file),
            "--users",
            str(args.users),
            "--clues",
            str(args.clues),
        ],
        env=base_env,
        check=True,
    )
    plan = json.loads(plan_file.read_text())
    # Each server starts from the same data: the prepared database is kept as a template.
    template = f"{name}_template"
    subprocess.run(["dropdb", *pg, "--if-exists", "--force", template], check=True)
    subprocess.run(["createdb", *pg, "-T", name, template], check=True)
    print(
        f"prepared in {time.monotonic() - started:.0f} s: {len(plan['cases'])} cases, "
        f"{len(plan['documents'])} issued documents, {args.users} sessions",
        flush=True,
    )
    # Gevent patches the standard library: only now, after the Django child has finished.
    import locust  # noqa: F401

    results = []
    cli = [sys.executable, "-m", "config.cli"]
    runs = [] if args.skip_baseline else [("runserver", "runserver")]
    runs.append(("gunicorn", "serve"))
    for label, command in runs:
        subprocess.run(["dropdb", *pg, "--if-exists", "--force", name], check=True)
        subprocess.run(["createdb", *pg, "-T", template, name], check=True)
        pending = list(plan["pending"])
        env = {**base_env, "WEB_BIND": f"127.0.0.1:{free_port()}"}
        if command == "runserver":
            argv = [*cli, "runserver", env["WEB_BIND"], "--noreload", "--skip-checks"]
        else:
            argv = [*cli, "serve"]
            if args.workers:
                env["WEB_WORKERS"] = str(args.workers)
            if args.threads:
                env["WEB_THREADS"] = str(args.threads)
        print(f"{label}: {args.users} users for {args.seconds} s …", flush=True)
        results.append(run_load(label, argv, env, args, plan, pending))
    subprocess.run(["dropdb", *pg, "--if-exists", "--force", template], check=True)

    print(f"server logs: {folder}/runserver.log, {folder}/gunicorn.log")
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )
    print()
    print(
        f"{'server':<10} {'requests':>9} {'failures':>9} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max PG conns':>12}"
    )
    for r in results:
        print(
            f"{r['server']:<10} {r['requests']:>9} {r['failures']:>9} {r['rps']:>7.1f} "
            f"{r['p50']:>7.0f} {r['p95']:>7.0f} {r['p99']:>7.0f} {r['connections']:>12}"
        )
    if len(results) == 2:
        base, prod = results
        print(
            f"gunicorn / runserver: {prod['rps'] / max(base['rps'], 1e-9):.2f}x requests/s, "
            f"p50 {prod['p50'] / max(base['p50'], 1):.2f}x, "
            f"p95 {prod['p95'] / max(base['p95'], 1):.2f}x, "
            f"p99 {prod['p99'] / max(base['p99'], 1):.2f}x"
        )
    print()
    print("per request (count, p50 ms, p95 ms):")
    names = sorted({n for r in results for n in r["endpoints"]})
    for endpoint in names:
        cells = []
        for r in results:
            count, p50, p95 = r["endpoints"].get(endpoint, (0, 0, 0))
            cells.append(f"{r['server']} {count:>4} {p50:>6.0f} {p95:>6.0f}")
        print(f"  {endpoint:<22} " + "   ".join(cells))
    for r in results:
        for error, count in r["errors"].items():
            print(f"  {r['server']} error ×{count}: {error}")


if __name__ == "__main__":
    main()
