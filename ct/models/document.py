"""Documents of a third party (quotes, orders, invoices…) and the tenant's products."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import Timestamps
from ct.models.choices import Choice
from ct.models.tiers import Tiers

REFERENCE_MAX = 60
DESCRIPTION_MAX = 255
LABEL_MAX = 200

# Kinds of documents are a tenant list (Choice kind "document"); these are seeded.
DOCUMENT_STATUSES = ("draft", "sent", "accepted", "refused", "paid", "cancelled")


class Document(TenantScoped, Timestamps, db.Model):
    __tablename__ = "documents"
    __tenant_refs__ = {"tiers_id": "tiers", "kind_id": "choices", "created_by_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "kind_id", "reference"),
        Index("ix_documents_tenant_tiers", "tenant_id", "tiers_id", "date"),
        Index("ix_documents_tenant_date", "tenant_id", "date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind_id: Mapped[int] = mapped_column()
    reference: Mapped[str] = mapped_column(String(REFERENCE_MAX))
    tiers_id: Mapped[int] = mapped_column()
    date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX))
    created_by_id: Mapped[int | None] = mapped_column()

    kind: Mapped[Choice] = relationship(foreign_keys=[kind_id])
    tiers: Mapped[Tiers] = relationship(foreign_keys=[tiers_id])


class Product(TenantScoped, Timestamps, db.Model):
    __tablename__ = "products"
    __extra_args__ = (
        UniqueConstraint("tenant_id", "reference"),
        Index("ix_products_tenant_label", "tenant_id", "label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_MAX))
    label: Mapped[str] = mapped_column(String(LABEL_MAX))
    price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
