"""Email end to end on real parts: the app writes the outbox, the real RQ worker (burst
mode, subprocess) sends through a real SMTP server (aiosmtpd), and the links work.

The failure paths (Redis down, SMTP refusing, dead worker, races) are in
test_mail_failures.py.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ct import config, create_app
from ct.emails.mailer import queue_email
from ct.extensions import db, limiter
from ct.models import OutboxEmail, User
from ct.models.base import utcnow
from ct.models.outbox import SENT
from tests.conftest import AuthActions
from tests.smtp import invite, link_in, make_due, outbox


def test_invitation_is_delivered_by_the_worker_in_french(app, client, auth, tenants, smtp,
                                                          run_worker):
    invite(client, auth, tenants.a)
    [row] = outbox(app)
    assert (row.kind, row.status, row.tenant_id, row.sent_at) == (
        "invitation", "pending", tenants.a.id, None)
    assert smtp.received == []  # nothing leaves before the worker runs

    run = run_worker()

    [mail] = smtp.received
    assert mail.rcpt_tos == ["nina@alpha.fr"]
    assert mail.message["To"] == "nina@alpha.fr"
    assert mail.message["From"] == "ct <no-reply@ct.localhost>"
    assert mail.message.get_all("Message-ID") == [f"<outbox-{row.id}@ct.localhost>"]
    assert mail.message["Subject"] == (
        "Admin Alpha Conseil vous invite à rejoindre Alpha Conseil sur ct")
    text, html = mail.part("text/plain"), mail.part("text/html")
    assert "Bonjour," in text and "Accepter l’invitation" in html
    assert '<html lang="fr">' in html
    local_time = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])  # Europe/Paris
    expires = row.created_at.astimezone(local_time) + timedelta(days=7)
    assert f"expire le {format_date(expires, 'medium', locale='fr')}." in text
    link = link_in(mail)
    assert link.startswith("/invitation/")

    auth.logout()
    page = client.get(link)
    assert page.status_code == 200 and "nina@alpha.fr" in page.text

    [row] = outbox(app)
    assert (row.status, row.attempts, row.last_error, row.claimed_at is not None) == (
        SENT, 0, None, True)
    assert utcnow() - timedelta(seconds=run.seconds + 5) < row.sent_at <= utcnow()


def test_password_reset_is_delivered_without_tenant_in_each_language(app, client, tenants,
                                                                      smtp, run_worker):
    with app.app_context():  # the member reads ct in English, the admin in French
        db.session.execute(update(User).where(User.email == tenants.a.member_email)
                           .values(language="en"))
        db.session.commit()
    for email in (tenants.a.admin_email, tenants.a.member_email, "nobody@alpha.fr"):
        response = client.post("/password/forgot", data={"email": email})
        assert response.status_code == 303
    assert outbox(app) == []  # the request only enqueued: the worker looks the account up

    run_worker()  # the reset jobs, then the emails they queued
    rows = outbox(app)
    assert [(r.kind, r.to_email, r.tenant_id) for r in rows] == [
        ("password_reset", tenants.a.admin_email, None),
        ("password_reset", tenants.a.member_email, None),
    ]

    by_recipient = {mail.rcpt_tos[0]: mail for mail in smtp.received}
    assert sorted(by_recipient) == sorted([tenants.a.admin_email, tenants.a.member_email])
    french, english = by_recipient[tenants.a.admin_email], by_recipient[tenants.a.member_email]
    assert french.message["Subject"] == "Réinitialisez votre mot de passe ct"
    assert "Bonjour Admin Alpha Conseil," in french.part("text/plain")
    assert "expire dans 60 minutes" in french.part("text/html")
    assert english.message["Subject"] == "Reset your ct password"
    assert "Hello Member Alpha Conseil," in english.part("text/plain")
    for mail in (french, english):
        page = client.get(link_in(mail))
        assert page.status_code == 200 and 'name="password"' in page.text
    assert [r.status for r in outbox(app)] == [SENT, SENT]


@pytest.fixture
def inline_app(app, smtp):
    """A second app on the same database with no REDIS_URL: jobs run inline."""

    class InlineConfig(config.TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        REDIS_URL = None
        WTF_CSRF_ENABLED = False
        MAIL_PORT = smtp.port

    # Flask-Limiter keeps its storage on the extension object: give it back afterwards.
    limiter_state = dict(limiter.__dict__)
    inline = create_app(InlineConfig)
    yield inline
    with inline.app_context():
        db.engine.dispose()
    limiter.__dict__.clear()
    limiter.__dict__.update(limiter_state)


def test_without_redis_the_email_is_sent_before_the_response(inline_app, tenants, smtp):
    client = inline_app.test_client()
    invite(client, AuthActions(client), tenants.a)  # asserts the page answers 303

    [mail] = smtp.received  # already there: no waiting, no worker
    assert mail.rcpt_tos == ["nina@alpha.fr"]
    assert mail.message["Subject"].startswith("Admin Alpha Conseil vous invite")
    [row] = outbox(inline_app)
    assert row.status == SENT and row.sent_at is not None


def test_inline_jobs_run_in_order_once_the_context_ends(inline_app, smtp):
    with inline_app.app_context():
        for n in range(3):
            queue_email("password_reset", f"user{n}@example.com", "password_reset", "en",
                        name=f"User {n}", link="http://ct.test/x", minutes=60)
        db.session.commit()
        assert smtp.received == []  # not while the request or command still runs
    assert [mail.rcpt_tos for mail in smtp.received] == [
        ["user0@example.com"], ["user1@example.com"], ["user2@example.com"]]
    assert [row.status for row in outbox(inline_app)] == [SENT, SENT, SENT]


def test_inline_jobs_start_on_a_clean_session(inline_app, smtp):
    """A request that committed its email, then failed on the database, still sends it."""
    with inline_app.app_context():
        queue_email("password_reset", "user@example.com", "password_reset", "en",
                    name="User", link="http://ct.test/x", minutes=60)
        db.session.commit()
        db.session.add(OutboxEmail(to_email="broken@example.com"))  # no subject, no body
        with pytest.raises(IntegrityError):
            db.session.flush()
    assert [mail.rcpt_tos for mail in smtp.received] == [["user@example.com"]]
    assert [row.status for row in outbox(inline_app)] == [SENT]


def test_without_redis_the_relay_command_sends_what_is_due(inline_app, smtp):
    with inline_app.app_context():
        message = queue_email("password_reset", "user@example.com", "password_reset", "en",
                              name="User", link="http://ct.test/x", minutes=60)
        message.next_attempt_at = utcnow() + timedelta(minutes=5)  # a retry, not due yet
        db.session.commit()
        email_id = message.id
    assert smtp.received == []
    make_due(inline_app, email_id)

    result = inline_app.test_cli_runner().invoke(args=["ct", "relay"])

    assert result.output == "1 email(s) handed to the queue\n"
    assert [mail.rcpt_tos for mail in smtp.received] == [["user@example.com"]]
