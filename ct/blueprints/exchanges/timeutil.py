"""Dates typed in the tenant's time zone, stored in UTC.

``datetime-local`` inputs carry no time zone: what the user types is read in the
tenant's time zone (Europe/Paris by default) and stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import to_user_timezone
from flask_babel import to_utc as _naive_utc

from ct.models.base import utcnow


def to_utc(local: datetime) -> datetime:
    """A naive local date and time as an aware UTC datetime."""
    return _naive_utc(local).replace(tzinfo=UTC)


def to_local(moment: datetime) -> datetime:
    """An aware datetime as the naive local value a ``datetime-local`` input shows."""
    return to_user_timezone(moment).replace(tzinfo=None, second=0, microsecond=0)


def local_now() -> datetime:
    """Now, to the minute, as the user's clock shows it."""
    return to_local(utcnow())
