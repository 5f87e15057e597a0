"""What the home page widgets and the navigation counters show a member.

Each widget is one or a few bounded queries (LIMIT, on indexes that start with the
tenant), so the home page stays a dozen statements whatever the tenant's size:

- latest exchanges: the 10 most recent exchanges the member may see;
- next contacts: their upcoming events, to-do exchanges and open tasks, in time order;
- recent past events: their 5 latest past events, within the tenant's widget window;
- the counters (overdue / today) of the navigation: one statement of scalar
  subqueries, which on the home page also answers the first steps checklist.

Who sees which exchange is decided by ``ct.models.exchange_access`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from ct.extensions import db
from ct.models import (
    AuditEntry,
    Choice,
    Event,
    EventAssignee,
    Exchange,
    Invitation,
    Membership,
    Project,
    Task,
    Tiers,
)
from ct.models.choices import KIND_STATUS, display_label
from ct.models.exchange import STATUS_TODO
from ct.models.exchange_access import visible_clause

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
        today = now.astimezone(_zone()).date()
        return Day(now, today, _midnight(today), _midnight(today + timedelta(days=1)))

    def midnight_of(self, day: date) -> datetime:
        return _midnight(day)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _midnight(day: date) -> datetime:
    """The local midnight starting ``day``, in UTC (23 or 25 hours apart on DST days)."""
    return datetime.combine(day, time(), tzinfo=_zone()).astimezone(UTC)


# -- who does what ---------------------------------------------------------------------

def assigned_events(membership_id: int):
    return Event.id.in_(
        select(EventAssignee.event_id).where(EventAssignee.membership_id == membership_id))


def my_open_tasks(membership_id: int):
    # As on "My tasks": assigned to the member, or written down by them for nobody.
    mine = or_(Task.assignee_id == membership_id,
               and_(Task.assignee_id.is_(None), Task.created_by_id == membership_id))
    return and_(mine, Task.done.is_(False))


def my_todo_exchanges(membership: Membership):
    # The contacts the member is to make: to-do exchanges they are the one to make,
    # and still allowed to see.
    # The status is written into the SQL, not bound: a prepared statement's generic
    # plan can then use the partial index of to-do exchanges (ix_exchanges_tenant_todo).
    return and_(Exchange.made_by_id == membership.id,
                Exchange.status == literal(STATUS_TODO, literal_execute=True),
                visible_clause(membership))


def upcoming_events(membership_id: int, day: Day):
    """Not done, from today's midnight on (as the agenda's "Upcoming"): a range of the
    (tenant, starts_at) index, however many past events the tenant has."""
    return and_(assigned_events(membership_id), Event.done.is_(False),
                Event.starts_at >= day.start)


# -- latest exchanges ------------------------------------------------------------------
# The widgets read plain columns, not ORM objects: a home page showed some thirty
# objects with their relationships, and their loading was half of its time. The
# aliases are made once: each one made per call cost 0.25 ms.
_mode, _object, _status = aliased(Choice), aliased(Choice), aliased(Choice)


@dataclass(slots=True)
class LatestExchange:
    id: int
    occurred_at: datetime
    status: str
    status_name: str | None  # the tenant's name of the status (None: the built-in one)
    tiers_name: str
    mode: str  # labels in the reader's language ("" when none)
    object: str


def latest_exchanges(membership: Membership, limit: int = LATEST_SHOWN) -> list[LatestExchange]:
    """The most recent exchanges ``membership`` may see, newest first, with the names of
    their tiers, mode, object and status in the same statement; the confidential comment
    never comes at all."""
    rows = db.session.execute(
        select(Exchange.id, Exchange.occurred_at, Exchange.status, Tiers.name,
               _mode.label, _mode.label_en, _object.label, _object.label_en,
               _status.label, _status.label_en)
        .join(Tiers, Tiers.id == Exchange.tiers_id)
        .outerjoin(_mode, _mode.id == Exchange.mode_id)
        .outerjoin(_object, _object.id == Exchange.object_id)
        .outerjoin(_status, and_(_status.kind == KIND_STATUS, _status.code == Exchange.status))
        .where(visible_clause(membership))
        .order_by(Exchange.occurred_at.desc(), Exchange.id.desc())
        .limit(limit)
    ).all()
    return [LatestExchange(exchange_id, occurred_at, status,
                           display_label(status_label, status_en) or None, tiers_name,
                           display_label(mode_label, mode_en),
                           display_label(object_label, object_en))
            for (exchange_id, occurred_at, status, tiers_name, mode_label, mode_en,
                 object_label, object_en, status_label, status_en) in rows]


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
    and whether there are more. Three bounded queries, merged here."""
    events = db.session.execute(
        select(Event.id, Event.title, Event.starts_at, Event.all_day, Tiers.name)
        .outerjoin(Tiers, Tiers.id == Event.tiers_id)
        .where(upcoming_events(membership.id, day))
        .order_by(Event.starts_at, Event.id).limit(limit + 1)
    ).all()
    exchanges = db.session.execute(
        select(Exchange.id, Exchange.occurred_at, Tiers.name, _object.label, _object.label_en)
        .join(Tiers, Tiers.id == Exchange.tiers_id)
        .outerjoin(_object, _object.id == Exchange.object_id)
        .where(my_todo_exchanges(membership))
        .order_by(Exchange.occurred_at, Exchange.id).limit(limit + 1)
    ).all()
    tasks = db.session.execute(
        select(Task.id, Task.label, Task.due_date, Project.reference)
        .outerjoin(Project, Project.id == Task.project_id)
        .where(my_open_tasks(membership.id))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id).limit(limit + 1)
    ).all()
    items = [NextItem(KIND_EVENT, starts_at, event_id, title, tiers_name or "", all_day,
                      today=starts_at < day.end)
             for event_id, title, starts_at, all_day, tiers_name in events]
    items += [NextItem(KIND_EXCHANGE, occurred_at, exchange_id, tiers_name,
                       display_label(label, label_en), overdue=occurred_at < day.start,
                       today=day.start <= occurred_at < day.end)
              for exchange_id, occurred_at, tiers_name, label, label_en in exchanges]
    items += [NextItem(KIND_TASK, day.midnight_of(due) if due else None, task_id, label,
                       reference or "", due_date=due,
                       overdue=due is not None and due < day.today, today=due == day.today)
              for task_id, label, due, reference in tasks]
    # Dated items by time (a task due a day before that day's events); undated tasks last.
    far = datetime.max.replace(tzinfo=UTC)
    items.sort(key=lambda item: (item.when or far, item.kind != KIND_TASK))
    return items[:limit], len(items) > limit


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
    query = (
        # starts_at bounds the index scan; ends_at says the event is over.
        select(Event.id, Event.title, Event.starts_at, Event.all_day, Tiers.name)
        .outerjoin(Tiers, Tiers.id == Event.tiers_id)
        .where(assigned_events(membership_id), Event.starts_at <= day.now,
               Event.ends_at <= day.now)
        .order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)
    )
    if window_days:
        query = query.where(Event.starts_at >= day.now - timedelta(days=window_days))
    return [PastEvent(*row) for row in db.session.execute(query)]


# -- counters and checklist ------------------------------------------------------------

@dataclass
class Counters:
    overdue: int = 0
    today: int = 0


@dataclass
class Checklist:
    has_tiers: bool = False
    has_exchange: bool = False
    has_teammate: bool = False
    lists_edited: bool = False
    members: int = 1

    @property
    def steps(self) -> list[tuple[str, bool]]:
        return [("tiers", self.has_tiers), ("exchange", self.has_exchange),
                ("teammate", self.has_teammate), ("lists", self.lists_edited)]

    @property
    def done(self) -> bool:
        return all(done for _, done in self.steps)


def _anchored(membership: Membership, *columns):
    """One row of scalar subqueries, selected from the member's own row: a statement
    naming a tenant entity at its top is one the tenant scoping sees and scopes
    (subqueries included)."""
    return select(Membership.id, *columns).where(Membership.id == membership.id)


def _count(model, *where):
    return select(func.count(model.id)).where(*where).scalar_subquery()


def _counter_columns(membership: Membership, day: Day) -> list:
    tasks = my_open_tasks(membership.id)
    todo = my_todo_exchanges(membership)
    return [
        _count(Task, tasks, Task.due_date < day.today),
        _count(Exchange, todo, Exchange.occurred_at < day.start),
        _count(Task, tasks, Task.due_date == day.today),
        _count(Exchange, todo, Exchange.occurred_at >= day.start, Exchange.occurred_at < day.end),
        _count(Event, upcoming_events(membership.id, day), Event.starts_at < day.end),
    ]


def _counters_of(values) -> Counters:
    overdue_tasks, overdue_exchanges, tasks_today, exchanges_today, events_today = values
    return Counters(overdue=overdue_tasks + overdue_exchanges,
                    today=tasks_today + exchanges_today + events_today)


def _checklist_columns() -> list:
    return [
        exists(select(Tiers.id)),
        exists(select(Exchange.id)),
        exists(select(Invitation.id)),
        exists(select(AuditEntry.id).where(AuditEntry.action == LISTS_EDITED_ACTION)),
        _count(Membership, Membership.active.is_(True)),
    ]


def _checklist_of(values) -> Checklist:
    has_tiers, has_exchange, invited, lists_edited, members = values
    return Checklist(bool(has_tiers), bool(has_exchange), bool(invited) or members > 1,
                     bool(lists_edited), members)


def counters(membership: Membership, day: Day | None = None) -> Counters:
    """The member's overdue and today's items (tasks, to-do exchanges, events): one
    statement."""
    columns = _counter_columns(membership, day or Day.current())
    return _counters_of(db.session.execute(_anchored(membership, *columns)).one()[1:])


def counters_and_checklist(membership: Membership, day: Day) -> tuple[Counters, Checklist]:
    """Both in one statement, for the home page (its menu shows the same counters)."""
    columns = _counter_columns(membership, day)
    row = db.session.execute(_anchored(membership, *columns, *_checklist_columns())).one()
    return _counters_of(row[1:1 + len(columns)]), _checklist_of(row[1 + len(columns):])


def checklist(membership: Membership) -> Checklist:
    return _checklist_of(db.session.execute(_anchored(membership, *_checklist_columns())).one()[1:])
