"""What the home page widgets and the navigation counters show a member.

Each widget is one or a few bounded queries (LIMIT, on indexes that start with the
tenant), so the home page stays a dozen statements whatever the tenant's size:

- latest exchanges: the 10 most recent exchanges the member may see;
- next contacts: their upcoming events, to-do exchanges and open tasks, in time order;
- recent past events: their 5 latest past events, within the tenant's widget window;
- the counters of the navigation and the first-steps checklist: ct/home/counts.py.

Who sees which exchange is decided by ``ct.models.exchange_access`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    false,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from ct.core.zone import local_today, start_of_day
from ct.exchanges.status import status_names
from ct.extensions import db
from ct.models import (
    Event,
    EventAssignee,
    Exchange,
    Membership,
    Project,
    Task,
    Tiers,
)
from ct.models.base import UTCDateTime
from ct.models.choices import choice_labels
from ct.models.exchange import STATUS_TODO
from ct.models.exchange_access import MEMBER, visibility, visible_to

LATEST_SHOWN = 10
NEXT_SHOWN = 10
PAST_SHOWN = 5
# Editing a contact mode or object writes this audit action (settings lists).
LISTS_EDITED_ACTION = "settings.list"


# -- the tenant's day ------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    """Now, and today's bounds on the tenant's wall clock (a task due "today" in Paris
    is due until midnight in Paris), as UTC instants."""
    now: datetime
    today: date
    start: datetime  # local midnight this morning
    end: datetime  # local midnight tonight

    @staticmethod
    def current(now: datetime | None = None) -> Day:
        now = now or datetime.now(UTC)
        today = local_today(now)
        return Day(now, today, start_of_day(today), start_of_day(today + timedelta(days=1)))

    def midnight_of(self, day: date) -> datetime:
        return start_of_day(day)


# -- who does what ---------------------------------------------------------------------
# Each takes the member as an id or as the MEMBER parameter of a statement.

def assigned_events(membership_id):
    return Event.id.in_(
        select(EventAssignee.event_id).where(EventAssignee.membership_id == membership_id))


def my_open_tasks(membership_id):
    # As on "My tasks": assigned to the member, or written down by them for nobody.
    mine = or_(Task.assignee_id == membership_id,
               and_(Task.assignee_id.is_(None), Task.created_by_id == membership_id))
    return and_(mine, Task.done.is_(False))


def my_todo_exchanges(member_id, seen: str):
    # The contacts the member is to make: to-do exchanges they are the one to make,
    # and still allowed to see (``seen``: their visibility).
    # The status is written into the SQL, not bound: a prepared statement's generic
    # plan can then use the partial index of to-do exchanges (ix_exchanges_tenant_todo).
    return and_(Exchange.made_by_id == member_id,
                Exchange.status == literal(STATUS_TODO, literal_execute=True),
                visible_to(seen, member_id))


def upcoming_events(membership_id, day_start):
    """Not done, from today's midnight on (as the agenda's "Upcoming"): a range of the
    (tenant, starts_at) index, however many past events the tenant has."""
    return and_(assigned_events(membership_id), Event.done.is_(False),
                Event.starts_at >= day_start)


# -- the statements' parameters --------------------------------------------------------
# The member and the day are bound parameters: every member's statement has the same
# SQL, which SQLAlchemy compiles once and PostgreSQL can keep prepared.

TODAY = bindparam("today", type_=Date)
DAY_START = bindparam("day_start", type_=UTCDateTime)
DAY_END = bindparam("day_end", type_=UTCDateTime)
NOW = bindparam("now", type_=UTCDateTime)
SINCE = bindparam("since", type_=UTCDateTime)  # the oldest past event shown


def day_params(membership: Membership, day: Day) -> dict:
    return dict(member_id=membership.id, today=day.today, day_start=day.start,
                         day_end=day.end)


# -- latest exchanges ------------------------------------------------------------------
# The widgets read plain columns, not ORM objects: a home page showed some thirty
# objects with their relationships, and their loading was half of its time. The names
# of modes, objects and statuses come from the company's lists, kept between requests
# (ct/core/session_cache.py), not from joins: three joins of the choices were most of the
# statement's planning.


@dataclass(slots=True)
class LatestExchange:
    id: int
    occurred_at: datetime
    status: str
    status_name: str  # the tenant's name of the status, in the reader's language
    tiers_name: str
    mode: str  # labels in the reader's language ("" when none)
    object: str


def latest_exchanges(membership: Membership, limit: int = LATEST_SHOWN) -> list[LatestExchange]:
    """The most recent exchanges ``membership`` may see, newest first, with the name of
    their tiers; the confidential comment never comes at all."""
    rows = db.session.execute(_latest_statement(visibility(membership), limit),
                              dict(member_id=membership.id)).all()
    labels = choice_labels({r.mode_id for r in rows} | {r.object_id for r in rows})
    statuses = status_names()
    return [LatestExchange(exchange_id, occurred_at, status, statuses.get(status, status),
                           tiers_name, labels.get(mode_id, ""), labels.get(object_id, ""))
            for exchange_id, occurred_at, status, tiers_name, mode_id, object_id in rows]


def _latest_statement(seen: str, limit: int):
    return (
        select(Exchange.id, Exchange.occurred_at, Exchange.status, Tiers.name,
               Exchange.mode_id, Exchange.object_id)
        .join(Tiers, Tiers.id == Exchange.tiers_id)
        .where(visible_to(seen, MEMBER))
        .order_by(Exchange.occurred_at.desc(), Exchange.id.desc())
        .limit(limit))


# -- next contacts ---------------------------------------------------------------------

KIND_EVENT = "event"
KIND_EXCHANGE = "exchange"
KIND_TASK = "task"


@dataclass(slots=True)
class NextItem:
    kind: str
    when: datetime | None  # an event's start, an exchange's date; for sorting, a task's
    #                        due day counts from its local midnight
    id: int
    title: str  # the event's title, the exchange's tiers, the task's label
    detail: str  # the event's tiers, the exchange's object, the task's project ("" none)
    all_day: bool = False
    due_date: date | None = None
    overdue: bool = False
    today: bool = False


def next_contacts(membership: Membership, day: Day,
                  limit: int = NEXT_SHOWN) -> tuple[list[NextItem], bool]:
    """The member's next contacts in time order (overdue first), at most ``limit``,
    and whether there are more. One statement: the three sources side by side, each
    ordered and bounded on its own index, merged here."""
    rows = db.session.execute(_next_statement(visibility(membership), limit + 1),
                              day_params(membership, day)).all()
    events = [row for row in rows if row.kind == KIND_EVENT]
    exchanges = [row for row in rows if row.kind == KIND_EXCHANGE]
    tasks = [row for row in rows if row.kind == KIND_TASK]
    items = [NextItem(KIND_EVENT, e.at, e.id, e.title, e.detail or "", e.all_day,
                      today=e.at < day.end)
             for e in events]
    objects = choice_labels({x.object_id for x in exchanges})
    items += [NextItem(KIND_EXCHANGE, x.at, x.id, x.title, objects.get(x.object_id, ""),
                       overdue=x.at < day.start, today=day.start <= x.at < day.end)
              for x in exchanges]
    items += [NextItem(KIND_TASK, day.midnight_of(t.due) if t.due else None, t.id, t.title,
                       t.detail or "", due_date=t.due,
                       overdue=t.due is not None and t.due < day.today, today=t.due == day.today)
              for t in tasks]
    # Dated items by time (a task due a day before that day's events); undated tasks last.
    far = datetime.max.replace(tzinfo=UTC)
    items.sort(key=lambda item: (item.when or far, item.kind != KIND_TASK))
    return items[:limit], len(items) > limit


NEXT_COLUMNS = ("kind", "id", "at", "title", "detail", "all_day", "due", "object_id")


def _next_statement(seen: str, limit: int):
    return select(union_all(
        *(select(source.subquery()) for source in _next_sources(seen, limit))
    ).subquery())


def _next_sources(seen: str, limit: int) -> list:
    """The upcoming events, to-do exchanges and open tasks, as the same NEXT_COLUMNS:
    kind, id, at (the event's start, the exchange's date), title (the event's title,
    the exchange's tiers, the task's label), detail (the event's tiers, the task's
    project), all_day, due (the task's due day), object_id (the exchange's)."""
    def source(kind: str, *columns):
        return select(literal_column(f"'{kind}'").label("kind"),
                      *(column.label(name) for column, name in
                        zip(columns, NEXT_COLUMNS[1:], strict=True)))

    def nothing(type_):
        return cast(null(), type_)

    return [
        source(KIND_EVENT, Event.id, Event.starts_at, Event.title, Tiers.name, Event.all_day,
               nothing(Date), nothing(Integer))
        .outerjoin(Tiers, Tiers.id == Event.tiers_id)
        .where(upcoming_events(MEMBER, DAY_START))
        .order_by(Event.starts_at, Event.id).limit(limit),
        source(KIND_EXCHANGE, Exchange.id, Exchange.occurred_at, Tiers.name, nothing(String),
               false(), nothing(Date), Exchange.object_id)
        .join(Tiers, Tiers.id == Exchange.tiers_id)
        .where(my_todo_exchanges(MEMBER, seen))
        .order_by(Exchange.occurred_at, Exchange.id).limit(limit),
        # The project as a subquery, not a join: PostgreSQL then looks up the projects of
        # the few tasks kept, instead of hashing every project of the company.
        source(KIND_TASK, Task.id, nothing(UTCDateTime), Task.label,
               select(Project.reference).where(Project.id == Task.project_id)
               .scalar_subquery(), false(), Task.due_date, nothing(Integer))
        .where(my_open_tasks(MEMBER))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id).limit(limit),
    ]


# -- recent past events ----------------------------------------------------------------

@dataclass(slots=True)
class PastEvent:
    id: int
    title: str
    starts_at: datetime
    all_day: bool
    tiers_name: str | None


def past_events(membership_id: int, day: Day, window_days: int | None,
                limit: int = PAST_SHOWN) -> list[PastEvent]:
    """The member's latest events already over, newest first; none older than the
    tenant's widget window (in days; None: no limit)."""
    since = day.now - timedelta(days=window_days) if window_days else None
    rows = db.session.execute(_past_statement(since is not None, limit), dict(
        member_id=membership_id, now=day.now, since=since))
    return [PastEvent(*row) for row in rows]


def _past_statement(windowed: bool, limit: int):
    query = (
        # starts_at bounds the index scan; ends_at says the event is over.
        select(Event.id, Event.title, Event.starts_at, Event.all_day, Tiers.name)
        .outerjoin(Tiers, Tiers.id == Event.tiers_id)
        .where(assigned_events(MEMBER), Event.starts_at <= NOW, Event.ends_at <= NOW)
        .order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)
    )
    return query.where(Event.starts_at >= SINCE) if windowed else query


# -- counters and checklist ------------------------------------------------------------
