"""The clock's care of captured emails: enqueue again those whose job was lost, and
delete the raw messages once logged or dismissed for CAPTURE_KEEP_DAYS (they hold the
people's mail; the exchanges keep what was logged)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ct.capture.process import JOB_PREFIX, process_inbound
from ct.core.jobs import enqueue
from ct.core.tenancy import ALL_TENANTS, in_each_tenant
from ct.extensions import db
from ct.models.base import utcnow
from ct.models.capture import DISMISSED, DONE, PENDING, InboundEmail

# Pending this long, an email's job is taken as lost: the relay enqueues it again.
RELAY_AFTER = timedelta(minutes=5)
RELAY_BATCH = 100
def relay_inbound() -> int:
    """Enqueue again the emails still pending a while after they arrived: their job was
    lost (Redis down when it was kept) or met an unavailable database (periodic job)."""
    rows = db.session.execute(
        select(InboundEmail.id, InboundEmail.tenant_id)
        .where(InboundEmail.status == PENDING, InboundEmail.received_at < utcnow() - RELAY_AFTER)
        .order_by(InboundEmail.id).limit(RELAY_BATCH)
        .execution_options(**{ALL_TENANTS: True})).all()  # system job over every company
    db.session.remove()
    handed = 0
    for row in rows:
        if not enqueue(process_inbound, row.tenant_id, row.id,
                       job_id=f"{JOB_PREFIX}-{row.tenant_id}-{row.id}"):
            break
        handed += 1
    return handed


def purge_inbound() -> int:
    """Delete the raw emails logged or dismissed more than CAPTURE_KEEP_DAYS ago, in
    every company, each company's in a transaction bound to it (periodic job)."""
    cutoff = utcnow() - timedelta(days=current_app.config["CAPTURE_KEEP_DAYS"])
    kept = (InboundEmail.status.in_((DONE, DISMISSED)), InboundEmail.processed_at < cutoff)

    def purge() -> int:
        return db.session.execute(delete(InboundEmail).where(*kept).execution_options(
            synchronize_session=False)).rowcount
    return in_each_tenant(InboundEmail, *kept, work=purge)
