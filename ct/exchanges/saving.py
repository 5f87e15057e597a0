"""Saving an exchange: one transaction for the exchange, its follow-up task and event, and
the emails they set off.

What to save arrives as an ``ExchangeDraft``: what a checked form says, as rows of the
bound company (the exchange form builds it, ``ExchangeForm.draft()``). The functions here
add rows to the session and never commit: the caller commits once, so the exchange, the
task, the event and the outbox rows of their emails are written together or not at all
(what the commit then sets off: docs/ARCHITECTURE.md). A form token (a random value placed
in the form when it was opened) makes a form sent twice — double click, stale tab,
retried request — land on the exchange it already created instead of creating another.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ct.emails.notify import notify_collaborators, notify_task_assigned
from ct.exchanges.mentions import notify_mentions, sync_mentions
from ct.extensions import db
from ct.models import (
    Choice,
    Contact,
    Document,
    Event,
    EventAssignee,
    EventContact,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    ExchangeProduct,
    Group,
    Membership,
    Product,
    Project,
    Task,
    Tiers,
)
from ct.models.exchange import STATUSES

DEFAULT_EVENT_LENGTH = timedelta(hours=1)
# The parts a company's settings (or a member's rights) may leave out of the form: an
# exchange keeps what it had for a part its draft does not ask.
MADE_BY, COLLABORATORS, CONFIDENTIAL, PRODUCTS = "made_by", "collaborators", "confidential", \
    "products"


@dataclass
class TaskDraft:
    label: str
    project: Project | None = None
    assignee: Membership | None = None  # None: the author
    due_date: date | None = None


@dataclass
class EventDraft:
    title: str
    starts_at: datetime  # UTC
    ends_at: datetime | None = None  # None: DEFAULT_EVENT_LENGTH after the start
    location: str | None = None
    assignees: list[Membership] = field(default_factory=list)  # none: the author
    reminder_minutes: int | None = None


@dataclass
class ExchangeDraft:
    tiers: Tiers
    occurred_at: datetime  # UTC
    status: str
    comment: str | None = None
    mode: Choice | None = None
    object_choice: Choice | None = None
    document: Document | None = None
    project: Project | None = None
    contacts: list[Contact] = field(default_factory=list)
    made_by: Membership | None = None  # None: the member saving
    collaborators: list[Membership] = field(default_factory=list)
    notify_collaborators: bool = False
    confidential_comment: str | None = None
    group: Group | None = None
    products: list[Product] = field(default_factory=list)
    task: TaskDraft | None = None
    event: EventDraft | None = None
    form_token: str | None = None
    # The members the form says are @mentioned (ct/exchanges/mentions.py keeps those whose
    # "@name" is still in a text).
    mentioned: list[Membership] = field(default_factory=list)
    asked: frozenset[str] = frozenset()  # of MADE_BY, COLLABORATORS, CONFIDENTIAL, PRODUCTS


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


def create_exchange(draft: ExchangeDraft, author: Membership) -> Exchange:
    """A new exchange, with the task and event its draft asks for."""
    exchange = Exchange(author_id=author.id, form_token=draft.form_token or None)
    _apply(exchange, draft, author)
    if draft.task is not None:
        exchange.task = _new_task(draft.task, author)
    if draft.event is not None:
        exchange.event = _new_event(draft, author)
    db.session.add(exchange)
    return exchange


def notify_about(exchange: Exchange, author: Membership) -> list[Membership]:
    """Emails of a new exchange, in its transaction: the collaborators when "notify" is
    ticked, the assignee of its follow-up task, the members it mentions. Returns the
    collaborators who could not be notified."""
    db.session.flush()
    notify_mentions(exchange, author)
    not_notified = []
    if exchange.notify_collaborators and exchange.collaborator_links:
        not_notified = notify_collaborators(exchange, sender=author)
    if exchange.task is not None:
        notify_task_assigned(exchange.task, author)
    return not_notified


def update_exchange(exchange: Exchange, draft: ExchangeDraft, editor: Membership) -> Exchange:
    """The exchange changed as the draft says; a task or event may be added if none yet.
    A member newly mentioned gets their email (the others had theirs)."""
    _apply(exchange, draft, editor)
    if exchange.task_id is None and draft.task is not None:
        exchange.task = _new_task(draft.task, editor)
    if exchange.event_id is None and draft.event is not None:
        exchange.event = _new_event(draft, editor)
    notify_mentions(exchange, editor)
    return exchange


def set_status(exchange: Exchange, status: str) -> bool:
    if status not in STATUSES:
        return False
    exchange.status = status
    return True


def _apply(exchange: Exchange, draft: ExchangeDraft, member: Membership) -> None:
    exchange.tiers_id = draft.tiers.id
    exchange.occurred_at = draft.occurred_at
    exchange.status = draft.status
    exchange.comment = draft.comment or None
    exchange.mode_id = draft.mode.id if draft.mode else None
    exchange.object_id = draft.object_choice.id if draft.object_choice else None
    exchange.document_id = draft.document.id if draft.document else None
    exchange.project_id = draft.project.id if draft.project else None
    # Parts the settings (or the member's rights) hide keep what the exchange had.
    if MADE_BY in draft.asked:
        exchange.made_by_id = draft.made_by.id if draft.made_by else member.id
    elif exchange.made_by_id is None:
        exchange.made_by_id = exchange.author_id
    if COLLABORATORS in draft.asked:
        exchange.notify_collaborators = draft.notify_collaborators
        _sync(exchange.collaborator_links, "membership_id",
              [m.id for m in draft.collaborators], ExchangeCollaborator)
    if CONFIDENTIAL in draft.asked:
        exchange.confidential_comment = draft.confidential_comment or None
        exchange.confidential_group_id = draft.group.id if draft.group else None
    if PRODUCTS in draft.asked:
        _sync(exchange.product_links, "product_id", [p.id for p in draft.products],
              ExchangeProduct)
    _sync(exchange.contact_links, "contact_id", [c.id for c in draft.contacts], ExchangeContact)
    # The one place the texts are saved: the mentions follow them.
    sync_mentions(exchange, draft.mentioned, confidential_known=CONFIDENTIAL in draft.asked)


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


def _new_task(task: TaskDraft, member: Membership) -> Task:
    return Task(
        label=task.label,
        project_id=task.project.id if task.project else None,
        assignee_id=task.assignee.id if task.assignee else member.id,
        due_date=task.due_date,
        created_by_id=member.id,
    )


def _new_event(draft: ExchangeDraft, member: Membership) -> Event:
    event = draft.event
    assignees = [m.id for m in event.assignees] or [member.id]
    return Event(
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at or event.starts_at + DEFAULT_EVENT_LENGTH,
        location=event.location or None,
        tiers_id=draft.tiers.id,
        reminder_minutes=event.reminder_minutes,
        created_by_id=member.id,
        contact_links=[EventContact(contact_id=c.id) for c in draft.contacts],
        assignee_links=[EventAssignee(membership_id=i) for i in assignees],
    )
