"""``GET /calendar/<token>.ics``: the events assigned to the token's member.

Timed events are written in UTC; all-day events as dates (their days on the company's
calendar, end exclusive); a reminder becomes a VALARM. A revoked, unknown or malformed
token, or a member who left, is a 404 like any missing page.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import abort, current_app, make_response
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ct.blueprints.calendar_feed import feed_bp
from ct.blueprints.calendar_feed.ics import Calendar, day_stamp, utc_stamp
from ct.core.tenancy import bound_tenant
from ct.emails.mailer import external_url
from ct.emails.notify.common import language, local_days, tenant
from ct.extensions import db
from ct.models import CalendarToken, Event, EventAssignee, EventContact
from ct.models.base import utcnow

PAST = timedelta(days=180)  # older events drop out of the feed
FEED_MAX = 2000


@feed_bp.get("/calendar/<token>.ics")
def feed(token: str):
    tenant_id = CalendarToken.tenant_of(token)
    if tenant_id is None:
        abort(404)
    with bound_tenant(tenant_id):
        row = CalendarToken.find(token)
        if row is None or not row.membership.active:
            abort(404)
        with force_locale(language(row.membership)):
            body = _calendar(row).serialize()
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="ct.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _events(membership_id: int) -> list[Event]:
    return list(db.session.scalars(
        select(Event)
        .join(EventAssignee, EventAssignee.event_id == Event.id)
        .where(EventAssignee.membership_id == membership_id,
               Event.ends_at >= utcnow() - PAST)
        .order_by(Event.starts_at, Event.id)
        .limit(FEED_MAX)
        .options(selectinload(Event.tiers),
                 selectinload(Event.contact_links).selectinload(EventContact.contact))
    ))


def _calendar(row: CalendarToken) -> Calendar:
    company = tenant(row.tenant_id)
    calendar = Calendar(f"ct — {company.name}")
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "ct.localhost"
    for event in _events(row.membership_id):
        calendar.add("BEGIN:VEVENT", f"UID:event-{event.id}@{host}",
                     f"DTSTAMP:{utc_stamp(event.updated_at)}",
                     f"LAST-MODIFIED:{utc_stamp(event.updated_at)}")
        if event.all_day:
            first, last = local_days(event)
            calendar.add(f"DTSTART;VALUE=DATE:{day_stamp(first)}",
                         f"DTEND;VALUE=DATE:{day_stamp(last + timedelta(days=1))}")
        else:
            calendar.add(f"DTSTART:{utc_stamp(event.starts_at)}",
                         f"DTEND:{utc_stamp(max(event.ends_at, event.starts_at))}")
        calendar.text("SUMMARY", event.title)
        calendar.text("LOCATION", event.location)
        calendar.text("DESCRIPTION", _description(event))
        calendar.add("URL:" + external_url("agenda.card", slug=company.slug, event_id=event.id))
        if event.reminder_minutes is not None:
            calendar.add("BEGIN:VALARM", "ACTION:DISPLAY")
            calendar.text("DESCRIPTION", event.title)
            calendar.add(f"TRIGGER:-PT{event.reminder_minutes}M", "END:VALARM")
        calendar.add("END:VEVENT")
    return calendar


def _description(event: Event) -> str:
    lines = []
    if event.tiers:
        lines.append(gettext("Third party: %(name)s", name=event.tiers.name))
    names = [contact.full_name for contact in event.contacts if contact.full_name]
    if names:
        lines.append(gettext("Contacts: %(names)s", names=", ".join(names)))
    if event.notes:
        lines.append(event.notes)
    return "\n".join(lines)
