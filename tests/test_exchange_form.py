"""The exchange form: opening it (dialog or page), pre-filling it, the tenant settings that
shape it, and a successful save."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange
from tests.exchange_records import exchange_data, only_exchange, records, set_settings  # noqa: F401

# Messages are asserted in English (the users of the fixtures are French).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def admin(auth, tenants, htmx):
    auth.login(tenants.a.admin_email)
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    return tenants.a


def test_htmx_gets_a_dialog_and_a_browser_gets_a_page(client, htmx, admin):
    url = f"/t/{admin.slug}/exchanges/new"
    dialog = htmx.get(url).get_data(as_text=True)
    assert "<dialog" in dialog and "data-modal" in dialog and "<html" not in dialog
    assert 'name="in_dialog" value="1"' in dialog
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and 'id="exchange-dialog"' not in page and 'id="exchange-form"' in page
    assert 'name="in_dialog"' not in page


def test_defaults_closed_now_and_a_fresh_token(client, admin):
    html = client.get(f"/t/{admin.slug}/exchanges/new").get_data(as_text=True)
    assert '<input checked id="status-0" name="status" type="radio" value="closed">' in html
    value = re.search(r'id="occurred_at"[^>]*value="([^"]+)"', html).group(1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", value)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', html).group(1)
    again = client.get(f"/t/{admin.slug}/exchanges/new").get_data(as_text=True)
    assert len(token) >= 24 and token not in again
    assert "Choose the third party first" in html


def test_prefill_from_a_contact_selects_its_tiers_and_the_contact(client, admin, records):
    a = records.a
    html = client.get(f"/t/{admin.slug}/exchanges/new?contact={a.contact}").get_data(as_text=True)
    assert f'name="tiers_id" id="tiers_id" value="{a.tiers}"' in html
    assert f'name="contact_ids" value="{a.contact}" checked' in html
    assert f'name="contact_ids" value="{a.contact2}">' in html  # listed, not checked
    assert "Dupont Industrie" in html


def test_prefill_from_a_document_and_a_project(client, admin, records):
    a = records.a
    html = client.get(f"/t/{admin.slug}/exchanges/new?document={a.document}").get_data(as_text=True)
    assert f'value="{a.tiers}"' in html
    assert f'<option value="{a.document}" selected>' in html
    html = client.get(f"/t/{admin.slug}/exchanges/new?project={a.project}").get_data(as_text=True)
    assert f'name="tiers_id" id="tiers_id" value="{a.tiers}"' in html
    assert f'<option value="{a.project}" selected>' in html


@pytest.mark.parametrize("name", ["tiers", "contact", "document", "project"])
def test_prefill_with_another_tenants_id_is_404(client, admin, records, name):
    other = getattr(records.b, name)
    assert client.get(f"/t/{admin.slug}/exchanges/new?{name}={other}").status_code == 404
    assert client.get(f"/t/{admin.slug}/exchanges/new?{name}=abc").status_code == 404


def test_default_settings_hide_made_by_and_confidential(client, admin, records):
    html = client.get(f"/t/{admin.slug}/exchanges/new").get_data(as_text=True)
    assert 'name="made_by_id"' not in html
    assert 'name="confidential_comment"' not in html
    assert 'name="collaborator_ids"' in html and 'name="notify_collaborators"' in html
    assert 'name="product_ids"' not in html  # no product chosen by the tenant


def test_settings_show_made_by_confidential_products_and_hide_collaborators(
        app, client, admin, records):
    set_settings(app, admin.id, choose_user=True, confidential_comments=True,
                 collaborators=False, product_ids=[records.a.product])
    html = client.get(f"/t/{admin.slug}/exchanges/new").get_data(as_text=True)
    assert f'<option value="{admin.admin_membership_id}" selected>' in html  # made by: me
    assert 'name="confidential_comment"' in html and 'name="confidential_group_id"' in html
    assert f'name="product_ids" value="{records.a.product}"' in html
    assert 'name="collaborator_ids"' not in html and 'name="notify_collaborators"' not in html


def test_hidden_fields_are_ignored_when_posted(app, client, admin, records):
    a = records.a
    response = client.post(f"/t/{admin.slug}/exchanges/new", data=exchange_data(
        a, made_by_id=str(a.member), confidential_comment="secret", collaborator_ids=str(a.member),
        product_ids=str(a.product)))
    assert response.status_code == 303
    exchange = only_exchange(app, admin.id)
    assert exchange.made_by_id == admin.admin_membership_id
    assert exchange.confidential_comment is None


def test_large_tiers_shows_a_search_not_every_contact(app, client, admin, records):
    set_settings(app, admin.id, large_contacts_threshold=1)
    a = records.a
    html = client.get(f"/t/{admin.slug}/exchanges/new?contact={a.contact}").get_data(as_text=True)
    assert 'id="contacts-search"' in html
    assert f'name="contact_ids" value="{a.contact}" checked' in html  # the chosen one only
    assert f'name="contact_ids" value="{a.contact2}"' not in html
    response = client.post(f"/t/{admin.slug}/exchanges/new",
                           data=exchange_data(a, contact_ids=[str(a.contact2)]))
    assert response.status_code == 303  # ids typed through the search are accepted


def test_full_save_without_htmx_redirects_to_the_card(app, client, admin, records):
    a = records.a
    set_settings(app, admin.id, choose_user=True, confidential_comments=True,
                 product_ids=[a.product])
    response = client.post(f"/t/{admin.slug}/exchanges/new", data=exchange_data(
        a, contact_ids=[str(a.contact), str(a.contact2)], made_by_id=str(a.member),
        mode_id=str(a.mode), object_id=str(a.object), document_id=str(a.document),
        project_id=str(a.project), product_ids=str(a.product), collaborator_ids=str(a.member),
        notify_collaborators="y", status="todo", confidential_comment="Price is negotiable",
        confidential_group_id=str(a.group)))
    exchange = only_exchange(app, admin.id)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{admin.slug}/exchanges/{exchange.id}"
    with app.app_context(), bound_tenant(admin.id):
        saved = db.session.scalar(select(Exchange))
        assert sorted(c.id for c in saved.contacts) == sorted([a.contact, a.contact2])
        assert (saved.made_by_id, saved.author_id) == (a.member, a.admin)
        assert (saved.mode_id, saved.object_id) == (a.mode, a.object)
        assert (saved.document_id, saved.project_id) == (a.document, a.project)
        assert [p.id for p in saved.products] == [a.product]
        assert [m.id for m in saved.collaborators] == [a.member]
        assert saved.notify_collaborators is True
        assert saved.status == "todo"
        assert saved.confidential_group_id == a.group
        # Typed in Paris time (UTC+1 in March), stored in UTC.
        assert saved.occurred_at == datetime(2026, 3, 10, 13, 30, tzinfo=UTC)
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Exchange saved." in card


def test_save_from_the_dialog_closes_it_and_confirms(app, htmx, admin, records):
    a = records.a
    response = htmx.post(f"/t/{admin.slug}/exchanges/new",
                         data=exchange_data(a, in_dialog="1"))
    assert response.status_code == 200
    exchange = only_exchange(app, admin.id)
    trigger = json.loads(response.headers["HX-Trigger"])
    assert trigger["exchange-saved"] == {"id": exchange.id, "tiers_id": a.tiers, "target": "body"}
    html = response.get_data(as_text=True)
    assert 'id="toast" hx-swap-oob="innerHTML"' in html
    assert f'href="/t/{admin.slug}/exchanges/{exchange.id}"' in html
    assert "<html" not in html


def test_save_from_the_page_over_htmx_redirects(app, htmx, admin, records):
    response = htmx.post(f"/t/{admin.slug}/exchanges/new", data=exchange_data(records.a))
    assert response.status_code == 204
    exchange = only_exchange(app, admin.id)
    assert response.headers["HX-Redirect"] == f"/t/{admin.slug}/exchanges/{exchange.id}"
