"""What a third party's card shows beside its own fields: the records linked to it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ct.core.pagination import Page, keyset_page
from ct.exchanges.history import COUNT_CAP, count_text
from ct.extensions import db
from ct.models import Contact, Document, Event, Exchange, Project, Tiers
from ct.models.base import utcnow

PER_TAB_PAGE = 25


@dataclass(frozen=True)
class LinkedCounts:
    contacts: int
    documents: int
    projects: int
    events: int
    exchanges: int  # an exchange always has its third party: it blocks deletion too

    @property
    def total(self) -> int:
        return self.contacts + self.documents + self.projects + self.events + self.exchanges


def linked_counts(tiers: Tiers) -> LinkedCounts:
    """How many records point at ``tiers``, exactly — one query (the delete page)."""

    def count(model):
        return (select(func.count(model.id)).where(model.tiers_id == tiers.id)
                .scalar_subquery())

    row = db.session.execute(
        select(count(Contact), count(Document), count(Project), count(Event), count(Exchange))
    ).one()
    return LinkedCounts(*row)


@dataclass(frozen=True)
class TabCounts:
    """The card's tab labels: "12", or "1000+" past COUNT_CAP."""

    contacts: str
    documents: str
    projects: str
    events: str


def tab_counts(tiers: Tiers) -> TabCounts:
    """The counts of the card's tabs, each read up to COUNT_CAP + 1 rows of its index:
    a third party with a hundred thousand records costs what one with a thousand does.
    (The exchanges tab counts what the member may see: ct.exchanges.history.)"""

    def count(model):
        first = select(model.id).where(model.tiers_id == tiers.id).limit(COUNT_CAP + 1)
        return select(func.count()).select_from(first.subquery()).scalar_subquery()

    row = db.session.execute(
        select(count(Contact), count(Document), count(Project), count(Event))).one()
    return TabCounts(*(count_text(n) for n in row))


def contacts_of(tiers: Tiers, after: str | None) -> Page:
    query = select(Contact).where(Contact.tiers_id == tiers.id)
    return keyset_page(query, [Contact.sort_key, Contact.id], after, PER_TAB_PAGE)


def documents_of(tiers: Tiers, after: str | None) -> Page:
    # The latest documents first; their kind comes in the same query.
    query = (select(Document).where(Document.tiers_id == tiers.id)
             .options(joinedload(Document.kind)))
    return keyset_page(query, [Document.date, Document.id], after, PER_TAB_PAGE,
                       descending=True)


def projects_of(tiers: Tiers, after: str | None) -> Page:
    query = select(Project).where(Project.tiers_id == tiers.id)
    return keyset_page(query, [Project.reference, Project.id], after, PER_TAB_PAGE)


def events_of(tiers: Tiers, upcoming_after: str | None, past_after: str | None
              ) -> tuple[Page, Page]:
    """Upcoming events (soonest first), then past ones (latest first)."""
    now = utcnow()
    base = select(Event).where(Event.tiers_id == tiers.id)
    order = [Event.starts_at, Event.id]
    upcoming = keyset_page(base.where(Event.starts_at >= now), order, upcoming_after,
                           PER_TAB_PAGE)
    past = keyset_page(base.where(Event.starts_at < now), order, past_after, PER_TAB_PAGE,
                       descending=True)
    return upcoming, past
