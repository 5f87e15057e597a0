"""Agenda reminders: at (start − offset) each assignee of the event gets one email.

The clock enqueues ``send_due_reminders`` every minute. It looks for events whose
reminder is due and not sent, in every tenant, and claims each with one conditional
UPDATE before queueing its emails in the same transaction:

    SET reminder_sent_at = now
    WHERE id = :id AND reminder_sent_at IS NULL AND reminder_at = :seen_at

Two clocks (or two workers running the job) may pick the same event: the second UPDATE
waits for the first transaction and then matches nothing, so the reminder goes out once.
An event moved after it was picked has another ``reminder_at``: nothing is sent at the
old time, and the event model re-arms the reminder for the new one. A deleted event has
no row left to pick.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.emails.mailer import external_url, queue_email
from ct.emails.notify import common
from ct.emails.templates.catalog import EVENT_REMINDER
from ct.extensions import db
from ct.models import Event, EventAssignee, EventContact
from ct.models.base import utcnow

log = logging.getLogger(__name__)

BATCH = 500  # per run; the next run a minute later takes the rest


def send_due_reminders() -> int:
    """Queue every due reminder once; returns how many events were reminded."""
    now = utcnow()
    due = db.session.execute(
        select(Event.id, Event.tenant_id, Event.reminder_at)
        .where(Event.reminder_sent_at.is_(None), Event.reminder_at <= now)
        .order_by(Event.reminder_at, Event.id)
        .limit(BATCH)
        .execution_options(**{ALL_TENANTS: True})  # system job over every tenant's agenda
    ).all()
    db.session.rollback()  # each event gets a transaction of its own
    reminded = 0
    try:
        for event_id, tenant_id, seen_at in due:
            with bound_tenant(tenant_id):
                reminded += _remind(event_id, seen_at, now)
    finally:
        db.session.remove()
    return reminded


def _remind(event_id: int, seen_at: datetime, now: datetime) -> bool:
    """Claim one event's reminder and queue its emails, all in one transaction."""
    try:
        claimed = db.session.execute(
            update(Event)
            .where(Event.id == event_id, Event.reminder_sent_at.is_(None),
                   Event.reminder_at == seen_at)
            # Sending a reminder is not an edit of the event: keep its updated_at.
            .values(reminder_sent_at=now, updated_at=Event.updated_at)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:  # another clock sent it, or the event moved meanwhile
            db.session.rollback()
            return False
        event = db.session.scalar(
            select(Event).where(Event.id == event_id).options(
                selectinload(Event.assignee_links).selectinload(EventAssignee.membership),
                selectinload(Event.contact_links).selectinload(EventContact.contact),
                selectinload(Event.tiers)))
        sent = _queue_reminders(event, now)
        db.session.commit()
        return sent
    except Exception:
        db.session.rollback()  # the reminder stays due: the next run tries again
        log.exception("reminder of event %s not queued", event_id)
        return False


def _queue_reminders(event: Event, now: datetime) -> bool:
    # Too late to be useful: the event is over, or ticked off as done.
    if event.done or event.ends_at < now:
        return False
    company = common.tenant(event.tenant_id)
    link = external_url("agenda.card", slug=company.slug, event_id=event.id)
    queued = False
    for member in event.assignees:
        if not common.can_receive(member):
            continue
        language = common.language(member)
        with force_locale(language):
            context = {
                "recipient_name": member.user.display_name,
                "company": company.name,
                "title": event.title,
                "when": common.event_when(event),
                "location": event.location,
                "tiers": event.tiers.name if event.tiers else None,
                "contacts": [contact.full_name for contact in event.contacts],
                "notes": event.notes,
                "reminder": common.reminder_words(event.reminder_minutes),
                "link": link,
            }
        queue_email("event_reminder", member.user.email, EVENT_REMINDER, language, **context)
        queued = True
    return queued
