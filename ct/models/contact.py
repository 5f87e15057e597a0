"""Contacts: the people met at a third party (or on their own)."""

from __future__ import annotations

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.core.text import fold, search_blob
from ct.extensions import db
from ct.models.base import Timestamps, sort_key_type
from ct.models.tiers import EMAIL_MAX, PHONE_MAX, Tiers

NAME_MAX = 100
JOB_MAX = 120
NOTES_MAX = 5000


def full_name_of(first_name: str | None, last_name: str | None) -> str:
    return " ".join(part for part in (first_name, last_name) if part)


class Contact(TenantScoped, Timestamps, db.Model):
    __tablename__ = "contacts"
    __tenant_refs__ = {"tiers_id": "tiers", "created_by_id": "memberships"}
    __extra_args__ = (
        Index("ix_contacts_tenant_sort", "tenant_id", "sort_key", "id"),
        Index("ix_contacts_tenant_tiers", "tenant_id", "tiers_id", "sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    last_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    job_title: Mapped[str | None] = mapped_column(String(JOB_MAX))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    mobile: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    tiers_id: Mapped[int | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column()
    sort_key: Mapped[str] = mapped_column(sort_key_type(2 * NAME_MAX + 1))
    search_text: Mapped[str] = mapped_column(Text)

    tiers: Mapped[Tiers | None] = relationship(foreign_keys=[tiers_id])

    @property
    def full_name(self) -> str:
        return full_name_of(self.first_name, self.last_name)


def derive_keys(mapper, connection, contact: Contact) -> None:
    contact.sort_key = fold(f"{contact.last_name or ''} {contact.first_name or ''}").strip()
    contact.search_text = search_blob(
        contact.first_name, contact.last_name, contact.email, contact.phone, contact.mobile,
        contact.job_title,
    )
