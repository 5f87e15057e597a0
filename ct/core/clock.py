"""The clock: periodic jobs (outbox relay, reminders, digests, purges), listed once with
their intervals in ct/events.py, and run in one of two ways.

- With Redis (production), the Procfile's ``clock`` process (``flask rq cron``) enqueues
  each job on time and the workers run it.
- Without Redis (``make run``: SQLite, jobs inline), nothing else is running, so the
  serving process runs them itself: :class:`EmbeddedClock`, one thread, started by the
  first request. A file lock per database keeps it to one clock however many processes
  serve (a second one waits and takes over if the first one stops).

Every periodic job is safe to run twice (each claims its rows with a conditional update),
so a job run by both a late clock and an early one changes nothing.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from ct.extensions import rq

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    func: Callable[[], object]
    seconds: int

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


def register_with_rq(jobs: list[PeriodicJob]) -> None:
    """Hand the periodic jobs to RQ's cron (``flask rq cron``), once per process."""
    for job in jobs:
        rq.cron_register(job.func, job.seconds)


@dataclass
class EmbeddedClock:
    """Runs the periodic jobs in this process: each at start, then every interval."""

    app: Flask
    jobs: list[PeriodicJob]
    lock_path: Path
    tick: float = 1.0
    next_run: dict[str, float] = field(default_factory=dict)

    def due(self, now: float) -> list[PeriodicJob]:
        """The jobs to run at ``now`` (a monotonic time); their next run is planned."""
        ready = [job for job in self.jobs if self.next_run.get(job.name, now) <= now]
        for job in ready:
            self.next_run[job.name] = now + job.seconds
        return ready

    def run_due(self, now: float) -> list[str]:
        ran = []
        for job in self.due(now):
            # Leaving the app context runs the inline jobs the periodic one released
            # (emails to send): ct.core.jobs.run_inline_jobs is a teardown of the context.
            with self.app.app_context():
                try:
                    job.func()
                except Exception:  # one failing job must not stop the clock
                    log.exception("periodic job %s failed", job.name)
            ran.append(job.name)
        return ran

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, name="ct-clock", daemon=True)
        thread.start()
        return thread

    def _run(self) -> None:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "w") as lock:
            while not _try_lock(lock):
                time.sleep(30)  # another process has the clock: take over if it stops
            log.info("the clock runs in this process (no Redis): %s",
                     ", ".join(job.name for job in self.jobs))
            while True:
                self.run_due(time.monotonic())
                time.sleep(self.tick)


def _try_lock(lock) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def lock_path(app: Flask) -> Path:
    """One clock per database: the lock's name derives from the database's address."""
    digest = hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:16]
    return Path(app.config["INSTANCE_DIR"]) / f"clock-{digest}.lock"


def install_embedded_clock(app: Flask, jobs: list[PeriodicJob]) -> None:
    """Start the clock with the first request: commands (migrations, the demo) and the
    processes that never serve do not run it."""
    started = threading.Lock()
    clock = EmbeddedClock(app, jobs, lock_path(app))

    @app.before_request
    def start_clock() -> None:
        if not started.locked() and started.acquire(blocking=False):
            clock.start()
