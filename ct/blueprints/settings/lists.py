"""The tenant's contact modes and objects: add, rename, reorder, deactivate, import.

Exchanges keep the id of their entry, so renaming or deactivating an entry never
changes a past exchange. Entries are never deleted: a deactivated entry leaves the
exchange form and stays on the exchanges that use it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ct.core.text import fold
from ct.extensions import db
from ct.models import AuditEntry, Choice, Membership
from ct.models.choices import KIND_MODE, KIND_OBJECT

EDITABLE = {
    KIND_MODE: (
        _l("Contact modes"),
        _l("How an exchange happened (phone, email, meeting…), chosen in the exchange form."),
    ),
    KIND_OBJECT: (
        _l("Objects"),
        _l("What an exchange was about (quote, order, unpaid invoice…), chosen in the "
           "exchange form."),
    ),
}
LIST_MAX = 200
IMPORT_MAX = 200
AUDIT_ACTION = "settings.list"


def entries(kind: str) -> list[Choice]:
    """Every entry of the list, deactivated ones included, in their order."""
    return list(db.session.scalars(
        select(Choice).where(Choice.kind == kind).order_by(Choice.position, Choice.id)))


def find(kind: str, entry_id: int) -> Choice | None:
    """The entry ``entry_id`` of this list in the bound tenant, else None."""
    return db.session.scalar(select(Choice).where(Choice.kind == kind, Choice.id == entry_id))


def _keys(entry: Choice) -> set[str]:
    return {fold(entry.label), fold(entry.label_en)} - {""}


def duplicate_of(kind: str, label: str, entry: Choice | None = None) -> Choice | None:
    """Another entry of the list with the same label, ignoring case and accents."""
    key = fold(label)
    for other in entries(kind):
        if other is not entry and key in _keys(other):
            return other
    return None


def new_labels(kind: str, labels: list[str]) -> list[str]:
    """The labels that are not in the list yet, each once, in the given order."""
    seen = set().union(*(_keys(e) for e in entries(kind)))
    fresh = []
    for label in labels:
        if fold(label) not in seen:
            seen.add(fold(label))
            fresh.append(label)
    return fresh


def _audit(actor: Membership, entry: Choice, before: dict, after: dict) -> None:
    AuditEntry.record(actor, AUDIT_ACTION, before, after, target=f"{entry.kind}:{entry.id}")


def _state(entry: Choice) -> dict:
    return {"label": entry.label, "label_en": entry.label_en, "active": entry.active}


def add(kind: str, label: str, actor: Membership) -> Choice:
    rows = entries(kind)
    entry = Choice(kind=kind, label=label, position=len(rows), active=True)
    _renumber(rows + [entry])
    db.session.add(entry)
    db.session.flush()
    AuditEntry.record(actor, AUDIT_ACTION, {}, {"label": label}, target=f"{kind}:{entry.id}")
    return entry


def rename(entry: Choice, label: str, label_en: str | None, actor: Membership) -> None:
    before = _state(entry)
    entry.label, entry.label_en = label, label_en
    _audit(actor, entry, before, _state(entry))


def set_active(entry: Choice, active: bool, actor: Membership) -> None:
    before = _state(entry)
    entry.active = active
    _audit(actor, entry, before, _state(entry))


def move(entry: Choice, step: int, actor: Membership) -> None:
    """One place up (step -1) or down (+1); the ends of the list stay where they are."""
    rows = entries(entry.kind)
    index = rows.index(entry)
    other = index + step
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)
    # Positions are shown from 1, as people count.
    _audit(actor, entry, {"position": index + 1}, {"position": other + 1})


def import_labels(kind: str, labels: list[str], actor: Membership) -> tuple[int, int, int]:
    """Append the labels not in the list yet and reactivate the deactivated ones named.

    Entries already in the list keep their place and label. Returns how many entries
    were added, reactivated, and found already active.
    """
    rows = entries(kind)
    reactivated = []
    wanted = {fold(label) for label in labels}
    for entry in rows:
        if not entry.active and _keys(entry) & wanted:
            entry.active = True
            reactivated.append(entry.label)
    added = new_labels(kind, labels)
    for label in added:
        entry = Choice(kind=kind, label=label, active=True)
        rows.append(entry)
        db.session.add(entry)
    _renumber(rows)
    db.session.flush()
    changes = {"added": added, "reactivated": reactivated}
    AuditEntry.record(actor, AUDIT_ACTION, {}, {k: v for k, v in changes.items() if v},
                      target=kind)
    distinct = len({fold(label) for label in labels})
    return len(added), len(reactivated), max(distinct - len(added) - len(reactivated), 0)


def _renumber(rows: list[Choice]) -> None:
    for position, entry in enumerate(rows):
        if entry.position != position:
            entry.position = position
