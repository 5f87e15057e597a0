"""The exchanges a member sees, narrowed by filters and cut into keyset pages.

One place for the All exchanges list, its CSV export and the history tabs, so the three
always agree. Who sees what is decided by ``ct.models.exchange_access`` alone.

Every filter and sort is meant to run on an index that starts with ``tenant_id`` (see
the indexes of ``Exchange``), so the list stays fast with a million exchanges.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Select, or_, select, union, union_all

from ct.core.pagination import Page, cursor_clause, keyset_page
from ct.core.text import fold, like_pattern
from ct.core.zone import day_bounds
from ct.exchanges.rows import exchange_rows, row_select
from ct.models import Contact, Document, Exchange, ExchangeContact, ExchangeMention, Tiers
from ct.models.exchange_access import visible_clause

PER_PAGE = 50
TEXT_MAX = 100

SORT_DATE_DESC = "date_desc"
SORT_DATE_ASC = "date_asc"
SORT_TIERS = "tiers"
SORT_STATUS = "status"
SORTS = (SORT_DATE_DESC, SORT_DATE_ASC, SORT_TIERS, SORT_STATUS)

HISTORY_KINDS = ("tiers", "contact", "document", "project")


@dataclass
class ExchangeFilters:
    tiers_id: int | None = None
    contact_id: int | None = None
    member_id: int | None = None
    mode_id: int | None = None
    object_id: int | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    mentioned_id: int | None = None  # only the exchanges mentioning this member

    def as_params(self) -> dict:
        """Plain JSON values, for a background job (the CSV export) to rebuild them."""
        params = asdict(self)
        for name in ("date_from", "date_to"):
            params[name] = params[name] and params[name].isoformat()
        return params

    @classmethod
    def from_params(cls, params: dict) -> ExchangeFilters:
        values = dict(params)
        for name in ("date_from", "date_to"):
            values[name] = values.get(name) and date.fromisoformat(values[name])
        return cls(**values)


def visible_exchanges(membership) -> Select:
    """Every exchange ``membership`` may see, before any filter."""
    return select(Exchange).where(visible_clause(membership))


def apply_filters(query: Select, f: ExchangeFilters) -> Select:
    if f.tiers_id is not None:
        query = query.where(Exchange.tiers_id == f.tiers_id)
    if f.contact_id is not None:
        query = query.where(Exchange.id.in_(
            select(ExchangeContact.exchange_id).where(ExchangeContact.contact_id == f.contact_id)
        ))
    if f.member_id is not None:
        query = query.where(
            or_(Exchange.made_by_id == f.member_id, Exchange.author_id == f.member_id))
    if f.mentioned_id is not None:
        query = query.where(Exchange.id.in_(select(ExchangeMention.exchange_id).where(
            ExchangeMention.membership_id == f.mentioned_id)))
    if f.mode_id is not None:
        query = query.where(Exchange.mode_id == f.mode_id)
    if f.object_id is not None:
        query = query.where(Exchange.object_id == f.object_id)
    if f.status:
        query = query.where(Exchange.status == f.status)
    start, end = day_bounds(f.date_from, f.date_to)
    if start is not None:
        query = query.where(Exchange.occurred_at >= start)
    if end is not None:
        query = query.where(Exchange.occurred_at < end)
    folded = fold(f.text)[:TEXT_MAX]
    if folded:
        # The folded comment only: the confidential comment is never searched.
        query = query.where(Exchange.search_text.like(like_pattern(folded), escape="\\"))
    return query


def history_sources(kind: str, record_id: int) -> list:
    """The WHERE clauses whose union is one record's history.

    A tiers' history also holds the exchanges whose contacts or document belong to it
    (a contact may have moved, a document may be another tiers' one): three sources,
    each of which walks its own index. Their union is never asked of the database as
    one condition (an IN over a UNION, or an OR) because neither can be read in date
    order from an index: see ``history_ids``.
    """
    if kind == "contact":
        return [Exchange.id.in_(
            select(ExchangeContact.exchange_id).where(ExchangeContact.contact_id == record_id))]
    if kind == "document":
        return [Exchange.document_id == record_id]
    if kind == "project":
        return [Exchange.project_id == record_id]
    if kind != "tiers":
        raise ValueError(f"no history for {kind!r}")
    # The tiers' own exchanges are the first source. The second reads only the links
    # flagged ``elsewhere`` (the contact's tiers is not the exchange's: a partial index
    # of a few rows, kept by the database), so a big tiers whose contacts took part in
    # thousands of its own exchanges never reads those links.
    return [
        Exchange.tiers_id == record_id,
        Exchange.id.in_(
            select(ExchangeContact.exchange_id)
            .join(Contact, Contact.id == ExchangeContact.contact_id)
            .where(Contact.tiers_id == record_id, ExchangeContact.elsewhere)),
        Exchange.document_id.in_(select(Document.id).where(Document.tiers_id == record_id)),
    ]


def history_clause(kind: str, record_id: int):
    """One record's history as a single condition (fine for a single source)."""
    return or_(*history_sources(kind, record_id))


def history_ids(query: Select, kind: str, record_id: int, limit: int,
                cursor: str | None = None, distinct: bool = False):
    """The ids of the ``limit`` newest exchanges of ``query`` (after ``cursor``) from
    each source of the history: one LIMITed index walk per source, then their union.
    The ``limit`` newest of the whole history are among them. ``distinct`` removes
    the exchanges found by two sources (for counting)."""
    order = [Exchange.occurred_at, Exchange.id]
    after = cursor_clause(order, cursor, descending=True)
    parts = [newest_ids(query, source, limit, after)
             for source in history_sources(kind, record_id)]
    if len(parts) == 1:
        return parts[0]
    return union(*parts) if distinct else union_all(*parts)


def newest_ids(query: Select, source, limit: int, after=None) -> Select:
    """The ids of the ``limit`` newest exchanges of ``query`` in one ``source`` (after
    the keyset condition ``after``): one LIMITed walk of that source's index."""
    part = query.where(source).with_only_columns(Exchange.id)
    if after is not None:
        part = part.where(after)
    part = part.order_by(Exchange.occurred_at.desc(), Exchange.id.desc()).limit(limit)
    # A subquery: SQLite refuses ORDER BY/LIMIT directly inside a UNION.
    return select(part.subquery().c.id)


def history_page(query: Select, kind: str, record_id: int, cursor: str | None,
                 per_page: int = PER_PAGE) -> Page:
    """One page (newest first) of the exchanges of ``query`` in a record's history."""
    if kind != "tiers":  # one source: the plain keyset page on its own index
        return sorted_page(query.where(history_clause(kind, record_id)), SORT_DATE_DESC,
                           cursor, per_page)
    ids = history_ids(query, kind, record_id, per_page + 1, cursor)
    page_query = select(Exchange).where(Exchange.id.in_(ids))
    return sorted_page(page_query, SORT_DATE_DESC, cursor, per_page)


def sorted_page(query: Select, sort: str, cursor: str | None, per_page: int = PER_PAGE,
                for_export: bool = False) -> Page:
    """One keyset page of ``query`` in the order ``sort`` names, as ExchangeRow items
    (ct/exchanges/rows.py; the export's columns too with ``for_export``).

    date_desc / date_asc run on (tenant, occurred_at, id); status runs on (tenant,
    status, occurred_at, id) read backwards (to do first, newest first); tiers walks
    the tiers by name and each tiers' exchanges on (tenant, tiers_id, occurred_at, id).
    """
    if sort == SORT_TIERS:
        order, descending = [Tiers.sort_key, Exchange.tiers_id, Exchange.occurred_at,
                             Exchange.id], False
    elif sort == SORT_STATUS:
        order, descending = [Exchange.status, Exchange.occurred_at, Exchange.id], True
    elif sort == SORT_DATE_ASC:
        order, descending = [Exchange.occurred_at, Exchange.id], False
    else:
        order, descending = [Exchange.occurred_at, Exchange.id], True
    page = keyset_page(row_select(query, for_export), order, cursor, per_page=per_page,
                       descending=descending, whole_rows=True)
    page.items = exchange_rows(page.items, for_export)
    return page
