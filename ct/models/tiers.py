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
from ct.core.text import company_key, fold, like_escaped, search_blob
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
# Names at least this alike (pg_trgm similarity of the company keys) may be duplicates:
# "Dupond Industries" / "Dupont Industries" 0.8, "Hôtel des Alps" / "Hôtel des Alpes"
# 0.76, "Dupond" / "Dupont" 0.56; "Hôtel du Lac" / "Hôtel du Parc" 0.5 and "Pharmacie du
# Centre" / "Pharmacie de la Gare" 0.41 are not (tests/test_tiers_duplicates.py).
NAME_SIMILARITY = 0.55
# Addresses shared by unrelated people: the same domain says nothing about the company.
FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.fr", "outlook.com", "outlook.fr",
    "live.com", "live.fr", "msn.com", "yahoo.com", "yahoo.fr", "icloud.com", "me.com",
    "aol.com", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "neuf.fr", "bbox.fr",
    "laposte.net", "gmx.fr", "gmx.com", "protonmail.com", "proton.me",
})
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
        """Tiers that may be this one: a name alike once accents, case and legal form are
        set aside ("Dupont SARL" = "DUPONT"), or a letter or two apart ("Dupond Industries"
        beside "Dupont Industries", trigram similarity); the same email, or an email at
        the same company domain (not a free-mail one). The closest names first."""
        key = company_key(name)
        closeness = func.similarity(Tiers.name_key, key)
        alike = closeness >= NAME_SIMILARITY
        if db.session.get_bind().dialect.name == "postgresql":
            # "%" (similarity above pg_trgm's own, lower threshold) can use the trigram
            # index of name_key (migration 0019); similarity() then keeps the close ones.
            alike = db.and_(Tiers.name_key.op("%", is_comparison=True)(key), alike)
        conditions = [Tiers.name_key == key, alike]
        address = (email or "").strip().lower()
        if address:
            conditions.append(func.lower(Tiers.email) == address)
            domain = address.rpartition("@")[2]
            if domain and domain not in FREE_MAIL_DOMAINS:
                conditions.append(func.lower(Tiers.email).like(f"%@{like_escaped(domain)}",
                                                              escape="\\"))
        query = (select(Tiers).where(db.or_(*conditions))
                 .order_by(closeness.desc(), Tiers.sort_key).limit(limit))
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
