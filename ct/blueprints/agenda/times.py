"""Wall-clock time of the tenant, days of an event, and reminders in words.

Events are stored in UTC; people type and read the company's wall-clock time
(ct/core/zone.py). An all-day event runs from local
midnight of its first day to local midnight after its last day (an exclusive end, as
in iCalendar), so it stays on its days whatever the offset of the season.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ct.core.zone import to_local
from ct.models import Event

REMINDER_UNITS = {"minutes": 1, "hours": 60, "days": 24 * 60}
REMINDER_UNIT_LABELS = {
    "": _l("No reminder"),
    "minutes": _l("minutes before"),
    "hours": _l("hours before"),
    "days": _l("days before"),
}
# Ten thousand of any unit: beyond, it is a typing mistake (10,000 days is 27 years).
REMINDER_MAX_UNITS = 10_000


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def event_days(event: Event) -> tuple[date, date]:
    """The first and last local days an event covers."""
    first = to_local(event.starts_at).date()
    end = to_local(event.ends_at)
    if event.ends_at <= event.starts_at:
        return first, first
    # An end at midnight (always, for all-day events) closes the day before.
    last = (end - timedelta(microseconds=1)).date() if end.time() == time() else end.date()
    return first, max(first, last)


def form_times(event: Event) -> tuple[datetime | date, datetime | date]:
    """What the form shows for an event: dates for all-day events, wall-clock times else."""
    if event.all_day:
        first, last = event_days(event)
        return first, last
    return to_local(event.starts_at), to_local(event.ends_at)


def split_reminder(minutes: int | None) -> tuple[int | None, str]:
    """The largest whole unit: 1440 → (1, "days"), 90 → (90, "minutes")."""
    if minutes is None:
        return None, ""
    for unit in ("days", "hours"):
        size = REMINDER_UNITS[unit]
        if minutes and minutes % size == 0:
            return minutes // size, unit
    return minutes, "minutes"


def describe_reminder(minutes: int | None) -> str:
    """A reminder in words: "30 minutes before", "1 day before", "At the start"."""
    value, unit = split_reminder(minutes)
    if value is None:
        return str(_l("No reminder"))
    if value == 0:
        return str(_l("At the start"))
    if unit == "days":
        return ngettext("%(num)d day before", "%(num)d days before", value)
    if unit == "hours":
        return ngettext("%(num)d hour before", "%(num)d hours before", value)
    return ngettext("%(num)d minute before", "%(num)d minutes before", value)
