"""Email capture: each member's private capture address, and the messages it received.

An address reads ``log-<token>@<MAIL_CAPTURE_DOMAIN>``. The token is not stored: it is
derived from a random nonce with the application's SECRET_KEY (HMAC-SHA256, 160 bits
kept), so the member's page can show the address again while a copy of the database
alone (nonces and hashes) does not let anyone write to it. The SHA-256 of the token is
stored for the look-up (indexed across companies); an address resolves to exactly one
company and member, or to none. Changing SECRET_KEY therefore changes every address (the pages then
offer a new one); docs/EMAIL.md says so.

A message is kept raw (``InboundEmail``) in the transaction that answers the sender 250;
a job then turns it into exchanges. The raw bytes stay for the "To classify" list and
for a message that could not be read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import Index, LargeBinary, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ct.core.tenancy import ALL_TENANTS, TenantScoped
from ct.extensions import db
from ct.models.base import UTCDateTime, secret_hash, utcnow
from ct.models.membership import Membership

LOCAL_PREFIX = "log-"
TOKEN_LENGTH = 32  # base32 characters: 160 bits

# What became of a received message. PARTIAL: logged with the people who matched, some
# addresses still unknown (the member may classify them too, or leave them).
PENDING, DONE, TO_CLASSIFY, PARTIAL, FAILED, DISMISSED = (
    "pending", "done", "to_classify", "partial", "failed", "dismissed")
INBOUND_STATUSES = (PENDING, DONE, TO_CLASSIFY, PARTIAL, FAILED, DISMISSED)
CLASSIFIABLE = (TO_CLASSIFY, PARTIAL)  # addresses to classify
WAITING = (*CLASSIFIABLE, FAILED)  # for the member to look at: the "To classify" list
MESSAGE_ID_MAX = 255
SENDER_MAX = 320
SUBJECT_MAX = 255


def token_of(nonce: str) -> str:
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), b"capture:" + nonce.encode(),
                      hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:TOKEN_LENGTH]


class CaptureAddress(TenantScoped, db.Model):
    __tablename__ = "capture_addresses"
    __tenant_refs__ = {"membership_id": "memberships"}
    __extra_args__ = (
        UniqueConstraint("tenant_id", "token_hash", name="uq_capture_addresses_token_hash"),
        # The look-up by token, before any company is bound (resolve()).
        Index("ix_capture_addresses_token_hash", "token_hash"),
        Index("ix_capture_addresses_tenant_membership", "tenant_id", "membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column()
    # With SECRET_KEY it gives the address: never in the company's export.
    nonce: Mapped[str] = mapped_column(String(32), info={"export": False})
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])

    @property
    def address(self) -> str:
        domain = current_app.config["MAIL_CAPTURE_DOMAIN"]
        return f"{LOCAL_PREFIX}{token_of(self.nonce)}@{domain}"

    @property
    def still_valid(self) -> bool:
        """False once SECRET_KEY changed: the address shown would not be this row's."""
        return secret_hash(token_of(self.nonce)) == self.token_hash

    @staticmethod
    def issue(membership: Membership) -> CaptureAddress:
        nonce = secrets.token_hex(16)
        row = CaptureAddress(membership_id=membership.id, nonce=nonce,
                             token_hash=secret_hash(token_of(nonce)))
        db.session.add(row)
        return row

    @staticmethod
    def live_of(membership_id: int) -> CaptureAddress | None:
        """The member's live address in the bound company."""
        return db.session.scalar(select(CaptureAddress).where(
            CaptureAddress.membership_id == membership_id,
            CaptureAddress.revoked_at.is_(None)).order_by(CaptureAddress.id.desc()).limit(1))

    @staticmethod
    def resolve(address: str) -> CaptureAddress | None:
        """The live address ``address`` names, of a member still active, in whichever
        company: the one look-up across companies (by the token's hash), made before any
        company is bound."""
        local, _, domain = address.strip().lower().rpartition("@")
        if domain != current_app.config["MAIL_CAPTURE_DOMAIN"].lower():
            return None
        if not local.startswith(LOCAL_PREFIX) or len(local) != len(LOCAL_PREFIX) + TOKEN_LENGTH:
            return None
        token = local[len(LOCAL_PREFIX):]
        found = db.session.scalars(
            select(CaptureAddress)
            .join(Membership, (Membership.tenant_id == CaptureAddress.tenant_id)
                  & (Membership.id == CaptureAddress.membership_id))
            .where(CaptureAddress.token_hash == secret_hash(token),
                   CaptureAddress.revoked_at.is_(None), Membership.active.is_(True))
            .limit(2).execution_options(**{ALL_TENANTS: True})).all()
        # 160 random bits never meet twice; were they to, no company would be guessed.
        return found[0] if len(found) == 1 else None


class InboundEmail(TenantScoped, db.Model):
    __tablename__ = "inbound_emails"
    __tenant_refs__ = {"membership_id": "memberships", "address_id": "capture_addresses"}
    __extra_args__ = (
        # The same message (Bcc'd twice, sent again by a retrying server) once per company.
        UniqueConstraint("tenant_id", "message_id", name="uq_inbound_emails_message_id"),
        Index("ix_inbound_emails_member_status", "tenant_id", "membership_id", "status", "id"),
        Index("ix_inbound_emails_pending", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column()
    address_id: Mapped[int] = mapped_column()
    message_id: Mapped[str | None] = mapped_column(String(MESSAGE_ID_MAX))
    mail_from: Mapped[str] = mapped_column(String(SENDER_MAX), default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    # Filled by the job: what the member sees in the "To classify" list.
    subject: Mapped[str | None] = mapped_column(String(SUBJECT_MAX))
    # [{"email": ..., "name": ...}]: the addresses no contact or third party matched.
    unknown: Mapped[list | None] = mapped_column(db.JSON)
    # {"<tiers id>": exchange id}: the exchange logged for each third party, so that a
    # contact classified later joins it instead of making a second one.
    logged: Mapped[dict | None] = mapped_column(db.JSON)
    failure: Mapped[str | None] = mapped_column(Text)
    exchange_count: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])
