"""The real worker always stops: in burst mode once its queue is empty, and on SIGTERM
(a deploy's warm shutdown), whether idle or in the middle of a job, which it finishes.

A worker that hangs at exit held the email tests at their 60 s timeout once: under rq 3.0
and redis-py 8.2.0, when the worker's listener thread read Redis's reply to UNSUBSCRIBE
before being told to stop (a loaded machine), stopping it waited 60 s. The workers here
run as on a busy machine (tests/busy_machine): the listener always wins that race, so
these tests fail on such a release every time.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from rq import Worker
from rq.job import Job

from ct.core.tenancy import bound_tenant
from ct.emails.mailer import queue_email
from ct.emails.templates.catalog import INVITATION
from ct.extensions import db, rq
from tests.smtp import finish_worker, start_worker
from tests.worker_jobs import mark_after

EXIT_WITHIN = 10  # seconds


def enqueue_mark(app, directory: Path, seconds: float) -> str:
    with app.app_context():
        return rq.get_queue().enqueue(mark_after, str(directory), seconds).id


def job_status(app, job_id: str) -> str:
    with app.app_context():
        return Job.fetch(job_id, connection=rq.get_queue().connection).get_status()


def wait_until(condition, timeout: float = 20, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def idle_workers(app) -> list[Worker]:
    with app.app_context():
        connection = rq.get_queue().connection
        return [w for w in Worker.all(connection=connection) if w.get_state() == "idle"]


def test_a_burst_worker_exits_once_its_queue_is_empty(app, tenants, smtp):
    """The queue of a real day: an email to send (the job that hung at exit once)."""
    with app.app_context(), bound_tenant(tenants.a.id):
        queue_email("invitation", "nina@alpha.fr", INVITATION, "fr", inviter="Alice",
                    tenant_name="Alpha Conseil", link="http://ct.test/x", expires_at=None)
        db.session.commit()  # enqueued after the commit
    process = start_worker(app, "--burst", smtp_port=smtp.port, busy=True)
    started = time.monotonic()
    output = finish_worker(process, timeout=EXIT_WITHIN + 5)  # start-up (imports) first
    assert process.returncode == 0, output
    assert len(smtp.wait_for(1)) == 1
    assert "done, quitting" in output
    assert time.monotonic() - started < EXIT_WITHIN + 5


def test_an_idle_worker_stops_on_sigterm(app):
    process = start_worker(app, busy=True)
    try:
        wait_until(lambda: idle_workers(app), what="the worker to listen")
    except AssertionError:
        process.kill()
        raise
    stopped_at = time.monotonic()
    process.send_signal(signal.SIGTERM)
    output = finish_worker(process, timeout=EXIT_WITHIN)
    assert process.returncode == 0, output
    assert time.monotonic() - stopped_at < EXIT_WITHIN
    assert not idle_workers(app), "the worker left its registration behind"


def test_sigterm_during_a_job_finishes_the_job_then_stops(app, tmp_path):
    job_id = enqueue_mark(app, tmp_path, 3)
    process = start_worker(app, busy=True)
    try:
        wait_until(lambda: (tmp_path / "started").exists(), what="the job to start")
    except AssertionError:
        process.kill()
        raise
    process.send_signal(signal.SIGTERM)
    output = finish_worker(process, timeout=EXIT_WITHIN)
    assert process.returncode == 0, output
    assert (tmp_path / "finished").exists(), "the job was cut short"
    assert job_status(app, job_id) == "finished"

