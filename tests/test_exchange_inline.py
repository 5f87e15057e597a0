"""Creating a tiers or a contact from inside the pop-up, and the fields that follow the
chosen tiers (out-of-band swaps), over htmx."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from sqlalchemy import select

from ct.core.permissions import READ_ALL_EXCHANGES, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Tiers
from tests.admin_support import set_rights
from tests.exchange_records import counts, exchange_data, records  # noqa: F401
from tests.test_exchange_validation import error_of

# Messages are asserted in English (the users of the fixtures are French).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def admin(htmx, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    return tenants.a


def url(slug, path):
    return f"/t/{slug}/exchanges/{path}"


def new_tiers(**fields):
    return {f"new_tiers-{k}": v for k, v in fields.items()}


def new_contact(**fields):
    return {f"new_contact-{k}": v for k, v in fields.items()}


def test_plus_opens_the_sub_form_with_the_typed_name(htmx, admin):
    html = htmx.get(url(admin.slug, "inline/tiers?q=Garage+Lenoir")).get_data(as_text=True)
    assert 'id="inline-tiers"' in html and "data-subform" in html
    assert 'name="new_tiers-name"' in html and 'value="Garage Lenoir"' in html
    for kind in ("prospect", "customer", "supplier"):
        assert f'<input type="checkbox" name="new_tiers-kinds" value="{kind}"' in html
    assert "<form" not in html  # it lives inside the exchange form


def test_new_tiers_locks_the_field_and_updates_contacts_and_documents(app, htmx, admin):
    data = new_tiers(name="Garage Lenoir", kinds=["customer", "supplier"],
                     email="contact@lenoir.fr", phone="+33 4 72 00 00 00", town="Lyon")
    response = htmx.post(url(admin.slug, "inline/tiers"), data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    with app.app_context(), bound_tenant(admin.id):
        tiers = db.session.scalar(select(Tiers).where(Tiers.name == "Garage Lenoir"))
        assert tiers.kinds == ["customer", "supplier"] and tiers.town == "Lyon"
        assert tiers.created_by_id == admin.admin_membership_id
    assert html.startswith('<div id="tiers-field"')  # the main swap target
    assert f'<input type="hidden" name="tiers_id" id="tiers_id" value="{tiers.id}">' in html
    assert 'name="tiers_locked" value="1"' in html
    assert 'id="tiers-search"' not in html  # locked: no picker any more
    assert '<fieldset id="contacts-field" class="contacts-field" hx-swap-oob="true"' in html
    assert '<div id="documents-field" hx-swap-oob="true">' in html
    assert "No contact at this third party yet." in html
    assert f"inline/contact?tiers_id={tiers.id}" in html


def test_new_tiers_errors_stay_in_the_sub_form(app, htmx, admin):
    before = counts(app, admin.id)
    response = htmx.post(url(admin.slug, "inline/tiers"), data=new_tiers(
        name="", email="not-an-email", phone="call me", town="x" * 121, kinds="robot"))
    nul = htmx.post(url(admin.slug, "inline/tiers"), data=new_tiers(name="Nul\x00Byte"))
    assert nul.status_code == 422
    assert error_of(nul.get_data(as_text=True), "new_tiers-name") == \
        "Use a single line of plain text."
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="inline-tiers"' in html
    assert error_of(html, "new_tiers-name") == "Give the name of the third party."
    assert error_of(html, "new_tiers-email") == "Enter a valid email address."
    assert error_of(html, "new_tiers-phone").startswith("Enter a phone number")
    assert error_of(html, "new_tiers-town") == "At most 120 characters."
    assert counts(app, admin.id) == before


def test_possible_duplicate_is_shown_then_create_anyway(app, htmx, admin, records):
    response = htmx.post(url(admin.slug, "inline/tiers"),
                         data=new_tiers(name="DUPONT industrie SARL"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This third party may already exist" in html and "Dupont Industrie" in html
    assert f'"new_tiers-use": "{records.a.tiers}"' in html
    assert counts(app, admin.id)["Tiers"] == 2
    forced = htmx.post(url(admin.slug, "inline/tiers"),
                       data=new_tiers(name="DUPONT industrie SARL", force="1"))
    assert forced.status_code == 200 and 'name="tiers_locked" value="1"' in forced.get_data(
        as_text=True)
    assert counts(app, admin.id)["Tiers"] == 3


def test_use_this_one_picks_the_existing_tiers(app, htmx, admin, records):
    response = htmx.post(url(admin.slug, "inline/tiers"),
                         data=new_tiers(name="Dupont", use=str(records.a.tiers)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'name="tiers_id" id="tiers_id" value="{records.a.tiers}"' in html
    assert 'name="tiers_locked"' not in html  # an existing tiers can still be changed
    assert f'name="contact_ids" value="{records.a.contact}"' in html
    assert counts(app, admin.id)["Tiers"] == 2


def test_use_another_tenants_tiers_is_refused(app, htmx, admin, records):
    response = htmx.post(url(admin.slug, "inline/tiers"),
                         data=new_tiers(name="x", use=str(records.b.tiers)))
    assert response.status_code == 422
    assert "Dupont Industrie" not in response.get_data(as_text=True)


def test_new_contact_is_added_checked_to_the_selection(app, htmx, admin, records):
    a = records.a
    sub = htmx.get(url(admin.slug, f"inline/contact?tiers_id={a.tiers}"))
    assert 'name="new_contact-first_name"' in sub.get_data(as_text=True)
    response = htmx.post(url(admin.slug, "inline/contact"), data={
        "tiers_id": str(a.tiers), "contact_ids": [str(a.contact)],
        **new_contact(first_name="Zoé", last_name="Marchand", email="zoe@dupont.fr",
                      phone="06 12 34 56 78", job_title="Buyer")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith('<fieldset id="contacts-field"')
    with app.app_context(), bound_tenant(admin.id):
        zoe = db.session.scalar(select(Contact).where(Contact.last_name == "Marchand"))
        assert zoe.tiers_id == a.tiers and zoe.job_title == "Buyer"
    assert f'name="contact_ids" value="{zoe.id}" checked autofocus' in html
    assert f'name="contact_ids" value="{a.contact}" checked' in html  # earlier choice kept
    assert f'name="contact_ids" value="{a.contact2}">' in html
    assert 'id="inline-contact"' not in html


def test_new_contact_errors_and_missing_tiers(app, htmx, admin, records):
    before = counts(app, admin.id)
    response = htmx.post(url(admin.slug, "inline/contact"), data={
        "tiers_id": str(records.a.tiers), **new_contact(email="nope", phone="12")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="inline-contact"' in html
    assert error_of(html, "new_contact-last_name") == "Give a first or a last name."
    assert error_of(html, "new_contact-email") and error_of(html, "new_contact-phone")
    for tiers_id in ("", str(records.b.tiers)):
        response = htmx.post(url(admin.slug, "inline/contact"),
                             data={"tiers_id": tiers_id, **new_contact(last_name="Roux")})
        assert response.status_code == 422
        assert "Choose the third party first." in response.get_data(as_text=True)
    assert counts(app, admin.id) == before


def test_tiers_fields_answers_out_of_band(htmx, admin, records):
    a = records.a
    html = htmx.get(url(admin.slug, f"tiers-fields?tiers_id={a.other_tiers}")).get_data(
        as_text=True)
    assert html.count('hx-swap-oob="true"') == 2
    assert f'name="contact_ids" value="{a.other_contact}"' in html
    assert f'<option value="{a.other_document}">' in html
    assert f'value="{a.contact}"' not in html
    empty = htmx.get(url(admin.slug, "tiers-fields?tiers_id=")).get_data(as_text=True)
    assert "Choose the third party first" in empty


@pytest.mark.parametrize("path", ["tiers-fields?tiers_id={b}", "inline/contact?tiers_id={b}",
                                  "tiers-fields?tiers_id=x1"])
def test_other_tenants_ids_in_urls_are_404(htmx, admin, records, path):
    assert htmx.get(url(admin.slug, path.format(b=records.b.tiers))).status_code == 404


def test_inline_creation_needs_the_records_right(app, htmx, tenants, records):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               [READ_ALL_EXCHANGES, WRITE_EXCHANGES])
    htmx.post("/login", data={"email": tenants.a.member_email, "password": "correct horse battery"})
    form = htmx.get(url(tenants.a.slug, f"new?tiers={records.a.tiers}")).get_data(as_text=True)
    assert 'id="new-tiers-button"' not in form and 'id="new-contact-button"' not in form
    assert htmx.post(url(tenants.a.slug, "inline/tiers"),
                     data=new_tiers(name="Sneaky")).status_code == 403
    assert htmx.post(url(tenants.a.slug, "inline/contact"), data={
        "tiers_id": str(records.a.tiers), **new_contact(last_name="Sneaky")}).status_code == 403
    assert counts(app, tenants.a.id)["Tiers"] == 2


def test_inline_tiers_stays_created_and_chosen_when_the_exchange_fails(app, htmx, admin,
                                                                       records):
    created = htmx.post(url(admin.slug, "inline/tiers"), data=new_tiers(name="Boulangerie Roux"))
    tiers_id = re.search(r'name="tiers_id" id="tiers_id" value="(\d+)"',
                         created.get_data(as_text=True)).group(1)
    contact = htmx.post(url(admin.slug, "inline/contact"), data={
        "tiers_id": tiers_id, **new_contact(last_name="Roux")}).get_data(as_text=True)
    contact_id = re.search(r'value="(\d+)" checked autofocus', contact).group(1)
    response = htmx.post(url(admin.slug, "new"), data=exchange_data(
        records.a, tiers_id=tiers_id, tiers_locked="1", contact_ids=[contact_id],
        occurred_at="", in_dialog="1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and error_of(html, "occurred_at")
    assert f'<input type="hidden" name="tiers_id" id="tiers_id" value="{tiers_id}">' in html
    assert "Boulangerie Roux" in html and 'name="tiers_locked" value="1"' in html
    assert f'name="contact_ids" value="{contact_id}" checked' in html
    assert counts(app, admin.id) | {"Event": 0, "Task": 0} == \
        {"Exchange": 0, "Task": 0, "Event": 0, "Tiers": 3, "Contact": 4}
