"""Webhook endpoints an administrator registers, and the deliveries sent to them.

A delivery is an outbox row (ct.models.outbox): written in the transaction of the change
it tells about, sent by a worker, tried again with growing delays when the endpoint
fails. Its ``message_id`` is the Standard Webhooks ``webhook-id``: the same for every
attempt, so a receiver can drop a copy it already has.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import Timestamps, UTCDateTime
from ct.models.outbox import OutboxRow

URL_MAX = 2000
DESCRIPTION_MAX = 200
SECRET_PREFIX = "whsec_"

# What a change can tell, by record: ``<record>.<action>``.
EVENT_TYPES = {
    "exchange": ("created", "updated", "deleted", "status_changed"),
    "tiers": ("created", "updated", "deleted"),
    "contact": ("created", "updated", "deleted"),
    "task": ("created", "updated", "deleted"),
    "event": ("created", "updated", "deleted"),
}
ALL_EVENT_TYPES = tuple(f"{record}.{action}" for record, actions in EVENT_TYPES.items()
                        for action in actions)
TEST_EVENT = "ping"  # sent by the endpoint page's "Send a test event"


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: ``whsec_`` and 32 random bytes
    in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(TenantScoped, Timestamps, db.Model):
    __tablename__ = "webhook_endpoints"
    __tenant_refs__ = {"created_by_id": "memberships"}

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_MAX))
    description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX))
    # The HMAC key itself (a signature cannot be made from a hash): shown once, never
    # exported, never shown again.
    secret: Mapped[str] = mapped_column(String(100), info={"export": False})
    event_types: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Failed attempts in a row; a success starts again from zero. Past the setting
    # WEBHOOK_DISABLE_AFTER, the endpoint is disabled and the admins told by email.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column()

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in self.event_types

    @staticmethod
    def listening() -> list[WebhookEndpoint]:
        """The bound company's active endpoints (one small query per saving transaction)."""
        return list(db.session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))))


class WebhookDelivery(OutboxRow, TenantScoped, db.Model):
    __tablename__ = "webhook_deliveries"
    __tenant_refs__ = {"endpoint_id": "webhook_endpoints"}
    __extra_args__ = (
        # The relay's question: which deliveries are due?
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        # An endpoint's delivery log, newest first.
        Index("ix_webhook_deliveries_endpoint", "tenant_id", "endpoint_id", "id"),
    )
    # Standard Webhooks' schedule, roughly: a receiver down for a deploy or an evening
    # still gets the event; after the last try (about 17 hours in all) it is failed.
    RETRY_DELAYS = (
        timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30),
        timedelta(hours=2), timedelta(hours=5), timedelta(hours=10),
    )
    JOB_PREFIX = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column()
    message_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)  # the JSON body, exactly as signed and sent
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_ms: Mapped[int | None] = mapped_column(Integer)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @staticmethod
    def new_message_id() -> str:
        return "msg_" + secrets.token_urlsafe(18)
