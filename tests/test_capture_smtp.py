"""The capture SMTP service over real SMTP: a Bcc'd email becomes an exchange with its
matched contacts; unknown and revoked addresses are refused at RCPT; a message is kept
once per company (Message-ID); too big or too many recipients is refused; with the
database down the sender is told to try again (451) and nothing is kept."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, select

from ct.capture import smtp as service
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import CaptureAddress, InboundEmail
from ct.models.base import utcnow
from tests.capture_support import (
    address_of,
    exchanges_of,
    inbound_of,
    mail,
    make_contact,
)
from tests.smtp import run_queued_jobs


def test_a_bccd_email_becomes_a_closed_exchange_with_its_contacts(app, tenants, capture):
    tiers, jean = make_contact(app, tenants.a.id, "Client SA", "Jean.Durand@Client.fr")
    _, paul = make_contact(app, tenants.a.id, "Client SA bis", "paul@client.fr", "Martin")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    message = mail(to="Jean Durand <jean.durand@client.fr>", cc="paul@client.fr, "
                   "arthur@alpha.fr", body="Bonjour Jean,\n\nVoici le devis.\n\n-- \nArthur")
    assert capture.deliver(message, [me], sender="arthur@alpha.fr") == {}
    made = exchanges_of(app, tenants.a.id)
    assert len(made) == 2  # one per third party, each with its own contact
    first = next(e for e in made if e["tiers"] == tiers)
    assert first["contacts"] == [jean] and first["status"] == "closed"
    assert first["mode"] == "email"
    assert first["comment"] == "Votre devis\n\nBonjour Jean,\n\nVoici le devis."
    assert first["occurred_at"] == datetime(2026, 3, 10, 13, 30, tzinfo=UTC)
    assert first["author"] == first["made_by"] == tenants.a.member_membership_id
    assert {tuple(e["contacts"]) for e in made} == {(jean,), (paul,)}
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "done" and row.exchange_count == 2
    assert exchanges_of(app, tenants.b.id) == []


def test_a_third_partys_own_address_matches_it(app, tenants, capture):
    tiers, _ = make_contact(app, tenants.a.id, "Client SA", None, tiers_email="info@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    capture.deliver(mail(to="INFO@client.fr"), [me])
    [made] = exchanges_of(app, tenants.a.id)
    assert made["tiers"] == tiers and made["contacts"] == []


def test_unknown_revoked_and_foreign_addresses_are_refused_at_rcpt(app, tenants, capture):
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    local, domain = me.split("@")
    forged = f"log-{'a' * 32}@{domain}"
    for refused in (forged, f"{local}@elsewhere.example", "someone@" + domain):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as error:
            capture.send(mail(), [refused])
        assert error.value.recipients[refused][0] == 550
    with app.app_context(), bound_tenant(tenants.a.id):
        row = db.session.scalar(select(CaptureAddress))
        row.revoked_at = utcnow()
        db.session.commit()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        capture.send(mail(), [me])
    assert inbound_of(app, tenants.a.id) == []


def test_an_address_binds_its_own_company_only(app, tenants, capture):
    """B's member's address logs in B, even with a contact of the same address in A."""
    make_contact(app, tenants.a.id, "Client A", "jean.durand@client.fr")
    tiers_b, jean_b = make_contact(app, tenants.b.id, "Client B", "jean.durand@client.fr")
    theirs = address_of(app, tenants.b.id, tenants.b.member_membership_id)
    capture.deliver(mail(), [theirs])
    assert exchanges_of(app, tenants.a.id) == []
    [made] = exchanges_of(app, tenants.b.id)
    assert made["tiers"] == tiers_b and made["contacts"] == [jean_b]
    assert made["author"] == tenants.b.member_membership_id


def test_the_same_message_id_makes_one_exchange_per_company(app, tenants, capture):
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    admins = address_of(app, tenants.a.id, tenants.a.admin_membership_id)
    capture.deliver(mail(), [mine, admins])  # Bcc'd to two members of one company
    capture.deliver(mail(), [mine])  # a server that sends it again
    assert len(exchanges_of(app, tenants.a.id)) == 1
    assert len(inbound_of(app, tenants.a.id)) == 1
    capture.deliver(mail(message_id="<m2@alpha.fr>"), [mine])  # another message
    assert len(exchanges_of(app, tenants.a.id)) == 2


def test_too_many_recipients_are_told_to_come_back(app, tenants, capture, monkeypatch):
    monkeypatch.setitem(app.config, "CAPTURE_MAX_RECIPIENTS", 1)
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    admins = address_of(app, tenants.a.id, tenants.a.admin_membership_id)
    refused = capture.send(mail(), [mine, admins])
    assert refused[admins][0] == 452
    assert len(inbound_of(app, tenants.a.id)) == 1


def test_a_message_over_the_size_limit_is_refused_with_552(app, tenants, monkeypatch):
    from ct.capture.smtp import controller
    from tests.capture_support import CaptureServer
    from tests.smtp import free_port

    monkeypatch.setitem(app.config, "CAPTURE_MAX_BYTES", 2000)
    server = controller(app, "127.0.0.1", free_port())
    server.start()
    try:
        mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
        big = mail(body="Une ligne de texte.\n" * 300)
        # A client that announces the size is refused at MAIL FROM…
        with pytest.raises(smtplib.SMTPSenderRefused) as error:
            CaptureServer(app, server.port).send(big, [mine])
        assert error.value.smtp_code == 552
        # …one that does not, once the data goes past the limit.
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as client:
            client.ehlo()
            assert client.mail("me@example.org")[0] == 250
            assert client.rcpt(mine)[0] == 250
            assert client.data(big.as_string())[0] == 552
    finally:
        server.stop()
    assert inbound_of(app, tenants.a.id) == []


def test_with_the_database_down_the_sender_is_told_to_try_again(app, tenants, capture,
                                                               monkeypatch):
    """The message's DATA meets a database that cannot be reached (a port where nothing
    listens, a file in a missing folder): 451, nothing kept; the sender's retry works."""
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    broken = create_engine("sqlite:////nonexistent-directory/ct.sqlite3"
                           if url.startswith("sqlite") else
                           url.replace("127.0.0.1:5432", "127.0.0.1:1"))
    engines = app.extensions["sqlalchemy"]._app_engines[app]
    real_keep = service.keep

    def keep_on_broken(*args):
        real_engine = engines[None]
        engines[None] = broken
        try:
            return real_keep(*args)
        finally:
            engines[None] = real_engine

    monkeypatch.setattr(service, "keep", keep_on_broken)
    with pytest.raises(smtplib.SMTPDataError) as error:
        capture.send(mail(), [mine])
    assert error.value.smtp_code == 451
    assert inbound_of(app, tenants.a.id) == []
    monkeypatch.setattr(service, "keep", real_keep)
    capture.deliver(mail(), [mine])  # the sender's retry, the database back
    assert len(exchanges_of(app, tenants.a.id)) == 1
    broken.dispose()


def test_redis_down_keeps_the_message_until_the_relay_enqueues_it(app, tenants, capture,
                                                                  monkeypatch, caplog):
    """The message is kept and answered 250 with Redis down; its job is enqueued again
    by the clock's relay once it has waited RELAY_AFTER, and logs the exchange."""
    from ct.capture.upkeep import RELAY_AFTER, relay_inbound
    from ct.extensions import rq
    from tests.smtp import free_port

    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    with app.app_context():
        queue = rq.queue
    with monkeypatch.context() as down:
        down.setattr(queue, "connection", type(queue.connection).from_url(
            f"redis://127.0.0.1:{free_port()}/0"))
        assert capture.send(mail(), [mine]) == {}
    assert "could not enqueue capture-" in caplog.text
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "pending"
    with app.app_context():
        assert relay_inbound() == 0  # too early: its own job may still be on its way
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.get(InboundEmail, row.id).received_at = utcnow() - RELAY_AFTER
        db.session.commit()
    with app.app_context():
        assert relay_inbound() == 1
    run_queued_jobs(app)
    assert len(exchanges_of(app, tenants.a.id)) == 1
    with app.app_context():
        assert relay_inbound() == 0


def test_a_message_to_two_companies_is_logged_in_each_and_never_across(app, tenants,
                                                                       capture):
    """Bcc'd to a member of A and a member of B, with B's address also in Cc: each company
    keeps its own copy and logs it with its own contacts; a capture address is never a
    person to log."""
    _, jean_a = make_contact(app, tenants.a.id, "Client A", "jean.durand@client.fr")
    _, jean_b = make_contact(app, tenants.b.id, "Client B", "jean.durand@client.fr")
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    theirs = address_of(app, tenants.b.id, tenants.b.member_membership_id)
    capture.deliver(mail(cc=theirs), [mine, theirs])
    [made_a] = exchanges_of(app, tenants.a.id)
    [made_b] = exchanges_of(app, tenants.b.id)
    assert made_a["contacts"] == [jean_a] and made_b["contacts"] == [jean_b]
    assert made_b["author"] == tenants.b.member_membership_id
    assert [r.unknown for r in inbound_of(app, tenants.a.id)] == [None]


def test_an_absurd_date_is_replaced_by_the_arrival(app, tenants, capture):
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    capture.deliver(mail(date="Fri, 01 Jan 2100 10:00:00 +0000"), [mine])
    capture.deliver(mail(date="not a date", message_id="<m2@alpha.fr>"), [mine])
    for made in exchanges_of(app, tenants.a.id):
        assert abs((made["occurred_at"] - utcnow()).total_seconds()) < 60


def test_the_address_of_a_member_who_left_refuses_mail(app, tenants, capture):
    from tests.admin_support import set_rights

    mine = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [], active=False)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        capture.send(mail(), [mine])
    assert inbound_of(app, tenants.a.id) == []
