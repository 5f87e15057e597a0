"""The products of the exchange form: found by search, added and removed at once, audited."""

import re

import pytest
from sqlalchemy import delete

from ct.blueprints.settings import options
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Product
from tests.admin_support import audit, log_in, make_product, snapshot, stored_settings
from tests.auth_support import message


@pytest.fixture
def catalog(app, tenants):
    """Products of company A, and one of company B named like one of A's."""
    return {
        "pump": make_product(app, tenants.a.id, "P-100", "Pompe à chaleur"),
        "boiler": make_product(app, tenants.a.id, "B-200", "Chaudière gaz"),
        "filter": make_product(app, tenants.a.id, "F-300", "Filtre 50%_off"),
        "old": make_product(app, tenants.a.id, "O-400", "Pompe ancienne", active=False),
        "theirs": make_product(app, tenants.b.id, "P-100", "Pompe de Beta"),
    }


@pytest.fixture
def admin(client, tenants):
    return log_in(client, tenants.a.admin_email)


def url(tenants, path=""):
    return f"/t/{tenants.a.slug}/settings/{path}"


def found_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'name="product_id" value="(\d+)"',
                                       response.get_data(as_text=True))]


def test_search_finds_active_products_of_the_company_only(htmx, app, tenants, catalog):
    log_in(htmx, tenants.a.admin_email)
    response = htmx.get(url(tenants, "products?q=pompe"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="product-results"') and "<html" not in html
    assert found_ids(response) == [catalog["pump"]]
    assert "Beta" not in html
    assert found_ids(htmx.get(url(tenants, "products?q=b-2"))) == [catalog["boiler"]]  # reference
    assert found_ids(htmx.get(url(tenants, "products?q=%25_"))) == [catalog["filter"]]  # literal
    assert found_ids(htmx.get(url(tenants, "products?q="))) == [
        catalog["boiler"], catalog["filter"], catalog["pump"]]  # by label
    empty = htmx.get(url(tenants, "products?q=zzz"))
    assert found_ids(empty) == []
    assert message(app, "No match for “%(q)s”.", q="zzz") in empty.get_data(as_text=True)


def test_search_without_htmx_shows_the_page_with_the_results(admin, tenants, catalog):
    response = admin.get(url(tenants, "products?q=chaud"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" in html and 'id="settings-form"' in html
    results = html[html.index('id="product-results"'):]
    assert "Chaudière gaz" in results and "Pompe" not in results
    assert 'value="chaud"' in html  # the search stays in its box


def test_add_and_remove_products_are_saved_and_audited(admin, app, tenants, catalog):
    response = admin.post(url(tenants, "products/add"), data={"product_id": catalog["pump"]})
    assert response.status_code == 303
    assert response.headers["Location"] == url(tenants) + "#product-picker"
    admin.post(url(tenants, "products/add"), data={"product_id": catalog["boiler"]})
    admin.post(url(tenants, "products/add"), data={"product_id": catalog["pump"]})  # no twice
    assert stored_settings(app, tenants.a.id).product_ids == [catalog["pump"], catalog["boiler"]]

    page = admin.get(url(tenants)).get_data(as_text=True)
    chosen = page[page.index('id="chosen-products"'):page.index('id="product-results"')]
    assert "Pompe à chaleur" in chosen and "Chaudière gaz" in chosen
    # The search no longer offers what is chosen.
    assert found_ids(admin.get(url(tenants, "products?q="), headers={"HX-Request": "true"})) == [
        catalog["filter"]]

    admin.post(url(tenants, "products/remove"), data={"product_id": catalog["pump"]})
    assert stored_settings(app, tenants.a.id).product_ids == [catalog["boiler"]]
    changes = [(e.before["product_ids"], e.after["product_ids"])
               for e in audit(app, tenants.a.id, "settings.update")]
    pump, boiler = catalog["pump"], catalog["boiler"]
    assert changes == [([], [pump]), ([pump], [pump, boiler]), ([pump, boiler], [boiler])]
    history = admin.get(url(tenants)).get_data(as_text=True)
    history = history[history.index('id="settings-history"'):]
    assert "Pompe à chaleur (P-100)" in history  # named, not a bare id


def test_htmx_add_answers_the_picker(htmx, app, tenants, catalog):
    log_in(htmx, tenants.a.admin_email)
    response = htmx.post(url(tenants, "products/add"), data={"product_id": catalog["pump"]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="product-picker"') and "<html" not in html
    assert message(app, "“%(label)s” is shown in the exchange form.",
                   label="Pompe à chaleur") in html


@pytest.mark.parametrize("data", [
    {}, {"product_id": ""}, {"product_id": "abc"}, {"product_id": "-1"},
    {"product_id": "999999"}, {"product_id": "1.5"}, {"product_id": "x" * 10_000},
])
def test_add_refuses_anything_but_an_existing_product(admin, app, tenants, catalog, data):
    before = snapshot(app)
    response = admin.post(url(tenants, "products/add"), data=data)
    assert response.status_code == 422
    assert message(app, "Choose an existing product.") in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_another_company_product_cannot_be_added(admin, app, tenants, catalog):
    before = snapshot(app)
    response = admin.post(url(tenants, "products/add"), data={"product_id": catalog["theirs"]})
    assert response.status_code == 422
    assert message(app, "Choose an existing product.") in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_remove_refuses_a_product_not_chosen(admin, app, tenants, catalog):
    before = snapshot(app)
    for data in ({"product_id": catalog["pump"]}, {"product_id": "abc"}, {}):
        response = admin.post(url(tenants, "products/remove"), data=data)
        assert response.status_code == 422
        assert message(app, "Choose a product of the list.") in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_the_number_of_products_is_limited(admin, app, tenants, catalog, monkeypatch):
    monkeypatch.setattr(options, "PRODUCTS_MAX", 1)
    admin.post(url(tenants, "products/add"), data={"product_id": catalog["pump"]})
    before = snapshot(app)
    response = admin.post(url(tenants, "products/add"), data={"product_id": catalog["boiler"]})
    assert response.status_code == 422
    assert message(app, "At most %(max)d products.", max=1) in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_deleted_product_leaves_the_picker(admin, app, tenants, catalog):
    admin.post(url(tenants, "products/add"), data={"product_id": catalog["pump"]})
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(delete(Product).where(Product.id == catalog["pump"]))
        db.session.commit()
    page = admin.get(url(tenants)).get_data(as_text=True)
    assert "Pompe à chaleur" not in page[page.index('id="chosen-products"'):
                                         page.index('id="product-results"')]
    # It can still be taken off the stored list.
    response = admin.post(url(tenants, "products/remove"), data={"product_id": catalog["pump"]})
    assert response.status_code == 303
    assert stored_settings(app, tenants.a.id).product_ids == []
