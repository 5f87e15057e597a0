"""Collaborators of an exchange are told by email (CONTACTRACKING_MAILINFO): one email each,
in their own language, delivered by the real worker through a real SMTP server; never the
confidential comment to someone not allowed to read it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ct.auth import accounts
from ct.core.permissions import ROLE_MEMBER
from ct.core.tenancy import bound_tenant
from ct.emails.notify import notify_collaborators
from ct.extensions import db, rq
from ct.models import (
    Choice,
    Contact,
    EmailTemplate,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    Membership,
    Tiers,
)
from tests.conftest import PASSWORD
from tests.smtp import outbox

OCCURRED = datetime(2026, 3, 9, 13, 30, tzinfo=UTC)  # 14:30 in Paris


def parts(mail) -> tuple[str, str]:
    """The text and HTML parts, with the line ends of the file they came from."""
    return (mail.part("text/plain").replace("\r\n", "\n"),
            mail.part("text/html").replace("\r\n", "\n"))


def add_member(app, tenant_id: int, email: str, name: str, language: str = "fr",
               active: bool = True) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        member = Membership.create(accounts.create_user(email, name, PASSWORD, language),
                                   ROLE_MEMBER)
        member.active = active
        db.session.commit()
        return member.id


def make_exchange(app, tenant, collaborators: list[int], **fields) -> int:
    """An exchange of the tenant's admin with Dupont SARL, by phone, about a quote."""
    with app.app_context(), bound_tenant(tenant.id):
        tiers = Tiers(name="Dupont SARL")
        db.session.add(tiers)
        db.session.flush()
        contact = Contact(first_name="Jean", last_name="Dupont", tiers_id=tiers.id)
        db.session.add(contact)
        db.session.flush()

        def choice(kind, code):
            return db.session.scalar(select(Choice.id).where(Choice.kind == kind,
                                                             Choice.code == code))

        values = dict(
            tiers_id=tiers.id, author_id=tenant.admin_membership_id,
            made_by_id=tenant.admin_membership_id, occurred_at=OCCURRED,
            mode_id=choice("mode", "phone"), object_id=choice("object", "quote"),
            status="in_progress", comment="Wants 12 units.\n<b>Urgent</b> & soon",
            confidential_comment="Budget: 10,000 €", confidential_group_id=tenant.group_id,
            notify_collaborators=True,
        ) | fields
        exchange = Exchange(**values)
        exchange.contact_links = [ExchangeContact(contact_id=contact.id)]
        exchange.collaborator_links = [ExchangeCollaborator(membership_id=m)
                                       for m in collaborators]
        db.session.add(exchange)
        db.session.commit()
        return exchange.id


def notify(app, tenant_id: int, exchange_id: int, commit: bool = True) -> list[int]:
    """What the exchange form does: notify in the saving transaction, then commit."""
    with app.app_context(), bound_tenant(tenant_id):
        exchange = db.session.scalar(select(Exchange).where(Exchange.id == exchange_id))
        skipped = notify_collaborators(exchange)
        if commit:
            db.session.commit()
        else:
            db.session.rollback()
        return [member.id for member in skipped]


def test_each_collaborator_gets_one_email_in_their_language(app, tenants, smtp, run_worker):
    a = tenants.a
    emma = add_member(app, a.id, "emma@alpha.fr", "Emma Stone", language="en")
    gone = add_member(app, a.id, "gone@alpha.fr", "Former Member", active=False)
    # The author (admin) is among the collaborators: not told about their own exchange.
    exchange_id = make_exchange(app, a, [a.member_membership_id, emma, gone,
                                         a.admin_membership_id])

    assert notify(app, a.id, exchange_id) == [gone]  # listed back: not notified

    rows = outbox(app)
    assert sorted((r.kind, r.to_email, r.tenant_id, r.status) for r in rows) == [
        ("exchange_notification", "arthur@alpha.fr", a.id, "pending"),
        ("exchange_notification", "emma@alpha.fr", a.id, "pending"),
    ]
    run_worker()

    mails = {mail.rcpt_tos[0]: mail for mail in smtp.received}
    assert sorted(mails) == ["arthur@alpha.fr", "emma@alpha.fr"]
    link = f"http://ct.test/t/{a.slug}/exchanges/{exchange_id}"

    french = mails["arthur@alpha.fr"]
    assert french.message["Subject"] == "Échange avec Dupont SARL : Devis"
    text, html = parts(french)
    assert "Bonjour Member Alpha Conseil," in text
    assert "Admin Alpha Conseil vous informe d’un échange avec Dupont SARL." in text
    assert "Date : lundi 9 mars 2026, 14:30" in text
    for line in ("Contacts : Jean Dupont", "Mode : Téléphone", "Objet : Devis",
                 "État : En cours", "Wants 12 units.\n<b>Urgent</b> & soon"):
        assert line in text
    # In the confidential group: the confidential comment is part of their email.
    assert "Commentaire confidentiel :\nBudget: 10,000 €" in text
    assert link in text and f'href="{link}"' in html
    assert "&lt;b&gt;Urgent&lt;/b&gt; &amp; soon" in html and "<b>Urgent" not in html
    assert '<html lang="fr">' in html

    english = mails["emma@alpha.fr"]
    assert english.message["Subject"] == "Exchange with Dupont SARL: Quote"
    text, html = parts(english)
    assert "Hello Emma Stone," in text
    for line in ("Date: Monday, March 9, 2026, 2:30\u202fPM", "Mode: Phone",
                 "Object: Quote", "Status: In progress"):
        assert line in text
    # Not in the group, not the author: no trace of the confidential part.
    for part in (text, html, english.message["Subject"]):
        assert "Budget" not in part and "onfidential" not in part
    assert '<html lang="en">' in html


def test_the_emails_belong_to_the_transaction_of_the_exchange(app, tenants):
    a = tenants.a
    exchange_id = make_exchange(app, a, [a.member_membership_id])

    assert notify(app, a.id, exchange_id, commit=False) == []

    assert outbox(app) == []
    with app.app_context():
        assert rq.queue.count == 0  # no job for a message that was never committed


def test_the_author_alone_or_nobody_means_no_email(app, tenants):
    a = tenants.a
    for collaborators in ([], [a.admin_membership_id]):
        exchange_id = make_exchange(app, a, collaborators)
        assert notify(app, a.id, exchange_id) == []
    assert outbox(app) == []


def test_the_author_reads_the_confidential_comment_and_the_tenant_wording_is_used(
        app, tenants):
    """A collaborator who is the author of the confidential part sees it; the email
    follows the tenant's own template, not the other tenant's."""
    a, b = tenants.a, tenants.b
    with app.app_context():
        for tenant, subject in ((a, "Alpha: {{ tiers }} {{ confidential_comment }}"),
                                (b, "Beta wording")):
            with bound_tenant(tenant.id):
                db.session.add(EmailTemplate(
                    name="CONTACTRACKING_MAILINFO", language="fr", subject=subject,
                    body_text="{{ comment }}", body_html="<p>{{ comment }}</p>"))
                db.session.commit()
    # Written by the member: the admin collaborates, is not in the group, but the
    # member (author) is — and the admin is told, without the confidential part.
    exchange_id = make_exchange(app, a, [a.admin_membership_id],
                                author_id=a.member_membership_id)
    notify(app, a.id, exchange_id)
    [row] = outbox(app)
    assert (row.to_email, row.subject) == ("alice@alpha.fr", "Alpha: Dupont SARL")

    with app.app_context(), bound_tenant(a.id):
        exchange = db.session.scalar(select(Exchange).where(Exchange.id == exchange_id))
        exchange.collaborator_links.append(
            ExchangeCollaborator(membership_id=a.member_membership_id))
        db.session.flush()
        admin = db.session.scalar(select(Membership).where(
            Membership.id == a.admin_membership_id))
        assert notify_collaborators(exchange, sender=admin) == []
        db.session.commit()
    row = outbox(app)[-1]
    assert (row.to_email, row.subject) == ("arthur@alpha.fr", "Alpha: Dupont SARL Budget: 10,000 €")
