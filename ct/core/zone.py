"""The company's time zone: one place that turns stored instants into the days and hours
people read, and back.

Every instant is stored in UTC. What people type and read is the wall-clock time of the
company's zone (DEFAULT_TIMEZONE, Europe/Paris by default), read through ``zoneinfo``:
a wall-clock time across a daylight-saving change gets that day's offset, and a day is
23 or 25 hours long when the clocks change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def company_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])  # ZoneInfo caches zones


def local_today(now: datetime | None = None) -> date:
    """Today in the company's zone: a task due "today" in Paris is due until midnight in
    Paris, whatever the server's own zone."""
    return (now or datetime.now(UTC)).astimezone(company_zone()).date()


def to_utc(wall_clock: datetime) -> datetime:
    """A naive wall-clock time of the company as an aware UTC datetime."""
    return wall_clock.replace(tzinfo=company_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """An aware instant as the company's naive wall-clock time."""
    return moment.astimezone(company_zone()).replace(tzinfo=None)


def start_of_day(day: date) -> datetime:
    """Local midnight starting ``day``, in UTC."""
    return to_utc(datetime.combine(day, time()))


def day_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """The UTC instants of a range of local days: from the start of ``first`` (included)
    to the start of the day after ``last`` (excluded); None where the range is open."""
    start = start_of_day(first) if first else None
    end = start_of_day(last + timedelta(days=1)) if last else None
    return start, end
