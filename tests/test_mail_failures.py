"""Nothing is lost, nothing is sent twice: Redis down, SMTP refusing, a worker that died,
duplicate jobs, two workers racing — on the real worker, Redis and SMTP server."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from rq.job import Job
from sqlalchemy import event, select

from ct.core.jobs import QueueRedis
from ct.core.tenancy import bound_tenant
from ct.emails.mailer import queue_email, retry_failed, send_email
from ct.extensions import db, rq
from ct.models import OutboxEmail
from ct.models.base import utcnow
from ct.models.outbox import FAILED, PENDING, SENDING, SENT, STALE_CLAIM
from tests.smtp import free_port, invite, make_due, outbox, set_row


def relay(app) -> str:
    return app.test_cli_runner().invoke(args=["ct", "relay"]).output.strip()


def close_to(moment, expected, seconds=10) -> bool:
    return abs((moment - expected).total_seconds()) < seconds


def unreachable_redis(queue):
    """A client like the queue's own, on a port where nothing listens."""
    return type(queue.connection).from_url(f"redis://127.0.0.1:{free_port()}/0")


def test_the_queue_gives_up_quickly_when_redis_is_down(app):
    with app.app_context():
        connection = rq.queue.connection
    assert isinstance(connection, QueueRedis)
    assert connection.get_retry().get_retries() == 1
    assert connection.get_connection_kwargs()["socket_connect_timeout"] == 2


def test_redis_down_keeps_the_email_until_the_relay_hands_it_out(app, client, auth, tenants,
                                                                 smtp, run_worker, monkeypatch,
                                                                 caplog):
    with app.app_context():
        queue = rq.queue
    with monkeypatch.context() as down:
        down.setattr(queue, "connection", unreachable_redis(queue))
        with caplog.at_level(logging.WARNING, logger="ct.core.jobs"):
            invite(client, auth, tenants.a)  # asserts the page answers 303 as usual

    assert "could not enqueue email-1-0; the relay will retry" in caplog.text
    assert queue.count == 0  # nothing reached Redis
    [row] = outbox(app)
    assert (row.status, row.attempts) == (PENDING, 0)

    assert relay(app) == "1 email(s) handed to the queue"  # Redis is back
    run_worker()

    [mail] = smtp.received
    assert mail.rcpt_tos == ["nina@alpha.fr"]
    assert outbox(app)[0].status == SENT
    assert relay(app) == "0 email(s) handed to the queue"


def test_relay_stops_and_says_so_while_redis_is_down(app, client, auth, tenants, monkeypatch):
    invite(client, auth, tenants.a, "one@alpha.fr")
    invite(client, auth, tenants.a, "two@alpha.fr")
    with app.app_context():
        rq.queue.empty()
        monkeypatch.setattr(rq.queue, "connection", unreachable_redis(rq.queue))
    assert relay(app) == "0 email(s) handed to the queue"
    assert [row.status for row in outbox(app)] == [PENDING, PENDING]


def test_a_message_enqueued_twice_is_sent_once(app, client, auth, tenants, smtp, run_worker):
    invite(client, auth, tenants.a)  # enqueues job email-1-0
    [row] = outbox(app)
    with app.app_context():
        rq.queue.enqueue(send_email, row.id, job_id=row.job_id)  # the same job again
        rq.queue.enqueue(send_email, row.id, job_id="email-1-again")  # and under another id
        assert rq.queue.count == 3
        connection = rq.queue.connection

    run_worker()

    assert len(smtp.received) == 1
    assert Job.fetch("email-1-again", connection=connection).return_value() == "skipped"
    assert outbox(app)[0].status == SENT


def test_bad_data_is_recorded_and_the_worker_goes_on(app, smtp, run_worker):
    with app.app_context():
        for to in ("victim@example.com\r\nBcc: spy@evil.test", "good@example.com"):
            queue_email("password_reset", to, "password_reset", "en",
                        name="Someone", link="http://ct.test/x", minutes=60)
        db.session.commit()
        rq.queue.enqueue(send_email, 404, job_id="email-404-0")  # no such message

    run_worker()

    [mail] = smtp.received
    assert mail.rcpt_tos == ["good@example.com"]
    bad, good = outbox(app)
    assert (bad.status, bad.attempts, good.status) == (PENDING, 1, SENT)
    assert "BadHeaderError" in bad.last_error


def test_refused_email_backs_off_fails_then_an_admin_retries_it(app, client, auth, tenants,
                                                               smtp, mail_to_smtp, run_worker):
    smtp.refuse("550 5.7.1 Mailbox unavailable")
    invite(client, auth, tenants.a)
    run_worker()

    [row] = outbox(app)
    assert (row.status, row.attempts, row.claimed_at, row.sent_at) == (PENDING, 1, None, None)
    assert row.last_error == "SMTPDataError: 550 5.7.1 Mailbox unavailable"
    assert close_to(row.next_attempt_at, utcnow() + timedelta(minutes=1))
    assert relay(app) == "0 email(s) handed to the queue"  # not due yet

    # The next attempts, in the test process to keep the suite quick: each is due after
    # a longer wait.
    smtp.refuse("451 4.3.0 Try again later")
    for attempts, wait in ((2, timedelta(minutes=5)), (3, timedelta(minutes=30)),
                           (4, timedelta(hours=2))):
        make_due(app, row.id)
        with app.app_context():
            assert send_email(row.id) == PENDING
        [row] = outbox(app)
        assert row.attempts == attempts and "451" in row.last_error
        assert close_to(row.next_attempt_at, utcnow() + wait)

    make_due(app, row.id)  # the last attempt, by the worker again
    assert relay(app) == "1 email(s) handed to the queue"
    run_worker()
    [row] = outbox(app)
    assert (row.status, row.attempts) == (FAILED, 5)
    assert row.last_error == "SMTPDataError: 451 4.3.0 Try again later"
    assert relay(app) == "0 email(s) handed to the queue"  # failed stays failed
    assert smtp.received == []

    smtp.refuse(None)
    with app.app_context(), bound_tenant(tenants.a.id):
        retry_failed(db.session.scalar(select(OutboxEmail)))
        db.session.commit()
    run_worker()

    [mail] = smtp.received
    assert mail.rcpt_tos == ["nina@alpha.fr"]
    [row] = outbox(app)
    assert (row.status, row.last_error) == (SENT, None)


def test_a_message_claimed_by_a_dead_worker_is_handed_out_again(app, client, auth, tenants,
                                                                smtp, run_worker):
    invite(client, auth, tenants.a)
    with app.app_context():
        rq.queue.empty()  # the job died with its worker
    [row] = outbox(app)

    set_row(app, row.id, status=SENDING, claimed_at=utcnow() - timedelta(minutes=5))
    assert relay(app) == "0 email(s) handed to the queue"  # maybe still sending: wait
    with app.app_context():
        assert send_email(row.id) == "skipped"

    set_row(app, row.id, claimed_at=utcnow() - STALE_CLAIM - timedelta(minutes=1))
    assert relay(app) == "1 email(s) handed to the queue"
    run_worker()

    assert len(smtp.received) == 1
    assert outbox(app)[0].status == SENT


def test_two_workers_racing_for_a_message_send_it_once(app, client, auth, tenants,
                                                       mail_to_smtp):
    invite(client, auth, tenants.a)
    [row] = outbox(app)
    barrier = threading.Barrier(2, timeout=10)
    seen = threading.local()

    def meet_before_the_claim(conn, cursor, statement, *args):
        # Both workers reach their claim statement before either runs it.
        if "outbox_emails" in statement and not getattr(seen, "claim", False):
            seen.claim = True
            barrier.wait()

    results = []

    def worker():
        with app.app_context():
            results.append(send_email(row.id))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", meet_before_the_claim)
    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        event.remove(engine, "before_cursor_execute", meet_before_the_claim)

    assert sorted(results) == ["sent", "skipped"]
    assert len(mail_to_smtp.received) == 1
