"""The job that turns a kept email into exchanges, through the exchange saving code.

The people the email names are matched by address, case-insensitively, with the
company's contacts (one exchange per third party, with its contacts) and, failing a
contact, with the third parties' own address. Nobody matched: the email waits in the
member's "To classify" list. An email that cannot be read is marked failed with the
reason, shown in that list; the job never raises for it, so nothing loops. Only an
unavailable database leaves the email pending, for the relay to enqueue it again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from ct.capture.files import keep_mail_files
from ct.capture.parse import ParsedEmail, UnreadableEmail, parse
from ct.core.jobs import tenant_job
from ct.core.permissions import WRITE_EXCHANGES, has_right
from ct.core.tenancy import find
from ct.core.text import N_
from ct.exchanges.saving import ExchangeDraft, create_exchange
from ct.extensions import db
from ct.models import Choice, Contact, Exchange, ExchangeContact, Membership, Tiers, User
from ct.models.base import utcnow
from ct.models.capture import (
    DONE,
    FAILED,
    PARTIAL,
    PENDING,
    SUBJECT_MAX,
    TO_CLASSIFY,
    InboundEmail,
)
from ct.models.exchange import COMMENT_MAX, STATUS_CLOSED

log = logging.getLogger(__name__)
# The reasons shown to the member, stored in English (translated on the page).
UNREADABLE = N_("The message could not be read.")
NOBODY = N_("The email names nobody to log: no address but yours.")
NOT_SAVED = N_("The exchange could not be saved.")
NOT_ALLOWED = N_("The member of this capture address may no longer log exchanges.")
EMAIL_MODE = "email"  # the code of the "E-mail" entry of the modes list (ct/models/choices.py)
JOB_PREFIX = "capture"
# A Date header further ahead than this (a wrong clock) or older (an archive forwarded)
# than OLDEST_DATE: the exchange is dated by the arrival instead.
CLOCK_SKEW = timedelta(days=1)
OLDEST_DATE = timedelta(days=5 * 365)


@tenant_job
def process_inbound(tenant_id: int, inbound_id: int) -> str:
    row = find(InboundEmail, inbound_id)
    if row is None or row.status != PENDING:
        return "nothing to do"
    member = row.membership
    if not member.active or not has_right(member, WRITE_EXCHANGES):
        return _fail(row, NOT_ALLOWED)
    try:
        parsed = read(row)
    except UnreadableEmail as error:
        return _fail(row, str(error))
    except Exception:  # noqa: BLE001 - whatever the parser trips on, never a loop
        log.warning("captured email %s could not be read", row.id, exc_info=True)
        return _fail(row, UNREADABLE)
    try:
        return log_exchanges(row, parsed)
    except OperationalError:
        raise  # the database is unavailable: the row stays pending, the relay retries
    except Exception:
        # Anything else would fail again each time: the email is marked failed, once.
        log.exception("captured email %s could not be logged", inbound_id)
        db.session.rollback()
        return _fail(find(InboundEmail, inbound_id), NOT_SAVED)


def read(row: InboundEmail) -> ParsedEmail:
    parsed = parse(row.raw, _team_addresses(),
                   current_app.config["MAIL_CAPTURE_DOMAIN"].lower())
    row.subject = parsed.subject[:SUBJECT_MAX] or None
    return parsed


def _team_addresses() -> set[str]:
    """The company's members' own addresses (lower case): an email between colleagues
    is no exchange with a third party, and a colleague in Cc is nobody to classify."""
    return set(db.session.scalars(select(func.lower(User.email)).join(
        Membership, Membership.user_id == User.id).where(Membership.active.is_(True))))


def log_exchanges(row: InboundEmail, parsed: ParsedEmail) -> str:
    """One exchange per third party the people match; the unmatched addresses are kept
    on the row for the "To classify" list. Run again (a contact was classified since),
    it logs the third parties new to the email and adds the new contacts to the
    exchanges already made, never a second exchange per third party."""
    emails = [person.email for person in parsed.people]
    if not emails:
        return _fail(row, NOBODY)
    by_tiers, matched = _matches(emails)
    # Run again, an address the member already dealt with (logged on a third party,
    # left) stays dealt with: only those still unknown may be unknown again.
    still = None if row.processed_at is None else {p["email"] for p in row.unknown or []}
    row.unknown = [{"email": p.email, "name": p.name} for p in parsed.people
                   if p.email not in matched and (still is None or p.email in still)] or None
    row.processed_at = utcnow()
    for tiers, contacts in by_tiers.values():
        log_one(row, parsed, tiers, contacts)
    return settle(row)


def settle(row: InboundEmail) -> str:
    """Its status once logged: nothing yet, partly (addresses left), or done."""
    if not row.logged:
        row.status = TO_CLASSIFY
    else:
        row.status = PARTIAL if row.unknown else DONE
    return row.status


def log_one(row: InboundEmail, parsed: ParsedEmail, tiers: Tiers,
            contacts: list[Contact]) -> Exchange:
    """The email logged as an exchange with this third party, its files kept with it;
    if it already has one (still there), the contacts join it."""
    logged = dict(row.logged or {})
    exchange = find(Exchange, logged.get(str(tiers.id)))
    if exchange is not None:
        linked = {link.contact_id for link in exchange.contact_links}
        exchange.contact_links.extend(ExchangeContact(contact_id=contact.id)
                                      for contact in contacts if contact.id not in linked)
        return exchange
    exchange = create_exchange(draft_of(row, parsed, tiers, contacts), row.membership)
    keep_mail_files(exchange, parsed.files, row.membership)
    db.session.flush()  # its id, for the row's map
    row.logged = logged | {str(tiers.id): exchange.id}
    row.exchange_count += 1
    return exchange


def draft_of(row: InboundEmail, parsed: ParsedEmail, tiers: Tiers,
             contacts: list[Contact]) -> ExchangeDraft:
    comment = "\n\n".join(part for part in (parsed.subject, parsed.text) if part)
    return ExchangeDraft(tiers=tiers, occurred_at=_plausible(parsed.sent_at, row.received_at),
                         status=STATUS_CLOSED, comment=comment[:COMMENT_MAX] or None,
                         mode=_email_mode(), contacts=contacts)


def _plausible(sent_at: datetime | None, received_at: datetime) -> datetime:
    """The Date header, unless missing or absurd (after the arrival, or years before)."""
    if sent_at is None or sent_at > received_at + CLOCK_SKEW or \
            sent_at < received_at - OLDEST_DATE:
        return received_at
    return sent_at


def _matches(emails: list[str]) -> tuple[dict[int, tuple[Tiers, list[Contact]]], set[str]]:
    by_tiers: dict[int, tuple[Tiers, list[Contact]]] = {}
    matched: set[str] = set()
    contacts = db.session.scalars(select(Contact).where(
        func.lower(Contact.email).in_(emails), Contact.tiers_id.is_not(None))
        .order_by(Contact.id)).all()
    grouped = defaultdict(list)
    for contact in contacts:
        grouped[contact.tiers_id].append(contact)
        matched.add(contact.email.lower())
    for tiers_id, found in grouped.items():
        by_tiers[tiers_id] = (found[0].tiers, found)
    rest = [email for email in emails if email not in matched]
    if rest:
        for tiers in db.session.scalars(select(Tiers).where(
                func.lower(Tiers.email).in_(rest)).order_by(Tiers.id)):
            matched.add(tiers.email.lower())
            by_tiers.setdefault(tiers.id, (tiers, []))
    return by_tiers, matched


def _email_mode() -> Choice | None:
    return db.session.scalar(select(Choice).where(
        Choice.kind == "mode", Choice.code == EMAIL_MODE, Choice.active.is_(True)))


def _fail(row: InboundEmail, reason: str) -> str:
    row.status = FAILED
    row.failure = reason
    row.processed_at = utcnow()
    log.info("captured email %s not logged: %s", row.id, reason)
    return FAILED


