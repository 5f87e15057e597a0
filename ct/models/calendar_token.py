"""The private address of a member's calendar feed (iCalendar), revocable at any time.

The address holds ``<tenant id>-<random secret>``; only the secret's SHA-256 is stored,
so a copy of the database gives no one's calendar away. The tenant id in front lets the
feed bind its tenant before looking the secret up, like every other query. One token per
member: a new one replaces the old.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import String, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.ids import parse_id
from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import SECRET_MAX, UTCDateTime, secret_hash, utcnow
from ct.models.membership import Membership


class CalendarToken(TenantScoped, db.Model):
    __tablename__ = "calendar_tokens"
    __tenant_refs__ = {"membership_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "membership_id"),
        UniqueConstraint("tenant_id", "token_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column()
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])

    @staticmethod
    def of(membership: Membership) -> CalendarToken | None:
        return db.session.scalar(
            select(CalendarToken).where(CalendarToken.membership_id == membership.id))

    @staticmethod
    def issue(membership: Membership) -> str:
        """A new token for ``membership`` (the old address stops working); shown once."""
        CalendarToken.revoke(membership)
        secret = secrets.token_urlsafe(32)
        db.session.add(CalendarToken(membership_id=membership.id, token_hash=secret_hash(secret)))
        return f"{membership.tenant_id}-{secret}"

    @staticmethod
    def revoke(membership: Membership) -> None:
        db.session.execute(
            delete(CalendarToken).where(CalendarToken.membership_id == membership.id))

    @staticmethod
    def tenant_of(token: str) -> int | None:
        """The tenant a token claims to belong to (to bind it), or None if malformed."""
        tenant, _, secret = token.partition("-")
        if len(token) > SECRET_MAX or not secret or tenant != tenant.strip():
            return None
        return parse_id(tenant)  # "02-…" is not the address of company 2

    @staticmethod
    def find(token: str) -> CalendarToken | None:
        """The bound tenant's row for ``token`` (bind ``tenant_of(token)`` first)."""
        secret = token.partition("-")[2]
        return db.session.scalar(
            select(CalendarToken).where(CalendarToken.token_hash == secret_hash(secret)))
