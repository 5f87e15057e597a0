"""What the capture job makes of real-looking emails sent over SMTP: forwards from Gmail,
Outlook and Thunderbird (English and French) log the original sender; HTML is text with
its scripts gone; quoted history and signatures are trimmed; a broken message is marked
failed with a reason; hundreds of recipients are capped; nobody known → To classify."""

from __future__ import annotations

import pytest

from tests.capture_support import (
    address_of,
    exchanges_of,
    inbound_of,
    mail,
    make_contact,
    sample,
)

FORWARDS = ["gmail_forward_en.eml", "gmail_forward_fr.eml", "outlook_forward_en.eml",
            "outlook_forward_fr.eml", "thunderbird_forward_en.eml",
            "thunderbird_forward_fr.eml"]


@pytest.mark.parametrize("name", FORWARDS)
def test_a_forward_logs_the_original_sender(app, tenants, capture, name):
    tiers, jean = make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    capture.deliver(sample(name, me), [me], sender="arthur@alpha.fr")
    [made] = exchanges_of(app, tenants.a.id)
    assert made["tiers"] == tiers and made["contacts"] == [jean]
    first_line, _, rest = made["comment"].partition("\n")
    assert first_line in ("Request for a quote", "Demande de devis")  # no "Fwd:", "TR:"
    assert "12" in rest and ("dosing pumps" in rest or "pompes doseuses" in rest)
    assert ("For the file." in rest) or ("Pour le dossier." in rest)


def test_html_mail_is_logged_as_text_without_its_scripts(app, tenants, capture):
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    capture.deliver(sample("html_with_script.eml", me), [me])
    [made] = exchanges_of(app, tenants.a.id)
    comment = made["comment"]
    assert "Voici notre offre & nos conditions." in comment
    assert "alert" not in comment and "document.cookie" not in comment
    assert "color: red" not in comment and "<p>" not in comment
    assert "Ancien message" not in comment  # the quoted history is trimmed


def test_quoted_history_and_signature_are_trimmed(app, tenants, capture):
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    capture.deliver(sample("reply_with_history.eml", me), [me])
    [made] = exchanges_of(app, tenants.a.id)
    assert made["comment"] == "Re: Votre devis\n\nBonjour Jean,\n\nC'est noté pour jeudi."


def test_a_broken_message_is_kept_and_marked_failed_with_a_reason(app, tenants, capture):
    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    assert capture.deliver(sample("malformed.eml", me), [me]) == {}
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "failed" and "MIME" in row.failure
    assert exchanges_of(app, tenants.a.id) == []
    capture.deliver(b"no headers at all, just words\n", [me])
    assert [r.status for r in inbound_of(app, tenants.a.id)] == ["failed", "failed"]


def test_an_unknown_address_waits_in_to_classify(app, tenants, capture):
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    capture.deliver(mail(to="Nora Petit <nora@prospect.fr>"), [me])
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "to_classify" and row.subject == "Votre devis"
    assert row.unknown == [{"email": "nora@prospect.fr", "name": "Nora Petit"}]
    assert exchanges_of(app, tenants.a.id) == []


def test_hundreds_of_recipients_are_capped(app, tenants, capture, caplog):
    make_contact(app, tenants.a.id, "Client SA", "p0@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    many = ", ".join(f"p{i}@client.fr" for i in range(500))
    capture.deliver(mail(to=many), [me])
    [made] = exchanges_of(app, tenants.a.id)
    assert len(made["contacts"]) == 1
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "partial" and len(row.unknown) == 49  # 50 looked at, 1 matched
    assert "500 addresses: the first 50 kept" in caplog.text


def test_an_unexpected_error_marks_the_email_failed_once(app, tenants, capture, monkeypatch):
    """Not a loop: a failure that would happen again is written as the email's reason
    (the exchange's partial rows rolled back), and the relay leaves it alone."""
    from ct.capture import process

    make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)

    def broken(draft, author):
        raise ValueError("a bug")

    monkeypatch.setattr(process, "create_exchange", broken)
    capture.deliver(mail(), [me])
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "failed" and row.failure == process.NOT_SAVED
    assert exchanges_of(app, tenants.a.id) == []
