"""The capture pages: the member's address (made on request, copied, renewed with its
audit entries, never stored in clear) and the To classify list (prefilled contact,
a contact created in one click logs every waiting email naming it, bad input 422 and
nothing written, another member's email 404)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from ct.core.permissions import RIGHTS, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import AuditEntry, CaptureAddress, Contact, Exchange, InboundEmail
from tests.admin_support import set_rights
from tests.capture_support import exchanges_of, inbound_of, make_contact, waiting_email

ADDRESS = re.compile(r'>(log-[a-z2-7]{32}@capture\.ct\.localhost)</textarea>')


def _audit(app, tenant_id):
    with app.app_context(), bound_tenant(tenant_id):
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_member_gets_copies_and_renews_their_address(app, client, auth, tenants):
    auth.login(tenants.a.member_email)
    page = f"/t/{tenants.a.slug}/capture/"
    first = client.get(page)
    assert first.status_code == 200 and ADDRESS.search(first.text) is None
    assert "Obtenir mon adresse de capture" in first.text
    assert client.post(page + "new").status_code == 303
    shown = client.get(page)
    assert shown.headers["Cache-Control"] == "no-store"
    address = ADDRESS.search(shown.text).group(1)
    assert 'data-copy="#capture-address"' in shown.text and "copy.js" in shown.text
    assert ADDRESS.search(client.get(page).text).group(1) == address  # shown again
    with app.app_context(), bound_tenant(tenants.a.id):
        row = db.session.scalar(select(CaptureAddress))
        token = address[4:36]
        assert token not in row.nonce and token not in row.token_hash  # never in clear
        assert CaptureAddress.resolve(address.upper()).id == row.id
    assert client.post(page + "new").status_code == 303  # revoke and make a new one
    renewed = ADDRESS.search(client.get(page).text).group(1)
    assert renewed != address
    with app.app_context():
        assert CaptureAddress.resolve(address) is None
        assert CaptureAddress.resolve(renewed) is not None
    assert _audit(app, tenants.a.id) == ["capture_address.create", "capture_address.revoke",
                                        "capture_address.create"]


def test_the_account_page_links_each_companys_address(client, auth, tenants):
    auth.login(tenants.a.member_email)
    page = client.get("/account").text
    assert f"/t/{tenants.a.slug}/capture/" in page
    assert f"/t/{tenants.b.slug}/capture/" not in page


def test_a_member_who_may_not_log_exchanges_gets_no_address(app, client, auth, tenants):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               [r for r in RIGHTS if r != WRITE_EXCHANGES])
    auth.login(tenants.a.member_email)
    assert client.get(f"/t/{tenants.a.slug}/capture/").status_code == 403


def test_a_contact_created_from_to_classify_logs_every_email_naming_it(app, client, auth,
                                                                       tenants):
    tiers, _ = make_contact(app, tenants.a.id, "Prospect SA", "direction@prospect.fr")
    first = waiting_email(app, tenants.a.id, tenants.a.member_membership_id)
    second = waiting_email(app, tenants.a.id, tenants.a.member_membership_id,
                           message_id="<w2@alpha.fr>")
    auth.login(tenants.a.member_email)
    base = f"/t/{tenants.a.slug}/exchanges/to-classify/"
    listed = client.get(base).text
    assert "Nora Petit &lt;nora@prospect.fr&gt;" in listed
    assert "2 à classer" in listed  # the menu's counter
    form = client.get(f"{base}{first}").text
    assert 'value="Nora"' in form and 'value="Petit"' in form
    assert f'<option value="{tiers}" selected>' in form  # same company domain
    response = client.post(f"{base}{first}", data={
        "email": "nora@prospect.fr", "tiers_id": str(tiers), "first_name": "Nora",
        "last_name": "Petit", "action": "contact"})
    assert response.status_code == 303
    with app.app_context(), bound_tenant(tenants.a.id):
        nora = db.session.scalar(select(Contact).where(Contact.email == "nora@prospect.fr"))
        assert nora.tiers_id == tiers and nora.full_name == "Nora Petit"
    made = exchanges_of(app, tenants.a.id)
    assert len(made) == 2 and all(e["contacts"] == [nora.id] for e in made)
    assert all(e["author"] == tenants.a.member_membership_id for e in made)
    assert {r.id: r.status for r in inbound_of(app, tenants.a.id)} == {
        first: "done", second: "done"}
    after = client.get(base).text
    assert "nora@prospect.fr" not in after and "Rien à classer" in after
    assert client.post(f"{base}{first}", data={"email": "nora@prospect.fr",
                                                "tiers_id": str(tiers)}).status_code == 404


def test_logging_on_a_third_party_alone_and_dismissing(app, client, auth, tenants):
    tiers, _ = make_contact(app, tenants.a.id, "Client SA", None)
    first = waiting_email(app, tenants.a.id, tenants.a.member_membership_id)
    second = waiting_email(app, tenants.a.id, tenants.a.member_membership_id,
                           message_id="<w2@alpha.fr>")
    auth.login(tenants.a.member_email)
    base = f"/t/{tenants.a.slug}/exchanges/to-classify/"
    assert client.post(f"{base}{first}", data={
        "email": "nora@prospect.fr", "tiers_id": str(tiers), "action": "tiers"}
    ).status_code == 303
    [made] = exchanges_of(app, tenants.a.id)
    assert made["tiers"] == tiers and made["contacts"] == []
    assert client.post(f"{base}{second}/dismiss").status_code == 303
    assert [r.status for r in inbound_of(app, tenants.a.id)] == ["done", "dismissed"]
    assert len(exchanges_of(app, tenants.a.id)) == 1


def _counts(app, tenant_id):
    with app.app_context(), bound_tenant(tenant_id):
        return (db.session.scalar(select(func.count(Contact.id))),
                db.session.scalar(select(func.count(Exchange.id))),
                db.session.scalar(select(func.count(InboundEmail.id)).where(
                    InboundEmail.status == "to_classify")))


def test_bad_input_is_422_by_the_field_and_writes_nothing(app, client, auth, tenants):
    tiers, _ = make_contact(app, tenants.a.id, "Client SA", None)
    tiers_b, _ = make_contact(app, tenants.b.id, "Client B", None)
    item = waiting_email(app, tenants.a.id, tenants.a.member_membership_id)
    auth.login(tenants.a.member_email)
    url = f"/t/{tenants.a.slug}/exchanges/to-classify/{item}"
    before = _counts(app, tenants.a.id)
    for data, message in (
        ({"email": "other@prospect.fr", "tiers_id": str(tiers), "last_name": "X"},
         "N&#39;est pas un choix valide."),
        ({"email": "nora@prospect.fr", "tiers_id": str(tiers_b), "last_name": "X"},
         "Choisissez un tiers existant."),
        ({"email": "nora@prospect.fr", "tiers_id": "", "last_name": "X"},
         "Choisissez un tiers."),
        ({"email": "nora@prospect.fr", "tiers_id": str(tiers)}, "Indiquez un prénom ou un nom."),
        ({"email": "nora@prospect.fr", "tiers_id": str(tiers), "last_name": "x" * 101},
         "100 caractères"),
    ):
        response = client.post(url, data={**data, "action": "contact"})
        assert response.status_code == 422, data
        assert message in response.text, re.findall(r"field-error\">([^<]*)", response.text)
    assert _counts(app, tenants.a.id) == before


def test_another_members_email_is_404(app, client, auth, tenants):
    theirs = waiting_email(app, tenants.a.id, tenants.a.admin_membership_id)
    auth.login(tenants.a.member_email)
    base = f"/t/{tenants.a.slug}/exchanges/to-classify/"
    assert "nora@prospect.fr" not in client.get(base).text
    assert client.get(f"{base}{theirs}").status_code == 404
    assert client.post(f"{base}{theirs}/dismiss").status_code == 404
    assert [r.status for r in inbound_of(app, tenants.a.id)] == ["to_classify"]


def test_a_failed_email_shows_its_reason(app, client, auth, tenants, capture):
    from tests.capture_support import address_of, sample

    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    capture.deliver(sample("malformed.eml", me), [me])
    auth.login(tenants.a.member_email)
    page = client.get(f"/t/{tenants.a.slug}/exchanges/to-classify/").text
    assert "Non enregistré" in page and "La structure MIME du message est cassée." in page


def test_picking_an_existing_contact_gives_it_the_address(app, client, auth, tenants):
    """Nora is already a contact of Prospect SA, without an email: one click logs the
    exchange with her and gives her the address, so the next email matches alone."""
    tiers, _ = make_contact(app, tenants.a.id, "Prospect SA", "direction@prospect.fr")
    with app.app_context(), bound_tenant(tenants.a.id):
        nora = Contact(tiers_id=tiers, first_name="Nora", last_name="Petit")
        db.session.add(nora)
        db.session.commit()
        nora_id = nora.id
    item = waiting_email(app, tenants.a.id, tenants.a.member_membership_id)
    auth.login(tenants.a.member_email)
    url = f"/t/{tenants.a.slug}/exchanges/to-classify/{item}"
    form = client.get(url).text
    assert "Ou un contact de Prospect SA" in form and "Enregistrer avec Nora Petit" in form
    assert client.post(url, data={"email": "nora@prospect.fr", "action": "existing",
                                  "contact_id": "999"}).status_code == 422
    response = client.post(url, data={"email": "nora@prospect.fr", "action": "existing",
                                      "contact_id": str(nora_id)})
    assert response.status_code == 303
    [made] = exchanges_of(app, tenants.a.id)
    assert made["tiers"] == tiers and made["contacts"] == [nora_id]
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.get(Contact, nora_id).email == "nora@prospect.fr"


def test_another_companys_contact_cannot_be_picked(app, client, auth, tenants):
    _, theirs = make_contact(app, tenants.b.id, "Client B", None)
    item = waiting_email(app, tenants.a.id, tenants.a.member_membership_id)
    auth.login(tenants.a.member_email)
    response = client.post(f"/t/{tenants.a.slug}/exchanges/to-classify/{item}", data={
        "email": "nora@prospect.fr", "action": "existing", "contact_id": str(theirs)})
    assert response.status_code == 422 and "Choisissez un contact existant." in response.text
    assert exchanges_of(app, tenants.a.id) == [] and exchanges_of(app, tenants.b.id) == []


def test_the_company_export_carries_no_address_secret_and_no_raw_mail():
    from ct.records.export import exported_columns

    address = {c.name for c in exported_columns(CaptureAddress.__table__)}
    assert "nonce" not in address and "token_hash" not in address
    assert "raw" not in {c.name for c in exported_columns(InboundEmail.__table__)}
