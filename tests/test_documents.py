"""Documents: create, edit, delete, every bad input, the race on a reference, rights,
and the other tenant's ids."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from ct.blueprints.documents.forms import DocumentForm
from ct.core.permissions import PRESETS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Choice, Document, Membership, Tiers
from ct.web.record_fields import AmountError, parse_amount

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

def add(app, tenant, *rows):
    with app.app_context(), bound_tenant(tenant.id):
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def kind_id(app, tenant, code="quote"):
    with app.app_context(), bound_tenant(tenant.id):
        return db.session.scalar(
            select(Choice.id).where(Choice.kind == "document", Choice.code == code))


def documents_of(app, tenant):
    with app.app_context(), bound_tenant(tenant.id):
        return db.session.scalars(select(Document).order_by(Document.id)).all()


@pytest.fixture
def alpha(app, auth, tenants):
    """Tenant a's admin logged in, with one third party and its quote kind."""
    auth.login(tenants.a.admin_email)
    (tenants.a.tiers_id,) = add(app, tenants.a, Tiers(name="Dupont Chauffage"))
    tenants.a.quote = kind_id(app, tenants.a)
    return tenants.a


def valid(alpha, **changes):
    data = {"kind_id": str(alpha.quote), "reference": "DEV-2024-001",
            "tiers_id": str(alpha.tiers_id), "date": "2024-05-02", "amount": "1 234,50",
            "status": "sent", "description": "Remplacement chaudière"}
    return {**data, **changes}


def doc(alpha, reference="DEV-1", **fields):
    return Document(kind_id=alpha.quote, reference=reference, tiers_id=alpha.tiers_id,
                    date=date(2024, 5, 2), status="draft", **fields)


@pytest.mark.parametrize(("text", "value"), [
    ("1 234,50", "1234.50"), ("1234.5", "1234.50"), ("1\u202f234,50 €", "1234.50"),
    ("1.234,50", "1234.50"), ("1,234.50", "1234.50"), ("-12", "-12.00"), ("0,5", "0.50"),
    ("1'234.50", "1234.50"), ("-0", "0.00"),
])
def test_amounts_are_read_the_way_people_type_them(text, value):
    assert str(parse_amount(text)) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1e5", "NaN", "Infinity", "12,345", "--1",
                                  "1 000 000 000 000", "0x10"])
def test_amounts_that_are_not_amounts_are_refused(text):
    with pytest.raises(AmountError):
        parse_amount(text)


def test_document_kinds_are_the_seeded_list(app, tenants):
    with app.test_request_context(), bound_tenant(tenants.a.id):
        form = DocumentForm(meta={"csrf": False})
        assert [c.label for c in form.kind_id.choices] == [
            "Devis", "Commande", "Facture", "Contrat", "Intervention"]


def test_create_a_document(app, client, alpha):
    response = client.post(f"/t/{alpha.slug}/documents/new", data=valid(alpha))
    assert response.status_code == 303
    (document,) = documents_of(app, alpha)
    assert response.headers["Location"] == f"/t/{alpha.slug}/documents/{document.id}"
    assert document.amount == Decimal("1234.50")
    assert (document.date, document.status, document.tiers_id) == (
        date(2024, 5, 2), "sent", alpha.tiers_id)
    assert document.created_by_id == alpha.admin_membership_id
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    for text in ("DEV-2024-001", "Dupont Chauffage", "Remplacement chaudière", "Sent",
                 'id="document-exchanges"'):
        assert text in card


def test_amount_is_optional_and_french_dates_are_accepted(app, client, alpha):
    response = client.post(f"/t/{alpha.slug}/documents/new",
                           data=valid(alpha, amount="", date="02/05/2024"))
    assert response.status_code == 303
    (document,) = documents_of(app, alpha)
    assert document.amount is None and document.date == date(2024, 5, 2)


def test_new_document_from_a_tiers_card_is_preselected(app, client, alpha):
    html = client.get(f"/t/{alpha.slug}/documents/new?tiers={alpha.tiers_id}").get_data(
        as_text=True)
    assert f'<option value="{alpha.tiers_id}" selected>Dupont Chauffage</option>' in html
    assert html.count('name="tiers_id"') == 1  # the select only, no hidden copy


def test_edit_a_document_shows_the_amount_back_in_french(app, client, alpha):
    (document_id,) = add(app, alpha, doc(alpha, amount=Decimal("1234.5")))
    form = client.get(f"/t/{alpha.slug}/documents/{document_id}/edit").get_data(as_text=True)
    assert 'value="1234,50"' in form
    response = client.post(f"/t/{alpha.slug}/documents/{document_id}/edit",
                           data=valid(alpha, reference="DEV-1", status="paid", amount="99"))
    assert response.status_code == 303
    (document,) = documents_of(app, alpha)
    assert (document.status, document.amount) == ("paid", Decimal("99.00"))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"reference": ""}, "reference", "This field is required."),
    ({"reference": "   "}, "reference", "This field is required."),
    ({"reference": "x" * 10_000}, "reference", "At most 60 characters."),
    ({"reference": "A\tB"}, "reference", "Use a single line of plain text."),
    ({"description": "x" * 256}, "description", "At most 255 characters."),
    ({"description": "x" * 10_000}, "description", "At most 255 characters."),
    ({"tiers_id": ""}, "tiers_id", "Choose a third party."),
    ({"tiers_id": "abc"}, "tiers_id", "Choose an existing third party."),
    ({"tiers_id": "424242"}, "tiers_id", "Choose an existing third party."),
    ({"kind_id": ""}, "kind_id", "Choose a kind of document."),
    ({"kind_id": "abc"}, "kind_id", "Choose a kind of document."),
    ({"kind_id": "424242"}, "kind_id", "Choose a kind of document."),
    ({"date": ""}, "date", "Enter the date of the document."),
    ({"date": "yesterday"}, "date", "Enter a valid date."),
    ({"date": "2024-02-30"}, "date", "Enter a valid date."),
    ({"amount": "abc"}, "amount", "Enter an amount, such as 1 234,50."),
    ({"amount": "12,345"}, "amount", "At most two decimals."),
    ({"amount": "9" * 13}, "amount", "This amount is too large."),
    ({"amount": "9" * 10_000}, "amount", "Enter an amount"),
    ({"amount": "NaN"}, "amount", "Enter an amount"),
    ({"status": "stolen"}, "status", "Choose a status."),
])
def test_bad_input_is_refused_next_to_the_field(app, client, alpha, changes, field, message):
    response = client.post(f"/t/{alpha.slug}/documents/new", data=valid(alpha, **changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html.split(f'id="{field}-error"')[1].split("</small>")[0]
    assert documents_of(app, alpha) == []


def test_reference_is_unique_per_kind_not_across_kinds(app, client, alpha):
    add(app, alpha, doc(alpha, reference="2024-001"))
    duplicate = client.post(f"/t/{alpha.slug}/documents/new", data=valid(alpha,
                                                                          reference="2024-001"))
    assert duplicate.status_code == 422
    assert "Another document of this kind already has this reference." in duplicate.get_data(
        as_text=True)
    invoice = kind_id(app, alpha, "invoice")
    other_kind = client.post(f"/t/{alpha.slug}/documents/new",
                             data=valid(alpha, reference="2024-001", kind_id=str(invoice)))
    assert other_kind.status_code == 303
    assert len(documents_of(app, alpha)) == 2


def test_editing_into_a_taken_reference_is_refused(app, client, alpha):
    first, second = add(app, alpha, doc(alpha, "A-1"), doc(alpha, "A-2"))
    response = client.post(f"/t/{alpha.slug}/documents/{second}/edit",
                           data=valid(alpha, reference="A-1"))
    assert response.status_code == 422
    # Saving a document under its own reference is not a duplicate.
    assert client.post(f"/t/{alpha.slug}/documents/{first}/edit",
                       data=valid(alpha, reference="A-1")).status_code == 303
    assert [d.reference for d in documents_of(app, alpha)] == ["A-1", "A-2"]


def test_a_reference_taken_meanwhile_is_a_field_error_not_a_500(app, client, alpha, monkeypatch):
    """Two people save the same reference at once: the check passes for both, the
    database's unique key refuses the second."""
    add(app, alpha, doc(alpha, reference="RACE-1"))
    original, calls = DocumentForm.reference_taken, []

    def taken_only_after_the_check(self):
        # The form's check runs before the other request commits; the recheck after it.
        calls.append(self)
        return False if len(calls) == 1 else original(self)

    monkeypatch.setattr(DocumentForm, "reference_taken", taken_only_after_the_check)
    response = client.post(f"/t/{alpha.slug}/documents/new", data=valid(alpha, reference="RACE-1"))
    assert response.status_code == 422
    assert "Another document of this kind already has this reference." in response.get_data(
        as_text=True)
    assert len(documents_of(app, alpha)) == 1
    assert len(calls) == 2


def test_another_tenants_ids_in_the_form_are_field_errors(app, client, alpha, tenants):
    (foreign_tiers,) = add(app, tenants.b, Tiers(name="Beta Secret Client"))
    foreign_kind = kind_id(app, tenants.b)
    for changes, field in (({"tiers_id": str(foreign_tiers)}, "tiers_id"),
                           ({"kind_id": str(foreign_kind)}, "kind_id")):
        response = client.post(f"/t/{alpha.slug}/documents/new", data=valid(alpha, **changes))
        assert response.status_code == 422
        assert f'id="{field}-error"' in response.get_data(as_text=True)
        assert "Beta Secret Client" not in response.get_data(as_text=True)
    assert documents_of(app, alpha) == [] and documents_of(app, tenants.b) == []


def test_html_payload_is_shown_as_text(app, client, alpha):
    payload = '<img src=x onerror=alert(1)>'
    client.post(f"/t/{alpha.slug}/documents/new",
                data=valid(alpha, reference=payload, description=payload))
    (document,) = documents_of(app, alpha)
    for url in (f"/t/{alpha.slug}/documents/", f"/t/{alpha.slug}/documents/{document.id}",
                f"/t/{alpha.slug}/documents/{document.id}/edit",
                f"/t/{alpha.slug}/documents/{document.id}/delete",
                f"/t/{alpha.slug}/search/documents?tiers={alpha.tiers_id}"):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, url


def test_delete_after_confirmation(app, client, alpha):
    (document_id,) = add(app, alpha, doc(alpha, "DEV-9"))
    confirm = client.get(f"/t/{alpha.slug}/documents/{document_id}/delete")
    assert "DEV-9" in confirm.get_data(as_text=True) and "Dupont Chauffage" in confirm.get_data(
        as_text=True)
    response = client.post(f"/t/{alpha.slug}/documents/{document_id}/delete")
    assert response.status_code == 303
    assert documents_of(app, alpha) == []


def test_rights(app, client, auth, tenants):
    tenants.a.quote = kind_id(app, tenants.a)
    (tenants.a.tiers_id,) = add(app, tenants.a, Tiers(name="Dupont"))
    (document_id,) = add(app, tenants.a, doc(tenants.a, "D-1"))
    base = f"/t/{tenants.a.slug}/documents"
    auth.login(tenants.a.member_email)
    # A member reads and writes, but does not delete.
    assert client.post(f"{base}/{document_id}/edit",
                       data=valid(tenants.a, reference="D-1")).status_code == 303
    assert client.get(f"{base}/{document_id}/delete").status_code == 403
    assert client.post(f"{base}/{document_id}/delete").status_code == 403
    # Without MANAGE_RECORDS: read only.
    with app.app_context(), bound_tenant(tenants.a.id):
        member = db.session.scalar(
            select(Membership).where(Membership.id == tenants.a.member_membership_id))
        member.rights = list(PRESETS["restricted"])
        db.session.commit()
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"{base}/{document_id}").status_code == 200
    assert client.get(f"{base}/new").status_code == 403
    assert client.get(f"{base}/{document_id}/edit").status_code == 403
    assert client.post(f"{base}/new", data=valid(tenants.a, reference="D-2")).status_code == 403
    assert client.post(f"{base}/{document_id}/edit",
                       data=valid(tenants.a, reference="D-3")).status_code == 403
    assert [d.reference for d in documents_of(app, tenants.a)] == ["D-1"]


def test_every_document_route_is_404_for_another_tenants_document(app, client, alpha, tenants):
    (foreign_tiers,) = add(app, tenants.b, Tiers(name="Beta"))
    with app.app_context(), bound_tenant(tenants.b.id):
        foreign_kind = db.session.scalar(select(Choice.id).where(Choice.kind == "document"))
    (foreign,) = add(app, tenants.b, Document(kind_id=foreign_kind, reference="SECRET-1",
                                              tiers_id=foreign_tiers, date=date(2024, 1, 1)))
    base = f"/t/{alpha.slug}/documents"
    for url in (f"{base}/{foreign}", f"{base}/{foreign}/edit", f"{base}/{foreign}/delete",
                f"{base}/?tiers={foreign_tiers}", f"{base}/?kind={foreign_kind}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "SECRET" not in response.get_data(as_text=True)
    assert client.post(f"{base}/{foreign}/edit", data=valid(alpha)).status_code == 404
    assert client.post(f"{base}/{foreign}/delete").status_code == 404
    assert [d.reference for d in documents_of(app, tenants.b)] == ["SECRET-1"]
