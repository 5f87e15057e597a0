"""The files of captured emails, sent over real SMTP: kept with the exchange they log
(with the type their content shows), not the logos a text shows inline; a zip bomb named
.pdf or a program is left out and the comment says so in the member's language; a 30 MB
file makes the message too large, refused at SMTP with nothing kept; a waiting email's
files follow it when it is classified."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ExchangeAttachment, Membership, User
from tests.attachment_support import EXE, PDF, png, stored_files, zip_bomb
from tests.capture_support import (
    address_of,
    exchanges_of,
    inbound_of,
    mail,
    make_contact,
    waiting_email,
)
from tests.smtp import run_queued_jobs

MB = 1024 * 1024


def files_of(app, tenant_id: int) -> list[tuple]:
    with app.app_context(), bound_tenant(tenant_id):
        return [(a.exchange_id, a.filename, a.content_type, a.size, a.source)
                for a in db.session.scalars(select(ExchangeAttachment)
                                            .order_by(ExchangeAttachment.id))]


def with_files(message: EmailMessage, *files: tuple[str, bytes, str]) -> EmailMessage:
    for name, content, mime in files:
        maintype, subtype = mime.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def set_language(app, tenant_id: int, membership_id: int, language: str) -> None:
    with app.app_context(), bound_tenant(tenant_id):
        member = db.session.get(Membership, membership_id)
        db.session.get(User, member.user_id).language = language
        db.session.commit()


def test_the_files_of_a_bccd_email_are_kept_with_its_exchange(app, tenants, capture):
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    message = mail()
    # An HTML text with a logo shown inline: part of the text, not a file to keep.
    message.add_alternative("<p>Bonjour Jean,</p><img src='cid:logo'>", subtype="html")
    message.get_payload()[1].add_related(png(), maintype="image", subtype="png", cid="<logo>")
    forwarded = mail(subject="Ancien échange", message_id="<old@client.fr>")
    with_files(message, ("Devis 12.pdf", PDF, "application/pdf"),
               ("chantier.jpg", png(4, 4), "image/jpeg"))  # a PNG sent as image/jpeg
    message.add_attachment(forwarded)  # an email attached to the email
    assert capture.deliver(message, [me], sender="arthur@alpha.fr") == {}

    [exchange] = exchanges_of(app, tenants.a.id)
    files = files_of(app, tenants.a.id)
    assert [(f[1], f[2], f[4]) for f in files] == [
        ("Devis 12.pdf", "application/pdf", "email"),
        ("chantier.jpg", "image/png", "email"),  # the content, not what the mail said
        ("message.eml", "text/plain", "email"),
    ]
    assert {f[0] for f in files} == {exchange["id"]} and files[0][3] == len(PDF)
    assert len(stored_files(app, tenants.a.id)) == 3
    assert "non conservées" not in exchange["comment"]


def test_a_bomb_or_a_program_is_left_out_and_the_comment_says_why(app, tenants, capture):
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    message = with_files(mail(), ("devis.pdf", zip_bomb(100), "application/pdf"),
                         ("outil.exe", EXE, "application/octet-stream"),
                         ("bon.pdf", PDF, "application/pdf"))
    assert capture.deliver(message, [me], sender="arthur@alpha.fr") == {}
    [exchange] = exchanges_of(app, tenants.a.id)
    assert [f[1] for f in files_of(app, tenants.a.id)] == ["bon.pdf"]
    assert exchange["comment"].endswith(
        "Pièces jointes de l’e-mail non conservées :\n"
        "- « devis.pdf » n’est pas un fichier PDF : son contenu est autre chose "
        "(application/zip). Il n’a pas été joint.\n"
        "- « outil.exe » : les programmes et les scripts ne peuvent pas être joints.")
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "done"


def test_the_note_speaks_the_members_language(app, tenants, capture):
    set_language(app, tenants.a.id, tenants.a.member_membership_id, "en")
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    message = with_files(mail(), ("photo.png", PDF, "image/png"))
    assert capture.deliver(message, [me], sender="arthur@alpha.fr") == {}
    [exchange] = exchanges_of(app, tenants.a.id)
    assert "Attachments of the email not kept:\n- “photo.png” is not a PNG file" in \
        exchange["comment"]
    assert files_of(app, tenants.a.id) == []


def test_a_30_mb_file_makes_the_message_too_large_refused_at_smtp(app, tenants, capture):
    import smtplib

    import pytest

    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    message = with_files(mail(), ("plans.pdf", PDF + b"\x00" * 30 * MB, "application/pdf"))
    with pytest.raises(smtplib.SMTPSenderRefused) as error:  # the size announced at MAIL
        capture.send(message, [me], sender="arthur@alpha.fr")
    assert error.value.smtp_code == 552
    run_queued_jobs(app)
    assert inbound_of(app, tenants.a.id) == [] and exchanges_of(app, tenants.a.id) == []
    assert stored_files(app, tenants.a.id) == []


def test_beyond_the_count_the_rest_is_left_out_with_a_note(app, tenants, capture,
                                                           monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_PER_EXCHANGE", 2)
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    message = with_files(mail(), *[(f"page{i}.pdf", PDF, "application/pdf") for i in range(3)])
    assert capture.deliver(message, [me], sender="arthur@alpha.fr") == {}
    [exchange] = exchanges_of(app, tenants.a.id)
    assert [f[1] for f in files_of(app, tenants.a.id)] == ["page0.pdf", "page1.pdf"]
    assert "« page2.pdf » : un échange garde 2 fichiers au plus." in exchange["comment"]


def test_a_waiting_emails_files_follow_it_once_classified(app, client, auth, tenants):
    inbound_id = waiting_email(app, tenants.a.id, tenants.a.member_membership_id)
    with app.app_context(), bound_tenant(tenants.a.id):
        from ct.models import InboundEmail
        row = db.session.get(InboundEmail, inbound_id)
        row.raw = with_files(mail(to="Nora Petit <nora@prospect.fr>", message_id="<w1@alpha.fr>"),
                             ("devis.pdf", PDF, "application/pdf")).as_bytes()
        db.session.commit()
    tiers, _contact = make_contact(app, tenants.a.id, "Prospect SARL", None, "Petit")
    auth.login(tenants.a.member_email)
    response = client.post(f"/t/{tenants.a.slug}/exchanges/to-classify/{inbound_id}",
                           data={"email": "nora@prospect.fr", "tiers_id": str(tiers),
                                 "action": "tiers"})
    assert response.status_code == 303, response.text
    [exchange] = exchanges_of(app, tenants.a.id)
    assert files_of(app, tenants.a.id) == [
        (exchange["id"], "devis.pdf", "application/pdf", len(PDF), "email")]
