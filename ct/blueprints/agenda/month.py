"""The month view: the weeks (Monday to Sunday) that hold a month's days, each day with
its first events and how many more.

The month's events are read in one statement (the columns a day shows, no people), and
placed on the local days they cover in the company's time zone: an event at 23:30 in
Paris is on that day, not on the next one where UTC would put it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import load_only

from ct.blueprints.agenda import bp
from ct.blueprints.agenda.routes import WHO, chosen_who
from ct.blueprints.agenda.times import event_days, monday_of
from ct.blueprints.agenda.week import events_between
from ct.core.zone import local_today, start_of_day
from ct.models import Event
from ct.web.fields import YEAR_MAX, YEAR_MIN
from ct.web.htmx import render

SHOWN_PER_DAY = 3  # then "+n more", a link to the day in the week view
# A month of a large team still fits a page; beyond, the list view pages through.
MONTH_EVENTS_MAX = 1000
MONTH_ARG = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass
class Day:
    date: date
    in_month: bool
    events: list[Event] = field(default_factory=list)

    @property
    def shown(self) -> list[Event]:
        return self.events[:SHOWN_PER_DAY]

    @property
    def more(self) -> int:
        return max(0, len(self.events) - SHOWN_PER_DAY)


def month_arg(today: date) -> tuple[date, bool]:
    """The first day of the month asked for (``month=2026-12``) and whether the value was
    unusable (then this month, and the page says so)."""
    raw = request.args.get("month")
    if not raw:
        return today.replace(day=1), False
    match = MONTH_ARG.fullmatch(raw.strip())
    # Not the first or last allowed year: the month links would step outside them.
    if match and YEAR_MIN < int(match[1]) < YEAR_MAX and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1), False
    return today.replace(day=1), True


def next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def grid_of(first: date) -> list[list[Day]]:
    """The weeks from the Monday on or before the 1st to the Sunday on or after the last
    day: four to six rows of seven days."""
    start = monday_of(first)
    end = monday_of(next_month(first) - timedelta(days=1)) + timedelta(days=7)
    days = [Day(start + timedelta(days=i), (start + timedelta(days=i)).month == first.month)
            for i in range((end - start).days)]
    return [days[i:i + 7] for i in range(0, len(days), 7)]


def place(events: list[Event], weeks: list[list[Day]]) -> None:
    """Each event on every day of the grid it covers: all-day ones first, then by time."""
    by_date = {day.date: day for week in weeks for day in week}
    for event in events:
        first, last = event_days(event)
        day = first
        while day <= last:
            if day in by_date:
                by_date[day].events.append(event)
            day += timedelta(days=1)
    for day in by_date.values():
        day.events.sort(key=lambda e: (not e.all_day, e.starts_at, e.id))


@bp.get("/month")
def month():
    today = local_today()
    first, unusable = month_arg(today)
    who = chosen_who()
    weeks = grid_of(first)
    window_start = start_of_day(weeks[0][0].date)
    window_end = start_of_day(weeks[-1][-1].date + timedelta(days=1))
    # Only what a day shows: a busy month is hundreds of events, their notes stay behind.
    columns = load_only(Event.title, Event.starts_at, Event.ends_at, Event.all_day, Event.done)
    events = events_between(select(Event).options(columns), window_start, window_end, who,
                            MONTH_EVENTS_MAX)
    place(events, weeks)
    return render("agenda/month.html", weeks=weeks, first=first, today=today, who=who,
                  who_tabs=WHO, unusable=unusable,
                  previous=(first - timedelta(days=1)).replace(day=1), next=next_month(first),
                  any_events=any(d.events for week in weeks for d in week if d.in_month),
                  truncated=len(events) >= MONTH_EVENTS_MAX)
