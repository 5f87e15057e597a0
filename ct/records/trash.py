"""Moving exchanges, third parties and contacts to the trash, restoring and purging them.

Deleting writes a TrashItem (a snapshot of the row and of the rows hanging on it) and
deletes the real rows in the same transaction. Restoring inserts the rows again with
their original ids; a link whose target was deleted meanwhile is left out, and named in
the confirmation. The clock purges what is older than 30 days.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import Date, DateTime, ForeignKeyConstraint, Numeric, delete, insert, select
from sqlalchemy.exc import IntegrityError

from ct.attachments.files import drop_after_commit
from ct.core.tenancy import current_tenant_id, in_each_tenant
from ct.extensions import db
from ct.models import (
    Contact,
    Event,
    EventContact,
    Exchange,
    ExchangeContact,
    Tiers,
    TrashItem,
)
from ct.models.base import utcnow
from ct.models.trash import KEEP_FOR, KIND_CONTACT, KIND_EXCHANGE, KIND_TIERS, LABEL_MAX
from ct.records.audit import plain
from ct.records.audit import record as audit
from ct.webhooks import changes as webhook_changes

log = logging.getLogger(__name__)


class RestoreRefused(Exception):
    """The record cannot come back as it was (its third party is gone…); the message
    says why, for the administrator."""


@dataclass
class Restored:
    kind: str
    record_id: int
    lost: list[str] = field(default_factory=list)  # links that could not come back


# ---- snapshots ---------------------------------------------------------------------

def _row(obj) -> dict:
    return {c.name: plain(getattr(obj, c.key)) for c in obj.__table__.columns}


def exchange_label(exchange: Exchange) -> str:
    when = format_datetime(exchange.occurred_at, "short")
    return f"{when} — {exchange.tiers.name}"[:LABEL_MAX]


def _exchange_payload(exchange: Exchange) -> dict:
    rows = [("exchanges", _row(exchange))]
    names = {f"tiers:{exchange.tiers_id}": exchange.tiers.name}
    for link in exchange.contact_links:
        rows.append(("exchange_contacts", _row(link)))
        names[f"contacts:{link.contact_id}"] = link.contact.full_name
    for link in exchange.product_links:
        rows.append(("exchange_products", _row(link)))
        names[f"products:{link.product_id}"] = link.product.label
    for link in exchange.collaborator_links:
        rows.append(("exchange_collaborators", _row(link)))
        names[f"memberships:{link.membership_id}"] = link.membership.user.display_name
    for link in exchange.mention_links:  # restored mentions keep their "notified" mark
        rows.append(("exchange_mentions", _row(link)))
        names[f"memberships:{link.membership_id}"] = link.membership.user.display_name
    for attachment in exchange.attachments:  # the rows; the bytes stay in the storage
        rows.append(("exchange_attachments", _row(attachment)))
    related = {"tasks": (exchange.task, "label"), "events": (exchange.event, "title"),
               "documents": (exchange.document, "reference"),
               "projects": (exchange.project, "reference"),
               "groups": (exchange.confidential_group, "name")}
    for table, (target, attribute) in related.items():
        if target is not None:
            names[f"{table}:{target.id}"] = getattr(target, attribute)
    for choice in (exchange.mode, exchange.object):
        if choice is not None:
            names[f"choices:{choice.id}"] = choice.display
    return {"rows": rows, "names": names}


def _contact_payload(contact: Contact) -> dict:
    rows = [("contacts", _row(contact))]
    names = {f"tiers:{contact.tiers_id}": contact.tiers.name} if contact.tiers else {}
    exchange_links = db.session.scalars(
        select(ExchangeContact).where(ExchangeContact.contact_id == contact.id)).all()
    exchanges = {e.id: e for e in db.session.scalars(select(Exchange).where(
        Exchange.id.in_([link.exchange_id for link in exchange_links])))}
    for link in exchange_links:
        rows.append(("exchange_contacts", _row(link)))
        names[f"exchanges:{link.exchange_id}"] = exchange_label(exchanges[link.exchange_id])
    event_links = db.session.scalars(
        select(EventContact).where(EventContact.contact_id == contact.id)).all()
    events = {e.id: e for e in db.session.scalars(select(Event).where(
        Event.id.in_([link.event_id for link in event_links])))}
    for link in event_links:
        rows.append(("event_contacts", _row(link)))
        names[f"events:{link.event_id}"] = events[link.event_id].title
    return {"rows": rows, "names": names}


def _put_in_trash(kind: str, record_id: int, label: str, payload: dict, actor) -> TrashItem:
    item = TrashItem(kind=kind, record_id=record_id, label=label[:LABEL_MAX], payload=payload,
                     deleted_by_id=actor.id if actor is not None else None)
    db.session.add(item)
    audit(kind, record_id, "delete", before={"label": item.label})
    return item


# ---- deleting ----------------------------------------------------------------------

def trash_exchange(exchange: Exchange, actor) -> TrashItem:
    """The exchange to the trash with its links; its task and event stay where they are."""
    item = _put_in_trash(KIND_EXCHANGE, exchange.id, exchange_label(exchange),
                         _exchange_payload(exchange), actor)
    db.session.delete(exchange)  # its links (contacts, products, mentions, files…) go too
    return item


def trash_contact(contact: Contact, actor) -> TrashItem:
    """The contact to the trash; the exchanges and events it was on stay, without it."""
    item = _put_in_trash(KIND_CONTACT, contact.id, contact.full_name or "?",
                         _contact_payload(contact), actor)
    db.session.execute(delete(ExchangeContact).where(ExchangeContact.contact_id == contact.id))
    db.session.execute(delete(EventContact).where(EventContact.contact_id == contact.id))
    db.session.delete(contact)
    return item


def trash_tiers(tiers: Tiers, actor) -> TrashItem:
    """A third party with no linked records (the delete page refuses the others)."""
    item = _put_in_trash(KIND_TIERS, tiers.id, tiers.name,
                         {"rows": [("tiers", _row(tiers))], "names": {}}, actor)
    db.session.delete(tiers)
    return item


# ---- restoring ---------------------------------------------------------------------

def _typed(column, value):
    """A JSON value of the snapshot back to the column's Python type."""
    if value is None:
        return None
    sql_type = getattr(column.type, "impl_instance", None) or column.type
    if isinstance(sql_type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(sql_type, Date):
        return date.fromisoformat(value)
    if isinstance(sql_type, Numeric):
        return Decimal(value)
    return value


def _references(table):
    """(column, referenced table) of each composite tenant key of ``table``."""
    for constraint in table.constraints:
        if isinstance(constraint, ForeignKeyConstraint) and len(constraint.columns) == 2:
            column = next(c for c in constraint.columns if c.name != "tenant_id")
            yield column, constraint.referred_table.name


def _exists(table_name: str, record_id: int, tenant_id: int) -> bool:
    table = db.metadata.tables[table_name]
    return db.session.execute(select(table.c.id).where(
        table.c.id == record_id, table.c.tenant_id == tenant_id)).first() is not None


def _id_taken(table, record_id: int) -> bool:
    """PostgreSQL never hands an id out twice; SQLite may give a deleted row's id to a
    new row (of any tenant: ids are global)."""
    return db.session.execute(select(table.c.id).where(table.c.id == record_id)).first() \
        is not None


def restore(item: TrashItem) -> Restored:
    """Put the rows of ``item`` back and drop it from the trash (caller commits).

    Raises RestoreRefused, with nothing written, when the record itself cannot come back.
    """
    tenant_id = current_tenant_id()
    rows = item.payload["rows"]
    names = item.payload.get("names", {})
    coming = {(table, row["id"]) for table, row in rows}
    new_ids: dict[tuple[str, int], int] = {}
    result = Restored(item.kind, item.record_id)
    try:
        with db.session.begin_nested():
            for position, (table_name, row) in enumerate(rows):
                table = db.metadata.tables[table_name]
                values = {c.name: _typed(c, row.get(c.name)) for c in table.columns
                          if c.name in row}
                values["tenant_id"] = tenant_id
                if not _relink(table, values, position == 0, coming, new_ids, names, result,
                               item.label):
                    continue
                old_id = values["id"]
                if _id_taken(table, old_id):
                    del values["id"]
                inserted = db.session.execute(insert(table).values(**values))
                new_ids[(table_name, old_id)] = inserted.inserted_primary_key[0]
            result.record_id = new_ids[(rows[0][0], rows[0][1]["id"])]
    except IntegrityError as error:
        log.info("restore of trash item %s refused: %s", item.id, error)
        raise RestoreRefused(_("“%(label)s” cannot be restored: a record with the same "
                               "unique value (code, reference) exists now.",
                               label=item.label)) from None
    # Back, it is new again for the systems told by webhooks.
    webhook_changes.note(db.session, item.kind, result.record_id, "created")
    audit(item.kind, result.record_id, "restore",
          after={"label": item.label} | ({"lost": result.lost} if result.lost else {}))
    db.session.delete(item)
    return result


def _relink(table, values, main: bool, coming, new_ids, names, result, label_of_item) -> bool:
    """Point the row's keys at rows that exist; False when a link row has lost its
    target (it is left out). The record itself keeps its required keys or is refused."""
    for column, target in _references(table):
        target_id = values.get(column.name)
        if target_id is None:
            continue
        if (target, target_id) in new_ids:
            values[column.name] = new_ids[(target, target_id)]
            continue
        if (target, target_id) in coming or _exists(target, target_id, values["tenant_id"]):
            continue
        label = names.get(f"{target}:{target_id}") or f"#{target_id}"
        if not main:
            result.lost.append(label)
            return False
        if not column.nullable:
            raise RestoreRefused(_("“%(label)s” cannot be restored: “%(missing)s” it "
                                   "belongs to no longer exists. Restore it first if it is "
                                   "in the trash.", label=label_of_item, missing=label))
        values[column.name] = None
        result.lost.append(label)
    return True


# ---- purging -----------------------------------------------------------------------

def _drop_files_of(payloads: list[dict]) -> None:
    """The bytes of the attachments these trashed exchanges kept, deleted once the
    purge commits."""
    drop_after_commit([row["storage_key"] for payload in payloads
                       for table, row in payload.get("rows", [])
                       if table == "exchange_attachments"])


def purge(item: TrashItem) -> None:
    """Delete ``item`` for good, its files included (caller commits)."""
    _drop_files_of([item.payload])
    db.session.delete(item)


def purge_expired_trash() -> int:
    """Delete what has been in the trash for more than 30 days, in every tenant, each
    tenant's items in a transaction bound to that tenant (periodic job of the clock)."""
    expired = TrashItem.deleted_at < utcnow() - KEEP_FOR

    def purge_bound_tenant() -> int:
        _drop_files_of(db.session.scalars(select(TrashItem.payload).where(
            expired, TrashItem.kind == KIND_EXCHANGE)).all())
        return db.session.execute(delete(TrashItem).where(expired)
                                  .execution_options(synchronize_session=False)).rowcount
    return in_each_tenant(TrashItem, expired, work=purge_bound_tenant)
