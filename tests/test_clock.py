"""The clock: every periodic job is registered once, for RQ's cron (production) and for
the embedded clock that runs them in the serving process when there is no Redis
(``make run``): each at start, then every interval, one process at a time."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ct.core.clock import EmbeddedClock, PeriodicJob, _try_lock, lock_path
from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.events import PERIODIC_JOBS
from ct.extensions import db, rq
from ct.models import Event, OutboxEmail
from tests.planning_data import make_event
from tests.smtp import ROOT, free_port, worker_env

EXPECTED = {
    "ct.emails.mailer.relay_outbox": 60,
    "ct.webhooks.delivery.relay_webhooks": 60,
    "ct.capture.upkeep.relay_inbound": 300,
    "ct.capture.upkeep.purge_inbound": 3600,
    "ct.emails.notify.reminders.send_due_reminders": 60,
    "ct.emails.notify.digest.send_daily_digests": 900,
    "ct.records.trash.purge_expired_trash": 3600,
    "ct.records.export.remove_expired_exports": 3600,
    "ct.records.export.retry_stalled_exports": 600,
    "ct.records.closing.purge_closed_tenants": 3600,
}


def test_every_periodic_job_is_known_to_both_clocks(app):
    assert {job.name: job.seconds for job in PERIODIC_JOBS} == EXPECTED
    with app.app_context():
        scheduler = rq.make_cron_scheduler()
    registered = {f"{job.func.__module__}.{job.func.__qualname__}": job.interval
                  for job in scheduler.get_jobs()}
    assert registered == EXPECTED


def job(name: str, seconds: int, ran: list[str]) -> PeriodicJob:
    def func():
        ran.append(name)

    func.__qualname__ = name
    return PeriodicJob(func, seconds)


def test_the_embedded_clock_runs_each_job_at_start_then_every_interval(app, tmp_path):
    ran: list[str] = []
    clock = EmbeddedClock(app, [job("minute", 60, ran), job("hour", 3600, ran)],
                          tmp_path / "clock.lock")
    clock.run_due(1000.0)
    assert ran == ["minute", "hour"]
    clock.run_due(1059.0)
    assert ran == ["minute", "hour"]  # not yet
    clock.run_due(1060.0)
    assert ran == ["minute", "hour", "minute"]
    clock.run_due(4600.0)
    assert ran == ["minute", "hour", "minute", "minute", "hour"]


def test_a_failing_job_does_not_stop_the_others(app, tmp_path, caplog):
    ran: list[str] = []

    def broken():
        raise RuntimeError("boom")

    clock = EmbeddedClock(app, [PeriodicJob(broken, 60), job("after", 60, ran)],
                          tmp_path / "clock.lock")
    clock.run_due(0.0)
    assert ran == ["after"]
    assert "periodic job" in caplog.text and "boom" in caplog.text


def test_the_clock_is_off_with_redis_and_on_without(app):
    assert app.config["EMBEDDED_CLOCK"] is False  # the suite runs the jobs itself
    env = worker_env(app)
    probe = ("from app import app; import sys; "
             "sys.stdout.write(str(app.config['EMBEDDED_CLOCK']))")
    with_redis = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True)
    env.pop("REDIS_URL")
    without = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True)
    assert (with_redis.stdout, without.stdout) == ("False", "True")


@pytest.fixture
def served_without_redis(app):
    """``flask run`` as ``make run`` starts it: no Redis, no mail server (emails go to
    the log), on the test database."""
    env = worker_env(app)
    for unset in ("REDIS_URL", "MAIL_SUPPRESS_SEND"):  # no Redis, emails to the log
        env.pop(unset)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)],
        cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    yield server, port
    server.terminate()
    server.communicate(timeout=10)


def test_a_due_reminder_reaches_the_log_with_no_other_process(app, tenants,
                                                              served_without_redis):
    a = tenants.a
    starts = datetime.now(UTC) + timedelta(minutes=30)
    event_id = make_event(app, a.id, title="Visite chantier", starts_at=starts,
                          reminder_minutes=60, assignees=[a.member_membership_id])
    with app.app_context(), bound_tenant(a.id):  # due: 30 minutes ago
        db.session.execute(update(Event).values(reminder_at=starts - timedelta(minutes=60)))
        db.session.commit()

    server, port = served_without_redis
    deadline = time.monotonic() + 20
    while True:  # the first request starts the clock
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5).read()
            break
        except OSError:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)

    while not _sent(app, a.id, event_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    server.terminate()
    log, _ = server.communicate(timeout=10)
    assert _sent(app, a.id, event_id), log
    assert "the clock runs in this process" in log
    assert "email not sent (no MAIL_SERVER configured)" in log
    assert f"To: {a.member_email}" in log and "Visite chantier" in log


def _sent(app, tenant_id: int, event_id: int) -> bool:
    with app.app_context():
        row = db.session.execute(
            select(OutboxEmail.status).where(OutboxEmail.tenant_id == tenant_id)
            .execution_options(**{ALL_TENANTS: True})).first()
        return row is not None and row.status == "sent"


def test_one_clock_per_database(app, tmp_path):
    path = tmp_path / "clock.lock"
    with open(path, "w") as first, open(path, "w") as second:
        assert _try_lock(first)
        assert not _try_lock(second)  # a second serving process waits
        first.close()  # the first one stopped
        assert _try_lock(second)  # the waiting one takes over
    assert lock_path(app).parent == Path(app.config["INSTANCE_DIR"])
    assert lock_path(app) != lock_path(_with_database(app, "sqlite:///other.sqlite3"))


def _with_database(app, uri: str):
    class Other:
        config = {**app.config, "SQLALCHEMY_DATABASE_URI": uri}

    return Other
