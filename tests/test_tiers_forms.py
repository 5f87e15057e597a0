"""Third parties: create and edit, every bad input, the duplicate warning, rights."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Tiers
from tests.admin_support import set_rights
from tests.test_tiers import add_tiers, tiers_named

VALID = {
    "name": "Garage Martin", "kinds": ["prospect", "customer"], "customer_code": "C-001",
    "email": "contact@garage-martin.fr", "phone": "+33 (0)2 98.00-00-00",
    "website": "www.garage-martin.fr", "street": "1 rue de Brest", "postcode": "29000",
    "town": "Quimper", "country": "France", "notes": "Line one\nLine two",
}


def count_tiers(app, tenant_id: int) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(Tiers.id)))


@pytest.fixture
def base(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    client.post("/language", data={"language": "en"})  # the assertions read English
    return f"/t/{tenants.a.slug}/tiers"


def test_new_form_lists_active_members_as_sales_reps(client, base):
    body = client.get(f"{base}/new").get_data(as_text=True)
    assert "Admin Alpha Conseil" in body and "Member Alpha Conseil" in body
    assert "Beta Industrie" not in body
    assert 'type="checkbox"' in body and 'value="supplier"' in body


def test_create_with_every_field(app, client, tenants, base):
    response = client.post(f"{base}/new",
                           data=VALID | {"sales_rep_id": tenants.a.member_membership_id})
    assert response.status_code == 303
    [tiers] = tiers_named(app, tenants.a.id, "Garage Martin")
    assert response.headers["Location"].endswith(f"{base}/{tiers.id}")
    assert tiers.kinds == ["prospect", "customer"]
    assert tiers.website == "https://www.garage-martin.fr"  # the scheme people leave out
    assert (tiers.customer_code, tiers.email, tiers.phone, tiers.town, tiers.notes) == (
        "C-001", "contact@garage-martin.fr", "+33 (0)2 98.00-00-00", "Quimper",
        "Line one\nLine two")
    assert tiers.sales_rep_id == tenants.a.member_membership_id
    assert tiers.created_by_id == tenants.a.admin_membership_id
    assert tiers.active and tiers.tenant_id == tenants.a.id
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "created" in card and "Garage Martin" in card and "Line one<br>Line two" in card


def test_create_with_name_only_leaves_the_rest_empty(app, client, tenants, base):
    assert client.post(f"{base}/new", data={"name": "  Solo  "}).status_code == 303
    [tiers] = tiers_named(app, tenants.a.id, "Solo")
    assert tiers.kinds == [] and tiers.customer_code is None and tiers.email is None


def test_htmx_create_redirects_with_hx_redirect(app, htmx, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    response = htmx.post(f"/t/{tenants.a.slug}/tiers/new", data={"name": "Via htmx"})
    assert response.status_code == 204 and "/tiers/" in response.headers["HX-Redirect"]
    invalid = htmx.post(f"/t/{tenants.a.slug}/tiers/new", data={"name": ""})
    assert invalid.status_code == 422
    assert b"<html" not in invalid.data and b'id="tiers-form"' in invalid.data


LONG = "x" * 10_000


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "   "}, "name", "This field is required."),
    ({"name": LONG}, "name", "At most 200 characters."),
    ({"customer_code": LONG}, "customer_code", "At most 40 characters."),
    ({"email": LONG + "@x.fr"}, "email", "At most 254 characters."),
    ({"phone": LONG}, "phone", "At most 40 characters."),
    ({"website": "https://" + LONG + ".fr"}, "website", "At most 255 characters."),
    ({"street": LONG}, "street", "At most 255 characters."),
    ({"postcode": LONG}, "postcode", "At most 20 characters."),
    ({"town": LONG}, "town", "At most 120 characters."),
    ({"country": LONG}, "country", "At most 80 characters."),
    ({"notes": LONG}, "notes", "At most 5000 characters."),
    ({"email": "not-an-email"}, "email", "Enter a valid email address."),
    ({"email": "a@b"}, "email", "Enter a valid email address."),
    ({"phone": "call me maybe"}, "phone", "Enter a phone number"),
    ({"phone": "12345"}, "phone", "Enter a phone number"),             # too few digits
    ({"phone": "1" * 21}, "phone", "Enter a phone number"),            # too many digits
    ({"phone": "01 23 45 67 89 ext"}, "phone", "Enter a phone number"),
    ({"phone": "٠١٢٣٤٥٦٧"}, "phone", "Enter a phone number"),           # other digit scripts
    ({"website": "javascript:alert(1)"}, "website", "starting with http:// or https://"),
    ({"website": "ftp://files.example.com"}, "website", "starting with http:// or https://"),
    ({"website": "not a url"}, "website", "Enter a valid web address"),
    ({"website": "https://"}, "website", "Enter a valid web address"),
    ({"kinds": ["boss"]}, "kinds", "valid choice"),
    ({"sales_rep_id": "999999"}, "sales_rep_id", "Choose an existing member."),
    ({"sales_rep_id": "abc"}, "sales_rep_id", "Choose an existing member."),
    ({"sales_rep_id": "9" * 30}, "sales_rep_id", "Choose an existing member."),
    ({"sales_rep_id": "9" * 10_000}, "sales_rep_id", "Choose an existing member."),
    # PostgreSQL refuses NUL in text: each field says so instead of a 500.
    ({"name": "Nul\x00Corp"}, "name", "control characters"),
    ({"customer_code": "C\x00"}, "customer_code", "single line"),
    ({"email": "a\x00@b.fr"}, "email", "control characters"),
    ({"phone": "01\x0023456789"}, "phone", "Enter a phone number"),
    ({"website": "https://x.fr/\x00"}, "website", "single line"),
    ({"street": "1 rue\nHaute"}, "street", "single line"),
    ({"town": "Brest\x00"}, "town", "single line"),
    ({"notes": "ok\x00"}, "notes", "control characters"),
])
def test_bad_input_is_refused_next_to_the_field(app, client, tenants, base, changes, field,
                                                 message):
    response = client.post(f"{base}/new", data=VALID | changes)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'id="{field}-error"' in body or field == "kinds"
    assert message in body
    assert count_tiers(app, tenants.a.id) == 0


def test_another_tenants_member_as_sales_rep_is_refused(app, client, tenants, base):
    response = client.post(f"{base}/new",
                           data=VALID | {"sales_rep_id": tenants.b.member_membership_id})
    assert response.status_code == 422
    assert 'id="sales_rep_id-error"' in response.get_data(as_text=True)
    assert count_tiers(app, tenants.a.id) == 0 and count_tiers(app, tenants.b.id) == 0


def test_customer_code_is_unique_per_tenant(app, client, tenants, base):
    add_tiers(app, tenants.a.id, "First", customer_code="C-001")
    add_tiers(app, tenants.b.id, "Elsewhere", customer_code="C-002")
    response = client.post(f"{base}/new", data={"name": "Second", "customer_code": "C-001"})
    assert response.status_code == 422
    assert "Another third party already has this customer code." in response.get_data(
        as_text=True)
    assert count_tiers(app, tenants.a.id) == 1
    # The same code in another company is no conflict.
    assert client.post(f"{base}/new", data={"name": "Third", "customer_code": "C-002"}
                       ).status_code == 303


def test_a_code_taken_meanwhile_is_a_field_error(app, client, tenants, base, monkeypatch):
    """Two people saving the same code at once: the database decides, the form explains."""
    from ct.blueprints.tiers.forms import TiersForm

    add_tiers(app, tenants.a.id, "First", customer_code="C-001")
    monkeypatch.setattr(TiersForm, "validate_customer_code", lambda self, field: None)
    response = client.post(f"{base}/new", data={"name": "Racer", "customer_code": "C-001"})
    assert response.status_code == 422
    assert "already has this customer code" in response.get_data(as_text=True)
    assert count_tiers(app, tenants.a.id) == 1


def test_edit_every_field_and_close(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Old name", customer_code="C-001", is_prospect=True)
    form = client.get(f"{base}/{tiers_id}/edit").get_data(as_text=True)
    assert 'value="Old name"' in form and 'value="C-001"' in form and "checked" in form
    data = VALID | {"name": "New name", "kinds": ["supplier"], "customer_code": "C-001"}
    assert client.post(f"{base}/{tiers_id}/edit", data=data).status_code == 303  # no active
    [tiers] = tiers_named(app, tenants.a.id, "New name")
    assert tiers.kinds == ["supplier"] and not tiers.active and tiers.sort_key == "new name"
    data["active"] = "y"
    client.post(f"{base}/{tiers_id}/edit", data=data)
    assert tiers_named(app, tenants.a.id, "New name")[0].active


def test_edit_refuses_bad_input_and_writes_nothing(app, client, tenants, base):
    add_tiers(app, tenants.a.id, "Holder", customer_code="TAKEN")
    tiers_id = add_tiers(app, tenants.a.id, "Target")
    for changes in ({"name": ""}, {"customer_code": "TAKEN"}, {"email": "nope"},
                    {"sales_rep_id": str(tenants.b.admin_membership_id)}):
        response = client.post(f"{base}/{tiers_id}/edit", data={"name": "Changed"} | changes)
        assert response.status_code == 422, changes
    assert tiers_named(app, tenants.a.id, "Target")[0].customer_code is None


def test_edit_keeps_a_former_member_as_sales_rep(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Kept", sales_rep_id=tenants.a.member_membership_id)
    from ct.models import Membership
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.scalar(select(Membership).where(
            Membership.id == tenants.a.member_membership_id)).active = False
        db.session.commit()
    rep = str(tenants.a.member_membership_id)
    assert client.post(f"{base}/{tiers_id}/edit",
                       data={"name": "Kept", "sales_rep_id": rep}).status_code == 303
    # …but a new tiers cannot be given to someone who left.
    assert client.post(f"{base}/new", data={"name": "New", "sales_rep_id": rep}
                       ).status_code == 422


# Duplicate warning ---------------------------------------------------------------------

@pytest.mark.parametrize("existing, new, email", [
    ("DUPONT", "Dupont SARL", ""),
    ("societe generale SA", "Société Générale", ""),
    ("Martin & Fils Ltd", "martin fils", ""),
    ("Somewhere Else", "Other name", "hello@dupont.fr"),
])
def test_duplicate_warning_then_create_anyway(app, client, tenants, base, existing, new, email):
    existing_id = add_tiers(app, tenants.a.id, existing, email="Hello@Dupont.fr")
    add_tiers(app, tenants.b.id, new)  # another company's twin is no duplicate of ours
    data = {"name": new, "email": email}
    warning = client.post(f"{base}/new", data=data)
    body = warning.get_data(as_text=True)
    assert warning.status_code == 200 and 'id="tiers-duplicates"' in body
    assert f'href="{base}/{existing_id}"' in body
    assert 'name="confirm_duplicate" value="1"' in body and "Create anyway" in body
    assert f'value="{new}"' in body  # what was typed is kept
    assert count_tiers(app, tenants.a.id) == 1  # nothing written yet
    confirmed = client.post(f"{base}/new", data=data | {"confirm_duplicate": "1"})
    assert confirmed.status_code == 303
    assert count_tiers(app, tenants.a.id) == 2


def test_no_warning_for_a_different_name(app, client, tenants, base):
    add_tiers(app, tenants.a.id, "Bernard")
    assert client.post(f"{base}/new", data={"name": "Bertrand"}).status_code == 303


def test_a_warned_form_with_errors_is_not_created(app, client, tenants, base):
    add_tiers(app, tenants.a.id, "Dupont")
    response = client.post(f"{base}/new", data={"name": "Dupont", "email": "bad",
                                                 "confirm_duplicate": "1"})
    assert response.status_code == 422 and count_tiers(app, tenants.a.id) == 1


# Rights -------------------------------------------------------------------------------

def test_member_without_manage_records_cannot_create_or_edit(app, client, auth, tenants):
    tiers_id = add_tiers(app, tenants.a.id, "Guarded")
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, ["exchanges.read_own"])
    auth.login(tenants.a.member_email)
    base = f"/t/{tenants.a.slug}/tiers"
    for method, url in (("get", "/new"), ("post", "/new"), ("get", f"/{tiers_id}/edit"),
                        ("post", f"/{tiers_id}/edit"), ("post", f"/{tiers_id}/close"),
                        ("post", f"/{tiers_id}/reopen")):
        response = getattr(client, method)(base + url, data={"name": "Hacked"})
        assert response.status_code == 403, url
    assert tiers_named(app, tenants.a.id, "Guarded")[0].active
    assert count_tiers(app, tenants.a.id) == 1
    # Reading stays open to every member; the buttons that would be refused are hidden.
    assert client.get(f"{base}/").status_code == 200
    card = client.get(f"{base}/{tiers_id}").get_data(as_text=True)
    assert 'id="edit-tiers"' not in card and 'id="delete-tiers"' not in card
    assert 'id="new-tiers"' not in client.get(f"{base}/").get_data(as_text=True)


def test_default_member_creates_and_edits_but_cannot_delete(app, client, auth, tenants):
    auth.login(tenants.a.member_email)
    base = f"/t/{tenants.a.slug}/tiers"
    assert client.post(f"{base}/new", data={"name": "By a member"}).status_code == 303
    [tiers] = tiers_named(app, tenants.a.id, "By a member")
    assert client.post(f"{base}/{tiers.id}/edit", data={"name": "Edited"}).status_code == 303
    assert client.get(f"{base}/{tiers.id}/delete").status_code == 403
    assert client.post(f"{base}/{tiers.id}/delete").status_code == 403
    assert count_tiers(app, tenants.a.id) == 1


def test_csrf_is_required(app, client, tenants, base):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"{base}/new", data={"name": "Forged"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400 and count_tiers(app, tenants.a.id) == 0
