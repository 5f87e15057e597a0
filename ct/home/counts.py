"""The navigation's counters (overdue / today) and the home page's first-steps checklist:
one statement of scalar subqueries, which on the home page answers both.

Who sees which exchange is decided by ``ct.models.exchange_access`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import exists, func, select

from ct.core.permissions import WRITE_EXCHANGES, can
from ct.extensions import db
from ct.home.widgets import (
    DAY_END,
    DAY_START,
    LISTS_EDITED_ACTION,
    TODAY,
    Day,
    day_params,
    my_open_tasks,
    my_todo_exchanges,
    upcoming_events,
)
from ct.models import (
    AuditEntry,
    Event,
    Exchange,
    InboundEmail,
    Invitation,
    Membership,
    Task,
    Tiers,
)
from ct.models.capture import WAITING
from ct.models.exchange_access import MEMBER, visibility

# A badge says "99+ overdue" past this: each count stops there, so a member with
# thousands of late to-do exchanges costs what one with a hundred does.
COUNTED_MAX = 99


@dataclass
class Counters:
    overdue: int = 0
    today: int = 0
    to_classify: int = 0  # captured emails waiting for the member (ct/capture/classify.py)
    shown_max: ClassVar[int] = COUNTED_MAX


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


def _anchored(*columns):
    """One row of scalar subqueries, selected from the member's own row."""
    return select(Membership.id, *columns).where(Membership.id == MEMBER)


def _count(model, *where):
    return select(func.count(model.id)).where(*where).scalar_subquery()


def _count_upto(model, *where):
    """The count of rows, stopping past COUNTED_MAX."""
    rows = select(model.id).where(*where).limit(COUNTED_MAX + 1).subquery()
    return select(func.count()).select_from(rows).scalar_subquery()


def _counter_columns(seen: str) -> list:
    tasks = my_open_tasks(MEMBER)
    todo = my_todo_exchanges(MEMBER, seen)
    return [
        _count_upto(Task, tasks, Task.due_date < TODAY).label("overdue_tasks"),
        _count_upto(Exchange, todo, Exchange.occurred_at < DAY_START)
        .label("overdue_exchanges"),
        _count_upto(Task, tasks, Task.due_date == TODAY).label("tasks_today"),
        _count_upto(Exchange, todo, Exchange.occurred_at >= DAY_START,
                    Exchange.occurred_at < DAY_END).label("exchanges_today"),
        _count_upto(Event, upcoming_events(MEMBER, DAY_START), Event.starts_at < DAY_END)
        .label("events_today"),
        _count_upto(InboundEmail, InboundEmail.membership_id == MEMBER,
                    InboundEmail.status.in_(WAITING)).label("to_classify"),
    ]


def _counters_of(row) -> Counters:
    # Captured emails wait for a member who may log exchanges: no counter (no link to a
    # page refused) for one who may not.
    return Counters(overdue=row.overdue_tasks + row.overdue_exchanges,
                    today=row.tasks_today + row.exchanges_today + row.events_today,
                    to_classify=row.to_classify if can(WRITE_EXCHANGES) else 0)


def _checklist_columns() -> list:
    return [
        exists(select(Tiers.id)).label("has_tiers"),
        exists(select(Exchange.id)).label("has_exchange"),
        exists(select(Invitation.id)).label("invited"),
        exists(select(AuditEntry.id).where(AuditEntry.action == LISTS_EDITED_ACTION))
        .label("lists_edited"),
        _count(Membership, Membership.active.is_(True)).label("members"),
    ]


def _checklist_of(row) -> Checklist:
    return Checklist(bool(row.has_tiers), bool(row.has_exchange),
                     bool(row.invited) or row.members > 1, bool(row.lists_edited), row.members)


def _counters_statement(seen: str | None, counters: bool, checklist: bool):
    """One row: the counters of a member of visibility ``seen``, the checklist, or both
    (each column named, read by name)."""
    columns = (_counter_columns(seen) if counters else []) + (
        _checklist_columns() if checklist else [])
    return _anchored(*columns)


def counters(membership: Membership, day: Day | None = None) -> Counters:
    """The member's overdue and today's items (tasks, to-do exchanges, events): one
    statement."""
    statement = _counters_statement(visibility(membership), True, False)
    return _counters_of(db.session.execute(
        statement, day_params(membership, day or Day.current())).one())


def counters_and_checklist(membership: Membership, day: Day) -> tuple[Counters, Checklist]:
    """Both in one statement, for the home page (its menu shows the same counters)."""
    statement = _counters_statement(visibility(membership), True, True)
    row = db.session.execute(statement, day_params(membership, day)).one()
    return _counters_of(row), _checklist_of(row)


def checklist(membership: Membership) -> Checklist:
    return _checklist_of(db.session.execute(_counters_statement(None, False, True),
                                            dict(member_id=membership.id)).one())
