"""The faults notifications must survive, each against the real services: the RQ worker as
a subprocess, Redis, PostgreSQL (or SQLite) and an SMTP server in the test (aiosmtpd).

- Redis down when an exchange is saved: saved, emails out once Redis and the relay are back.
- The worker killed while sending: delivered once, not zero, not twice.
- Two clocks and two workers at once: one email per recipient.
- SMTP refusing: retries as scheduled, then failed with the error on the Email log page;
  the admin's retry delivers it.
- A template broken after messages were queued: those go out as rendered; new ones use
  the default wording; the worker never crashes.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from ct.core.tenancy import bound_tenant
from ct.emails.mailer import send_email
from ct.emails.notify import send_due_reminders
from ct.extensions import db, rq
from ct.models import EmailTemplate
from ct.models.base import utcnow
from ct.models.outbox import FAILED, PENDING, SENDING, SENT, STALE_CLAIM
from tests.smtp import (
    finish_worker,
    free_port,
    make_due,
    outbox,
    set_row,
    start_worker,
)
from tests.test_notify import add_member, make_exchange, notify
from tests.test_reminders import due_event

pytestmark = pytest.mark.usefixtures("english")


def relay(app) -> str:
    return app.test_cli_runner().invoke(args=["ct", "relay"]).output.strip()


def start_burst_worker(app, smtp) -> subprocess.Popen:
    return start_worker(app, "--burst", smtp_port=smtp.port, own_group=True)


def finish(worker: subprocess.Popen, timeout: float = 60) -> str:
    output = finish_worker(worker, timeout)
    assert worker.returncode == 0, output
    return output


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def wait_until_dead(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


class HeldData:
    """Makes the SMTP server hold every message at DATA — before it answers "250", so
    nothing is accepted — until released; then it answers with an error."""

    def __init__(self, smtp) -> None:
        self.handler = smtp._handler
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.arrived.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)  # waits without blocking the server's loop
        return "421 4.4.2 Connection dropped"

    def __enter__(self):
        self.handler.handle_DATA = self.handle_DATA  # looked up per connection
        return self

    def __exit__(self, *exc):
        self.release.set()
        del self.handler.handle_DATA


def test_a_worker_killed_while_sending_delivers_once(app, tenants, smtp, run_worker):
    a = tenants.a
    notify(app, a.id, make_exchange(app, a, [a.member_membership_id]))
    [row] = outbox(app)

    with HeldData(smtp) as held:
        worker = start_burst_worker(app, smtp)
        try:
            assert held.arrived.wait(60), "the worker never reached DATA"
            # The job runs in a work-horse process with a process group of its own:
            # kill it and the worker, as a crash of the machine would.
            horses = children(worker.pid)
            assert horses, "no work-horse process"
            for pid in [*horses, worker.pid]:
                os.killpg(pid, signal.SIGKILL)
        finally:
            worker.communicate(timeout=30)
        assert all(wait_until_dead(pid) for pid in horses)
    assert worker.returncode == -signal.SIGKILL
    assert smtp.received == []  # killed before the server accepted the message

    [row] = outbox(app)
    assert (row.status, row.sent_at) == (SENDING, None)
    assert relay(app) == "0 email(s) handed to the queue"  # maybe still sending: wait
    set_row(app, row.id, claimed_at=utcnow() - STALE_CLAIM - timedelta(seconds=1))
    assert relay(app) == "1 email(s) handed to the queue"
    run_worker()

    [mail] = smtp.received
    assert mail.rcpt_tos == [a.member_email]
    assert mail.message["Message-ID"] == f"<outbox-{row.id}@ct.localhost>"
    [row] = outbox(app)
    assert (row.status, row.attempts) == (SENT, 0)
    assert relay(app) == "0 email(s) handed to the queue"


def test_two_clocks_and_two_workers_send_one_reminder_each(app, tenants, smtp):
    a = tenants.a
    emma = add_member(app, a.id, "emma@alpha.fr", "Emma Stone", language="en")
    due_event(app, a, [a.member_membership_id, emma])
    with app.app_context():  # both clocks enqueue the reminders job, and a relay runs too
        for clock in ("clock-1", "clock-2"):
            rq.queue.enqueue(send_due_reminders, job_id=f"reminders-{clock}")
    workers = [start_burst_worker(app, smtp) for _ in range(2)]
    for worker in workers:
        finish(worker)
    assert relay(app) == "0 email(s) handed to the queue"

    assert sorted(mail.rcpt_tos[0] for mail in smtp.received) == [a.member_email,
                                                                  "emma@alpha.fr"]
    assert [row.status for row in outbox(app)] == [SENT, SENT]


def test_refused_then_failed_is_shown_in_the_log_and_the_admin_retry_delivers(
        app, client, auth, tenants, smtp, mail_to_smtp, run_worker):
    a = tenants.a
    notify(app, a.id, make_exchange(app, a, [a.member_membership_id]))
    smtp.refuse("550 5.7.1 Mailbox unavailable")
    run_worker()
    [row] = outbox(app)
    assert (row.status, row.attempts) == (PENDING, 1)
    assert abs(row.next_attempt_at - (utcnow() + timedelta(minutes=1))) < timedelta(seconds=30)

    for attempts in (2, 3, 4, 5):  # the scheduled retries, each made due in turn
        make_due(app, row.id)
        with app.app_context():
            send_email(row.id)
        [row] = outbox(app)
        assert row.attempts == attempts
    assert row.status == FAILED and smtp.received == []

    auth.login(a.admin_email)
    log = client.get(f"/t/{a.slug}/email-log/", query_string={"status": "failed"}).text
    assert "SMTPDataError: 550 5.7.1 Mailbox unavailable" in log
    page = client.get(f"/t/{a.slug}/email-log/{row.id}").text
    assert 'id="email-error" class="field-error">SMTPDataError: 550 5.7.1 Mailbox' in page

    smtp.refuse(None)
    assert client.post(f"/t/{a.slug}/email-log/{row.id}/retry").status_code == 303
    run_worker()

    [mail] = smtp.received
    assert mail.rcpt_tos == [a.member_email]
    assert outbox(app)[0].status == SENT
    assert ">Sent</td>" in client.get(f"/t/{a.slug}/email-log/{row.id}").text


def test_a_template_broken_after_queueing_changes_nothing_already_queued(
        app, tenants, smtp, run_worker, caplog):
    a = tenants.a
    with app.app_context(), bound_tenant(a.id):
        # Fine with the editor's sample data, but fails for an exchange without comment.
        db.session.add(EmailTemplate(name="CONTACTRACKING_MAILINFO", language="fr",
                                     subject="Nouveau : {{ tiers }}",
                                     body_text="{{ comment }} ({{ 100 // comment|length }})",
                                     body_html="<p>{{ comment }}</p>"))
        db.session.commit()
    notify(app, a.id, make_exchange(app, a, [a.member_membership_id]))
    with caplog.at_level(logging.WARNING, logger="ct.emails.templates"):
        notify(app, a.id, make_exchange(app, a, [a.member_membership_id], comment=""))
    assert "template CONTACTRACKING_MAILINFO (fr) of tenant" in caplog.text
    assert "ZeroDivisionError" in caplog.text
    caplog.clear()

    # Broken after those were queued (behind the editor's back: it would refuse this).
    with app.app_context(), bound_tenant(a.id):
        db.session.execute(update(EmailTemplate).values(subject="{{ tiers }"))
        db.session.commit()
    with caplog.at_level(logging.WARNING, logger="ct.emails.templates"):
        notify(app, a.id, make_exchange(app, a, [a.member_membership_id]))
    assert "unexpected '}'" in caplog.text  # the template's syntax error, logged

    run = run_worker()

    assert "Traceback" not in run.output
    subjects = [mail.message["Subject"] for mail in smtp.received]
    assert sorted(subjects) == sorted(["Nouveau : Dupont SARL",  # as rendered when queued
                                       "Échange avec Dupont SARL : Devis",  # the default
                                       "Échange avec Dupont SARL : Devis"])
    assert [row.status for row in outbox(app)] == [SENT, SENT, SENT]


def unreachable_redis(queue):
    """A client like the queue's own, on a port where nothing listens."""
    return type(queue.connection).from_url(f"redis://127.0.0.1:{free_port()}/0")


def test_redis_down_when_an_exchange_is_saved(app, tenants, smtp, run_worker, monkeypatch,
                                              caplog):
    a = tenants.a
    exchange = make_exchange(app, a, [a.member_membership_id])
    with app.app_context():
        queue = rq.queue
    with monkeypatch.context() as down, caplog.at_level(logging.WARNING, logger="ct.core.jobs"):
        down.setattr(queue, "connection", unreachable_redis(queue))
        started = time.monotonic()
        notify(app, a.id, exchange)  # the saving transaction commits as usual
        assert time.monotonic() - started < 10
    assert "the relay will retry" in caplog.text
    [row] = outbox(app)
    assert row.status == PENDING and queue.count == 0

    assert relay(app) == "1 email(s) handed to the queue"  # Redis is back
    run_worker()
    assert [mail.rcpt_tos for mail in smtp.received] == [[a.member_email]]
    assert [row.status for row in outbox(app)] == [SENT]
