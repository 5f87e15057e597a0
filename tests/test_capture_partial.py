"""An email whose people matched only in part: logged with those that matched, the other
addresses left in To classify, where each one classified joins the exchange the email
already has with its third party (or logs a new one), never a second one; colleagues in
Cc are nobody to classify."""

from __future__ import annotations

from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import InboundEmail, Tiers
from tests.capture_support import address_of, exchanges_of, inbound_of, mail, make_contact
from tests.smtp import run_queued_jobs


def tiers_id(app, tenant_id: int, name: str) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        tiers = Tiers(name=name)
        db.session.add(tiers)
        db.session.commit()
        return tiers.id


def partial_email(app, tenants, capture) -> tuple[int, int, int]:
    """Jean (a contact of Client SA) in To, Nora and Paul (unknown) and a colleague in Cc:
    (Client SA's id, Jean's id, the email's id)."""
    client_sa, jean = make_contact(app, tenants.a.id, "Client SA", "jean.durand@client.fr")
    me = address_of(app, tenants.a.id, tenants.a.member_membership_id)
    message = mail(to="Jean Durand <jean.durand@client.fr>",
                   cc=f"Nora Petit <nora@prospect.fr>, paul@client.fr, {tenants.a.admin_email}")
    assert capture.deliver(message, [me], sender=tenants.a.member_email) == {}
    [row] = inbound_of(app, tenants.a.id)
    return client_sa, jean, row.id


def test_logged_with_the_matched_people_the_others_left_to_classify(app, client, auth,
                                                                     tenants, capture):
    client_sa, jean, row_id = partial_email(app, tenants, capture)
    [exchange] = exchanges_of(app, tenants.a.id)
    assert exchange["tiers"] == client_sa and exchange["contacts"] == [jean]
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "partial" and row.logged == {str(client_sa): exchange["id"]}
    assert [p["email"] for p in row.unknown] == ["nora@prospect.fr", "paul@client.fr"]

    auth.login(tenants.a.member_email)
    page = client.get(f"/t/{tenants.a.slug}/exchanges/to-classify/").text
    assert "Enregistré avec 1 tiers" in page and "Ces adresses restent :" in page
    assert f"/to-classify/{row_id}?email=nora@prospect.fr" in page
    assert tenants.a.admin_email not in page  # a colleague is not a person to classify


def test_a_contact_of_the_same_third_party_joins_its_exchange(app, client, auth, tenants,
                                                               capture):
    client_sa, jean, row_id = partial_email(app, tenants, capture)
    auth.login(tenants.a.member_email)
    url = f"/t/{tenants.a.slug}/exchanges/to-classify/{row_id}"
    response = client.post(url, data={"email": "paul@client.fr", "action": "contact",
                                      "tiers_id": str(client_sa), "last_name": "Martin"})
    assert response.status_code == 303
    [exchange] = exchanges_of(app, tenants.a.id)  # still one exchange with Client SA
    assert len(exchange["contacts"]) == 2 and jean in exchange["contacts"]
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "partial" and [p["email"] for p in row.unknown] == ["nora@prospect.fr"]

    # Nora's third party is new to the email: an exchange of its own; the email is done.
    prospect = tiers_id(app, tenants.a.id, "Prospect SARL")
    response = client.post(url, data={"email": "nora@prospect.fr", "action": "tiers",
                                      "tiers_id": str(prospect)})
    assert response.status_code == 303
    made = exchanges_of(app, tenants.a.id)
    assert sorted(e["tiers"] for e in made) == sorted([client_sa, prospect])
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "done" and row.unknown is None and row.exchange_count == 2
    assert client.get(url).status_code == 404  # nothing left to classify


def test_the_job_run_again_makes_no_second_exchange(app, tenants, capture):
    client_sa, _jean, row_id = partial_email(app, tenants, capture)
    make_contact(app, tenants.a.id, "Prospect SARL", "nora@prospect.fr", "Petit")
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.get(InboundEmail, row_id).status = "pending"  # as the relay would
        db.session.commit()
    from ct.capture.process import process_inbound
    from ct.core.jobs import enqueue

    with app.app_context():
        enqueue(process_inbound, tenants.a.id, row_id, job_id=f"capture-again-{row_id}")
    run_queued_jobs(app)
    made = exchanges_of(app, tenants.a.id)
    assert len(made) == 2 and len([e for e in made if e["tiers"] == client_sa]) == 1
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "partial" and [p["email"] for p in row.unknown] == ["paul@client.fr"]


def test_leaving_the_addresses_keeps_the_exchange(app, client, auth, tenants, capture):
    _client_sa, _jean, row_id = partial_email(app, tenants, capture)
    auth.login(tenants.a.member_email)
    page = client.get(f"/t/{tenants.a.slug}/exchanges/to-classify/").text
    assert "Laisser ces adresses ? Les échanges déjà enregistrés restent." in page
    response = client.post(f"/t/{tenants.a.slug}/exchanges/to-classify/{row_id}/dismiss")
    assert response.status_code == 303
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "done" and len(exchanges_of(app, tenants.a.id)) == 1
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(InboundEmail.id).where(
            InboundEmail.status.in_(("to_classify", "partial")))) is None


def test_an_address_dealt_with_stays_dealt_with(app, client, auth, tenants):
    """Nora logged on her third party alone, then Paul's contact created: the email is
    done; Nora, still no contact, does not come back to classify."""
    from tests.capture_support import waiting_email

    row_id = waiting_email(app, tenants.a.id, tenants.a.member_membership_id,
                           to="Nora Petit <nora@prospect.fr>, Paul <paul@client.fr>")
    prospect = tiers_id(app, tenants.a.id, "Prospect SARL")
    client_sa = tiers_id(app, tenants.a.id, "Client SA")
    auth.login(tenants.a.member_email)
    url = f"/t/{tenants.a.slug}/exchanges/to-classify/{row_id}"
    assert client.post(url, data={"email": "nora@prospect.fr", "action": "tiers",
                                  "tiers_id": str(prospect)}).status_code == 303
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "partial" and [p["email"] for p in row.unknown] == ["paul@client.fr"]
    assert client.post(url, data={"email": "paul@client.fr", "action": "contact",
                                  "tiers_id": str(client_sa), "last_name": "Martin"}
                       ).status_code == 303
    [row] = inbound_of(app, tenants.a.id)
    assert row.status == "done" and row.unknown is None
    assert sorted(e["tiers"] for e in exchanges_of(app, tenants.a.id)) == sorted(
        [prospect, client_sa])
