"""Audit entries in words: field names translated, ids shown as the names they stand for.

Used by a record's "History of changes" and by the administrators' log. The names of
the records an entry points at are read in one query per kind of record, whatever the
number of entries shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from ct.core.permissions import RIGHTS, ROLES
from ct.exchanges.status import STATUS_LABELS, status_names
from ct.extensions import db
from ct.models import (
    AuditEntry,
    Choice,
    Contact,
    Document,
    Event,
    Exchange,
    Group,
    Membership,
    Product,
    Project,
    Task,
    Tiers,
    TrashItem,
)

FIELD_LABELS = {
    # exchanges
    "tiers_id": _l("Third party"), "occurred_at": _l("Date"), "status": _l("Status"),
    "made_by_id": _l("Made by"), "mode_id": _l("Contact mode"), "object_id": _l("Object"),
    "document_id": _l("Document"), "project_id": _l("Project"), "comment": _l("Comment"),
    "confidential_comment": _l("Confidential comment"),
    "confidential_group_id": _l("Confidential comment shared with"),
    "notify_collaborators": _l("Notify the collaborators"), "task_id": _l("Follow-up task"),
    "event_id": _l("Event"), "contact_ids": _l("Contacts"), "product_ids": _l("Products"),
    "collaborator_ids": _l("Collaborators"), "attachments": _l("Attachments"),
    # third parties and contacts
    "name": _l("Name"), "is_prospect": _l("Prospect"), "is_customer": _l("Customer"),
    "is_supplier": _l("Supplier"), "customer_code": _l("Customer code"), "email": _l("Email"),
    "phone": _l("Phone"), "website": _l("Website"), "street": _l("Street"),
    "postcode": _l("Postcode"), "town": _l("Town"), "country": _l("Country"),
    "sales_rep_id": _l("Sales representative"), "notes": _l("Notes"), "active": _l("Active"),
    "first_name": _l("First name"), "last_name": _l("Last name"), "job_title": _l("Job title"),
    "mobile": _l("Mobile"),
    # members and settings (the same words as the settings' own history)
    "choose_user": _l("Choose the user who made the contact"),
    "confidential_comments": _l("Confidential comments"),
    "collaborators": _l("Collaborators on exchanges"),
    "button_mode": _l("Create-button display"),
    "hidden_button_pages": _l("Pages without the integrated button"),
    "widget_days": _l("Widget window (days)"),
    "shorten_descriptions": _l("Shorten descriptions in the exchanges list"),
    "shorten_length": _l("Length of shortened descriptions (characters)"),
    "large_contacts_threshold": _l("Large contact lists threshold"),
    "plan_next_days": _l("Next contact planned after (days)"),
    "added": _l("Added"), "reactivated": _l("Reactivated"),
    "role": _l("Role"), "rights": _l("Rights"), "label": _l("Label"),
    "label_en": _l("Label in English"), "position": _l("Position"),
    "lost": _l("Links not restored"),
}

ACTION_LABELS = {
    # "Created" alone is a column header elsewhere ("Created on"): its own words here.
    "create": _l("Creation"),
    "update": _l("Change"),
    "delete": _l("Moved to the trash"),
    "restore": _l("Restored from the trash"),
}
RECORD_TYPE_LABELS = {
    "exchange": _l("Exchange"),
    "tiers": _l("Third party"),
    "contact": _l("Contact"),
    "member": _l("Member"),
    "settings": _l("Settings"),
}

# Which kind of record an id field names, and how that record is called.
REFERENCES = {
    "tiers_id": Tiers, "made_by_id": Membership, "sales_rep_id": Membership,
    "mode_id": Choice, "object_id": Choice, "document_id": Document, "project_id": Project,
    "confidential_group_id": Group, "task_id": Task, "event_id": Event,
    "contact_ids": Contact, "product_ids": Product, "collaborator_ids": Membership,
}
TRASH_KINDS = {"exchange": Exchange, "tiers": Tiers, "contact": Contact}
CARDS = {"exchange": ("exchanges.show", "exchange_id"), "tiers": ("tiers.card", "tiers_id"),
         "contact": ("contacts.show", "contact_id"), "member": ("members.card", "membership_id")}


def _name(row) -> str:
    if isinstance(row, Membership):
        return row.user.display_name
    if isinstance(row, Choice):
        return row.display
    if isinstance(row, Contact):
        return row.full_name or "?"
    if isinstance(row, Document):
        return row.reference
    if isinstance(row, Project):
        return row.label
    if isinstance(row, Task):
        return row.label
    if isinstance(row, Event):
        return row.title
    if isinstance(row, Exchange):
        return f"{format_datetime(row.occurred_at, 'short')} — {row.tiers.name}"
    if isinstance(row, Tiers | Group):
        return row.name
    if isinstance(row, Product):
        return row.label
    return str(row.id)


class Names:
    """The names of every record the entries point at, one query per model."""

    def __init__(self, entries: list[AuditEntry]):
        wanted: dict[type, set[int]] = {}
        for e in entries:
            for side in (e.before or {}, e.after or {}):
                for field, value in side.items():
                    model = REFERENCES.get(field)
                    if model is not None and value is not None:
                        ids = value if isinstance(value, list) else [value]
                        wanted.setdefault(model, set()).update(i for i in ids if isinstance(i, int))
            model = {"exchange": Exchange, "tiers": Tiers, "contact": Contact,
                     "member": Membership}.get(e.record_type or "")
            if model is not None and e.record_id is not None:
                wanted.setdefault(model, set()).add(e.record_id)
        self.names = {}
        for model, ids in wanted.items():
            query = select(model).where(model.id.in_(ids))
            if model is Exchange:  # its name shows its third party's
                query = query.options(joinedload(Exchange.tiers))
            for row in db.session.scalars(query):
                self.names[(model, row.id)] = _name(row)

        self.trashed = {}
        gone = [(kind, e.record_id) for e in entries
                if (kind := e.record_type) in TRASH_KINDS and e.record_id is not None
                and (TRASH_KINDS[kind], e.record_id) not in self.names]
        if gone:
            for item in db.session.scalars(select(TrashItem).where(
                    TrashItem.record_id.in_({i for _k, i in gone}))):
                self.trashed[(item.kind, item.record_id)] = item.label

    def of(self, model, record_id: int) -> str | None:
        return self.names.get((model, record_id))

    def in_trash(self, kind: str, record_id: int) -> str | None:
        return self.trashed.get((kind, record_id))


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Line:
    entry: AuditEntry
    actor: str
    action: str
    record_type: str
    record: str
    url: str | None
    changes: list[Change]


def _value(field: str, value, names: Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    model = REFERENCES.get(field)
    if model is not None:
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.of(model, i) or _("#%(id)s (deleted)", id=i) for i in ids)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "status" and value in STATUS_LABELS:
        return status_names()[value]
    if field == "occurred_at":
        try:
            return format_datetime(datetime.fromisoformat(value), "short")
        except (TypeError, ValueError):
            return str(value)
    if field == "role":
        return str(ROLES.get(value, value))
    if field == "rights" and isinstance(value, list):
        return ", ".join(str(RIGHTS.get(r, r)) for r in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _changes(entry: AuditEntry, names: Names) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    if entry.action.endswith((".delete", ".restore")):
        lost = after.get("lost")
        return [Change(str(FIELD_LABELS["lost"]), "", ", ".join(lost))] if lost else []
    fields = dict.fromkeys([*before, *after])
    return [Change(str(FIELD_LABELS.get(f, f.replace("_", " ").capitalize())),
                   _value(f, before.get(f), names), _value(f, after.get(f), names))
            for f in fields]


def _record(entry: AuditEntry, names: Names) -> tuple[str, str | None]:
    """The record's name (as it is now, or as it was when deleted) and its card."""
    kind, record_id = entry.record_type, entry.record_id
    if kind == "settings" or record_id is None:
        return str(RECORD_TYPE_LABELS.get(kind or "", "")), None
    model = {"exchange": Exchange, "tiers": Tiers, "contact": Contact,
             "member": Membership}.get(kind)
    current = names.of(model, record_id) if model is not None else None
    if current is None:
        trashed = names.in_trash(kind, record_id)
        if trashed is not None:
            return _("%(name)s (in the trash)", name=trashed), None
        label = (entry.before or {}).get("label") or (entry.after or {}).get("label")
        return label or _("#%(id)s (deleted)", id=record_id), None
    endpoint, key = CARDS[kind]
    try:
        return current, url_for(endpoint, **{key: record_id})
    except BuildError:
        return current, None


def lines(entries: list[AuditEntry]) -> list[Line]:
    names = Names(entries)
    out = []
    for e in entries:
        verb = e.action.partition(".")[2]
        record, url = _record(e, names)
        out.append(Line(
            entry=e,
            actor=e.actor.user.display_name if e.actor is not None else _("System"),
            action=str(ACTION_LABELS.get(verb, ACTION_LABELS["update"])),
            record_type=str(RECORD_TYPE_LABELS.get(e.record_type or "", "")),
            record=record, url=url, changes=_changes(e, names)))
    return out


def history_of(record_type: str, record_id: int, limit: int = 50) -> list[Line]:
    """The latest changes of one record, newest first."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == record_type, AuditEntry.record_id == record_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit))
    return lines(list(entries))
