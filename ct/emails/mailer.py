"""Emails through the outbox: queue in the caller's transaction, send from a job.

A message is rendered when it is queued (so the log shows it exactly as sent) and
delivered by ``send_email``; ``relay_outbox`` runs periodically and hands out again
what is pending (Redis was down, a worker died, a retry is due).
"""

from __future__ import annotations

import logging
import smtplib

from flask import current_app, has_request_context, url_for
from flask_mail import Message

from ct.core.jobs import enqueue_after_commit
from ct.emails.templates import render_email
from ct.extensions import db, mail
from ct.models.base import utcnow
from ct.models.outbox import FAILED, SENT, OutboxEmail, relay, send_claimed

log = logging.getLogger(__name__)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, on the public address of the app."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["BASE_URL"] + path


def queue_email(kind: str, to: str, template: str, language: str | None,
                confidential_audience: tuple[int, int | None] | None = None,
                **context) -> OutboxEmail:
    """Render the email ``template`` (see ct.emails.templates) in ``language``, with the
    bound tenant's wording, and add it to the outbox. ``confidential_audience``: the
    (author id, group id) of a confidential comment the email carries, whose readers
    alone may read it in the email log."""
    rendered = render_email(template, language, context)
    author_id, group_id = confidential_audience or (None, None)
    message = OutboxEmail(
        kind=kind, to_email=to, subject=rendered.subject, body_text=rendered.text,
        body_html=rendered.html, confidential_author_id=author_id,
        confidential_group_id=group_id,
    )
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(send_email, message.id, job_id=message.job_id)
    return message


def send_email(email_id: int) -> str:
    """Deliver one outbox message (the worker's job)."""
    return send_claimed(OutboxEmail, email_id, _send_claimed)


def _send_claimed(message: OutboxEmail) -> str:
    try:
        _deliver(message)
    except Exception as error:  # SMTP refused, unreachable, timed out, bad address…
        message.record_failure(_describe(error))
        db.session.commit()
        log.warning("email %s not sent (attempt %s): %s", message.id, message.attempts,
                    message.last_error)
        return message.status
    message.status = SENT
    message.sent_at = utcnow()
    message.last_error = None
    db.session.commit()
    return SENT


def _deliver(message: OutboxEmail) -> None:
    msg = Message(
        subject=message.subject,
        recipients=[message.to_email],
        body=message.body_text,
        html=message.body_html,
    )
    # Stable across retries, so a receiver can drop a copy it already has. (Set in
    # place: an extra "Message-ID" header would be a second one, not a replacement.)
    msg.msgId = f"<outbox-{message.id}@{_mail_domain()}>"
    if current_app.config.get("MAIL_SUPPRESS_SEND"):
        log.info("email not sent (no MAIL_SERVER configured):\nTo: %s\nSubject: %s\n\n%s",
                 message.to_email, message.subject, message.body_text)
    mail.send(msg)


def _describe(error: Exception) -> str:
    """The error as an admin will read it: the server's own reply when there is one."""
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = error.recipients.items()
        return f"{type(error).__name__}: " + "; ".join(
            f"{to}: {code} {_text(reply)}" for to, (code, reply) in refused
        )
    return f"{type(error).__name__}: {error}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _mail_domain() -> str:
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    return sender.rsplit("@", 1)[-1].strip(">") if "@" in sender else "ct.localhost"


def relay_outbox() -> int:
    """Enqueue every message that is due (periodic job of the clock process)."""
    return relay(OutboxEmail, send_email)


def retry_failed(message: OutboxEmail) -> None:
    """An admin asks for one more try of a failed message."""
    if message.status != FAILED:
        return
    message.try_again()
    enqueue_after_commit(send_email, message.id, job_id=f"{message.job_id}-retry")
