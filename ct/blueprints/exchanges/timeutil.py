"""Dates typed in the tenant's time zone, stored in UTC.

``datetime-local`` inputs carry no time zone: what the user types is read in the
tenant's time zone (Europe/Paris by default) and stored in UTC.
"""

from __future__ import annotations

from datetime import datetime

from ct.core import zone
from ct.models.base import utcnow


def to_local(moment: datetime) -> datetime:
    """An aware datetime as the naive local value a ``datetime-local`` input shows."""
    return zone.to_local(moment).replace(second=0, microsecond=0)


def local_now() -> datetime:
    """Now, to the minute, as the user's clock shows it."""
    return to_local(utcnow())
