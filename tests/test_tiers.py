"""Third parties: the list (search, filters, sort, keyset pages) and the autocomplete.

The helpers at the top are shared with test_tiers_forms.py and test_tiers_card.py.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Tiers
from tests.sql_count import counting_queries


def add_tiers(app, tenant_id: int, name: str, **fields) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        tiers = Tiers(name=name, **fields)
        db.session.add(tiers)
        db.session.commit()
        return tiers.id


def add_many(app, tenant_id: int, count: int, prefix: str = "Tiers") -> None:
    with app.app_context(), bound_tenant(tenant_id):
        db.session.add_all([Tiers(name=f"{prefix} {i:03d}") for i in range(count)])
        db.session.commit()


def tiers_named(app, tenant_id: int, name: str) -> list[Tiers]:
    with app.app_context(), bound_tenant(tenant_id):
        rows = list(db.session.scalars(select(Tiers).where(Tiers.name == name)))
        for row in rows:
            db.session.expunge(row)
        return rows


def names_in(body: bytes) -> list[str]:
    """The tiers names of a list page, in the order shown."""
    found = re.findall(r'<a href="/t/[^/]+/tiers/\d+">([^<]*)</a>', body.decode())
    return [html.unescape(n) for n in found]


def next_link(body: bytes) -> str | None:
    match = re.search(r'href="([^"]+)" rel="next" id="tiers-next"', body.decode())
    return html.unescape(match.group(1)) if match else None


@pytest.fixture
def admin_a(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    client.post("/language", data={"language": "en"})  # the assertions read English
    return f"/t/{tenants.a.slug}"


def test_empty_list_invites_to_add(client, admin_a):
    body = client.get(f"{admin_a}/tiers/").data
    assert b"No third party yet" in body
    assert f'href="{admin_a}/tiers/new"'.encode() in body


def test_list_shows_only_own_tenant(app, client, tenants, admin_a):
    add_tiers(app, tenants.a.id, "Ours SARL")
    add_tiers(app, tenants.b.id, "Theirs SAS")
    assert names_in(client.get(f"{admin_a}/tiers/").data) == ["Ours SARL"]


def test_htmx_gets_only_the_results(app, client, htmx, tenants, admin_a):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    add_tiers(app, tenants.a.id, "Fragment Co")
    fragment = htmx.get(f"{admin_a}/tiers/?q=frag")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.data and b'id="tiers-results"' in fragment.data
    assert names_in(fragment.data) == ["Fragment Co"]
    assert b"<html" in client.get(f"{admin_a}/tiers/?q=frag").data


@pytest.mark.parametrize("query, expected", [
    ("eleonore", ["Éléonore Conseil"]),        # accents ignored
    ("ÉLÉO", ["Éléonore Conseil"]),
    ("el", ["Éléonore Conseil"]),              # short query: start of the name
    ("C-042", ["Garage Martin"]),              # code
    ("contact@martin", ["Garage Martin"]),     # email
    ("quimper", ["Garage Martin"]),            # town
    ("02 98", ["Garage Martin"]),              # phone
    ("onseil", ["Éléonore Conseil"]),          # anywhere from 3 characters
    ("100%", []),                              # LIKE wildcards are literal
    ("zzz", []),
])
def test_search_as_you_type(app, client, tenants, admin_a, query, expected):
    add_tiers(app, tenants.a.id, "Éléonore Conseil", town="Brest")
    add_tiers(app, tenants.a.id, "Garage Martin", customer_code="C-042",
              email="contact@martin.fr", town="Quimper", phone="02 98 00 00 00")
    add_tiers(app, tenants.b.id, "Éléonore Beta")  # another tenant: never found
    response = client.get(f"{admin_a}/tiers/", query_string={"q": query})
    assert response.status_code == 200
    assert names_in(response.data) == expected


def test_filters_by_kind_rep_and_status(app, client, tenants, admin_a):
    add_tiers(app, tenants.a.id, "Prospect One", is_prospect=True)
    add_tiers(app, tenants.a.id, "Customer Two", is_customer=True,
              sales_rep_id=tenants.a.member_membership_id)
    add_tiers(app, tenants.a.id, "Supplier Closed", is_supplier=True, active=False)
    url = f"{admin_a}/tiers/"
    assert names_in(client.get(url).data) == ["Customer Two", "Prospect One"]
    assert names_in(client.get(url + "?kind=customer").data) == ["Customer Two"]
    assert names_in(client.get(url + f"?rep={tenants.a.member_membership_id}").data) == [
        "Customer Two"]
    assert names_in(client.get(url + "?status=closed").data) == ["Supplier Closed"]
    assert len(names_in(client.get(url + "?status=all").data)) == 3
    assert names_in(client.get(url + "?status=closed&kind=customer").data) == []
    # Unknown values (or another tenant's member) fall back to no filter, never a 500.
    for junk in ("kind=boss", "status=x", f"rep={tenants.b.member_membership_id}", "rep=abc",
                 "sort=password", "dir=sideways", "rep=" + "9" * 10_000):
        response = client.get(f"{url}?{junk}")
        assert response.status_code == 200, junk
        assert names_in(response.data) == ["Customer Two", "Prospect One"], junk
    # A 10,000-character search is cut to the search limit; its wildcards stay literal.
    response = client.get(url, query_string={"q": "%" * 10_000})
    assert response.status_code == 200 and names_in(response.data) == []


def test_filtered_empty_state_offers_to_show_all(app, client, tenants, admin_a):
    add_tiers(app, tenants.a.id, "Somebody")
    body = client.get(f"{admin_a}/tiers/?q=nobody").data
    assert b"No third party matches these filters" in body


@pytest.mark.parametrize("sort, direction, expected", [
    ("name", "asc", ["Alpha", "beta", "Ébène"]),
    ("name", "desc", ["Ébène", "beta", "Alpha"]),
    ("code", "asc", ["Alpha", "Ébène", "beta"]),    # no code sorts first
    ("code", "desc", ["beta", "Ébène", "Alpha"]),
    ("town", "asc", ["beta", "Alpha", "Ébène"]),
    ("created", "asc", ["Ébène", "beta", "Alpha"]),
    ("created", "desc", ["Alpha", "beta", "Ébène"]),
])
def test_sortable_columns(app, client, tenants, admin_a, sort, direction, expected):
    day = datetime(2024, 1, 1, tzinfo=UTC)
    add_tiers(app, tenants.a.id, "Alpha", town="Brest", created_at=day + timedelta(days=3))
    add_tiers(app, tenants.a.id, "beta", customer_code="Z9", created_at=day + timedelta(days=2))
    add_tiers(app, tenants.a.id, "Ébène", customer_code="A1", town="Caen", created_at=day)
    response = client.get(f"{admin_a}/tiers/?sort={sort}&dir={direction}")
    assert names_in(response.data) == expected


def _walk(client, url: str) -> list[str]:
    """Every name, following the "Next page" links."""
    seen: list[str] = []
    while url:
        body = client.get(url).data
        seen += names_in(body)
        url = next_link(body)
    return seen


@pytest.mark.parametrize("sort", ["name", "code", "town", "created"])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_keyset_pages_cover_every_row_once(app, client, tenants, admin_a, sort, direction):
    # Ties on the sort column (no code, no town, same created time) are broken by id.
    add_many(app, tenants.a.id, 60)
    seen = _walk(client, f"{admin_a}/tiers/?sort={sort}&dir={direction}")
    assert len(seen) == 60 and len(set(seen)) == 60


def test_keyset_pagination_pages_and_cursor(app, client, tenants, admin_a):
    add_many(app, tenants.a.id, 60)
    expected = [f"Tiers {i:03d}" for i in range(60)]
    first = client.get(f"{admin_a}/tiers/").data
    assert names_in(first) == expected[:25]
    second = client.get(next_link(first)).data
    assert names_in(second) == expected[25:50]
    assert b"First page" in second
    third = client.get(next_link(second)).data
    assert names_in(third) == expected[50:] and next_link(third) is None


def test_cursor_keeps_the_filters(app, client, tenants, admin_a):
    add_many(app, tenants.a.id, 30, prefix="Keep")
    add_many(app, tenants.a.id, 30, prefix="Drop")
    first = client.get(f"{admin_a}/tiers/?q=keep&sort=name&dir=desc").data
    link = next_link(first)
    assert "q=keep" in link and "dir=desc" in link
    assert names_in(client.get(link).data) == [f"Keep {i:03d}" for i in range(4, -1, -1)]


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", [
    "garbage", "%%%", "", _cursor("not json"), _cursor('{"a": 1}'), _cursor('["a"]'),
    _cursor('["a", "b", "c"]'),
    # Well-formed cursors with values of the wrong type for the sort column or the id.
    _cursor('[1, 2]'), _cursor('["a", "x"]'), _cursor('[true, 1.5]'), _cursor('[null, 1]'),
    _cursor('[{"dt": "2024-01-01T00:00:00"}, 1]'), _cursor('[{"dt": "yesterday"}, 1]'),
    _cursor('[{"dec": "1"}, 1]'), _cursor('["a", 99999999999999999999999]'),
])
def test_tampered_cursor_gives_the_first_page(app, client, tenants, admin_a, cursor):
    add_many(app, tenants.a.id, 30)
    for sort in ("name", "code", "created"):
        response = client.get(f"{admin_a}/tiers/", query_string={"sort": sort, "after": cursor})
        assert response.status_code == 200, (sort, cursor)
        assert names_in(response.data)[0] == "Tiers 000", (sort, cursor)


def test_list_runs_the_same_queries_for_5_or_60_rows(app, client, tenants, admin_a):
    members = [tenants.a.admin_membership_id, tenants.a.member_membership_id]
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add_all([Tiers(name=f"Few {i}", sales_rep_id=members[i % 2])
                            for i in range(5)])
        db.session.commit()
    client.get(f"{admin_a}/tiers/")  # warm the caches (templates, translations)
    with counting_queries(app) as few:
        assert len(names_in(client.get(f"{admin_a}/tiers/").data)) == 5
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add_all([Tiers(name=f"Many {i}", sales_rep_id=members[i % 2])
                            for i in range(55)])
        db.session.commit()
    with counting_queries(app) as many:
        assert len(names_in(client.get(f"{admin_a}/tiers/").data)) == 25
    assert len(few) == len(many) <= 8


def test_names_are_escaped_in_the_list(app, client, tenants, admin_a):
    add_tiers(app, tenants.a.id, "<script>alert(1)</script>", town="<b>x</b>")
    body = client.get(f"{admin_a}/tiers/").data
    assert b"<script>alert(1)" not in body and b"<b>x</b>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body


# Autocomplete -------------------------------------------------------------------------

def _options(body: bytes) -> list[tuple[str, str]]:
    return [(html.unescape(label), html.unescape(detail)) for label, detail in re.findall(
        r'role="option"[^>]*>\s*<strong>([^<]*)</strong>(?: <small class="muted">([^<]*)</small>)?',
        body.decode())]


def test_autocomplete_finds_by_name_code_and_town(app, client, tenants, admin_a):
    add_tiers(app, tenants.a.id, "Éléonore Conseil", customer_code="C1", town="Brest")
    add_tiers(app, tenants.a.id, "Bureau Éléonore", town="Rennes")
    add_tiers(app, tenants.b.id, "Éléonore Beta")
    body = client.get(f"{admin_a}/search/tiers?q=eleonore").data
    # Names starting with the query come first.
    assert _options(body) == [("Éléonore Conseil", "C1 · Brest"), ("Bureau Éléonore", "Rennes")]
    assert _options(client.get(f"{admin_a}/search/tiers?q=brest").data) == [
        ("Éléonore Conseil", "C1 · Brest")]


def test_autocomplete_hides_closed_tiers_unless_asked(app, client, tenants, admin_a):
    add_tiers(app, tenants.a.id, "Closed Corp", active=False)
    assert _options(client.get(f"{admin_a}/search/tiers?q=closed").data) == []
    assert _options(client.get(f"{admin_a}/search/tiers?q=closed&all=1").data) == [
        ("Closed Corp", "")]


def test_autocomplete_returns_at_most_20(app, client, tenants, admin_a):
    add_many(app, tenants.a.id, 30)
    assert len(_options(client.get(f"{admin_a}/search/tiers?q=tiers").data)) == 20
    assert len(_options(client.get(f"{admin_a}/search/tiers").data)) == 20


def test_autocomplete_escapes_and_survives_odd_queries(app, client, tenants, admin_a):
    add_tiers(app, tenants.a.id, '<img src=x onerror="alert(1)">')
    body = client.get(f"{admin_a}/search/tiers?q=img").data
    assert b"<img" not in body and b"&lt;img" in body
    for query in ("%", "_", "\\", "'; drop table tiers; --", "x" * 5000):
        assert client.get(f"{admin_a}/search/tiers", query_string={"q": query}).status_code == 200


def test_autocomplete_of_another_tenant_is_not_found(client, tenants, admin_a):
    assert client.get(f"/t/{tenants.b.slug}/search/tiers?q=a").status_code == 404
