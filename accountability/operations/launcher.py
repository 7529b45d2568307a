"""Starting and supervising the production processes.

`accountability serve` runs preflight, checks that the database is migrated, collects the
static files and then starts the processes of PROCESSES (today the gunicorn web server; a
job-queue worker is one more entry) and supervises them: a signal to the launcher goes to
every process, and when one ends the others are stopped and the launcher exits with its
status, so the service manager above (systemd, a container runtime) restarts the whole.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

STOP_GRACE_SECONDS = 30


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: tuple[str, ...]


def web_process() -> ProcessSpec:
    config = Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"
    return ProcessSpec(
        "web",
        (sys.executable, "-m", "gunicorn", "-c", str(config), "config.wsgi:application"),
    )


def _accountability(*args: str) -> tuple[str, ...]:
    """The console script's command line, run by this interpreter."""
    return (sys.executable, "-m", "config.cli", *args)


def worker_process() -> ProcessSpec:
    """The job queue's worker (accountability/jobs): documents, PDFs, uploaded files."""
    return ProcessSpec("worker", _accountability("worker"))


def development_server(address: str) -> ProcessSpec:
    """Django's development server, for `make run` (DEBUG only)."""
    return ProcessSpec("web", _accountability("runserver", address, "--noreload"))


# Each entry builds one process of production: the web server and the worker beside it.
PROCESSES: list[Callable[[], ProcessSpec]] = [web_process, worker_process]


def process_specs() -> list[ProcessSpec]:
    return [build() for build in PROCESSES]


def development_specs(address: str) -> list[ProcessSpec]:
    return [development_server(address), worker_process()]


def supervise(
    specs: Sequence[ProcessSpec], *, log: Callable[[str], None] = print, cwd: Path | None = None
) -> int:
    """Run the processes until one ends or a signal arrives; return the exit status."""
    running: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop_all(signum: int = signal.SIGTERM) -> None:
        nonlocal stopping
        stopping = True
        for process in running.values():
            if process.poll() is None:
                process.send_signal(signum)

    def on_signal(signum: int, _frame: object) -> None:
        log(f"收到信号 {signal.Signals(signum).name}，正在停止所有进程。")
        stop_all(signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    status = 0
    try:
        for spec in specs:
            running[spec.name] = subprocess.Popen(spec.argv, cwd=cwd or settings.BASE_DIR)
            log(f"已启动 {spec.name}（进程 {running[spec.name].pid}）：{' '.join(spec.argv)}")
        while True:
            ended = [(n, p) for n, p in running.items() if p.poll() is not None]
            if ended:
                name, process = ended[0]
                status = process.returncode or 0
                if not stopping:
                    log(f"{name} 已退出（状态 {process.returncode}），停止其余进程。")
                    status = status or 1
                stop_all()
                break
            time.sleep(0.2)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return status
