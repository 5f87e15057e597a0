"""The deliveries a transaction owes: written in the same transaction as its changes.

A flush listener notes which followed records the session creates, changes or deletes
(no query: ids and attribute history are in memory). Before the commit, the company's
active endpoints are read once and a delivery is added for each endpoint that chose the
event; the worker is asked to send them once the commit is done. A change rolled back
sends nothing; a committed change is never lost (the relay hands out what a lost job
left pending).

The payload is thin: what happened to which record, which fields changed, and the API
address where the receiver reads the record with its own token and rights. A
confidential comment is never in it, only its name when it changed.
"""

from __future__ import annotations

import json

from flask import current_app, g, has_app_context
from sqlalchemy.orm import Session

from ct.core.jobs import enqueue_after_commit
from ct.core.tenancy import current_tenant_id
from ct.models import Contact, Event, Exchange, Task, Tiers
from ct.models.base import utcnow
from ct.models.webhook import WebhookDelivery, WebhookEndpoint
from ct.records.audit import WATCHED, changed_values
from ct.webhooks.delivery import deliver

# Record name, API collection, the fields followed, the links followed (as in the audit).
FOLLOWED = {
    Exchange: ("exchange", "exchanges", *WATCHED[Exchange][1:]),
    Tiers: ("tiers", "tiers", *WATCHED[Tiers][1:]),
    Contact: ("contact", "contacts", *WATCHED[Contact][1:]),
    Task: ("task", "tasks", ("label", "project_id", "assignee_id", "due_date", "done"), {}),
    Event: ("event", "events", (
        "title", "starts_at", "ends_at", "all_day", "location", "notes", "tiers_id",
        "reminder_minutes", "done",
    ), {"contact_ids": ("contact_links", "contact_id"),
        "assignee_ids": ("assignee_links", "membership_id")}),
}
_KEY = "ct_webhook_changes"  # in session.info: this transaction's changes, by record


def note_changes(session: Session, flush_context) -> None:
    """after_flush: the followed records this flush created, changed or deleted."""
    changes = session.info.setdefault(_KEY, {})
    for obj, action in [(o, "created") for o in session.new] + \
                       [(o, "updated") for o in session.dirty] + \
                       [(o, "deleted") for o in session.deleted]:
        spec = FOLLOWED.get(type(obj))
        if spec is None:
            continue
        record, _collection, fields, links = spec
        key = (record, obj.id)
        noted = changes.get(key)
        if action == "updated":
            before, after = changed_values(obj, fields, links)
            if not after and not before:
                continue
            if noted is None:
                noted = changes[key] = {"action": "updated", "changed": {}}
            for name in {*before, *after}:
                first = noted["changed"].get(name, (before.get(name), None))[0]
                noted["changed"][name] = (first, after.get(name))
        elif action == "deleted" and noted is not None and noted["action"] == "created":
            del changes[key]  # made and removed in one transaction: nothing happened
        else:
            changes[key] = {"action": action, "changed": {}}


def note(session: Session, record: str, record_id: int, action: str) -> None:
    """A change the flush listener cannot see: rows put back by SQL (a restore)."""
    session.info.setdefault(_KEY, {})[(record, record_id)] = {"action": action, "changed": {}}


def forget_changes(session: Session) -> None:
    session.info.pop(_KEY, None)


def write_deliveries(session: Session) -> None:
    """before_commit: one delivery per change and endpoint that chose its event."""
    # The commit flushes after this listener: flush now so that the transaction's last
    # changes are noted too (nothing to do on a clean session).
    session.flush()
    changes = session.info.pop(_KEY, {})
    if current_tenant_id() is None:
        return
    endpoints = WebhookEndpoint.listening() if changes else []
    if not endpoints:
        return
    deliveries = [delivery_for(endpoint, event_type, data)
                  for (record, record_id), change in changes.items()
                  for event_type, data in _events(record, record_id, change)
                  for endpoint in endpoints if endpoint.wants(event_type)]
    session.add_all(deliveries)
    session.flush()
    session.info.pop(_KEY, None)  # our own flush noted nothing followed
    for delivery in deliveries:
        enqueue_after_commit(deliver, delivery.id, job_id=delivery.job_id)


def delivery_for(endpoint: WebhookEndpoint, event_type: str, data: dict) -> WebhookDelivery:
    body = {"type": event_type, "timestamp": utcnow().isoformat(timespec="seconds"),
            "data": data}
    return WebhookDelivery(endpoint_id=endpoint.id, event_type=event_type,
                           message_id=WebhookDelivery.new_message_id(),
                           payload=json.dumps(body, separators=(",", ":")))


def _events(record: str, record_id: int, change: dict):
    """(event type, data) of one record's change: ``exchange.status_changed`` too when
    an exchange's status moved."""
    action = change["action"]
    data = {"object": record, "id": record_id}
    if action != "deleted":
        data["url"] = api_url(record, record_id)
    if action == "updated":
        data["changed"] = sorted(change["changed"])
    data["member_id"] = _actor_id()
    yield f"{record}.{action}", data
    status = change["changed"].get("status")
    if record == "exchange" and action == "updated" and status is not None:
        yield "exchange.status_changed", data | {
            "status": {"before": status[0], "after": status[1]}}


def api_url(record: str, record_id: int) -> str:
    collection = next(spec[1] for spec in FOLLOWED.values() if spec[0] == record)
    return f"{current_app.config['BASE_URL']}/api/v1/{collection}/{record_id}"


def _actor_id() -> int | None:
    membership = g.get("membership") if has_app_context() else None
    return membership.id if membership is not None else None
