"""A record's activity timeline: the exchanges, agenda events, follow-up tasks and
documents of a third party (or of a contact), newest first, one page at a time.

One statement reads a page whatever the record's size: each type gives its ``limit``
newest rows after the cursor (a LIMITed walk of its own index), the branches are joined
by a UNION ALL, and the page is their merge. The contacts of the page's exchanges come
in one more statement (``ct.exchanges.rows``). No OFFSET: the cursor is the last entry's
(moment, type, id).

Who sees what is the exchange lists' rule: exchanges (and the tasks that follow them
up) through ``visible_exchanges``, the rows read by ``row_select`` — never the
confidential comment. A task is listed by the exchange it follows up (its moment,
its id); a document by the start of its day in the company's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    Integer,
    Numeric,
    Select,
    Text,
    and_,
    case,
    cast,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from ct.core.zone import start_of_day, to_local
from ct.exchanges.query import history_clause, history_sources, newest_ids, visible_exchanges
from ct.exchanges.rows import ExchangeRow, exchange_rows, row_select
from ct.extensions import db
from ct.models import Document, Event, EventContact, Exchange, Task
from ct.models.base import UTCDateTime
from ct.models.choices import KIND_DOCUMENT, Choice
from ct.models.membership import Membership

PER_PAGE = 20
KINDS = ("exchange", "event", "task", "document")
# Among entries of the same moment: an exchange, then the task it set, then the rest.
RANKS = {"exchange": 3, "task": 2, "event": 1, "document": 0}
_CURSOR = re.compile(r"^(-?\d{1,17})\.([0-3])\.(\d{1,18})$")


class BadCursor(ValueError):
    """A "load more" cursor that was not written by ``Entry.cursor``."""


@dataclass(frozen=True)
class Cursor:
    moment: datetime
    rank: int
    id: int

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        found = _CURSOR.match(text)
        if not found:
            raise BadCursor(text)
        micros, rank, record_id = (int(part) for part in found.groups())
        try:
            moment = datetime.fromtimestamp(micros / 1_000_000, UTC)
        except (OverflowError, OSError, ValueError):
            raise BadCursor(text) from None
        return cls(moment, rank, record_id)


@dataclass
class Entry:
    """One line of the timeline. ``exchange`` holds the list's row of an exchange."""
    kind: str
    moment: datetime
    id: int
    title: str = ""
    status: str = ""
    who: str = ""
    note: str = ""
    day: date | None = None  # a task's due date, a document's date
    all_day: bool = False
    amount: Decimal | None = None
    exchange: ExchangeRow | None = None

    @property
    def cursor(self) -> str:
        micros = round(self.moment.timestamp() * 1_000_000)
        return f"{micros}.{RANKS[self.kind]}.{self.id}"


@dataclass
class TimelinePage:
    entries: list[Entry]
    next_cursor: str | None


def parse_kinds(values: list[str]) -> tuple[str, ...]:
    """The types asked for, in their usual order; unknown names are ignored, and none
    (or none known) means all of them."""
    kinds = tuple(kind for kind in KINDS if kind in values)
    return kinds or KINDS


def timeline_page(record_kind: str, record_id: int, membership, kinds=KINDS,
                  cursor: Cursor | None = None, per_page: int = PER_PAGE) -> TimelinePage:
    """The ``per_page`` newest entries of ``kinds`` after ``cursor`` of a "tiers" or a
    "contact", as ``membership`` may see them."""
    limit = per_page + 1
    builders = {"exchange": _exchanges, "task": _tasks, "event": _events,
                "document": _documents}
    branches = [select(_named(builders[kind](record_kind, record_id, membership, cursor,
                                             limit)).subquery()) for kind in kinds]
    rows = db.session.execute(union_all(*branches) if len(branches) > 1 else branches[0]).all()
    entries = _entries(rows)
    entries.sort(key=lambda e: (e.moment, RANKS[e.kind], e.id), reverse=True)
    more = len(entries) > per_page
    entries = entries[:per_page]
    return TimelinePage(entries, entries[-1].cursor if more else None)


# The branches' columns: the list rows' own (ct.exchanges.rows.ROW_COLUMNS: id, moment,
# tiers id, tiers name, status, comment, mode, object, made by), then the type, a day,
# an amount and a flag (an event's "all day").
# Every NULL is typed and every constant is SQL text: PostgreSQL must find one type for
# each column of the UNION.
def _extra(kind: str, day=None, amount=None, flag=None) -> tuple:
    return (_text(kind).label("kind"),
            (day if day is not None else cast(null(), Date)).label("day"),
            (amount if amount is not None else cast(null(), Numeric(14, 2))).label("amount"),
            (flag if flag is not None else cast(null(), Integer)).label("flag"))


def _named(query: Select) -> Select:
    """The same columns, named by position: the branches' NULLs must not be taken for
    one another (an unnamed CAST(NULL …) gets a name from its SQL text)."""
    return query.with_only_columns(
        *(column.label(f"c{i}") for i, column in enumerate(query.selected_columns)),
        maintain_column_froms=True)


def _text(value: str):
    return literal_column(f"'{value}'", Text)  # our own constants only, never input


def _none(sql_type=Integer):
    return cast(null(), sql_type)


def _after(rank: int, cursor: Cursor | None, moment, id_column):
    """The rows of a type of rank ``rank`` that come after ``cursor`` (newest first)."""
    if cursor is None:
        return None
    if rank < cursor.rank:
        return moment <= cursor.moment
    if rank > cursor.rank:
        return moment < cursor.moment
    return or_(moment < cursor.moment, and_(moment == cursor.moment, id_column < cursor.id))


def _exchange_ids(record_kind, record_id, membership, cursor, limit, rank, followed=False):
    """The ids of the record's ``limit`` newest visible exchanges after ``cursor`` (those
    with a follow-up task only, if ``followed``), one LIMITed walk per history source."""
    query = visible_exchanges(membership)
    if followed:
        query = query.where(Exchange.task_id.is_not(None))
    after = _after(rank, cursor, Exchange.occurred_at, Exchange.id)
    parts = [newest_ids(query, source, limit, after)
             for source in history_sources(record_kind, record_id)]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _exchanges(record_kind, record_id, membership, cursor, limit) -> Select:
    ids = _exchange_ids(record_kind, record_id, membership, cursor, limit, RANKS["exchange"])
    query = visible_exchanges(membership).where(Exchange.id.in_(ids))
    return (row_select(query).add_columns(*_extra("exchange"))
            .order_by(Exchange.occurred_at.desc(), Exchange.id.desc()).limit(limit))


def _tasks(record_kind, record_id, membership, cursor, limit) -> Select:
    ids = _exchange_ids(record_kind, record_id, membership, cursor, limit, RANKS["task"],
                        followed=True)
    status = case((Task.done, _text("done")), else_=_text("open"))
    return (select(Exchange.id, Exchange.occurred_at, Exchange.tiers_id, Task.label, status,
                   _none(Text), _none(), _none(), Task.assignee_id,
                   *_extra("task", day=Task.due_date))
            .join(Task, Task.id == Exchange.task_id).where(Exchange.id.in_(ids))
            .order_by(Exchange.occurred_at.desc(), Exchange.id.desc()).limit(limit))


def _events(record_kind, record_id, membership, cursor, limit) -> Select:
    if record_kind == "tiers":
        of_record = Event.tiers_id == record_id
    else:
        of_record = Event.id.in_(select(EventContact.event_id)
                                 .where(EventContact.contact_id == record_id))
    status = case((Event.done, _text("done")), else_=_text("planned"))
    query = (select(Event.id, Event.starts_at, Event.tiers_id, Event.title, status,
                    Event.location, _none(), _none(), Event.created_by_id,
                    *_extra("event", flag=case((Event.all_day, 1), else_=0)))
             .where(of_record))
    after = _after(RANKS["event"], cursor, Event.starts_at, Event.id)
    if after is not None:
        query = query.where(after)
    return query.order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)


def _documents(record_kind, record_id, membership, cursor, limit) -> Select:
    if record_kind == "tiers":
        of_record = Document.tiers_id == record_id
    else:  # the documents the contact's exchanges (those the member sees) are about
        of_record = Document.id.in_(
            visible_exchanges(membership).with_only_columns(Exchange.document_id)
            .where(history_clause(record_kind, record_id), Exchange.document_id.is_not(None)))
    query = (select(Document.id, _none(UTCDateTime), Document.tiers_id,
                    Document.reference, Document.status, Document.description,
                    Document.kind_id, _none(), Document.created_by_id,
                    *_extra("document", day=Document.date, amount=Document.amount))
             .where(of_record))
    after = _document_after(cursor)
    if after is not None:
        query = query.where(after)
    return query.order_by(Document.date.desc(), Document.id.desc()).limit(limit)


def _document_after(cursor: Cursor | None):
    """``_after`` for documents, whose moment is the local midnight starting their day."""
    if cursor is None:
        return None
    day = to_local(cursor.moment).date()
    at_midnight = start_of_day(day) == cursor.moment
    rank = RANKS["document"]
    before = Document.date < day if at_midnight else Document.date <= day
    if rank < cursor.rank:
        return Document.date <= day
    if rank > cursor.rank or not at_midnight:
        return before
    return or_(before, and_(Document.date == day, Document.id < cursor.id))


def _entries(rows) -> list[Entry]:
    """The rows of the branches as entries; the exchanges through the lists' own rows
    (mode, object, who made it, contacts: one more statement)."""
    names = dict(Membership.names())
    kinds_of_documents = {c.id: c.display for c in Choice.active_of(KIND_DOCUMENT)}
    exchanges = exchange_rows([r for r in rows if r[9] == "exchange"])
    entries = [Entry("exchange", x.occurred_at, x.id, exchange=x) for x in exchanges]
    for r in rows:
        if r[9] == "exchange":
            continue
        entry = Entry(r[9], r[1], r[0], title=r[3] or "", status=r[4] or "",
                      who=names.get(r[8], ""), note=r[5] or "", day=r[10],
                      all_day=bool(r[12]), amount=r[11])
        if r[9] == "document":
            entry.moment = start_of_day(r[10])
            entry.note = " · ".join(filter(None, [kinds_of_documents.get(r[6], ""), r[5]]))
        entries.append(entry)
    return entries

