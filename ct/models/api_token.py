"""Personal API tokens: a member's key to the REST API of one company, revocable.

A token reads ``ct_<tenant id>_<random secret>``. Only the SHA-256 of the whole token is
stored, so a copy of the database gives no access; the ``ct_`` prefix lets secret
scanners recognise a leaked one, and the tenant id lets the API bind the company before
looking the token up (every query, this one too, runs under the company's row-level
security). A revoked token keeps its row (name, dates) for the admin's list and the audit
trail; only the row's hash is looked up, so it authenticates nothing any more.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from ct.core.ids import parse_id
from ct.core.tenancy import TenantScoped
from ct.extensions import db
from ct.models.base import SECRET_MAX, UTCDateTime, secret_hash, utcnow
from ct.models.membership import Membership

PREFIX = "ct_"
NAME_MAX = 80


class ApiToken(TenantScoped, db.Model):
    __tablename__ = "api_tokens"
    __tenant_refs__ = {"membership_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "token_hash"),
        Index("ix_api_tokens_tenant_membership", "tenant_id", "membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])

    @staticmethod
    def issue(membership: Membership, name: str) -> tuple[ApiToken, str]:
        """A new token of ``membership``; the secret is returned once, never stored."""
        token = f"{PREFIX}{membership.tenant_id}_{secrets.token_urlsafe(32)}"
        row = ApiToken(membership_id=membership.id, name=name, token_hash=secret_hash(token))
        db.session.add(row)
        return row, token

    @staticmethod
    def tenant_of(token: str) -> int | None:
        """The company a token claims (to bind it first), or None if malformed."""
        if len(token) > SECRET_MAX or not token.startswith(PREFIX):
            return None
        tenant, _, secret = token[len(PREFIX):].partition("_")
        return parse_id(tenant) if secret else None

    @staticmethod
    def find(token: str) -> ApiToken | None:
        """The bound company's live token ``token`` (bind ``tenant_of(token)`` first)."""
        # Its member (and the member's user) in the same statement: every request needs them.
        return db.session.scalar(select(ApiToken).options(joinedload(ApiToken.membership))
                                 .where(ApiToken.token_hash == secret_hash(token),
                                        ApiToken.revoked_at.is_(None)))

    @staticmethod
    def listed(membership_id: int | None = None) -> list[ApiToken]:
        """The bound company's tokens (one member's, or all), newest first."""
        # The member and its user come in the same query (the admin's list names them).
        query = (select(ApiToken).options(joinedload(ApiToken.membership))
                 .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
        if membership_id is not None:
            query = query.where(ApiToken.membership_id == membership_id)
        return list(db.session.scalars(query))


class ApiIdempotencyKey(TenantScoped, db.Model):
    """The answer to a POST sent with an Idempotency-Key, kept so that a retry of the
    same request gets the same answer instead of a second record. Written in the same
    transaction as the record: both exist, or neither."""

    __tablename__ = "api_idempotency_keys"
    __tenant_refs__ = {"token_id": "api_tokens"}
    __extra_args__ = (UniqueConstraint("tenant_id", "token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column()
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path, body
    status: Mapped[int] = mapped_column()
    location: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
