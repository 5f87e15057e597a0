"""The daily digest: each morning, members who asked for it get what is due today and
overdue (their open tasks) and today's events assigned to them.

The clock runs ``send_daily_digests`` every 15 minutes; from DIGEST_HOUR (company time)
each opted-in member is claimed for the day with one conditional UPDATE —
``SET digest_sent_on = :today WHERE id = :id AND (digest_sent_on IS NULL OR
digest_sent_on < :today)`` — in the transaction that queues the email: once a day, even
with two clocks. A member with nothing due gets no email that day.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from flask_babel import force_locale, format_date, format_time
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.core.zone import company_zone, start_of_day
from ct.emails.mailer import external_url, queue_email
from ct.emails.notify import common
from ct.emails.templates.catalog import DAILY_DIGEST
from ct.extensions import db
from ct.models import Event, EventAssignee, Membership, Task
from ct.models.base import utcnow

log = logging.getLogger(__name__)

DIGEST_HOUR = 7  # company time
ITEMS_MAX = 50  # per list: a digest is a reminder, not a report


def send_daily_digests(now: datetime | None = None) -> int:
    """Queue today's digests not sent yet; returns how many were queued."""
    now = now or utcnow()
    local = now.astimezone(company_zone())
    if local.hour < DIGEST_HOUR:
        return 0
    today = local.date()
    waiting = db.session.execute(
        select(Membership.id, Membership.tenant_id)
        .where(Membership.daily_digest.is_(True), Membership.active.is_(True),
               or_(Membership.digest_sent_on.is_(None), Membership.digest_sent_on < today))
        .order_by(Membership.id)
        .execution_options(**{ALL_TENANTS: True})  # system job over every tenant's members
    ).all()
    db.session.rollback()
    queued = 0
    try:
        for membership_id, tenant_id in waiting:
            with bound_tenant(tenant_id):
                queued += _digest(membership_id, today)
    finally:
        db.session.remove()
    return queued


def _digest(membership_id: int, today: date) -> bool:
    try:
        claimed = db.session.execute(
            update(Membership)
            .where(Membership.id == membership_id,
                   or_(Membership.digest_sent_on.is_(None), Membership.digest_sent_on < today))
            .values(digest_sent_on=today, updated_at=Membership.updated_at)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:  # another clock did it
            db.session.rollback()
            return False
        member = db.session.scalar(select(Membership).where(Membership.id == membership_id))
        sent = _queue(member, today)
        db.session.commit()
        return sent
    except Exception:
        db.session.rollback()  # not claimed: the next run tries again
        log.exception("daily digest of member %s not queued", membership_id)
        return False


def _queue(member: Membership, today: date) -> bool:
    if not common.can_receive(member):
        return False
    tasks = list(db.session.scalars(
        select(Task).where(Task.assignee_id == member.id, Task.done.is_(False),
                           Task.due_date <= today)
        .order_by(Task.due_date, Task.id).limit(2 * ITEMS_MAX)
        .options(selectinload(Task.project))))
    start = start_of_day(today)
    events = list(db.session.scalars(
        select(Event).join(EventAssignee, EventAssignee.event_id == Event.id)
        .where(EventAssignee.membership_id == member.id, Event.done.is_(False),
               Event.starts_at < start + timedelta(days=1), Event.ends_at > start)
        .order_by(Event.starts_at, Event.id).limit(ITEMS_MAX)))
    if not tasks and not events:
        return False
    company = common.tenant(member.tenant_id)
    language = common.language(member)
    with force_locale(language):
        context = {
            "recipient_name": member.user.display_name,
            "company": company.name,
            "today": today,
            "tasks_due_today": _lines(_task_line(t) for t in tasks if t.due_date == today),
            "tasks_overdue": _lines(_task_line(t, overdue=True) for t in tasks
                                    if t.due_date < today),
            "events_today": _lines(_event_line(e) for e in events),
            "link": external_url("projects.my_tasks", slug=company.slug),
        }
    queue_email("daily_digest", member.user.email, DAILY_DIGEST, language, **context)
    return True


def _lines(items) -> str:
    return "\n".join(f"- {item}" for item in list(items)[:ITEMS_MAX])


def _task_line(task: Task, overdue: bool = False) -> str:
    line = task.label
    if task.project is not None:
        line += f" ({task.project.reference})"
    if overdue:
        line += f" — {format_date(task.due_date)}"
    return line


def _event_line(event: Event) -> str:
    if event.all_day:
        return event.title
    return f"{format_time(event.starts_at, 'short')} {event.title}"
