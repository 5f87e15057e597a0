"""A member's tasks by due date: overdue, today, upcoming, no due date, done recently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ct.core.pagination import keyset_page
from ct.extensions import db
from ct.models import Task
from ct.models.base import utcnow

# Open tasks a page shows, soonest due first; "Next page" shows the following ones.
OPEN_TASKS_PAGE = 50
NO_DUE_DATE = date(9999, 12, 31)  # sorts tasks with no due date last
# Soonest due first, then the oldest: the order of every list of tasks (keyset pages).
DUE_ORDER = [func.coalesce(Task.due_date, NO_DUE_DATE), Task.id]
RECENTLY_DONE_DAYS = 14
RECENTLY_DONE_SHOWN = 30


@dataclass
class MyTasks:
    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    upcoming: list[Task] = field(default_factory=list)
    no_date: list[Task] = field(default_factory=list)
    done_recently: list[Task] = field(default_factory=list)
    next_cursor: str | None = None
    has_previous: bool = False

    @property
    def open_count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.upcoming) + len(self.no_date)


def mine(membership_id: int):
    # Tasks assigned to the member, and the ones they wrote down for nobody in particular.
    return or_(
        Task.assignee_id == membership_id,
        and_(Task.assignee_id.is_(None), Task.created_by_id == membership_id),
    )


def my_tasks(membership_id: int, today: date, cursor: str | None = None) -> MyTasks:
    """One page of the member's open tasks, grouped; the tasks done recently on the
    first page only."""
    loading = (selectinload(Task.project), selectinload(Task.assignee))
    page = keyset_page(
        select(Task).where(mine(membership_id), Task.done.is_(False)).options(*loading),
        DUE_ORDER, cursor, OPEN_TASKS_PAGE)
    result = MyTasks(next_cursor=page.next_cursor, has_previous=page.has_previous)
    for task in page.items:
        if task.due_date is None:
            result.no_date.append(task)
        elif task.due_date < today:
            result.overdue.append(task)
        elif task.due_date == today:
            result.today.append(task)
        else:
            result.upcoming.append(task)
    if result.has_previous:
        return result
    since = utcnow() - timedelta(days=RECENTLY_DONE_DAYS)
    result.done_recently = list(db.session.scalars(
        select(Task).where(mine(membership_id), Task.done.is_(True), Task.done_at >= since)
        .order_by(Task.done_at.desc(), Task.id.desc())
        .limit(RECENTLY_DONE_SHOWN).options(*loading)
    ))
    return result


def set_done(task: Task, done: bool) -> None:
    """Tick a task off (or reopen it), remembering when for "Done recently"."""
    if done and not task.done:
        task.done_at = utcnow()
    elif not done:
        task.done_at = None
    task.done = done
