"""What a query, a flush or a commit sets off, and what runs on the clock: every listener
and every periodic job of the application, registered here and nowhere else.

The table in docs/ARCHITECTURE.md says the same in words. A module that needs to react to
the session writes a plain function and adds it to these lists; nothing registers itself
on import. Listeners of one event run in the order of SESSION_LISTENERS.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from ct.attachments import files as attachment_files
from ct.capture.upkeep import purge_inbound, relay_inbound
from ct.core import clock, jobs, session_cache, tenancy
from ct.core.clock import PeriodicJob
from ct.emails.mailer import relay_outbox
from ct.emails.notify.digest import send_daily_digests
from ct.emails.notify.reminders import send_due_reminders
from ct.models import agenda, contact, exchange, tiers
from ct.records import audit
from ct.records.closing import purge_closed_tenants
from ct.records.export import remove_expired_exports, retry_stalled_exports
from ct.records.trash import purge_expired_trash
from ct.webhooks import changes as webhooks
from ct.webhooks.delivery import relay_webhooks

# (event of every Session, function): tenancy first, so that what follows already reads
# and writes as the bound tenant.
SESSION_LISTENERS = (
    # Every statement: scoped to the bound tenant (ORM criteria + app.tenant_id on PG).
    ("do_orm_execute", tenancy.scope_to_tenant),
    # Every flush: new rows stamped with the bound tenant; a row of another one refused.
    ("before_flush", tenancy.stamp_and_check_tenant),
    ("after_begin", tenancy.begin_with_tenant),
    ("after_transaction_end", tenancy.forget_applied_tenant),
    # The audit trail: the changes of watched records, in the same transaction.
    ("after_flush", audit.record_changes),
    ("after_commit", audit.close_entries),
    ("after_rollback", audit.close_entries),
    # The request cache: what a flush wrote is read again; a commit forgets it all.
    ("after_flush", session_cache.forget_changed),
    ("after_commit", session_cache.forget_all),
    ("after_soft_rollback", session_cache.forget_all),
    # Webhooks: the followed records each flush changed; their deliveries, written
    # before the commit (same transaction); forgotten if it rolls back.
    ("after_flush", webhooks.note_changes),
    ("before_commit", webhooks.write_deliveries),
    ("after_rollback", webhooks.forget_changes),
    # Attachments' bytes: written ones deleted again if the transaction rolls back,
    # dropped ones deleted once it commits.
    ("after_commit", attachment_files.after_commit),
    ("after_rollback", attachment_files.after_rollback),
    # Jobs asked for during the transaction: handed to the queue once it commits.
    ("after_commit", jobs.release_jobs),
    ("after_rollback", jobs.drop_jobs),
)

# (model, event, function): columns derived from others, kept right on every write.
MODEL_LISTENERS = (
    (tiers.Tiers, "before_insert", tiers.derive_keys),
    (tiers.Tiers, "before_update", tiers.derive_keys),
    (contact.Contact, "before_insert", contact.derive_keys),
    (contact.Contact, "before_update", contact.derive_keys),
    (exchange.Exchange, "before_insert", exchange.derive_search_text),
    (exchange.Exchange, "before_update", exchange.derive_search_text),
    (agenda.Event, "before_insert", agenda.schedule_reminder),
    (agenda.Event, "before_update", agenda.schedule_reminder),
)

PERIODIC_JOBS = [
    PeriodicJob(relay_outbox, 60),  # emails whose job was lost or is due again
    PeriodicJob(relay_webhooks, 60),  # webhook deliveries likewise
    PeriodicJob(relay_inbound, 300),  # captured emails whose job was lost
    PeriodicJob(purge_inbound, 3600),  # captured emails logged long ago: raw mail deleted
    PeriodicJob(send_due_reminders, 60),
    PeriodicJob(send_daily_digests, 900),
    PeriodicJob(purge_expired_trash, 3600),
    PeriodicJob(remove_expired_exports, 3600),
    PeriodicJob(retry_stalled_exports, 600),
    PeriodicJob(purge_closed_tenants, 3600),
]

_registered = False


def register(app: Flask) -> None:
    """Listen and schedule (once per process: the Session class, the models and RQ's
    cron are shared by every app); start the embedded clock for an app without Redis."""
    global _registered
    if not _registered:
        for name, listener in SESSION_LISTENERS:
            event.listen(Session, name, listener)
        for model, name, listener in MODEL_LISTENERS:
            event.listen(model, name, listener)
        clock.register_with_rq(PERIODIC_JOBS)
        _registered = True
    if app.config["EMBEDDED_CLOCK"]:
        clock.install_embedded_clock(app, PERIODIC_JOBS)
