"""Bad input on the exchange form: a clear error next to the field, 422, nothing written."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import pytest

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Product
from ct.models.exchange import COMMENT_MAX
from tests.admin_support import set_rights
from tests.exchange_records import (  # noqa: F401
    RESTRICTED,
    counts,
    exchange_data,
    only_exchange,
    records,
    set_settings,
)

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'

# Messages are asserted in English (the users of the fixtures are French).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def admin(auth, tenants, htmx):
    auth.login(tenants.a.admin_email)
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    return tenants.a


def post(client, slug, data):
    return client.post(f"/t/{slug}/exchanges/new", data=data)


def error_of(html: str, field_id: str) -> str:
    """The error text shown next to a field (empty when none)."""
    marker = f'id="{field_id}-error" class="field-error">'
    if marker not in html:
        return ""
    return html.split(marker, 1)[1].split("</small>", 1)[0]


def test_no_tiers_is_refused_with_a_clear_message(app, htmx, admin, records):
    before = counts(app, admin.id)
    response = post(htmx, admin.slug, exchange_data(records.a, tiers_id=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "tiers_id") == "Choose the third party of this exchange."
    assert 'aria-describedby="tiers_id-error"' in html
    assert "<html" not in html and 'id="exchange-form"' in html  # the form, swapped in place
    assert "HX-Trigger" not in response.headers
    assert counts(app, admin.id) == before


@pytest.mark.parametrize("field, value, message", [
    ("tiers_id", "tiers", "Choose an existing third party."),
    ("contact_ids", "contact", "Choose from the list."),
    ("document_id", "document", "Choose an existing document."),
    ("project_id", "project", "Choose an existing project."),
    ("mode_id", "mode", "Choose a contact mode from the list."),
    ("object_id", "object", "Choose an object from the list."),
    ("made_by_id", "member", "Choose an existing member."),
    ("collaborator_ids", "member", "Choose from the list."),
    ("confidential_group_id", "group", "Choose an existing group."),
    ("product_ids", "product", "Choose from the list."),
    ("task_project_id", "project", "Choose an open project."),
    ("task_assignee_id", "member", "Choose an existing member."),
    ("event_assignee_ids", "member", "Choose from the list."),
])
def test_another_tenants_id_in_any_field_is_a_field_error(app, client, admin, records,
                                                          field, value, message):
    set_settings(app, admin.id, choose_user=True, confidential_comments=True,
                 product_ids=[records.a.product, records.b.product])
    data = exchange_data(records.a, add_task="y", task_label="Call back", add_event="y",
                         event_title="Visit", event_start="2030-01-10T10:00")
    data[field] = str(getattr(records.b, value))
    before = counts(app, admin.id)
    response = post(client, admin.slug, data)
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), field) == message
    assert counts(app, admin.id) == before


@pytest.mark.parametrize("field", ["tiers_id", "document_id", "contact_ids", "mode_id"])
def test_tampered_ids_are_field_errors_not_500(client, admin, records, field):
    for bad in ("abc", "-3", "9" * 40, "1.5"):
        response = post(client, admin.slug, exchange_data(records.a, **{field: bad}))
        assert response.status_code == 422, bad
        assert error_of(response.get_data(as_text=True), field), bad


def test_a_product_the_tenant_did_not_choose_is_refused(app, client, admin, records):
    with app.app_context(), bound_tenant(admin.id):
        other = Product(reference="P-2", label="Not offered in exchanges")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    set_settings(app, admin.id, product_ids=[records.a.product])
    response = post(client, admin.slug, exchange_data(records.a, product_ids=str(other_id)))
    assert error_of(response.get_data(as_text=True), "product_ids") == \
        "Choose products from the list."


def test_a_mode_given_as_object_is_refused(client, admin, records):
    response = post(client, admin.slug, exchange_data(records.a, object_id=str(records.a.mode)))
    assert error_of(response.get_data(as_text=True), "object_id")


def test_contact_of_another_tiers(app, client, admin, records):
    a = records.a
    response = post(client, admin.slug, exchange_data(a, contact_ids=[str(a.other_contact)]))
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "contact_ids") == \
        "Not a contact of this third party: Inès Petit."
    assert counts(app, admin.id)["Exchange"] == 0


def test_document_of_another_tiers(app, client, admin, records):
    a = records.a
    response = post(client, admin.slug, exchange_data(a, document_id=str(a.other_document)))
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "document_id") == \
        "This document belongs to another third party."
    assert counts(app, admin.id)["Exchange"] == 0


def test_every_error_at_once_and_values_kept(client, admin, records):
    a = records.a
    response = post(client, admin.slug, exchange_data(
        a, document_id=str(a.other_document), occurred_at="not a date", status="lost",
        comment="x" * (COMMENT_MAX + 1), contact_ids=[str(a.contact)]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("document_id", "occurred_at", "status", "comment"):
        assert error_of(html, field), field
    assert error_of(html, "comment") == f"At most {COMMENT_MAX} characters."
    assert f'name="contact_ids" value="{a.contact}" checked' in html  # nothing typed is lost


@pytest.mark.parametrize("field, value, message", [
    ("comment", "null\x00byte", "Remove the control characters from this text."),
    ("task_label", "two\nlines", "Use a single line of plain text."),
    ("event_title", "null\x00byte", "Use a single line of plain text."),
])
def test_control_characters_are_refused_not_500(app, client, admin, records, field, value,
                                                message):
    """PostgreSQL refuses NUL bytes: they must stop at the form, never reach the database."""
    data = exchange_data(records.a, add_task="y", task_label="Call back", add_event="y",
                         event_title="Visit", event_start="2030-01-10T10:00")
    data[field] = value
    response = post(client, admin.slug, data)
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), field) == message
    assert counts(app, admin.id)["Exchange"] == 0


@pytest.mark.parametrize("token", ["tok\x00en", "x" * 41, "<script>", "a b"])
def test_a_tampered_form_token_is_replaced(app, client, admin, records, token):
    response = post(client, admin.slug, exchange_data(records.a, form_token=token))
    assert response.status_code == 303
    assert only_exchange(app, admin.id).form_token not in (token, None)


def test_comment_at_the_limit_is_accepted(app, client, admin, records):
    response = post(client, admin.slug, exchange_data(records.a, comment="é" * COMMENT_MAX))
    assert response.status_code == 303
    assert len(only_exchange(app, admin.id).comment) == COMMENT_MAX


def test_html_is_stored_as_text_and_escaped_on_the_card(app, client, admin, records):
    set_settings(app, admin.id, confidential_comments=True)
    response = post(client, admin.slug, exchange_data(
        records.a, comment=PAYLOAD, confidential_comment=PAYLOAD))
    exchange = only_exchange(app, admin.id)
    assert exchange.comment == PAYLOAD and exchange.confidential_comment == PAYLOAD
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert PAYLOAD not in card
    assert card.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") == 2


def test_html_in_a_refused_form_is_escaped(client, admin, records):
    response = post(client, admin.slug, exchange_data(records.a, tiers_id="", comment=PAYLOAD))
    html = response.get_data(as_text=True)
    assert PAYLOAD not in html and "&lt;script&gt;" in html


def test_a_form_sent_twice_makes_one_exchange(app, htmx, admin, records):
    data = exchange_data(records.a, in_dialog="1", form_token="same-token-twice")
    first = post(htmx, admin.slug, data)
    second = post(htmx, admin.slug, data)
    assert first.status_code == second.status_code == 200
    assert counts(app, admin.id)["Exchange"] == 1
    exchange = only_exchange(app, admin.id)
    assert f"/exchanges/{exchange.id}" in second.get_data(as_text=True)
    assert "This exchange was already saved." in second.get_data(as_text=True)
    assert str(exchange.id) in second.headers["HX-Trigger"]


def test_a_stale_form_sent_again_without_htmx_lands_on_the_same_card(app, client, admin,
                                                                     records):
    data = exchange_data(records.a, form_token="stale-tab")
    first, second = post(client, admin.slug, data), post(client, admin.slug, data)
    assert first.headers["Location"] == second.headers["Location"]
    assert counts(app, admin.id)["Exchange"] == 1


def test_someone_elses_token_does_not_reveal_their_exchange(app, client, auth, tenants,
                                                            records):
    auth.login(tenants.a.admin_email)
    post(client, tenants.a.slug, exchange_data(records.a, form_token="alice-token"))
    auth.logout()
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, RESTRICTED)
    auth.login(tenants.a.member_email)
    response = post(client, tenants.a.slug, exchange_data(records.a, form_token="alice-token"))
    assert response.status_code == 303
    assert counts(app, tenants.a.id)["Exchange"] == 2  # a new one, not Alice's


def test_writing_needs_the_right(app, client, auth, tenants, records):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, ["exchanges.read_all"])
    auth.login(tenants.a.member_email)
    assert client.get(f"/t/{tenants.a.slug}/exchanges/new").status_code == 403
    assert post(client, tenants.a.slug, exchange_data(records.a)).status_code == 403
    assert counts(app, tenants.a.id)["Exchange"] == 0
    home = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert "data-new-exchange" not in home and 'data-new-url=""' in home


def test_another_tenants_member_gets_404(client, auth, tenants, records):
    auth.login(tenants.b.admin_email)
    assert client.get(f"/t/{tenants.a.slug}/exchanges/new").status_code == 404
    assert post(client, tenants.a.slug, exchange_data(records.a)).status_code == 404
