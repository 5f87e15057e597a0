"""The recent changes of the settings, in words: who, when, which option, from what to what."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ct.blueprints.settings import lists
from ct.blueprints.settings.forms import BUTTON_MODE_LABELS, PAGE_LABELS
from ct.core.ids import parse_id
from ct.extensions import db
from ct.models import AuditEntry, Choice, Product
from ct.records.audit_view import FIELD_LABELS as AUDIT_FIELD_LABELS
from ct.records.audit_view import Change

# The words of the audit log, but the products option is the form's list of products.
FIELD_LABELS = {**AUDIT_FIELD_LABELS,
                "product_ids": _l("Products shown in the exchange form")}


@dataclass
class HistoryLine:
    entry: AuditEntry
    subject: str  # the list and entry concerned, empty for the options
    changes: list[Change]


def recent(limit: int = 10) -> list[HistoryLine]:
    entries = AuditEntry.latest("settings.", limit=limit)
    products = _products_named_in(entries)
    choices = _choices_named_in(entries)
    return [HistoryLine(e, _subject(e, choices), _changes(e, products)) for e in entries]


def _products_named_in(entries) -> dict[int, str]:
    ids = {i for e in entries for side in (e.before, e.after) for i in side.get("product_ids", [])}
    if not ids:
        return {}
    rows = db.session.scalars(select(Product).where(Product.id.in_(ids)))
    return {p.id: f"{p.label} ({p.reference})" for p in rows}


def _choices_named_in(entries) -> dict[int, Choice]:
    ids = set()
    for e in entries:
        kind, _sep, entry_id = (e.target or "").partition(":")
        if kind in lists.EDITABLE and parse_id(entry_id) is not None:
            ids.add(parse_id(entry_id))
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(Choice).where(Choice.id.in_(ids)))}


def _subject(entry: AuditEntry, choices: dict[int, Choice]) -> str:
    kind, _sep, entry_id = (entry.target or "").partition(":")
    if kind not in lists.EDITABLE:
        return ""
    list_name = str(lists.EDITABLE[kind][0])
    choice = choices.get(parse_id(entry_id))
    if choice is not None:
        return f"{list_name} — {choice.display}"
    if entry_id:  # deleted since
        label = entry.before.get("label") or entry.after.get("label") or f"#{entry_id}"
        return f"{list_name} — {label}"
    return list_name


def _changes(entry: AuditEntry, products: dict[int, str]) -> list[Change]:
    if entry.before and not entry.after:  # what a deletion leaves
        return [Change(str(FIELD_LABELS.get(f, f)), _value(f, v, products), _("deleted"))
                for f, v in entry.before.items()]
    fields = dict.fromkeys([*entry.before, *entry.after])
    return [
        Change(str(FIELD_LABELS.get(f, f)),
               _value(f, entry.before.get(f), products), _value(f, entry.after.get(f), products))
        for f in fields
    ]


def _value(field: str, value, products: dict[int, str]) -> str:
    if value is None or value == []:
        return _("none") if field != "widget_days" else _("no limit")
    if isinstance(value, bool):
        return _("on") if value else _("off")
    if field == "button_mode":
        return str(BUTTON_MODE_LABELS.get(value, value))
    if field == "hidden_button_pages":
        return ", ".join(str(PAGE_LABELS.get(p, p)) for p in value)
    if field == "product_ids":
        return ", ".join(products.get(i, f"#{i}") for i in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
