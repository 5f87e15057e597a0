"""The outboxes: every email, every webhook delivery is a row written in the transaction
that causes it, handed to a worker, claimed by one worker at a time, tried again later
when it fails, and handed out again by a periodic relay when its job was lost.

``OutboxRow`` and the functions below are what the two outboxes share: emails
(``OutboxEmail``, sent by ct.emails.mailer) and webhook deliveries (ct.models.webhook,
sent by ct.webhooks.delivery).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy import Index, Integer, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ct.core.jobs import enqueue
from ct.core.tenancy import ALL_TENANTS, TenantScoped, bound_tenant
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"

# A row claimed longer ago than this by a worker that died is handed out again.
# Longer than RQ's job timeout (3 minutes), so a live worker never loses its row.
STALE_CLAIM = timedelta(minutes=10)
RELAY_BATCH = 1000


class OutboxRow:
    """The columns and the retry rule of an outbox row. ``RETRY_DELAYS``: the delay
    before each new attempt; after the last one the row ends as failed."""

    RETRY_DELAYS: ClassVar[tuple[timedelta, ...]]
    JOB_PREFIX: ClassVar[str]

    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def job_id(self) -> str:
        # Derived from the row: enqueueing the same attempt twice is harmless.
        return f"{self.JOB_PREFIX}-{self.id}-{self.attempts}"

    def record_failure(self, error: str) -> None:
        self.attempts += 1
        self.claimed_at = None
        self.last_error = error[:2000]
        if self.attempts > len(self.RETRY_DELAYS):
            self.status = FAILED
        else:
            self.status = PENDING
            self.next_attempt_at = utcnow() + self.RETRY_DELAYS[self.attempts - 1]

    def try_again(self) -> None:
        """A person asks for one more series of attempts (a failed email, a webhook)."""
        self.status = PENDING
        self.attempts = 0
        self.claimed_at = None
        self.next_attempt_at = utcnow()


def due(model, now: datetime):
    """Rows to hand out: pending and due, or claimed by a worker that died."""
    return or_(
        (model.status == PENDING) & (model.next_attempt_at <= now),
        (model.status == SENDING) & (model.claimed_at < now - STALE_CLAIM),
    )


def claim(model, row_id: int):
    """Mark the row as ours to send, or None if it is not due or another job has it.

    One conditional UPDATE is the lock. Of two workers racing for a row, exactly one
    changes it: PostgreSQL makes the second wait and re-checks its condition after the
    first commits; SQLite lets one writer at a time. (A SELECT … FOR UPDATE would not do
    on SQLite: it ignores the clause and opens its transaction at the first write, so two
    workers could both read "pending" and both send.)
    """
    now = utcnow()
    claimed = db.session.execute(
        update(model)
        .where(model.id == row_id, due(model, now))
        .values(status=SENDING, claimed_at=now)
        .execution_options(synchronize_session=False, **{ALL_TENANTS: True})  # system job
    ).rowcount
    db.session.commit()
    if claimed != 1:
        return None
    return db.session.scalar(
        select(model).where(model.id == row_id).execution_options(**{ALL_TENANTS: True})
    )


def send_claimed(model, row_id: int, send: Callable) -> str:
    """A worker's job: claim the row and ``send(row)`` as its own company; a redelivered
    job finds it sent (or taken by another worker) and does nothing."""
    try:
        row = claim(model, row_id)
        if row is None:
            return "skipped"
        # Found across companies; written back as its own company (row-level security).
        with bound_tenant(row.tenant_id):
            return send(row)
    finally:
        db.session.remove()


def relay(model, send: Callable[[int], str]) -> int:
    """Enqueue ``send`` for every row of ``model`` that is due (a periodic job).

    Returns how many were handed to the queue; stops at the first refusal (Redis is
    down), the next run tries again.
    """
    rows = db.session.scalars(
        select(model).where(due(model, utcnow())).order_by(model.id).limit(RELAY_BATCH)
        .execution_options(**{ALL_TENANTS: True})  # system job over every tenant's outbox
    ).all()
    jobs = [(row.id, row.job_id) for row in rows]
    db.session.remove()
    handed = 0
    for row_id, job_id in jobs:
        if not enqueue(send, row_id, job_id=job_id):
            break
        handed += 1
    return handed


class OutboxEmail(OutboxRow, TenantScoped, db.Model):
    __tablename__ = "outbox_emails"
    # Password-reset emails belong to a user, not to a company.
    __tenant_optional__ = True
    # The relay's question: which pending messages are due?
    __extra_args__ = (Index("ix_outbox_emails_due", "status", "next_attempt_at"),)
    RETRY_DELAYS = (
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)
    )
    JOB_PREFIX = "email"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    to_email: Mapped[str] = mapped_column(String(254), index=True)
    # Bodies and subject hold links and tokens (an invitation's): never exported.
    subject: Mapped[str] = mapped_column(String(255), info={"export": False})
    body_text: Mapped[str] = mapped_column(Text, info={"export": False})
    body_html: Mapped[str | None] = mapped_column(Text, info={"export": False})
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An email carrying a confidential comment: that comment's audience when it was
    # written (ct.models.exchange_access.ConfidentialReader decides who reads the email).
    confidential_author_id: Mapped[int | None] = mapped_column(Integer)
    confidential_group_id: Mapped[int | None] = mapped_column(Integer)
