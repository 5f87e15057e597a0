"""Email capture test tools: the capture SMTP service started in the test process (the
application's own handler, on a free port), a member's capture address, contacts to
match, mail sent with smtplib, and what the jobs made of it.

The fixtures are loaded for every test module by tests/conftest.py.
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

import pytest
from sqlalchemy import select

from ct.capture.smtp import controller
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import CaptureAddress, Contact, Exchange, InboundEmail, Membership, Tiers
from ct.models.base import utcnow
from tests.smtp import free_port, run_queued_jobs

SAMPLES = Path(__file__).resolve().parent / "capture_samples"


class CaptureServer:
    def __init__(self, app, port: int) -> None:
        self.app = app
        self.port = port

    def send(self, raw: bytes | EmailMessage, to: list[str], sender: str = "me@example.org"):
        """Send over SMTP; returns the refused recipients (smtplib raises when all are)."""
        data = raw.as_bytes() if isinstance(raw, EmailMessage) else raw
        data = re.sub(rb"\r?\n", b"\r\n", data)  # SMTP lines end with CRLF
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            return client.sendmail(sender, to, data)

    def deliver(self, raw, to: list[str], sender: str = "me@example.org"):
        """Send, then run the jobs the message queued."""
        refused = self.send(raw, to, sender)
        run_queued_jobs(self.app)
        return refused


@pytest.fixture
def capture(app):
    server = controller(app, "127.0.0.1", free_port())
    server.start()
    try:
        yield CaptureServer(app, server.port)
    finally:
        server.stop()


def address_of(app, tenant_id: int, membership_id: int) -> str:
    """The member's capture address, made if they have none yet."""
    with app.app_context(), bound_tenant(tenant_id):
        row = CaptureAddress.live_of(membership_id)
        if row is None:
            member = db.session.get(Membership, membership_id)
            row = CaptureAddress.issue(member)
            db.session.commit()
        return row.address


def make_contact(app, tenant_id: int, tiers_name: str, email: str | None,
                 last_name: str = "Durand", tiers_email: str | None = None) -> tuple[int, int]:
    """(tiers id, contact id) of a new contact of a new tiers."""
    with app.app_context(), bound_tenant(tenant_id):
        tiers = Tiers(name=tiers_name, email=tiers_email)
        db.session.add(tiers)
        db.session.flush()
        contact = Contact(tiers_id=tiers.id, last_name=last_name, email=email)
        db.session.add(contact)
        db.session.commit()
        return tiers.id, contact.id


def exchanges_of(app, tenant_id: int) -> list[dict]:
    """Every exchange of the company as plain values."""
    with app.app_context(), bound_tenant(tenant_id):
        return [{"id": e.id, "tiers": e.tiers_id, "contacts": sorted(c.id for c in e.contacts),
                 "comment": e.comment, "status": e.status,
                 "mode": e.mode.code if e.mode else None, "occurred_at": e.occurred_at,
                 "author": e.author_id, "made_by": e.made_by_id}
                for e in db.session.scalars(select(Exchange).order_by(Exchange.id))]


def inbound_of(app, tenant_id: int) -> list[InboundEmail]:
    with app.app_context(), bound_tenant(tenant_id):
        rows = list(db.session.scalars(select(InboundEmail).order_by(InboundEmail.id)))
        db.session.expunge_all()
        return rows


def mail(subject: str = "Votre devis", to: str = "jean.durand@client.fr",
         sender: str = "arthur@alpha.fr", body: str = "Bonjour Jean,\n\nVoici le devis.",
         cc: str | None = None, message_id: str | None = "<m1@alpha.fr>",
         date: str = "Tue, 10 Mar 2026 14:30:00 +0100") -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = date
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    return message


def sample(name: str, capture_address: str = "log@example.org") -> bytes:
    """A sample message of tests/capture_samples, sent to ``capture_address``."""
    return (SAMPLES / name).read_bytes().replace(b"To: CAPTURE", b"To: " +
                                                 capture_address.encode())


def waiting_email(app, tenant_id: int, membership_id: int, to: str = "Nora Petit "
                  "<nora@prospect.fr>", message_id: str = "<w1@alpha.fr>") -> int:
    """A captured email of the member waiting in To classify (as the job leaves it)."""
    address_of(app, tenant_id, membership_id)
    with app.app_context(), bound_tenant(tenant_id):
        address = CaptureAddress.live_of(membership_id)
        raw = mail(to=to, message_id=message_id).as_bytes()
        row = InboundEmail(membership_id=membership_id, address_id=address.id,
                           message_id=message_id, raw=raw, status="to_classify",
                           subject="Votre devis", processed_at=utcnow(), unknown=[
                               {"email": e.lower(), "name": n}
                               for n, e in getaddresses([to])])
        db.session.add(row)
        db.session.commit()
        return row.id
