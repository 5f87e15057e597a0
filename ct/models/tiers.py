"""Third parties ("tiers"): the prospects, customers and suppliers exchanges are about."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped
from ct.core.text import company_key, fold, search_blob
from ct.extensions import db
from ct.models.base import Timestamps, sort_key_type
from ct.models.membership import Membership

NAME_MAX = 200
CODE_MAX = 40
EMAIL_MAX = 254
PHONE_MAX = 40
URL_MAX = 255
STREET_MAX = 255
POSTCODE_MAX = 20
TOWN_MAX = 120
COUNTRY_MAX = 80
NOTES_MAX = 5000

KINDS = ("prospect", "customer", "supplier")


class Tiers(TenantScoped, Timestamps, db.Model):
    __tablename__ = "tiers"
    __tenant_refs__ = {"sales_rep_id": "memberships", "created_by_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "customer_code"),
        # Keyset pagination and "starts with" search on the folded name.
        Index("ix_tiers_tenant_sort", "tenant_id", "sort_key", "id"),
        Index("ix_tiers_tenant_name_key", "tenant_id", "name_key"),
        Index("ix_tiers_tenant_email", "tenant_id", "email"),
        Index("ix_tiers_tenant_sales_rep", "tenant_id", "sales_rep_id"),
        # The list sorted by creation date pages through an index too.
        Index("ix_tiers_tenant_created", "tenant_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    is_prospect: Mapped[bool] = mapped_column(Boolean, default=False)
    is_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    is_supplier: Mapped[bool] = mapped_column(Boolean, default=False)
    customer_code: Mapped[str | None] = mapped_column(String(CODE_MAX))
    email: Mapped[str | None] = mapped_column(String(EMAIL_MAX))
    phone: Mapped[str | None] = mapped_column(String(PHONE_MAX))
    website: Mapped[str | None] = mapped_column(String(URL_MAX))
    street: Mapped[str | None] = mapped_column(String(STREET_MAX))
    postcode: Mapped[str | None] = mapped_column(String(POSTCODE_MAX))
    town: Mapped[str | None] = mapped_column(String(TOWN_MAX))
    country: Mapped[str | None] = mapped_column(String(COUNTRY_MAX))
    sales_rep_id: Mapped[int | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column()
    # Derived on every save (see derive_keys): sorting, duplicate checks and search.
    sort_key: Mapped[str] = mapped_column(sort_key_type(NAME_MAX))
    name_key: Mapped[str] = mapped_column(sort_key_type(NAME_MAX))
    search_text: Mapped[str] = mapped_column(Text)

    sales_rep: Mapped[Membership | None] = relationship(foreign_keys=[sales_rep_id])
    created_by: Mapped[Membership | None] = relationship(foreign_keys=[created_by_id])

    @property
    def kinds(self) -> list[str]:
        return [k for k in KINDS if getattr(self, f"is_{k}")]

    @staticmethod
    def possible_duplicates(name: str, email: str | None, exclude_id: int | None = None,
                            limit: int = 5) -> list[Tiers]:
        """Tiers whose name (accents, case, legal form ignored) or email match."""
        conditions = [Tiers.name_key == company_key(name)]
        if email:
            conditions.append(func.lower(Tiers.email) == email.strip().lower())
        query = select(Tiers).where(db.or_(*conditions)).order_by(Tiers.sort_key).limit(limit)
        if exclude_id is not None:
            query = query.where(Tiers.id != exclude_id)
        return list(db.session.scalars(query))


def coalesced(column):
    """A nullable column as a sort key that is never NULL (keyset pagination compares
    it). The literal '' (not a bound parameter) lets PostgreSQL use the expression
    indexes ix_tiers_tenant_code_sort and ix_tiers_tenant_town_sort of migration
    0005_tiers, created there only: SQLite cannot reflect expression indexes."""
    return func.coalesce(column, literal_column("''"))


def derive_keys(mapper, connection, tiers: Tiers) -> None:
    tiers.sort_key = fold(tiers.name)[:NAME_MAX]
    tiers.name_key = company_key(tiers.name)[:NAME_MAX]
    tiers.search_text = search_blob(
        tiers.name, tiers.customer_code, tiers.email, tiers.town, tiers.phone, tiers.postcode
    )
