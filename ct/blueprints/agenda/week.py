"""The week view: seven days from Monday, all-day events on top of each day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import g, request
from sqlalchemy import or_, select

from ct.blueprints.agenda import bp
from ct.blueprints.agenda.routes import WHO, assigned_to, chosen_who, with_people
from ct.blueprints.agenda.times import event_days, monday_of
from ct.core.zone import local_today, start_of_day
from ct.extensions import db
from ct.models import Event
from ct.web.fields import YEAR_MAX, YEAR_MIN
from ct.web.htmx import render

# A busy week of a large team still fits a page; beyond, the list view pages through.
WEEK_EVENTS_MAX = 500


@dataclass
class Day:
    date: date
    all_day: list[Event] = field(default_factory=list)
    timed: list[Event] = field(default_factory=list)


def _start_arg(today: date) -> date:
    try:
        start = date.fromisoformat(request.args.get("start") or "")
    except ValueError:
        return today
    # Not the first or last allowed year: the week links would step outside them.
    return start if YEAR_MIN < start.year < YEAR_MAX else today


def events_between(query, window_start, window_end, who: str, limit: int) -> list[Event]:
    """The events of a window (the week, the month's weeks): what starts before its end and
    ends after its start, or starts inside it; the member's own unless ``who`` is "all"."""
    query = query.where(
        Event.starts_at < window_end,
        or_(Event.ends_at > window_start, Event.starts_at >= window_start),
    ).order_by(Event.starts_at, Event.id).limit(limit)
    if who == "mine":
        query = query.where(assigned_to(g.membership.id))
    return list(db.session.scalars(query))


def place(events: list[Event], monday: date) -> list[Day]:
    """Each event on every day of the week it covers; all-day ones first, then by time."""
    days = [Day(monday + timedelta(days=i)) for i in range(7)]
    for event in events:
        first, last = event_days(event)
        for day in days:
            if first <= day.date <= last:
                (day.all_day if event.all_day else day.timed).append(event)
    for day in days:
        day.timed.sort(key=lambda e: (e.starts_at, e.id))
    return days


@bp.get("/week")
def week():
    today = local_today()
    monday = monday_of(_start_arg(today))
    who = chosen_who()
    window_start, window_end = start_of_day(monday), start_of_day(monday + timedelta(days=7))
    events = events_between(with_people(select(Event)), window_start, window_end, who,
                            WEEK_EVENTS_MAX)
    return render("agenda/week.html", days=place(events, monday), monday=monday, today=today,
                  who=who, who_tabs=WHO, previous=monday - timedelta(days=7),
                  next=monday + timedelta(days=7), truncated=len(events) >= WEEK_EVENTS_MAX)
