"""Products: list, search, active filter, pages, CRUD, bad input, rights, isolation."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from ct.blueprints.products.forms import ProductForm
from ct.core.permissions import PRESETS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Membership, Product
from tests.sql_count import counting_queries

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

def add(app, tenant, *rows):
    with app.app_context(), bound_tenant(tenant.id):
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def products_of(app, tenant):
    with app.app_context(), bound_tenant(tenant.id):
        return db.session.scalars(select(Product).order_by(Product.id)).all()


def listed(html: str) -> list[str]:
    return re.findall(r'<td><a href="/t/[^"]+/products/\d+">([^<]*)</a></td>', html)


@pytest.fixture
def alpha(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


def test_empty_list_invites_to_add_the_first_product(client, alpha):
    html = client.get(f"/t/{alpha.slug}/products/").get_data(as_text=True)
    assert "No products yet." in html
    assert f'href="/t/{alpha.slug}/products/new"' in html


def test_create_edit_and_delete_a_product(app, client, alpha):
    response = client.post(f"/t/{alpha.slug}/products/new", data={
        "reference": "POMPE-1", "label": "Pompe à chaleur", "price": "4 990,00", "active": "y"})
    assert response.status_code == 303
    (product,) = products_of(app, alpha)
    assert (product.price, product.active) == (Decimal("4990.00"), True)
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pompe à chaleur" in card

    form = client.get(f"/t/{alpha.slug}/products/{product.id}/edit").get_data(as_text=True)
    assert 'value="4990,00"' in form
    response = client.post(f"/t/{alpha.slug}/products/{product.id}/edit",
                           data={"reference": "POMPE-1", "label": "Pompe", "price": ""})
    assert response.status_code == 303
    (product,) = products_of(app, alpha)
    assert (product.label, product.price, product.active) == ("Pompe", None, False)

    assert "will be deleted for good" in client.get(
        f"/t/{alpha.slug}/products/{product.id}/delete").get_data(as_text=True)
    assert client.post(f"/t/{alpha.slug}/products/{product.id}/delete").status_code == 303
    assert products_of(app, alpha) == []


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reference": "", "label": "Pompe"}, "reference", "This field is required."),
    ({"reference": "P1", "label": "  "}, "label", "This field is required."),
    ({"reference": "x" * 10_000, "label": "Pompe"}, "reference", "At most 60 characters."),
    ({"reference": "P1", "label": "x" * 10_000}, "label", "At most 200 characters."),
    ({"reference": "P1", "label": "Pompe", "price": "-1"}, "price", "at least 0"),
    ({"reference": "P1", "label": "Pompe", "price": "-0,01"}, "price", "at least 0"),
    ({"reference": "P1", "label": "Pompe", "price": "gratuit"}, "price", "Enter an amount"),
    ({"reference": "P1", "label": "Pompe", "price": "1" * 10_000}, "price", "Enter an amount"),
    ({"reference": "P1", "label": "Pompe\nPompe"}, "label", "Use a single line"),
])
def test_bad_input_is_refused_next_to_the_field(app, client, alpha, data, field, message):
    response = client.post(f"/t/{alpha.slug}/products/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.split(f'id="{field}-error"')[1].split("</small>")[0]
    assert products_of(app, alpha) == []


def test_reference_is_unique_in_the_tenant_only(app, client, alpha, tenants):
    add(app, tenants.b, Product(reference="P1", label="Beta pump"))
    assert client.post(f"/t/{alpha.slug}/products/new",
                       data={"reference": "P1", "label": "Pompe"}).status_code == 303
    again = client.post(f"/t/{alpha.slug}/products/new", data={"reference": "P1", "label": "X"})
    assert again.status_code == 422
    assert "Another product already has this reference." in again.get_data(as_text=True)
    assert len(products_of(app, alpha)) == 1


def test_a_reference_taken_meanwhile_is_a_field_error_not_a_500(app, client, alpha,
                                                                monkeypatch):
    add(app, alpha, Product(reference="RACE", label="First"))
    monkeypatch.setattr(ProductForm, "reference_taken", lambda self: False)
    response = client.post(f"/t/{alpha.slug}/products/new",
                           data={"reference": "RACE", "label": "Second"})
    assert response.status_code == 422
    assert "Another product already has this reference." in response.get_data(as_text=True)
    assert [p.label for p in products_of(app, alpha)] == ["First"]


def test_search_active_filter_and_sort(app, client, alpha):
    add(app, alpha, Product(reference="CH-1", label="Chaudière gaz"),
        Product(reference="PAC-1", label="Pompe à chaleur"),
        Product(reference="OLD-1", label="Ancien modèle", active=False))
    base = f"/t/{alpha.slug}/products/"
    get = lambda query: listed(client.get(base + query).get_data(as_text=True))  # noqa: E731
    assert get("") == ["CH-1", "PAC-1"]  # active ones, by label
    assert get("?active=inactive") == ["OLD-1"]
    assert get("?active=all") == ["OLD-1", "CH-1", "PAC-1"]
    assert get("?active=all&sort=-reference") == ["PAC-1", "OLD-1", "CH-1"]
    assert get("?q=pompe") == ["PAC-1"]
    assert get("?q=ch-") == ["CH-1"]
    assert get("?q=100%25") == []
    assert get("?sort=nonsense&active=nonsense") == ["CH-1", "PAC-1"]


def test_pages_follow_each_other(app, client, alpha):
    add(app, alpha, *[Product(reference=f"P{i:03d}", label=f"Produit {i:03d}") for i in range(60)])
    seen, url = [], f"/t/{alpha.slug}/products/"
    for _ in range(5):
        html = client.get(url).get_data(as_text=True)
        seen += listed(html)
        match = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not match:
            break
        url = match.group(1).replace("&amp;", "&")
    assert seen == [f"P{i:03d}" for i in range(60)]
    tampered = client.get(f"/t/{alpha.slug}/products/?cursor=WzEsMl0")  # [1,2]
    assert tampered.status_code == 200 and listed(tampered.get_data(as_text=True))[0] == "P000"


def test_html_payload_is_shown_as_text(app, client, alpha):
    payload = "<script>alert(1)</script>"
    client.post(f"/t/{alpha.slug}/products/new", data={"reference": payload, "label": payload})
    (product,) = products_of(app, alpha)
    for url in (f"/t/{alpha.slug}/products/", f"/t/{alpha.slug}/products/{product.id}",
                f"/t/{alpha.slug}/products/{product.id}/edit"):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html and "&lt;script&gt;" in html, url


def test_rights(app, client, auth, tenants):
    (product_id,) = add(app, tenants.a, Product(reference="P1", label="Pompe"))
    base = f"/t/{tenants.a.slug}/products"
    auth.login(tenants.a.member_email)
    assert client.post(f"{base}/{product_id}/edit",
                       data={"reference": "P1", "label": "Pompe 2"}).status_code == 303
    assert client.get(f"{base}/{product_id}/delete").status_code == 403
    assert client.post(f"{base}/{product_id}/delete").status_code == 403
    with app.app_context(), bound_tenant(tenants.a.id):
        member = db.session.scalar(
            select(Membership).where(Membership.id == tenants.a.member_membership_id))
        member.rights = list(PRESETS["restricted"])
        db.session.commit()
    assert client.get(f"{base}/").status_code == 200
    assert client.get(f"{base}/{product_id}").status_code == 200
    assert client.get(f"{base}/new").status_code == 403
    assert client.get(f"{base}/{product_id}/edit").status_code == 403
    assert client.post(f"{base}/new", data={"reference": "P2", "label": "X"}).status_code == 403
    assert client.post(f"{base}/{product_id}/edit",
                       data={"reference": "P1", "label": "X"}).status_code == 403
    assert [p.label for p in products_of(app, tenants.a)] == ["Pompe 2"]


def test_every_product_route_is_404_for_another_tenants_product(app, client, alpha, tenants):
    (foreign,) = add(app, tenants.b, Product(reference="SECRET", label="Beta secret"))
    base = f"/t/{alpha.slug}/products"
    for url in (f"{base}/{foreign}", f"{base}/{foreign}/edit", f"{base}/{foreign}/delete"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "SECRET" not in response.get_data(as_text=True)
    assert client.post(f"{base}/{foreign}/edit",
                       data={"reference": "X", "label": "X"}).status_code == 404
    assert client.post(f"{base}/{foreign}/delete").status_code == 404
    assert [p.label for p in products_of(app, tenants.b)] == ["Beta secret"]


def test_list_runs_the_same_queries_for_5_or_60_products(app, client, alpha):
    client.get(f"/t/{alpha.slug}/products/")  # the company's settings: kept from now on
    counts = []
    for rows in (5, 60):
        add(app, alpha, *[Product(reference=f"P{rows}-{i:03d}", label=f"Produit {i:03d}")
                          for i in range(rows)])
        with counting_queries(app) as statements:
            html = client.get(f"/t/{alpha.slug}/products/").get_data(as_text=True)
        assert len(listed(html)) == min(rows + (5 if rows == 60 else 0), 25)
        counts.append(len(statements))
    assert counts[0] == counts[1]
