"""A member's tasks by due date: overdue, today, upcoming, no due date, done recently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from ct.extensions import db
from ct.models import Task
from ct.models.base import utcnow

# A member with more open tasks than this sees the first ones and a note; the page
# stays fast and the note says why some are missing.
OPEN_TASKS_SHOWN = 300
RECENTLY_DONE_DAYS = 14
RECENTLY_DONE_SHOWN = 30


def tenant_today() -> date:
    """Today in the tenant's time zone: a task due "today" in Paris is due until
    midnight in Paris, whatever the server's clock zone."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.now(zone).date()


@dataclass
class MyTasks:
    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    upcoming: list[Task] = field(default_factory=list)
    no_date: list[Task] = field(default_factory=list)
    done_recently: list[Task] = field(default_factory=list)
    truncated: bool = False

    @property
    def open_count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.upcoming) + len(self.no_date)


def _mine(membership_id: int):
    # Tasks assigned to the member, and the ones they wrote down for nobody in particular.
    return or_(
        Task.assignee_id == membership_id,
        and_(Task.assignee_id.is_(None), Task.created_by_id == membership_id),
    )


def my_tasks(membership_id: int, today: date) -> MyTasks:
    loading = (selectinload(Task.project), selectinload(Task.assignee))
    open_rows = list(db.session.scalars(
        select(Task).where(_mine(membership_id), Task.done.is_(False))
        .order_by(Task.due_date.is_(None), Task.due_date, Task.id)
        .limit(OPEN_TASKS_SHOWN + 1).options(*loading)
    ))
    result = MyTasks(truncated=len(open_rows) > OPEN_TASKS_SHOWN)
    for task in open_rows[:OPEN_TASKS_SHOWN]:
        if task.due_date is None:
            result.no_date.append(task)
        elif task.due_date < today:
            result.overdue.append(task)
        elif task.due_date == today:
            result.today.append(task)
        else:
            result.upcoming.append(task)
    since = utcnow() - timedelta(days=RECENTLY_DONE_DAYS)
    result.done_recently = list(db.session.scalars(
        select(Task).where(_mine(membership_id), Task.done.is_(True), Task.done_at >= since)
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
