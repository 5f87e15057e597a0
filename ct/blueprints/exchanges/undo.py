"""Records created inside the pop-up, when the exchange is not saved after all.

A tiers or contact created inline is committed at once (a refused exchange comes back
with it still chosen). Closing the pop-up without saving says what was created and
offers to remove it: only what this member created and nothing refers to yet (another
exchange, an event, a document, a project, another contact) goes; the rest stays, and
the answer says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, g, make_response, render_template, request
from flask_babel import gettext as _
from sqlalchemy import exists, select

from ct.blueprints.exchanges import bp
from ct.blueprints.tiers.records import linked_counts
from ct.core.ids import parse_id
from ct.core.permissions import MANAGE_RECORDS, WRITE_EXCHANGES, require_right
from ct.core.tenancy import find
from ct.extensions import db
from ct.models import Contact, EventContact, ExchangeContact, Tiers
from ct.web.htmx import trigger

MAX_RECORDS = 20  # a form holds one tiers and a few contacts


def _label(row: Tiers | Contact) -> str:
    return row.name if isinstance(row, Tiers) else row.full_name


@dataclass(frozen=True)
class CreatedInline:
    """A record this form created, as the form carries it and the question names it."""

    row: Tiers | Contact

    @property
    def kind(self) -> str:  # the form field: created_tiers, created_contact
        return "tiers" if isinstance(self.row, Tiers) else "contact"

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def label(self) -> str:
        return _label(self.row)

    @property
    def kind_label(self) -> str:
        return _("third party") if self.kind == "tiers" else _("contact")


def _posted(kind: str) -> list[str]:
    return request.form.getlist(f"created_{kind}")[:MAX_RECORDS]


def _posted_ids(kind: str) -> list[int]:
    ids = (parse_id(raw) for raw in _posted(kind))
    return list(dict.fromkeys(i for i in ids if i is not None))


def created_inline(*new: Tiers | Contact) -> list[CreatedInline]:
    """What this form created so far (posted back with it), and ``new`` just now: rows of
    the bound company only, whatever was posted."""
    tiers = [find(Tiers, i) for i in _posted_ids("tiers")]
    contacts = [find(Contact, i) for i in _posted_ids("contact")]
    rows = (row for row in (*tiers, *contacts, *new) if row is not None)
    return [CreatedInline(row) for row in dict.fromkeys(rows)]


def _contact_in_use(contact: Contact) -> bool:
    return db.session.scalar(select(
        exists().where(ExchangeContact.contact_id == contact.id)
        | exists().where(EventContact.contact_id == contact.id))) or False


@bp.post("/inline/undo")
@require_right(WRITE_EXCHANGES)
@require_right(MANAGE_RECORDS)
def inline_undo():
    """Remove the records this form created, when nothing refers to them yet. An id that
    names no record of the company (another company's, garbage) is a 404: nothing goes."""
    created = created_inline()
    if len(created) != len(set(_posted("tiers"))) + len(set(_posted("contact"))):
        abort(404)
    mine = [r.row for r in created if r.row.created_by_id == g.membership.id]
    removed, kept = [], []
    # Contacts first: a tiers whose only contacts were created here can go after them.
    for contact in (row for row in mine if isinstance(row, Contact)):
        if _contact_in_use(contact):
            kept.append(contact)
        else:
            db.session.delete(contact)
            removed.append(contact)
    db.session.flush()
    for tiers in (row for row in mine if isinstance(row, Tiers)):
        if linked_counts(tiers).total:  # what the delete page counts
            kept.append(tiers)
        else:
            db.session.delete(tiers)
            removed.append(tiers)
    db.session.commit()
    messages = []
    if removed:
        messages.append(_("Removed: %(names)s.", names=_names(removed)))
    if kept:
        messages.append(_("Kept, already in use: %(names)s.", names=_names(kept)))
    response = make_response(render_template("exchanges/_undone.html", messages=messages))
    return trigger(response, "inline-undone")


def _names(rows) -> str:
    return ", ".join(_label(row) for row in rows)
