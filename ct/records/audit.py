"""Recording the changes of exchanges, third parties and contacts, in one place.

A flush listener looks at the watched records the session is about to write and adds
one audit entry per created or changed record, with the changed fields only (before →
after, links such as an exchange's contacts included as lists of ids). Whatever route,
form or job saves a record, its history follows. Deletions and restorations are recorded
by the trash (ct.records.trash), which knows what it keeps; bulk SQL (imports) is not recorded
row by row.

The confidential comment of an exchange is never copied into the trail: its readers are
chosen per exchange, and the trail is read by others. Only the fact that it changed is.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context
from sqlalchemy import delete, insert, inspect, select, update
from sqlalchemy.orm import Session

from ct.models import AuditEntry, Contact, Exchange, Tiers
from ct.models.base import utcnow

HIDDEN = "•••"  # what the trail shows for a confidential value

# Record type, the columns followed, the links followed (field name → collection, id).
WATCHED = {
    Exchange: ("exchange", (
        "tiers_id", "occurred_at", "status", "made_by_id", "mode_id", "object_id",
        "document_id", "project_id", "comment", "confidential_comment",
        "confidential_group_id", "notify_collaborators", "task_id", "event_id",
    ), {
        "contact_ids": ("contact_links", "contact_id"),
        "product_ids": ("product_links", "product_id"),
        "collaborator_ids": ("collaborator_links", "membership_id"),
        "attachments": ("attachments", "filename"),
    }),
    Tiers: ("tiers", (
        "name", "is_prospect", "is_customer", "is_supplier", "customer_code", "email",
        "phone", "website", "street", "postcode", "town", "country", "sales_rep_id", "notes",
        "active",
    ), {}),
    Contact: ("contact", (
        "first_name", "last_name", "job_title", "email", "phone", "mobile", "tiers_id",
        "notes",
    ), {}),
}
CONFIDENTIAL = {"confidential_comment"}


def plain(value):
    """A column value as JSON keeps it (dates as ISO text, amounts as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _shown(field: str, value):
    if field in CONFIDENTIAL:
        return HIDDEN if value else None
    return plain(value)


def _created(obj, fields, links) -> dict:
    after = {f: _shown(f, getattr(obj, f)) for f in fields}
    after |= {name: sorted(getattr(link, column) for link in getattr(obj, collection))
              for name, (collection, column) in links.items()}
    return {k: v for k, v in after.items() if v not in (None, "", [], False)}


def changed_values(obj, fields, links) -> tuple[dict, dict]:
    state = inspect(obj)
    before, after = {}, {}
    for field in fields:
        history = state.attrs[field].history
        if not history.deleted and not history.added:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            before[field], after[field] = _shown(field, old), _shown(field, new)
    for name, (collection, column) in links.items():
        history = state.attrs[collection].history
        if not history.added and not history.deleted:
            continue
        kept = [getattr(link, column) for link in history.unchanged]
        old = sorted(kept + [getattr(link, column) for link in history.deleted])
        new = sorted(kept + [getattr(link, column) for link in history.added])
        if old != new:
            before[name], after[name] = old, new
    return before, after


def _actor_id() -> int | None:
    membership = g.get("membership") if has_app_context() else None
    return membership.id if membership is not None else None


_OPEN_KEY = "ct_audit_open"  # in session.info: this transaction's entries, by record


def _merge(old: dict, before: dict, after: dict) -> tuple[dict, dict]:
    """One entry per record and transaction: the first "before", the last "after";
    a field changed and changed back is no change."""
    merged_before = before | old["before"]
    merged_after = old["after"] | after
    keys = [k for k in dict.fromkeys([*merged_before, *merged_after])
            if merged_before.get(k) != merged_after.get(k)]
    return ({k: merged_before[k] for k in keys if k in merged_before},
            {k: merged_after[k] for k in keys if k in merged_after})


def record_changes(session: Session, flush_context) -> None:
    """The watched records created or changed by this flush, in this transaction's
    entries (ids are known now; the attributes still hold their history). A save often
    flushes more than once (queries autoflush): later flushes complete the same entry."""
    table = AuditEntry.__table__
    open_entries = session.info.setdefault(_OPEN_KEY, {})
    for obj, action in [(o, "create") for o in session.new] + \
                       [(o, "update") for o in session.dirty]:
        spec = WATCHED.get(type(obj))
        if spec is None or obj in session.deleted:
            continue
        record_type, fields, links = spec
        if action == "create":
            before, after = {}, _created(obj, fields, links)
        else:
            before, after = changed_values(obj, fields, links)
            if not before and not after:
                continue
        key = (record_type, obj.id)
        if key in open_entries:
            entry = open_entries[key]
            entry["before"], entry["after"] = _merge(entry, before, after)
            changed = update(table).values(before=entry["before"], after=entry["after"])
            if not entry["before"] and not entry["after"] and entry["action"] == "update":
                changed = delete(table)  # changed back within the transaction: no change
            session.execute(changed.where(table.c.id == entry["id"]))
            continue
        # Core statements: adding ORM objects while the flush finishes is not allowed.
        inserted = session.execute(insert(table).values(
            tenant_id=obj.tenant_id, actor_id=_actor_id(), action=f"{record_type}.{action}",
            target=f"{record_type}:{obj.id}", record_type=record_type, record_id=obj.id,
            before=before, after=after, created_at=utcnow()))
        open_entries[key] = {"id": inserted.inserted_primary_key[0], "action": action,
                             "before": before, "after": after}


def close_entries(session: Session) -> None:
    session.info.pop(_OPEN_KEY, None)


def record(record_type: str, record_id: int, action: str, before: dict | None = None,
           after: dict | None = None) -> AuditEntry:
    """An entry the listener cannot see: a deletion, a restoration."""
    entry = AuditEntry(actor_id=_actor_id(), action=f"{record_type}.{action}",
                       target=f"{record_type}:{record_id}", record_type=record_type,
                       record_id=record_id, before=before or {}, after=after or {})
    from ct.extensions import db

    db.session.add(entry)
    return entry


def audit_rows(batch: int = 1000) -> Iterator[dict]:
    """Every audit entry of the bound tenant, oldest first, as plain dicts (the tenant
    data export writes them out). Read in batches by id, so memory stays flat."""
    from ct.extensions import db

    last_id = 0
    while True:
        entries = list(db.session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id)
            .order_by(AuditEntry.id).limit(batch)))
        for e in entries:
            yield {
                "id": e.id, "created_at": e.created_at.isoformat(), "action": e.action,
                "record_type": e.record_type, "record_id": e.record_id, "target": e.target,
                "actor_id": e.actor_id,
                "actor": e.actor.user.display_name if e.actor is not None else None,
                "before": e.before, "after": e.after,
            }
        if len(entries) < batch:
            return
        last_id = entries[-1].id
