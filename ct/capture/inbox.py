"""Keeping what the capture service receives: one raw row per message and company, in
one transaction, before the sender is told 250; its job is enqueued once it commits.

The same Message-ID already kept for a company is not kept again (a retrying server, a
message Bcc'd to two members of one company): the first one makes the exchanges.
"""

from __future__ import annotations

import logging
from email import policy
from email.parser import BytesHeaderParser
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ct.capture.process import JOB_PREFIX, process_inbound
from ct.core.jobs import enqueue_after_commit
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models.capture import (
    MESSAGE_ID_MAX,
    PENDING,
    SENDER_MAX,
    CaptureAddress,
    InboundEmail,
)

log = logging.getLogger(__name__)


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header, or None (a message without one is never deduplicated)."""
    try:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
        value = str(headers.get("message-id", "") or "").strip()
    except (ValueError, IndexError, TypeError):
        value = ""
    return value[:MESSAGE_ID_MAX] or None


class Mailbox(NamedTuple):
    """A live capture address as resolved at RCPT time (plain values, no session)."""
    tenant_id: int
    membership_id: int
    address_id: int


def resolve(address: str) -> Mailbox | None:
    try:
        row = CaptureAddress.resolve(address)
        return Mailbox(row.tenant_id, row.membership_id, row.id) if row else None
    finally:
        db.session.remove()


def keep(mail_from: str, addresses: list[Mailbox], raw: bytes) -> int:
    """Keep the message once for each company among ``addresses`` (live capture
    addresses, resolved at RCPT time); returns how many rows were written. A database
    error propagates: the sender is then told to try again."""
    message_id = message_id_of(raw)
    by_company: dict[int, Mailbox] = {}
    for address in addresses:
        by_company.setdefault(address.tenant_id, address)
    written = 0
    for tenant_id, address in by_company.items():
        with bound_tenant(tenant_id):
            written += _keep_for(address, message_id, mail_from, raw)
    return written


def _keep_for(address: Mailbox, message_id: str | None, mail_from: str,
              raw: bytes) -> int:
    try:
        if message_id and db.session.scalar(select(InboundEmail.id).where(
                InboundEmail.message_id == message_id)):
            log.info("captured message %s already kept for company %s", message_id,
                     address.tenant_id)
            return 0
        row = InboundEmail(membership_id=address.membership_id, address_id=address.address_id,
                           message_id=message_id, mail_from=(mail_from or "")[:SENDER_MAX],
                           raw=raw, status=PENDING)
        db.session.add(row)
        db.session.flush()
        enqueue_after_commit(process_inbound, row.tenant_id, row.id,
                             job_id=f"{JOB_PREFIX}-{row.tenant_id}-{row.id}")
        db.session.commit()
        return 1
    except IntegrityError:  # the same Message-ID kept by a concurrent delivery
        db.session.rollback()
        return 0
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.remove()

