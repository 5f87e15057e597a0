"""Find anything: the header search box (Ctrl+K) and its full results page.

One text, three groups: third parties, contacts, exchanges. Each group is one bounded
statement on an index whatever the size of the company:

- tiers and contacts through ``ct.core.search.matching`` (the sort index walked from the
  prefix, then the trigram index), as the pickers do;
- exchanges only from three characters on, newest first, in two LIMITed walks whose
  union is cut to the few shown: the comment through the list's own text filter (the
  trigram index on the folded comment, which never holds the confidential comment, so a
  confidential comment matches for nobody), and the exchanges whose object's label
  matches (the tenant's lists are cached; the object index). Who sees which exchange is
  ``visible_exchanges``, exactly as on the All exchanges list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g, request
from sqlalchemy import select, union_all

from ct.blueprints.search import bp
from ct.core.search import MAX_QUERY, MIN_ANYWHERE, matching
from ct.core.text import fold, like_pattern
from ct.exchanges.query import TEXT_MAX, newest_ids, visible_exchanges
from ct.exchanges.rows import ExchangeRow, exchange_rows, row_select
from ct.extensions import db
from ct.models import Contact, Exchange, Tiers
from ct.models.choices import KIND_OBJECT, Choice
from ct.models.contact import full_name_of
from ct.web.htmx import render

MIN_QUERY = 2  # one letter matches half the company: the box waits for two
POPUP_LIMIT = 5  # per group, under the header box
PAGE_LIMIT = 20  # per group, on the full results page


@dataclass
class Hit:
    id: int
    label: str
    detail: str = ""
    closed: bool = False  # a closed third party is still found, and says so


@dataclass
class Found:
    q: str
    tiers: list[Hit] = field(default_factory=list)
    contacts: list[Hit] = field(default_factory=list)
    exchanges: list[ExchangeRow] = field(default_factory=list)
    # A group holding one row more than it shows has more: its "See all" link says so.
    more: set[str] = field(default_factory=set)
    exchanges_searched: bool = False  # not under three characters

    @property
    def empty(self) -> bool:
        return not (self.tiers or self.contacts or self.exchanges)


def find_tiers(q: str, limit: int) -> list[Hit]:
    query = select(Tiers.id, Tiers.name, Tiers.customer_code, Tiers.town, Tiers.active)
    rows = db.session.execute(matching(query, Tiers.sort_key, Tiers.search_text, q, limit))
    return [Hit(r.id, r.name, " · ".join(p for p in (r.customer_code, r.town) if p),
                closed=not r.active) for r in rows]


def find_contacts(q: str, limit: int) -> list[Hit]:
    query = select(
        Contact.id, Contact.first_name, Contact.last_name, Contact.job_title,
        Tiers.name.label("tiers_name"),
    ).outerjoin(Tiers, Contact.tiers_id == Tiers.id)
    rows = db.session.execute(matching(query, Contact.sort_key, Contact.search_text, q, limit))
    return [Hit(r.id, full_name_of(r.first_name, r.last_name) or "—",
                " · ".join(p for p in (r.job_title, r.tiers_name) if p)) for r in rows]


def matching_objects(folded: str) -> list[int]:
    """The tenant's exchange objects whose label (either language) contains the text."""
    return [entry.id for entry in Choice.active_of(KIND_OBJECT)
            if folded in fold(entry.label) or folded in fold(entry.label_en)]


def find_exchanges(q: str, limit: int) -> list[ExchangeRow]:
    folded = fold(q)[:TEXT_MAX]
    if len(folded) < MIN_ANYWHERE:
        return []
    visible = visible_exchanges(g.membership)
    sources = [Exchange.search_text.like(like_pattern(folded), escape="\\")]
    objects = matching_objects(folded)
    if objects:
        sources.append(Exchange.object_id.in_(objects))
    parts = [newest_ids(visible, source, limit) for source in sources]
    ids = parts[0] if len(parts) == 1 else union_all(*parts)
    rows = db.session.execute(
        row_select(select(Exchange).where(Exchange.id.in_(ids)))
        .order_by(Exchange.occurred_at.desc(), Exchange.id.desc()).limit(limit)
    ).all()
    return exchange_rows(rows)


def find_everything(q: str, limit: int) -> Found:
    """Up to ``limit`` of each kind (one more read, to know whether there are more)."""
    found = Found(q)
    if len(fold(q)) < MIN_QUERY:
        return found
    found.exchanges_searched = len(fold(q)) >= MIN_ANYWHERE
    for kind, finder in (("tiers", find_tiers), ("contacts", find_contacts),
                         ("exchanges", find_exchanges)):
        hits = finder(q, limit + 1)
        if len(hits) > limit:
            found.more.add(kind)
        setattr(found, kind, hits[:limit])
    return found


def searched_text() -> str:
    return " ".join((request.args.get("q") or "").split())[:MAX_QUERY]


@bp.get("", strict_slashes=False)
def everything():
    """The full results page: Enter in the box without a chosen option, or no JS."""
    q = searched_text()
    return render("search/everything.html", found=find_everything(q, PAGE_LIMIT), q=q,
                  min_query=MIN_QUERY)


@bp.get("/everything")
def everything_popup():
    """The grouped options under the header box, as the user types."""
    q = searched_text()
    return render("search/_everything_popup.html", found=find_everything(q, POPUP_LIMIT),
                  q=q, min_query=MIN_QUERY)
