"""The rows of the exchange lists, history tabs and CSV exports, read as plain columns.

A page of fifty exchanges as ORM objects is seven objects per row (the exchange, its
tiers, mode, object, member, user, contact links) and their identity bookkeeping —
most of a list's CPU. A row here is one tuple of the columns shown, and the contacts
of the page come in one more statement. Who sees which exchange is still decided by
the query handed in (``ct.exchanges.query``); the confidential comment is never read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from ct.extensions import db
from ct.models import (
    Contact,
    Document,
    Exchange,
    ExchangeContact,
    Membership,
    Project,
    Tiers,
    User,
)
from ct.models.choices import choice_labels
from ct.models.contact import full_name_of
from ct.models.project import project_label


@dataclass(slots=True)
class ContactName:
    id: int
    full_name: str


@dataclass(slots=True)
class ExchangeRow:
    """What a list row or an export line shows of one exchange."""
    id: int
    occurred_at: datetime
    tiers_id: int
    tiers_name: str
    status: str
    comment: str | None
    mode: str  # the labels in the reader's language ("" when none)
    object: str
    made_by: str  # the member's name
    contacts: list[ContactName] = field(default_factory=list)
    # The export's extra columns.
    author: str = ""
    document: str = ""
    project: str = ""


_author, _author_user = aliased(Membership), aliased(User)

# Two tables only: the labels of modes and objects and the members' names come from
# the tenant's lists, which the page reads anyway (its filters). Each join more cost
# the database 0.5 ms of planning on every page, more than the rows themselves.
ROW_COLUMNS = (Exchange.id, Exchange.occurred_at, Exchange.tiers_id, Tiers.name,
               Exchange.status, Exchange.comment, Exchange.mode_id, Exchange.object_id,
               Exchange.made_by_id)
EXPORT_COLUMNS = (_author_user.display_name, Document.reference, Project.reference,
                  Project.title)


def row_select(query: Select, for_export: bool = False) -> Select:
    """``query`` (exchanges, with its conditions) selecting the row columns instead."""
    columns = ROW_COLUMNS + (EXPORT_COLUMNS if for_export else ())
    rows = (query.with_only_columns(*columns).select_from(Exchange)
            .join(Tiers, Tiers.id == Exchange.tiers_id))
    if for_export:
        rows = (rows.join(_author, _author.id == Exchange.author_id)
                .join(_author_user, _author_user.id == _author.user_id)
                .outerjoin(Document, Document.id == Exchange.document_id)
                .outerjoin(Project, Project.id == Exchange.project_id))
    return rows


def exchange_rows(rows, for_export: bool = False) -> list[ExchangeRow]:
    """Rows of ``row_select`` (extra columns after them ignored) → ExchangeRow, each
    with its contacts."""
    labels = choice_labels({r[6] for r in rows} | {r[7] for r in rows})
    names = dict(Membership.names())
    items = []
    for r in rows:
        item = ExchangeRow(r[0], r[1], r[2], r[3], r[4], r[5], labels.get(r[6], ""),
                           labels.get(r[7], ""), names.get(r[8], ""))
        if for_export:
            item.author, item.document = r[9], r[10] or ""
            item.project = project_label(r[11], r[12]) if r[11] else ""
        items.append(item)
    _add_contacts(items)
    return items


def _add_contacts(items: list[ExchangeRow]) -> None:
    if not items:
        return
    names = defaultdict(list)
    for exchange_id, contact_id, first, last in db.session.execute(
        select(ExchangeContact.exchange_id, Contact.id, Contact.first_name, Contact.last_name)
        .join(Contact, Contact.id == ExchangeContact.contact_id)
        .where(ExchangeContact.exchange_id.in_([item.id for item in items]))
        .order_by(ExchangeContact.exchange_id, ExchangeContact.id)
    ):
        names[exchange_id].append(ContactName(contact_id, full_name_of(first, last)))
    for item in items:
        item.contacts = names.get(item.id, [])
