"""Invitations of teammates: an expiring, single-use link sent by email."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import TenantScoped, bound_tenant
from ct.extensions import db
from ct.models.base import UTCDateTime, utcnow
from ct.models.membership import Membership
from ct.models.tenant import Tenant
from ct.models.user import EMAIL_MAX, normalize_email


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="invitation")


class Invitation(TenantScoped, db.Model):
    __tablename__ = "invitations"
    __tenant_refs__ = {"invited_by_id": "memberships"}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX))
    role: Mapped[str] = mapped_column(String(20))
    invited_by_id: Mapped[int | None] = mapped_column(index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invited_by: Mapped[Membership | None] = relationship(foreign_keys=[invited_by_id])
    tenant: Mapped[Tenant] = relationship()

    @classmethod
    def issue(cls, email: str, role: str, invited_by: Membership) -> tuple[Invitation, str]:
        """A new invitation and the token of its link (only its hash is stored)."""
        invitation = cls(email=normalize_email(email), role=role, invited_by=invited_by)
        secret = invitation._new_secret()
        db.session.add(invitation)
        db.session.flush()
        return invitation, invitation._token(secret)

    def renew(self) -> str:
        """A new link with a fresh delay; the links sent before stop working."""
        return self._token(self._new_secret())

    def _new_secret(self) -> str:
        secret = secrets.token_urlsafe(24)
        self.secret_hash = _hash(secret)
        self.expires_at = utcnow() + timedelta(seconds=current_app.config["INVITATION_MAX_AGE"])
        return secret

    def _token(self, secret: str) -> str:
        return _serializer().dumps([self.tenant_id, self.id, secret])

    @staticmethod
    def pending() -> list[Invitation]:
        """Invitations of the bound tenant still waiting for an answer."""
        return list(
            db.session.scalars(
                select(Invitation)
                .where(Invitation.accepted_at.is_(None), Invitation.expires_at > utcnow())
                .order_by(Invitation.created_at.desc())
            )
        )

    @property
    def usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > utcnow()

    @staticmethod
    def from_token(token: str) -> tuple[int, int, str] | None:
        """(tenant id, invitation id, secret) of a well-signed token, else None."""
        try:
            tenant_id, invitation_id, secret = _serializer().loads(token)
        except (BadSignature, ValueError, TypeError):
            return None
        # type() and not isinstance(): True is an int too, and no id at all.
        if not (type(tenant_id) is int and type(invitation_id) is int):
            return None
        return tenant_id, invitation_id, str(secret)

    @staticmethod
    def find_usable(token: str) -> Invitation | None:
        """The pending invitation of ``token`` — its tenant stays bound by the caller."""
        parsed = Invitation.from_token(token)
        if parsed is None:
            return None
        tenant_id, invitation_id, secret = parsed
        with bound_tenant(tenant_id):
            invitation = db.session.scalar(select(Invitation).where(Invitation.id == invitation_id))
        if invitation is None or not secrets.compare_digest(invitation.secret_hash, _hash(secret)):
            return None
        return invitation if invitation.usable else None
