"""The documents list (filters, newest first, keyset pages) and the autocomplete of the
documents of one third party."""

import base64
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Choice, Document, Tiers
from tests.sql_count import counting_queries

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

def add(app, tenant, *rows):
    with app.app_context(), bound_tenant(tenant.id):
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def references(html: str) -> list[str]:
    return re.findall(r'<td><a href="/t/[^"]+/documents/\d+">([^<]*)</a>', html)


@pytest.fixture
def alpha(app, auth, tenants):
    auth.login(tenants.a.admin_email)
    a = tenants.a
    with app.app_context(), bound_tenant(a.id):
        a.kinds = dict(db.session.execute(
            select(Choice.code, Choice.id).where(Choice.kind == "document")).all())
    a.dupont, a.durand = add(app, a, Tiers(name="Dupont"), Tiers(name="Durand"))
    return a


def doc(alpha, reference, kind="quote", tiers=None, day=date(2024, 5, 2), **fields):
    return Document(kind_id=alpha.kinds[kind], reference=reference,
                    tiers_id=tiers or alpha.dupont, date=day, status=fields.pop("status", "draft"),
                    **fields)


def test_empty_list_invites_to_add_the_first_document(client, alpha):
    html = client.get(f"/t/{alpha.slug}/documents/").get_data(as_text=True)
    assert "No documents yet." in html
    assert f'href="/t/{alpha.slug}/documents/new"' in html


def test_filters_by_kind_tiers_status_and_text(app, client, alpha):
    add(app, alpha,
        doc(alpha, "DEV-1", status="sent", description="Chaudière gaz"),
        doc(alpha, "DEV-2", tiers=alpha.durand, status="accepted"),
        doc(alpha, "FAC-1", kind="invoice", status="paid", description="Entretien annuel"))
    base = f"/t/{alpha.slug}/documents/"
    get = lambda query: references(client.get(base + query).get_data(as_text=True))  # noqa: E731
    assert sorted(get("")) == ["DEV-1", "DEV-2", "FAC-1"]
    assert sorted(get(f"?kind={alpha.kinds['quote']}")) == ["DEV-1", "DEV-2"]
    assert get(f"?tiers={alpha.durand}") == ["DEV-2"]
    assert get("?status=paid") == ["FAC-1"]
    assert get("?q=fac") == ["FAC-1"]
    assert get("?q=CHAUDI") == ["DEV-1"]
    assert get(f"?kind={alpha.kinds['quote']}&status=sent&tiers={alpha.dupont}") == ["DEV-1"]
    assert get("?status=unknown") != []  # an unknown status is no filter, not an error
    empty = client.get(base + "?q=zzz").get_data(as_text=True)
    assert "No document matches these filters." in empty


def test_unknown_ids_in_filters_are_404(client, alpha):
    base = f"/t/{alpha.slug}/documents/"
    for query in ("?kind=424242", "?kind=abc", "?tiers=424242", "?tiers=x"):
        assert client.get(base + query).status_code == 404, query


def test_newest_first_and_pages_follow_each_other(app, client, alpha):
    start = date(2024, 1, 1)
    # Two documents a day: ties on the date are broken by id, never lost between pages.
    add(app, alpha, *[doc(alpha, f"D-{i:03d}", day=start + timedelta(days=i // 2))
                      for i in range(60)])
    seen, url = [], f"/t/{alpha.slug}/documents/"
    for _ in range(5):
        html = client.get(url).get_data(as_text=True)
        seen += references(html)
        match = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not match:
            break
        url = match.group(1).replace("&amp;", "&")
    assert seen == [f"D-{i:03d}" for i in reversed(range(60))]


def test_oldest_first_keeps_the_filters_on_the_next_page(app, client, alpha):
    start = date(2024, 1, 1)
    add(app, alpha, *[doc(alpha, f"D-{i:03d}", day=start + timedelta(days=i)) for i in range(30)],
        doc(alpha, "F-1", kind="invoice"))
    html = client.get(f"/t/{alpha.slug}/documents/?sort=date&kind={alpha.kinds['quote']}"
                      ).get_data(as_text=True)
    assert references(html)[:2] == ["D-000", "D-001"]
    next_url = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert references(client.get(next_url).get_data(as_text=True)) == [
        "D-025", "D-026", "D-027", "D-028", "D-029"]


@pytest.mark.parametrize("values", [["abc", 1], [5, "x"], [{"dec": "1"}, 1], [None, None]])
def test_tampered_cursor_gives_the_first_page(app, client, alpha, values):
    add(app, alpha, *[doc(alpha, f"D-{i:03d}", day=date(2024, 1, 1) + timedelta(days=i))
                      for i in range(30)])
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
    response = client.get(f"/t/{alpha.slug}/documents/?cursor={cursor}")
    assert response.status_code == 200
    assert references(response.get_data(as_text=True))[0] == "D-029"


def _list_queries(app, client, alpha, rows: int) -> int:
    tiers_ids = add(app, alpha, *[Tiers(name=f"Société {i}") for i in range(rows)])
    add(app, alpha, *[doc(alpha, f"D-{i:03d}", tiers=tiers_ids[i]) for i in range(rows)])
    client.get(f"/t/{alpha.slug}/documents/")  # the company's lists, kept from then on
    with counting_queries(app) as statements:
        html = client.get(f"/t/{alpha.slug}/documents/").get_data(as_text=True)
    assert len(references(html)) == min(rows, 25)
    return len(statements)


def test_list_runs_the_same_queries_for_5_or_60_documents(app, client, alpha):
    few = _list_queries(app, client, alpha, 5)
    with app.app_context(), bound_tenant(alpha.id):
        db.session.execute(Document.__table__.delete())
        db.session.commit()
    assert _list_queries(app, client, alpha, 60) == few


# --- the autocomplete of the documents of one third party ------------------------

def options(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<strong>([^<]*)</strong>(?: <small class="muted">([^<]*)</small>)?',
                      html)


def test_autocomplete_lists_the_documents_of_one_tiers_newest_first(app, client, alpha):
    add(app, alpha,
        doc(alpha, "DEV-1", day=date(2024, 3, 1), amount=Decimal("1234.5")),
        doc(alpha, "FAC-1", kind="invoice", day=date(2024, 4, 1)),
        doc(alpha, "DEV-9", tiers=alpha.durand))
    html = client.get(f"/t/{alpha.slug}/search/documents?tiers={alpha.dupont}").get_data(
        as_text=True)
    assert [label for label, _ in options(html)] == ["FAC-1", "DEV-1"]
    detail = dict(options(html))["DEV-1"]
    assert detail.startswith("Devis · ") and detail.endswith("1\u202f234,50")
    narrowed = client.get(f"/t/{alpha.slug}/search/documents?tiers={alpha.dupont}&q=dev")
    assert [label for label, _ in options(narrowed.get_data(as_text=True))] == ["DEV-1"]


def test_autocomplete_of_documents_needs_a_tiers_of_the_tenant(app, client, alpha, tenants):
    add(app, alpha, doc(alpha, "DEV-1"))
    (foreign,) = add(app, tenants.b, Tiers(name="Beta"))
    base = f"/t/{alpha.slug}/search/documents"
    for query in ("", "?q=dev", f"?tiers={foreign}", "?tiers=abc", "?tiers=" + "9" * 30):
        response = client.get(base + query)
        assert response.status_code == 200, query
        assert options(response.get_data(as_text=True)) == [], query


def test_autocomplete_of_documents_returns_at_most_20_in_one_query(app, client, alpha):
    add(app, alpha, *[doc(alpha, f"D-{i:03d}", day=date(2024, 1, 1) + timedelta(days=i))
                      for i in range(30)])
    with counting_queries(app) as statements:
        html = client.get(f"/t/{alpha.slug}/search/documents?tiers={alpha.dupont}&q=d-"
                          ).get_data(as_text=True)
    labels = [label for label, _ in options(html)]
    assert labels == [f"D-{i:03d}" for i in reversed(range(10, 30))]
    assert len(statements) <= 6
