"""The outbox: every email is a row written in the transaction that causes it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"

# Delay before each new attempt; after the last one the message ends as failed.
RETRY_DELAYS = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)
)
# A message claimed longer ago than this by a worker that died is handed out again.
# Longer than RQ's job timeout (3 minutes), so a live worker never loses its message.
STALE_CLAIM = timedelta(minutes=10)


class OutboxEmail(TenantScoped, db.Model):
    __tablename__ = "outbox_emails"
    # Password-reset emails belong to a user, not to a company.
    __tenant_optional__ = True
    # The relay's question: which pending messages are due?
    __extra_args__ = (Index("ix_outbox_emails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    to_email: Mapped[str] = mapped_column(String(254), index=True)
    # Bodies and subject hold links and tokens (an invitation's): never exported.
    subject: Mapped[str] = mapped_column(String(255), info={"export": False})
    body_text: Mapped[str] = mapped_column(Text, info={"export": False})
    body_html: Mapped[str | None] = mapped_column(Text, info={"export": False})
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An email carrying a confidential comment: that comment's audience when it was
    # written (ct.models.exchange_access.ConfidentialReader decides who reads the email).
    confidential_author_id: Mapped[int | None] = mapped_column(Integer)
    confidential_group_id: Mapped[int | None] = mapped_column(Integer)

    @property
    def job_id(self) -> str:
        # Derived from the row: enqueueing the same message twice is harmless.
        return f"email-{self.id}-{self.attempts}"

    def record_failure(self, error: str) -> None:
        self.attempts += 1
        self.claimed_at = None
        self.last_error = error[:2000]
        if self.attempts > len(RETRY_DELAYS):
            self.status = FAILED
        else:
            self.status = PENDING
            self.next_attempt_at = utcnow() + RETRY_DELAYS[self.attempts - 1]
