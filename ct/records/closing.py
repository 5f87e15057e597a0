"""Closing a company: a grace period, then every row of the tenant is deleted.

An admin asks (typing the company's name); ``Tenant.closing_at`` is set to the end of
the grace period (TENANT_CLOSING_GRACE_DAYS, 14 by default). Until then every page
shows a banner, members still log in, an admin can export the data or cancel. The
clock then enqueues ``purge_tenant``, which deletes the rows of every tenant table of
this tenant only, its export files and attachments, and the tenant itself: its address
is a 404 after.
User accounts are global (one person, several companies) and stay.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ct.attachments.storage import storage
from ct.core.jobs import enqueue
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import AuditEntry, Membership, Tenant
from ct.models.base import utcnow
from ct.records.export import tenant_tables
from ct.records.export_runs import remove_tenant_files

log = logging.getLogger(__name__)


def grace_period() -> timedelta:
    return timedelta(days=current_app.config.get("TENANT_CLOSING_GRACE_DAYS", 14))


def names_match(typed: str, name: str) -> bool:
    """The confirmation: the company's name, whatever the case and the spaces around."""
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def request_closing(tenant: Tenant, member: Membership) -> None:
    if tenant.closing_at is not None:
        return  # asked twice: the first date holds
    tenant.closing_at = utcnow() + grace_period()
    AuditEntry.record(member, "tenant.closing", {"closing_at": None},
                      {"closing_at": tenant.closing_at.isoformat()})


def cancel_closing(tenant: Tenant, member: Membership) -> None:
    if tenant.closing_at is None:
        return
    AuditEntry.record(member, "tenant.closing_cancelled",
                      {"closing_at": tenant.closing_at.isoformat()}, {"closing_at": None})
    tenant.closing_at = None


def purge_closed_tenants() -> int:
    """The clock's job: hand every tenant whose grace period is over to ``purge_tenant``."""
    due = db.session.scalars(
        select(Tenant.id).where(Tenant.closing_at.is_not(None), Tenant.closing_at <= utcnow())
    ).all()
    for tenant_id in due:
        # A large company's rows take a while to delete: longer than RQ's 3 minutes.
        enqueue(purge_tenant, tenant_id, job_id=f"tenant-purge-{tenant_id}", timeout=3600)
    return len(due)


def purge_tenant(tenant_id: int) -> bool:
    """Delete every row of the tenant, children first, in one transaction; False when
    the closing was cancelled meanwhile (or the tenant is already gone)."""
    with bound_tenant(tenant_id):  # the database's row-level security sees this tenant
        try:
            tenant = db.session.scalar(select(Tenant).where(Tenant.id == tenant_id))
            if tenant is None or tenant.closing_at is None or tenant.closing_at > utcnow():
                return False
            # The attachments' bytes first: should the rows' deletion fail, the job runs
            # again and finds both; the other way round, nothing would name the files.
            storage().delete_company(tenant_id)
            for table in reversed(tenant_tables()):
                db.session.execute(delete(table).where(table.c.tenant_id == tenant_id))
            db.session.execute(delete(Tenant.__table__).where(Tenant.id == tenant_id))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
    remove_tenant_files(tenant_id)
    log.info("tenant %s closed: its data is deleted", tenant_id)
    return True
