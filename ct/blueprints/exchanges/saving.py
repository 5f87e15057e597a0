"""The save rules of an exchange: one transaction for the exchange and its follow-ups.

The functions here add rows to the session from a validated ``ExchangeForm`` and never
commit: the route commits once, so the exchange, the follow-up task and the event are
written together or not at all. A form token (a random value placed in the form when it
was opened) makes a form sent twice — double click, stale tab, retried request — land on
the exchange it already created instead of creating a second one.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import select

from ct.blueprints.exchanges.forms import ExchangeForm
from ct.core.zone import to_utc
from ct.emails.notify import notify_collaborators, notify_task_assigned
from ct.extensions import db
from ct.models import (
    Event,
    EventAssignee,
    EventContact,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    ExchangeProduct,
    Membership,
    Task,
)
from ct.models.exchange import STATUSES

DEFAULT_EVENT_LENGTH = timedelta(hours=1)


_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,40}")


def new_form_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, within the column's 40


def usable_token(token: str | None) -> bool:
    """A token as ``new_form_token`` makes them (anything else was tampered with)."""
    return bool(token) and _TOKEN.fullmatch(token) is not None


def exchange_for_token(token: str | None) -> Exchange | None:
    """The exchange a form with this token already created, if any."""
    if not usable_token(token):
        return None
    return db.session.scalar(select(Exchange).where(Exchange.form_token == token))


def create_exchange(form: ExchangeForm, author: Membership) -> Exchange:
    """A new exchange from the form, with the task and event it asks for."""
    exchange = Exchange(author_id=author.id, form_token=form.form_token.data or None)
    _apply(exchange, form, author)
    if "add_task" in form and form.add_task.data:
        exchange.task = _new_task(form, author)
    if "add_event" in form and form.add_event.data:
        exchange.event = _new_event(form, author)
    db.session.add(exchange)
    return exchange


def notify_about(exchange: Exchange, author: Membership) -> list[Membership]:
    """Emails of a new exchange, in its transaction: the collaborators when "notify" is
    ticked, the assignee of its follow-up task. Returns who could not be notified."""
    db.session.flush()
    not_notified = []
    if exchange.notify_collaborators and exchange.collaborator_links:
        not_notified = notify_collaborators(exchange, sender=author)
    if exchange.task is not None:
        notify_task_assigned(exchange.task, author)
    return not_notified


def update_exchange(exchange: Exchange, form: ExchangeForm, editor: Membership) -> Exchange:
    """The exchange changed as the form says; a task or event may be added if none yet."""
    _apply(exchange, form, editor)
    if exchange.task_id is None and "add_task" in form and form.add_task.data:
        exchange.task = _new_task(form, editor)
    if exchange.event_id is None and "add_event" in form and form.add_event.data:
        exchange.event = _new_event(form, editor)
    return exchange


def set_status(exchange: Exchange, status: str) -> bool:
    if status not in STATUSES:
        return False
    exchange.status = status
    return True


def _apply(exchange: Exchange, form: ExchangeForm, member: Membership) -> None:
    exchange.tiers_id = form.tiers.id
    exchange.occurred_at = to_utc(form.occurred_at.data)
    exchange.status = form.status.data
    exchange.comment = form.comment.data or None
    exchange.mode_id = form.mode.id if form.mode else None
    exchange.object_id = form.object_choice.id if form.object_choice else None
    exchange.document_id = form.document.id if form.document else None
    exchange.project_id = form.project.id if form.project else None
    # Fields the settings (or the member's rights) hide keep what the exchange had.
    if "made_by_id" in form:
        exchange.made_by_id = form.made_by.id if form.made_by else member.id
    elif exchange.made_by_id is None:
        exchange.made_by_id = exchange.author_id
    if "collaborator_ids" in form:
        exchange.notify_collaborators = bool(form.notify_collaborators.data)
        _sync(exchange.collaborator_links, "membership_id",
              [m.id for m in form.collaborators], ExchangeCollaborator)
    if "confidential_comment" in form:
        exchange.confidential_comment = form.confidential_comment.data or None
        exchange.confidential_group_id = form.group.id if form.group else None
    if "product_ids" in form:
        _sync(exchange.product_links, "product_id", [p.id for p in form.products],
              ExchangeProduct)
    _sync(exchange.contact_links, "contact_id", [c.id for c in form.contacts], ExchangeContact)


def _sync(links: list, column: str, wanted: list[int], make) -> None:
    """Keep the links still wanted, drop the others, add the new ones.

    Removing every link and adding them again would insert before deleting in the same
    flush and trip the unique constraint on (exchange, record).
    """
    for link in [link for link in links if getattr(link, column) not in wanted]:
        links.remove(link)
    present = {getattr(link, column) for link in links}
    for record_id in wanted:
        if record_id not in present:
            links.append(make(**{column: record_id}))


def _new_task(form: ExchangeForm, member: Membership) -> Task:
    return Task(
        label=form.task_label.data,
        project_id=form.task_project.id if form.task_project else None,
        assignee_id=form.task_assignee.id if form.task_assignee else member.id,
        due_date=form.task_due_date.data,
        created_by_id=member.id,
    )


def _new_event(form: ExchangeForm, member: Membership) -> Event:
    starts_at = to_utc(form.event_start.data)
    ends_at = to_utc(form.event_end.data) if form.event_end.data else starts_at + \
        DEFAULT_EVENT_LENGTH
    assignees = [m.id for m in form.event_assignees] or [member.id]
    return Event(
        title=form.event_title.data,
        starts_at=starts_at,
        ends_at=ends_at,
        location=form.event_location.data or None,
        tiers_id=form.tiers.id,
        reminder_minutes=form.reminder_minutes(),
        created_by_id=member.id,
        contact_links=[EventContact(contact_id=c.id) for c in form.contacts],
        assignee_links=[EventAssignee(membership_id=i) for i in assignees],
    )
