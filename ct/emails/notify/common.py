"""What every notification needs: who may receive it, in which language, with which link."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date, gettext, ngettext

from ct.core.zone import to_local
from ct.emails.templates import language_of
from ct.emails.templates.catalog import span
from ct.extensions import db
from ct.models import Event, Membership, Tenant


def can_receive(member: Membership | None) -> bool:
    """A deactivated member gets nothing from the company any more."""
    return member is not None and member.active and bool(member.user.email)


def language(member: Membership) -> str:
    return language_of(member.user.language)


def tenant(tenant_id: int) -> Tenant:
    # Usually in the session already (the request's tenant): no query then.
    return db.session.get(Tenant, tenant_id)


def local_days(event: Event) -> tuple[date, date]:
    """The first and last days of an all-day event, on the tenant's calendar. (Its end
    is the midnight after its last day, as in iCalendar.)"""
    first = to_local(event.starts_at).date()
    last = (to_local(event.ends_at) - timedelta(microseconds=1)).date()
    return first, max(first, last)


def event_when(event: Event) -> str:
    """The day(s) and hours of an event, in the current language."""
    if event.all_day:
        first, last = local_days(event)
        if first == last:
            return format_date(first, "full")
        return f"{format_date(first, 'full')} – {format_date(last, 'full')}"
    return span(event.starts_at, event.ends_at)


def reminder_words(minutes: int | None) -> str:
    """How long before the event its reminder comes: "30 minutes before", "1 day before"."""
    if minutes is None:
        return ""
    if minutes == 0:
        return gettext("At the start")
    if minutes % (24 * 60) == 0:
        return ngettext("%(num)d day before", "%(num)d days before", minutes // (24 * 60))
    if minutes % 60 == 0:
        return ngettext("%(num)d hour before", "%(num)d hours before", minutes // 60)
    return ngettext("%(num)d minute before", "%(num)d minutes before", minutes)
