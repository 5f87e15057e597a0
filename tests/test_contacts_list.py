"""The contacts list (search as you type, tiers filter, keyset pages) and the contacts
autocomplete of the exchange form."""

import base64
import json
import re

import pytest

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Tiers
from tests.sql_count import counting_queries

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

def add(app, tenant, *rows):
    with app.app_context(), bound_tenant(tenant.id):
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def contact_links(html: str) -> list[str]:
    """The names in the list, in order."""
    return re.findall(r'<td><a href="/t/[^"]+/contacts/\d+">([^<]*)</a></td>', html)


@pytest.fixture
def alpha(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


def test_empty_list_invites_to_add_the_first_contact(client, alpha):
    html = client.get(f"/t/{alpha.slug}/contacts/").get_data(as_text=True)
    assert "No contacts yet." in html
    assert f'href="/t/{alpha.slug}/contacts/new"' in html


def test_search_ignores_accents_and_case(app, client, alpha):
    add(app, alpha, Contact(first_name="François", last_name="Lefèvre"),
        Contact(first_name="Anne", last_name="Martin", job_title="Comptable"),
        Contact(first_name="Paul", last_name="Durand", email="paul@exemple.fr",
                phone="01 23 45 67 89"))
    base = f"/t/{alpha.slug}/contacts/"
    assert contact_links(client.get(base + "?q=francois").get_data(as_text=True)) == [
        "François Lefèvre"]
    assert contact_links(client.get(base + "?q=LEFEVRE").get_data(as_text=True)) == [
        "François Lefèvre"]
    assert contact_links(client.get(base + "?q=comptable").get_data(as_text=True)) == [
        "Anne Martin"]
    assert contact_links(client.get(base + "?q=paul@exemple").get_data(as_text=True)) == [
        "Paul Durand"]
    assert contact_links(client.get(base + "?q=45 67").get_data(as_text=True)) == ["Paul Durand"]
    # Short queries match the start of the name (last name first).
    assert contact_links(client.get(base + "?q=ma").get_data(as_text=True)) == ["Anne Martin"]
    nothing = client.get(base + "?q=zzz").get_data(as_text=True)
    assert contact_links(nothing) == [] and "No contact matches “zzz”." in nothing


def test_like_wildcards_are_searched_literally(app, client, alpha):
    add(app, alpha, Contact(first_name="Anne", job_title="100% commercial"),
        Contact(first_name="Paul", job_title="1000 pièces"))
    html = client.get(f"/t/{alpha.slug}/contacts/?q=100%25").get_data(as_text=True)
    assert contact_links(html) == ["Anne"]


def test_htmx_search_returns_only_the_results_block(app, htmx, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    add(app, tenants.a, Contact(first_name="François"))
    response = htmx.get(f"/t/{tenants.a.slug}/contacts/?q=franc")
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="contact-results">')
    assert "<html" not in html and "François" in html
    assert "HX-Request" in response.headers["Vary"]


def test_filter_by_tiers(app, client, alpha):
    tiers_a, tiers_b = add(app, alpha, Tiers(name="Dupont"), Tiers(name="Durand"))
    add(app, alpha, Contact(first_name="Chez", last_name="Dupont", tiers_id=tiers_a),
        Contact(first_name="Chez", last_name="Durand", tiers_id=tiers_b),
        Contact(first_name="Sans", last_name="Tiers"))
    html = client.get(f"/t/{alpha.slug}/contacts/?tiers={tiers_a}").get_data(as_text=True)
    assert contact_links(html) == ["Chez Dupont"]
    assert "Contacts of Dupont." in html
    assert f'href="/t/{alpha.slug}/contacts/new?tiers={tiers_a}"' in html


def test_pages_follow_each_other_without_gap_or_repeat(app, client, alpha):
    add(app, alpha, *[Contact(last_name=f"Nom{i:03d}") for i in range(60)])
    seen, url = [], f"/t/{alpha.slug}/contacts/"
    for _ in range(5):
        html = client.get(url).get_data(as_text=True)
        names = contact_links(html)
        assert len(names) <= 25
        seen += names
        match = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not match:
            break
        url = match.group(1).replace("&amp;", "&")
    assert seen == [f"Nom{i:03d}" for i in range(60)]


def test_descending_order_and_search_survive_paging(app, client, alpha):
    add(app, alpha, *[Contact(last_name=f"Nom{i:03d}") for i in range(30)],
        Contact(last_name="Autre"))
    html = client.get(f"/t/{alpha.slug}/contacts/?q=nom&sort=-name").get_data(as_text=True)
    assert contact_links(html)[:2] == ["Nom029", "Nom028"]
    next_url = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=nom" in next_url and "sort=-name" in next_url
    rest = contact_links(client.get(next_url).get_data(as_text=True))
    assert rest == ["Nom004", "Nom003", "Nom002", "Nom001", "Nom000"]


@pytest.mark.parametrize("cursor", [
    "not-base64!!", "W10", base64.urlsafe_b64encode(b"[5, \"x\"]").decode(),
    base64.urlsafe_b64encode(json.dumps([{"dt": "2024-01-01"}, 1]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps(["nom", True]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps([None, 1]).encode()).decode(),
])
def test_tampered_cursor_gives_the_first_page(app, client, alpha, cursor):
    add(app, alpha, *[Contact(last_name=f"Nom{i:03d}") for i in range(30)])
    response = client.get(f"/t/{alpha.slug}/contacts/?cursor={cursor}")
    assert response.status_code == 200
    assert contact_links(response.get_data(as_text=True))[0] == "Nom000"


def _list_queries(app, client, alpha, rows: int) -> int:
    tiers_ids = add(app, alpha, *[Tiers(name=f"Société {i}") for i in range(rows)])
    add(app, alpha, *[Contact(last_name=f"Nom{i:03d}", tiers_id=tiers_ids[i])
                      for i in range(rows)])
    with counting_queries(app) as statements:
        html = client.get(f"/t/{alpha.slug}/contacts/").get_data(as_text=True)
    assert len(contact_links(html)) == min(rows, 25)
    assert "Société 0" in html
    return len(statements)


def test_list_runs_the_same_queries_for_5_or_60_contacts(app, client, alpha):
    client.get(f"/t/{alpha.slug}/contacts/")  # the company's settings: kept from now on
    few = _list_queries(app, client, alpha, 5)
    with app.app_context(), bound_tenant(alpha.id):
        db.session.execute(Contact.__table__.delete())
        db.session.execute(Tiers.__table__.delete())
        db.session.commit()
    many = _list_queries(app, client, alpha, 60)
    assert few == many


# --- the autocomplete of the exchange form ---------------------------------------

def options(html: str) -> list[tuple[str, str]]:
    """(label, detail) of each option of the listbox."""
    return re.findall(
        r'<strong>([^<]*)</strong>(?: <small class="muted">([^<]*)</small>)?', html)


def test_autocomplete_gives_name_job_and_tiers(app, client, alpha):
    (tiers_id,) = add(app, alpha, Tiers(name="Dupont Chauffage"))
    add(app, alpha, Contact(first_name="François", last_name="Lefèvre", job_title="Acheteur",
                            tiers_id=tiers_id),
        Contact(first_name="Francine", last_name="Morel"),
        Contact(first_name="Paul", last_name="Lefranc"),
        Contact(first_name="Marc", last_name="Francis"),
        Contact(first_name="Anne", last_name="Martin"))
    html = client.get(f"/t/{alpha.slug}/search/contacts?q=franc").get_data(as_text=True)
    # Last names that start with the query come first, then the other matches by name.
    assert options(html) == [
        ("Marc Francis", ""), ("François Lefèvre", "Acheteur · Dupont Chauffage"),
        ("Paul Lefranc", ""), ("Francine Morel", ""),
    ]


def test_autocomplete_within_one_tiers(app, client, alpha, tenants):
    tiers_a, tiers_b = add(app, alpha, Tiers(name="Dupont"), Tiers(name="Durand"))
    add(app, alpha, Contact(first_name="Jean", tiers_id=tiers_a),
        Contact(first_name="Jeanne", tiers_id=tiers_b))
    base = f"/t/{alpha.slug}/search/contacts"
    assert options(client.get(f"{base}?q=jean&tiers={tiers_a}").get_data(as_text=True)) == [
        ("Jean", "Dupont")]
    assert len(options(client.get(f"{base}?tiers={tiers_b}").get_data(as_text=True))) == 1
    (foreign,) = add(app, tenants.b, Tiers(name="Beta"))
    add(app, tenants.b, Contact(first_name="Jean-Beta", tiers_id=foreign))
    for bad in (foreign, "abc", "9" * 30):
        response = client.get(f"{base}?q=jean&tiers={bad}")
        assert response.status_code == 200
        assert options(response.get_data(as_text=True)) == []


def test_autocomplete_never_shows_another_tenants_contacts(app, client, alpha, tenants):
    add(app, tenants.b, Contact(first_name="Jean", last_name="Beta"))
    html = client.get(f"/t/{alpha.slug}/search/contacts?q=jean").get_data(as_text=True)
    assert options(html) == [] and "No match for" in html


def test_autocomplete_returns_at_most_20_with_a_bounded_query_count(app, client, alpha):
    tiers_ids = add(app, alpha, *[Tiers(name=f"Société {i}") for i in range(30)])
    add(app, alpha, *[Contact(first_name="Jean", last_name=f"Nom{i:03d}", tiers_id=tiers_ids[i])
                      for i in range(30)])
    with counting_queries(app) as statements:
        html = client.get(f"/t/{alpha.slug}/search/contacts?q=jean").get_data(as_text=True)
    assert len(options(html)) == 20
    # Login check, tenant, membership, (PostgreSQL: tenant setting), the search itself.
    assert len(statements) <= 6
