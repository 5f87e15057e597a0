"""Agenda events, with their contacts, assignees and reminder."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import Timestamps, UTCDateTime
from ct.models.contact import Contact
from ct.models.membership import Membership
from ct.models.tiers import Tiers

TITLE_MAX = 200
LOCATION_MAX = 255
NOTES_MAX = 5000  # a Text column: the limit is the form's


class Event(TenantScoped, Timestamps, db.Model):
    __tablename__ = "events"
    __tenant_refs__ = {"tiers_id": "tiers", "created_by_id": "memberships"}
    __extra_args__ = (
        Index("ix_events_tenant_start", "tenant_id", "starts_at", "id"),
        # The week: events begun before it and not over yet (migration 0018).
        Index("ix_events_tenant_end", "tenant_id", "ends_at"),
        Index("ix_events_tenant_tiers", "tenant_id", "tiers_id", "starts_at"),
        # The clock's question: which reminders are due and not sent yet?
        Index("ix_events_reminder_due", "reminder_sent_at", "reminder_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    location: Mapped[str | None] = mapped_column(String(LOCATION_MAX))
    notes: Mapped[str | None] = mapped_column(Text)
    tiers_id: Mapped[int | None] = mapped_column()
    reminder_minutes: Mapped[int | None] = mapped_column(Integer)
    # starts_at - reminder, kept in step on every save so moving an event moves it.
    reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column()

    tiers: Mapped[Tiers | None] = relationship(foreign_keys=[tiers_id])
    contact_links: Mapped[list[EventContact]] = relationship(
        foreign_keys="EventContact.event_id", cascade="all, delete-orphan"
    )
    assignee_links: Mapped[list[EventAssignee]] = relationship(
        foreign_keys="EventAssignee.event_id", cascade="all, delete-orphan"
    )

    @property
    def contacts(self) -> list[Contact]:
        return [link.contact for link in self.contact_links]

    @property
    def assignees(self) -> list[Membership]:
        return [link.membership for link in self.assignee_links]


class EventContact(TenantScoped, db.Model):
    __tablename__ = "event_contacts"
    __tenant_refs__ = {"event_id": "events", "contact_id": "contacts"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "event_id", "contact_id"),
        Index("ix_event_contacts_contact", "tenant_id", "contact_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column()
    contact_id: Mapped[int] = mapped_column()

    contact: Mapped[Contact] = relationship(foreign_keys=[contact_id])


class EventAssignee(TenantScoped, db.Model):
    __tablename__ = "event_assignees"
    __tenant_refs__ = {"event_id": "events", "membership_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "event_id", "membership_id"),
        Index("ix_event_assignees_member", "tenant_id", "membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column()
    membership_id: Mapped[int] = mapped_column()

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])


def schedule_reminder(mapper, connection, ev: Event) -> None:
    new_at = (
        ev.starts_at - timedelta(minutes=ev.reminder_minutes)
        if ev.reminder_minutes is not None and ev.starts_at is not None
        else None
    )
    if new_at != ev.reminder_at:
        ev.reminder_at = new_at
        ev.reminder_sent_at = None  # a moved event reminds again at its new time
