"""The member's "To classify" list: captured emails whose people matched no contact (or
only some of them: "partial"), and those that could not be read. Classifying an address
creates the contact (or picks the third party) and logs it through the same job code —
joining the exchange the email already has with that third party, if any; other waiting
emails of the member that name the same address are logged at the same time."""

from __future__ import annotations

from sqlalchemy import func, select

from ct.capture.process import log_exchanges, log_one, read, settle
from ct.extensions import db
from ct.models import Contact, Tiers
from ct.models.base import utcnow
from ct.models.capture import CLASSIFIABLE, DISMISSED, DONE, WAITING, InboundEmail
from ct.models.contact import NAME_MAX
from ct.models.tiers import FREE_MAIL_DOMAINS

LISTED_MAX = 200  # the newest waiting emails of a member shown at once
PICKED_MAX = 10  # contacts of the suggested third party offered to pick


def waiting_of(membership_id: int) -> list[InboundEmail]:
    """The member's emails to classify and the failed ones, newest first."""
    return list(db.session.scalars(
        select(InboundEmail).where(InboundEmail.membership_id == membership_id,
                                   InboundEmail.status.in_(WAITING))
        .order_by(InboundEmail.id.desc()).limit(LISTED_MAX)))


def waiting_count(membership_id: int) -> int:
    return db.session.scalar(select(func.count(InboundEmail.id)).where(
        InboundEmail.membership_id == membership_id, InboundEmail.status.in_(WAITING)))


def item_of(membership_id: int, inbound_id: int) -> InboundEmail | None:
    """The member's own waiting email; another member's (or company's) is None."""
    return db.session.scalar(select(InboundEmail).where(
        InboundEmail.id == inbound_id, InboundEmail.membership_id == membership_id,
        InboundEmail.status.in_(WAITING)))


def split_name(name: str) -> tuple[str, str]:
    """(first name, last name) from a display name: "Nora Petit", "PETIT Nora" alike."""
    words = name.replace('"', "").split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0][:NAME_MAX]
    return " ".join(words[:-1])[:NAME_MAX], words[-1][:NAME_MAX]


def suggested_tiers(email: str) -> Tiers | None:
    """The third party whose own address or contacts share the email's company domain."""
    domain = email.rpartition("@")[2].lower()
    if not domain or domain in FREE_MAIL_DOMAINS:
        return None
    pattern = f"%@{domain.replace('%', '').replace('_', '')}"
    tiers = db.session.scalar(select(Tiers).where(func.lower(Tiers.email).like(pattern),
                                                  Tiers.active.is_(True))
                              .order_by(Tiers.id).limit(1))
    if tiers is not None:
        return tiers
    return db.session.scalar(select(Tiers).join(Contact, Contact.tiers_id == Tiers.id).where(
        func.lower(Contact.email).like(pattern), Tiers.active.is_(True))
        .order_by(Contact.id).limit(1))


def create_contact(row: InboundEmail, email: str, tiers: Tiers, first_name: str,
                   last_name: str) -> Contact:
    """The contact of ``email`` in ``tiers``, then the exchanges of every waiting email
    of the member that names it (this one first)."""
    contact = Contact(tiers_id=tiers.id, first_name=first_name or None,
                      last_name=last_name or None, email=email,
                      created_by_id=row.membership_id)
    db.session.add(contact)
    db.session.flush()
    for waiting in [row, *_naming(row, email)]:
        waiting.status = "pending"
        log_exchanges(waiting, read(waiting))
    return contact


def contacts_at(tiers: Tiers | None) -> list[Contact]:
    """The contacts of the suggested third party, offered to pick in one click."""
    if tiers is None:
        return []
    return list(db.session.scalars(select(Contact).where(Contact.tiers_id == tiers.id)
                                   .order_by(Contact.sort_key, Contact.id).limit(PICKED_MAX)))


def use_contact(row: InboundEmail, email: str, contact: Contact, may_edit: bool) -> None:
    """Log the email with an existing contact. One without an address gets this one
    (when the member may edit records), so that the next emails match by themselves."""
    if not contact.email and may_edit:
        contact.email = email
        db.session.flush()
    if (contact.email or "").lower() == email:
        for waiting in [row, *_naming(row, email)]:
            waiting.status = "pending"
            log_exchanges(waiting, read(waiting))
        return
    log_one(row, read(row), contact.tiers, [contact])
    _resolved(row, email)


def log_on_tiers(row: InboundEmail, email: str, tiers: Tiers) -> None:
    """The exchange on ``tiers`` alone for this address, no contact created."""
    log_one(row, read(row), tiers, [])
    _resolved(row, email)


def _resolved(row: InboundEmail, email: str) -> None:
    """The address is dealt with: the email waits on for its other unknown ones."""
    row.unknown = [p for p in row.unknown or [] if p["email"] != email] or None
    row.processed_at = utcnow()
    settle(row)


def dismiss(row: InboundEmail) -> None:
    """Nothing more logged; what the email already logged stays."""
    row.status = DONE if row.logged else DISMISSED
    row.processed_at = utcnow()


def _naming(row: InboundEmail, email: str) -> list[InboundEmail]:
    return [other for other in waiting_of(row.membership_id)
            if other.id != row.id and other.status in CLASSIFIABLE
            and any(p["email"] == email for p in other.unknown or [])]
