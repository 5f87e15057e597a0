"""Contacts: create, edit, delete, every bad input, rights, and the other tenant's ids."""

import pytest
from sqlalchemy import func, select

from ct.core.permissions import PRESETS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Event, EventContact, Tiers
from ct.models.base import utcnow
from tests.admin_support import set_rights

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

def add(app, tenant, *rows):
    """Rows written for ``tenant``; their ids, in order."""
    with app.app_context(), bound_tenant(tenant.id):
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def contacts_of(app, tenant):
    with app.app_context(), bound_tenant(tenant.id):
        return db.session.scalars(select(Contact).order_by(Contact.id)).all()


@pytest.fixture
def alpha(app, client, auth, tenants):
    """Tenant a's admin logged in, with one third party."""
    auth.login(tenants.a.admin_email)
    (tiers_id,) = add(app, tenants.a, Tiers(name="Dupont Chauffage SARL"))
    tenants.a.tiers_id = tiers_id
    return tenants.a


def test_create_a_contact_with_every_field(app, client, alpha):
    response = client.post(f"/t/{alpha.slug}/contacts/new", data={
        "first_name": " François ", "last_name": "Lefèvre", "job_title": "Acheteur",
        "email": "f.lefevre@dupont.fr", "phone": "+33 (0)1 23 45 67 89",
        "mobile": "06.12.34.56.78", "tiers_id": str(alpha.tiers_id), "notes": "Line 1\nLine 2",
    })
    assert response.status_code == 303
    (contact,) = contacts_of(app, alpha)
    assert response.headers["Location"] == f"/t/{alpha.slug}/contacts/{contact.id}"
    assert (contact.first_name, contact.last_name) == ("François", "Lefèvre")
    assert contact.tiers_id == alpha.tiers_id
    assert contact.sort_key == "lefevre francois"
    assert contact.created_by_id == alpha.admin_membership_id
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    for text in ("François Lefèvre", "Acheteur", "f.lefevre@dupont.fr", "06.12.34.56.78",
                 "Dupont Chauffage SARL", "Line 1<br>Line 2", 'id="contact-exchanges"'):
        assert text in card


def test_one_name_is_enough_and_empty_fields_are_stored_as_null(app, client, alpha):
    response = client.post(f"/t/{alpha.slug}/contacts/new", data={"last_name": "Martin",
                                                                   "email": "", "tiers_id": ""})
    assert response.status_code == 303
    (contact,) = contacts_of(app, alpha)
    assert contact.first_name is None and contact.email is None and contact.tiers_id is None
    assert contact.full_name == "Martin"


def test_new_contact_from_a_tiers_card_is_linked_to_it(app, client, alpha):
    page = client.get(f"/t/{alpha.slug}/contacts/new?tiers={alpha.tiers_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'<option value="{alpha.tiers_id}" selected>Dupont Chauffage SARL</option>' in html


def test_prefill_with_another_tenants_tiers_is_ignored(app, client, alpha, tenants):
    (foreign,) = add(app, tenants.b, Tiers(name="Beta Secret Client"))
    page = client.get(f"/t/{alpha.slug}/contacts/new?tiers={foreign}")
    assert page.status_code == 200
    assert "Beta Secret Client" not in page.get_data(as_text=True)
    assert " selected>" not in page.get_data(as_text=True)


def test_edit_a_contact(app, client, alpha):
    (contact_id,) = add(app, alpha, Contact(first_name="Jean", last_name="Petit"))
    form = client.get(f"/t/{alpha.slug}/contacts/{contact_id}/edit")
    assert 'value="Petit"' in form.get_data(as_text=True)
    response = client.post(f"/t/{alpha.slug}/contacts/{contact_id}/edit", data={
        "first_name": "Jean", "last_name": "Grand", "tiers_id": str(alpha.tiers_id)})
    assert response.status_code == 303
    (contact,) = contacts_of(app, alpha)
    assert contact.last_name == "Grand" and contact.tiers_id == alpha.tiers_id
    assert contact.sort_key == "grand jean"


def test_htmx_invalid_form_gets_the_form_fragment_with_422(app, htmx, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    response = htmx.post(f"/t/{tenants.a.slug}/contacts/new", data={"first_name": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<form id="contact-form"')
    assert "Enter a first name or a last name." in html


def test_htmx_success_redirects_with_a_header(app, htmx, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    response = htmx.post(f"/t/{tenants.a.slug}/contacts/new", data={"first_name": "Zoé"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith(f"/t/{tenants.a.slug}/contacts/")


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"first_name": "", "last_name": ""}, "first_name", "Enter a first name or a last name."),
    ({"first_name": "   ", "last_name": " "}, "first_name", "Enter a first name or a last name."),
    ({"first_name": "x" * 10_000}, "first_name", "At most 100 characters."),
    ({"last_name": "x" * 10_000}, "last_name", "At most 100 characters."),
    ({"first_name": "A", "job_title": "x" * 10_000}, "job_title", "At most 120 characters."),
    ({"first_name": "A", "notes": "x" * 10_000}, "notes", "At most 5000 characters."),
    ({"first_name": "A", "email": "x" * 10_000 + "@a.fr"}, "email", "At most 254 characters."),
    ({"first_name": "A", "email": "not an email"}, "email", "Enter a valid email address."),
    ({"first_name": "A", "email": "a@"}, "email", "Enter a valid email address."),
    ({"first_name": "A", "phone": "call me"}, "phone", "Enter a phone number"),
    ({"first_name": "A", "phone": "12345"}, "phone", "Enter a phone number"),
    ({"first_name": "A", "phone": "1" * 21}, "phone", "Enter a phone number"),
    ({"first_name": "A", "mobile": "06 12 34 56 78 ext. 4"}, "mobile", "Enter a phone number"),
    ({"first_name": "A", "mobile": "9" * 10_000}, "mobile", "At most 40 characters."),
    ({"first_name": "A\x00B"}, "first_name", "Use a single line of plain text."),
    ({"first_name": "A", "notes": "bell\x07"}, "notes", "Remove the control characters"),
    ({"first_name": "A", "tiers_id": "abc"}, "tiers_id", "Choose an existing third party."),
    ({"first_name": "A", "tiers_id": "999999"}, "tiers_id", "Choose an existing third party."),
    ({"first_name": "A", "tiers_id": "9" * 40}, "tiers_id", "Choose an existing third party."),
])
def test_bad_input_is_refused_next_to_the_field(app, client, alpha, data, field, message):
    response = client.post(f"/t/{alpha.slug}/contacts/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html.split(f'id="{field}-error"')[1].split("</small>")[0]
    assert contacts_of(app, alpha) == []


def test_bad_input_on_edit_changes_nothing(app, client, alpha):
    (contact_id,) = add(app, alpha, Contact(first_name="Jean", email="jean@a.fr"))
    response = client.post(f"/t/{alpha.slug}/contacts/{contact_id}/edit",
                           data={"first_name": "Jean", "email": "broken"})
    assert response.status_code == 422
    assert contacts_of(app, alpha)[0].email == "jean@a.fr"


def test_another_tenants_tiers_in_the_form_is_a_field_error(app, client, alpha, tenants):
    (foreign,) = add(app, tenants.b, Tiers(name="Beta Secret Client"))
    response = client.post(f"/t/{alpha.slug}/contacts/new",
                           data={"first_name": "Spy", "tiers_id": str(foreign)})
    assert response.status_code == 422
    assert "Choose an existing third party." in response.get_data(as_text=True)
    assert "Beta Secret Client" not in response.get_data(as_text=True)
    assert contacts_of(app, alpha) == []


def test_html_payload_is_shown_as_text(app, client, alpha):
    payload = '<script>alert("x")</script>'
    client.post(f"/t/{alpha.slug}/contacts/new", data={"first_name": payload, "job_title": payload,
                                                       "notes": payload})
    (contact,) = contacts_of(app, alpha)
    for url in (f"/t/{alpha.slug}/contacts/", f"/t/{alpha.slug}/contacts/{contact.id}",
                f"/t/{alpha.slug}/contacts/{contact.id}/edit",
                f"/t/{alpha.slug}/search/contacts?q=script"):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html, url
        assert "&lt;script&gt;" in html, url


def test_delete_after_confirmation_keeps_the_agenda_events(app, client, alpha):
    (contact_id,) = add(app, alpha, Contact(first_name="Jean"))
    now = utcnow()
    (event_id,) = add(app, alpha, Event(title="Visite", starts_at=now, ends_at=now))
    add(app, alpha, EventContact(event_id=event_id, contact_id=contact_id))
    confirm = client.get(f"/t/{alpha.slug}/contacts/{contact_id}/delete")
    assert confirm.status_code == 200
    assert "removed from 1 agenda event" in confirm.get_data(as_text=True)
    response = client.post(f"/t/{alpha.slug}/contacts/{contact_id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{alpha.slug}/contacts/"
    assert contacts_of(app, alpha) == []
    with app.app_context(), bound_tenant(alpha.id):
        assert db.session.scalar(select(func.count(Event.id))) == 1
        assert db.session.scalar(select(func.count(EventContact.id))) == 0


def test_member_may_create_and_edit_but_not_delete(app, client, auth, tenants):
    (contact_id,) = add(app, tenants.a, Contact(first_name="Jean"))
    auth.login(tenants.a.member_email)
    base = f"/t/{tenants.a.slug}/contacts"
    assert client.post(f"{base}/new", data={"first_name": "Paul"}).status_code == 303
    assert client.post(f"{base}/{contact_id}/edit", data={"first_name": "J"}).status_code == 303
    assert client.get(f"{base}/{contact_id}/delete").status_code == 403
    assert client.post(f"{base}/{contact_id}/delete").status_code == 403
    assert len(contacts_of(app, tenants.a)) == 2
    assert "Delete" not in client.get(f"{base}/{contact_id}").get_data(as_text=True)


def test_member_without_manage_records_reads_only(app, client, auth, tenants):
    (contact_id,) = add(app, tenants.a, Contact(first_name="Jean"))
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, PRESETS["restricted"])
    auth.login(tenants.a.member_email)
    base = f"/t/{tenants.a.slug}/contacts"
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"{base}/{contact_id}").status_code == 200
    for url in (f"{base}/new", f"{base}/{contact_id}/edit", f"{base}/tiers-options"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{base}/new", data={"first_name": "Paul"}).status_code == 403
    assert client.post(f"{base}/{contact_id}/edit", data={"first_name": "X"}).status_code == 403
    assert [c.first_name for c in contacts_of(app, tenants.a)] == ["Jean"]
    page = client.get(f"{base}/").get_data(as_text=True)
    assert "New contact" not in page


def test_member_granted_delete_may_delete(app, client, auth, tenants):
    (contact_id,) = add(app, tenants.a, Contact(first_name="Jean"))
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, ["tiers.delete"])
    auth.login(tenants.a.member_email)
    assert client.post(f"/t/{tenants.a.slug}/contacts/{contact_id}/delete").status_code == 303
    assert contacts_of(app, tenants.a) == []


def test_every_contact_route_is_404_for_another_tenants_contact(app, client, alpha, tenants):
    (foreign,) = add(app, tenants.b, Contact(first_name="Berthe", last_name="Secret"))
    base = f"/t/{alpha.slug}/contacts"
    for url in (f"{base}/{foreign}", f"{base}/{foreign}/edit", f"{base}/{foreign}/delete"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret" not in response.get_data(as_text=True)
    assert client.post(f"{base}/{foreign}/edit", data={"first_name": "Hacked"}).status_code == 404
    assert client.post(f"{base}/{foreign}/delete").status_code == 404
    (contact,) = contacts_of(app, tenants.b)
    assert contact.first_name == "Berthe"


def test_list_filter_with_another_tenants_tiers_is_404(app, client, alpha, tenants):
    (foreign,) = add(app, tenants.b, Tiers(name="Beta Secret Client"))
    assert client.get(f"/t/{alpha.slug}/contacts/?tiers={foreign}").status_code == 404
    assert client.get(f"/t/{alpha.slug}/contacts/?tiers=abc").status_code == 404


def test_another_tenants_member_cannot_reach_the_contacts(app, client, auth, tenants):
    (contact_id,) = add(app, tenants.a, Contact(first_name="Jean"))
    auth.login(tenants.b.admin_email)
    base = f"/t/{tenants.a.slug}/contacts"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/{contact_id}").status_code == 404
    assert client.post(f"{base}/new", data={"first_name": "Spy"}).status_code == 404
    assert client.post(f"{base}/{contact_id}/delete").status_code == 404
    assert len(contacts_of(app, tenants.a)) == 1


def test_forged_posts_without_the_csrf_token_are_refused(app, client, alpha, monkeypatch):
    (contact_id,) = add(app, alpha, Contact(first_name="Jean"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    base = f"/t/{alpha.slug}"
    for url, data in ((f"{base}/contacts/new", {"first_name": "Forged"}),
                      (f"{base}/contacts/{contact_id}/delete", {}),
                      (f"{base}/documents/new", {"reference": "X"}),
                      (f"{base}/products/new", {"reference": "X", "label": "X"})):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "The form has expired" in response.get_data(as_text=True)
    assert [c.first_name for c in contacts_of(app, alpha)] == ["Jean"]
