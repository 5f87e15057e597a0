"""The exchange: one contact with a third party — who, how, about what, what next."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.core.text import fold
from ct.extensions import db
from ct.models.agenda import Event
from ct.models.attachment import ExchangeAttachment
from ct.models.base import Timestamps, UTCDateTime, utcnow
from ct.models.choices import Choice
from ct.models.contact import Contact
from ct.models.document import Document, Product
from ct.models.membership import Group, Membership
from ct.models.project import Project, Task
from ct.models.tiers import Tiers

COMMENT_MAX = 20000

STATUS_CLOSED = "closed"
STATUS_IN_PROGRESS = "in_progress"
STATUS_TODO = "todo"
STATUSES = (STATUS_CLOSED, STATUS_IN_PROGRESS, STATUS_TODO)


class Exchange(TenantScoped, Timestamps, db.Model):
    __tablename__ = "exchanges"
    __tenant_refs__ = {
        "tiers_id": "tiers",
        "document_id": "documents",
        "project_id": "projects",
        "author_id": "memberships",
        "made_by_id": "memberships",
        "mode_id": "choices",
        "object_id": "choices",
        "confidential_group_id": "groups",
        "task_id": "tasks",
        "event_id": "events",
    }
    __extra_args__ = (
        # A form submitted twice (double click, stale tab) creates one exchange.
        UniqueConstraint("tenant_id", "form_token"),
        # Newest first, per tenant and per the filters used most.
        Index("ix_exchanges_tenant_date", "tenant_id", "occurred_at", "id"),
        Index("ix_exchanges_tenant_tiers_date", "tenant_id", "tiers_id", "occurred_at", "id"),
        Index("ix_exchanges_tenant_status_date", "tenant_id", "status", "occurred_at", "id"),
        Index("ix_exchanges_tenant_author_date", "tenant_id", "author_id", "occurred_at", "id"),
        Index("ix_exchanges_tenant_made_by_date", "tenant_id", "made_by_id", "occurred_at", "id"),
        # The list's mode and object filters: a rarely used value must not scan the tenant.
        Index("ix_exchanges_tenant_mode_date", "tenant_id", "mode_id", "occurred_at", "id"),
        Index("ix_exchanges_tenant_object_date", "tenant_id", "object_id", "occurred_at", "id"),
        Index("ix_exchanges_tenant_document", "tenant_id", "document_id"),
        Index("ix_exchanges_tenant_project", "tenant_id", "project_id"),
        # The contacts each member is to make (home counters and "next contacts"): a few
        # per cent of the rows, where the made-by index would read all of theirs.
        Index("ix_exchanges_tenant_todo", "tenant_id", "made_by_id", "occurred_at", "id",
              postgresql_where=text(f"status = '{STATUS_TODO}'"),
              sqlite_where=text(f"status = '{STATUS_TODO}'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tiers_id: Mapped[int] = mapped_column()
    document_id: Mapped[int | None] = mapped_column()
    project_id: Mapped[int | None] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int] = mapped_column()
    made_by_id: Mapped[int] = mapped_column()
    mode_id: Mapped[int | None] = mapped_column()
    object_id: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default=STATUS_CLOSED)
    comment: Mapped[str | None] = mapped_column(Text)
    confidential_comment: Mapped[str | None] = mapped_column(Text)
    confidential_group_id: Mapped[int | None] = mapped_column()
    notify_collaborators: Mapped[bool] = mapped_column(Boolean, default=False)
    task_id: Mapped[int | None] = mapped_column()
    event_id: Mapped[int | None] = mapped_column()
    form_token: Mapped[str | None] = mapped_column(String(40))
    # Folded comment for the text filter (never the confidential part).
    search_text: Mapped[str] = mapped_column(Text, default="")

    tiers: Mapped[Tiers] = relationship(foreign_keys=[tiers_id])
    document: Mapped[Document | None] = relationship(foreign_keys=[document_id])
    project: Mapped[Project | None] = relationship(foreign_keys=[project_id])
    author: Mapped[Membership] = relationship(foreign_keys=[author_id])
    made_by: Mapped[Membership] = relationship(foreign_keys=[made_by_id])
    mode: Mapped[Choice | None] = relationship(foreign_keys=[mode_id])
    object: Mapped[Choice | None] = relationship(foreign_keys=[object_id])
    confidential_group: Mapped[Group | None] = relationship(foreign_keys=[confidential_group_id])
    task: Mapped[Task | None] = relationship(foreign_keys=[task_id])
    event: Mapped[Event | None] = relationship(foreign_keys=[event_id])
    contact_links: Mapped[list[ExchangeContact]] = relationship(
        foreign_keys="ExchangeContact.exchange_id", cascade="all, delete-orphan")
    product_links: Mapped[list[ExchangeProduct]] = relationship(
        foreign_keys="ExchangeProduct.exchange_id", cascade="all, delete-orphan")
    collaborator_links: Mapped[list[ExchangeCollaborator]] = relationship(
        foreign_keys="ExchangeCollaborator.exchange_id", cascade="all, delete-orphan")
    mention_links: Mapped[list[ExchangeMention]] = relationship(
        foreign_keys="ExchangeMention.exchange_id", cascade="all, delete-orphan")
    # The rows only: their files stay in the storage while the exchange is in the trash.
    attachments: Mapped[list[ExchangeAttachment]] = relationship(
        foreign_keys=[ExchangeAttachment.exchange_id], cascade="all, delete-orphan",
        order_by=ExchangeAttachment.id)

    @property
    def contacts(self) -> list[Contact]:
        return [link.contact for link in self.contact_links]

    @property
    def products(self) -> list[Product]:
        return [link.product for link in self.product_links]

    @property
    def collaborators(self) -> list[Membership]:
        return [link.membership for link in self.collaborator_links]


# The ``elsewhere`` flag of every link, from scratch, in one pass on PostgreSQL: for a bulk
# load written with the triggers off (bench/dataset).
LINKS_ELSEWHERE = """
UPDATE exchange_contacts ec SET elsewhere = true FROM contacts c, exchanges e
WHERE c.tenant_id = ec.tenant_id AND c.id = ec.contact_id
  AND e.tenant_id = ec.tenant_id AND e.id = ec.exchange_id AND c.tiers_id <> e.tiers_id
"""


class ExchangeContact(TenantScoped, db.Model):
    __tablename__ = "exchange_contacts"
    __tenant_refs__ = {"exchange_id": "exchanges", "contact_id": "contacts"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "exchange_id", "contact_id"),
        Index("ix_exchange_contacts_contact", "tenant_id", "contact_id", "exchange_id"),
        Index("ix_exchange_contacts_elsewhere", "tenant_id", "contact_id", "exchange_id",
              postgresql_where=text("elsewhere"), sqlite_where=text("elsewhere")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column()
    contact_id: Mapped[int] = mapped_column()
    # The contact's tiers is not the exchange's (it moved, or belongs to a group company).
    # Written by the database's triggers (migration 0014), never by the application.
    elsewhere: Mapped[bool] = mapped_column(server_default=false())

    contact: Mapped[Contact] = relationship(foreign_keys=[contact_id])


class ExchangeProduct(TenantScoped, db.Model):
    __tablename__ = "exchange_products"
    __tenant_refs__ = {"exchange_id": "exchanges", "product_id": "products"}
    __extra_args__ = (UniqueConstraint("tenant_id", "exchange_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column()

    product: Mapped[Product] = relationship(foreign_keys=[product_id])


class ExchangeCollaborator(TenantScoped, db.Model):
    __tablename__ = "exchange_collaborators"
    __tenant_refs__ = {"exchange_id": "exchanges", "membership_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "exchange_id", "membership_id"),
        # "Exchanges I collaborate on" for members who read only their own.
        Index("ix_exchange_collaborators_member", "tenant_id", "membership_id", "exchange_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column()
    membership_id: Mapped[int] = mapped_column()

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])


class ExchangeMention(TenantScoped, db.Model):
    """A member "@mentioned" in the comment or the confidential comment of an exchange.

    Derived from the texts whenever the exchange is saved (ct/exchanges/mentions.py):
    a row exists while the text still mentions the member. ``notified_at`` says the
    member had their one email about it (so saving again sends nothing new)."""

    __tablename__ = "exchange_mentions"
    __tenant_refs__ = {"exchange_id": "exchanges", "membership_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "exchange_id", "membership_id"),
        # The Mentions filter and the home widget: a member's mentions, newest first.
        Index("ix_exchange_mentions_member", "tenant_id", "membership_id", "exchange_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exchange_id: Mapped[int] = mapped_column()
    membership_id: Mapped[int] = mapped_column()
    # In the confidential comment: only its readers may be mentioned there.
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])


def derive_search_text(mapper, connection, exchange: Exchange) -> None:
    exchange.search_text = fold(exchange.comment)[:COMMENT_MAX]
