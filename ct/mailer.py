"""Emails through the outbox: queue in the caller's transaction, send from a job.

A message is rendered when it is queued (so the log shows it exactly as sent) and
delivered by ``send_email``; ``relay_outbox`` runs periodically and hands out again
what is pending (Redis was down, a worker died, a retry is due).
"""

from __future__ import annotations

import logging

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import or_, select

from ct.extensions import db, mail
from ct.jobs import enqueue, enqueue_after_commit
from ct.models.base import utcnow
from ct.models.outbox import FAILED, PENDING, SENDING, SENT, STALE_CLAIM, OutboxEmail
from ct.tenancy import ALL_TENANTS

log = logging.getLogger(__name__)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, on the public address of the app."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["BASE_URL"] + path


def queue_email(kind: str, to: str, template: str, language: str | None, **context) -> OutboxEmail:
    """Render ``email/<template>.{txt,html}`` in ``language`` and add it to the outbox."""
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        body_text = render_template(f"email/{template}.txt", **context)
        body_html = render_template(f"email/{template}.html", **context)
    message = OutboxEmail(
        kind=kind, to_email=to, subject=subject[:255], body_text=body_text, body_html=body_html
    )
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(send_email, message.id, job_id=message.job_id)
    return message


def _claim(email_id: int) -> OutboxEmail | None:
    """Lock the message for this worker, or None if it is not ours to send."""
    now = utcnow()
    message = db.session.scalar(
        select(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            or_(
                (OutboxEmail.status == PENDING) & (OutboxEmail.next_attempt_at <= now),
                (OutboxEmail.status == SENDING) & (OutboxEmail.claimed_at < now - STALE_CLAIM),
            ),
        )
        .with_for_update(skip_locked=True)
        .execution_options(**{ALL_TENANTS: True})  # system job: the row names its tenant
    )
    if message is None:
        return None
    message.status = SENDING
    message.claimed_at = now
    db.session.commit()
    return message


def send_email(email_id: int) -> str:
    """Deliver one outbox message; a redelivered job finds it sent and does nothing."""
    try:
        message = _claim(email_id)
        if message is None:
            return "skipped"
        try:
            _deliver(message)
        except Exception as error:  # SMTP refused, unreachable, timed out…
            message.record_failure(f"{type(error).__name__}: {error}")
            db.session.commit()
            log.warning("email %s not sent (attempt %s): %s", email_id, message.attempts, error)
            return message.status
        message.status = SENT
        message.sent_at = utcnow()
        message.last_error = None
        db.session.commit()
        return SENT
    finally:
        db.session.remove()


def _deliver(message: OutboxEmail) -> None:
    msg = Message(
        subject=message.subject,
        recipients=[message.to_email],
        body=message.body_text,
        html=message.body_html,
        extra_headers={"Message-ID": f"<outbox-{message.id}@{_mail_domain()}>"},
    )
    if current_app.config.get("MAIL_SUPPRESS_SEND"):
        log.info("email not sent (no MAIL_SERVER configured):\nTo: %s\nSubject: %s\n\n%s",
                 message.to_email, message.subject, message.body_text)
    mail.send(msg)


def _mail_domain() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].strip(">") if "@" in sender else "ct.localhost"


def relay_outbox() -> int:
    """Enqueue every message that is due (periodic job of the clock process)."""
    now = utcnow()
    due = db.session.scalars(
        select(OutboxEmail)
        .where(
            or_(
                (OutboxEmail.status == PENDING) & (OutboxEmail.next_attempt_at <= now),
                (OutboxEmail.status == SENDING) & (OutboxEmail.claimed_at < now - STALE_CLAIM),
            )
        )
        .order_by(OutboxEmail.id)
        .limit(1000)
        .execution_options(**{ALL_TENANTS: True})  # system job over every tenant's outbox
    ).all()
    for message in due:
        enqueue(send_email, message.id, job_id=message.job_id)
    db.session.remove()
    return len(due)


def retry_failed(message: OutboxEmail) -> None:
    """An admin asks for one more try of a failed message."""
    if message.status != FAILED:
        return
    message.status = PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    enqueue_after_commit(send_email, message.id, job_id=f"{message.job_id}-retry")
