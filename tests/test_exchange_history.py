"""History tabs of the tiers, contact, document and project cards."""

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.exchanges.history import history_count
from ct.extensions import db
from ct.models import Contact, Exchange, ExchangeContact, Membership
from tests.exchange_data import (
    RESTRICTED_EMAIL,
    add,
    add_many,
    in_english,
    tokens,
    world,  # noqa: F401 — fixture
)


def history_url(w, query):
    return f"/t/{w.slug}/exchanges/history?{query}"


@pytest.fixture
def linked(world):  # noqa: F811
    """EX1 with Dupont; EX2 with Martin about Dupont's contact Jeanne; EX3 with Martin on
    Dupont's quote; EX4 with Martin only (project PRJ-1); EX5 Dupont, restricted member's."""
    w = world
    add(w, w.tiers["dupont"], w.admin_id, contacts=[w.contacts["paul"]], comment="EX1")
    add(w, w.tiers["martin"], w.admin_id, minutes=1,
        contacts=[w.contacts["jeanne"], w.contacts["luc"]], status="todo", comment="EX2")
    add(w, w.tiers["martin"], w.member_id, minutes=2, document_id=w.document_id,
        comment="EX3")
    add(w, w.tiers["martin"], w.member_id, minutes=3, contacts=[w.contacts["luc"]],
        project_id=w.project_id, comment="EX4")
    add(w, w.tiers["dupont"], w.restricted_id, minutes=4, project_id=w.project_id,
        comment="EX5 rita")
    return w


@pytest.mark.parametrize("kind, key, expected", [
    ("tiers", "dupont", {"EX1", "EX2", "EX3", "EX5"}),  # its contacts' and document's too
    ("tiers", "martin", {"EX2", "EX3", "EX4"}),
    ("contact", "jeanne", {"EX2"}),
    ("contact", "luc", {"EX2", "EX4"}),
    ("document", None, {"EX3"}),
    ("project", None, {"EX4", "EX5"}),
])
def test_each_history_holds_its_exchanges(client, auth, linked, kind, key, expected):
    w = linked
    record_id = {"tiers": w.tiers, "contact": w.contacts}.get(kind, {}).get(key) or (
        w.document_id if kind == "document" else w.project_id)
    auth.login("alice@alpha.fr")
    response = client.get(history_url(w, f"{kind}={record_id}"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert tokens(html) == expected
    assert f"{len(expected)} " in html.split(f'id="{kind}-exchanges"')[1]
    with w.app.test_request_context(), bound_tenant(w.tenant_id):
        admin = db.session.scalar(select(Membership).where(Membership.id == w.admin_id))
        assert history_count(kind, record_id, admin) == len(expected)


def test_fragment_refreshes_itself_when_an_exchange_is_saved(htmx, client, auth, linked):
    w = linked
    htmx.post("/login", data={"email": "alice@alpha.fr", "password": "correct horse battery"})
    fragment = htmx.get(history_url(w, f"contact={w.contacts['luc']}")).get_data(as_text=True)
    assert "<html" not in fragment
    root = fragment.lstrip().split(">")[0]
    assert root.startswith('<section id="contact-exchanges"')
    assert f'hx-get="/t/{w.slug}/exchanges/history?contact={w.contacts["luc"]}"' in root
    assert 'hx-trigger="exchange-saved from:body"' in root and 'hx-target="this"' in root
    # The card's tab label follows (out of band) when the tab reloads.
    assert '<span id="contact-exchanges-count" hx-swap-oob="true">2</span>' in fragment
    auth.login("alice@alpha.fr")
    page = client.get(history_url(w, f"contact={w.contacts['luc']}")).get_data(as_text=True)
    assert "<html" in page and "Luc Martin" in page and "hx-swap-oob" not in page


def test_read_own_member_sees_only_their_own_there_too(client, auth, linked):
    w = linked
    auth.login(RESTRICTED_EMAIL)
    html = client.get(history_url(w, f"tiers={w.tiers['dupont']}")).get_data(as_text=True)
    assert tokens(html) == {"EX5"}
    with w.app.test_request_context(), bound_tenant(w.tenant_id):
        rita = db.session.scalar(select(Membership).where(Membership.id == w.restricted_id))
        assert history_count("tiers", w.tiers["dupont"], rita) == 1
        assert history_count("project", w.project_id, rita) == 1


def test_filters_of_the_compact_row(client, auth, linked):
    w = linked
    auth.login("alice@alpha.fr")
    in_english(client)
    dupont = f"tiers={w.tiers['dupont']}"
    assert tokens(client.get(history_url(w, f"{dupont}&status=todo")).get_data(
        as_text=True)) == {"EX2"}
    assert tokens(client.get(history_url(w, f"{dupont}&member={w.member_id}")).get_data(
        as_text=True)) == {"EX3"}
    assert tokens(client.get(history_url(w, f"{dupont}&q=rita")).get_data(
        as_text=True)) == {"EX5"}
    bad = client.get(history_url(w, f"{dupont}&date_from=2026-02-30"))
    assert bad.status_code == 422 and b"Not a valid date value." in bad.data
    assert tokens(bad.get_data(as_text=True)) == set()


def test_confidential_comment_and_payloads(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="EX1 <b>gras</b>",
        confidential_comment="TOPSECRET", confidential_group_id=w.group_id)
    for email in ("alice@alpha.fr", "arthur@alpha.fr"):
        auth.login(email)
        html = client.get(history_url(w, f"tiers={w.tiers['dupont']}")).get_data(as_text=True)
        assert "EX1" in html and "TOPSECRET" not in html
        assert "<b>gras</b>" not in html and "&lt;b&gt;gras&lt;/b&gt;" in html
        auth.logout()


def test_pages_of_a_long_history(client, auth, world):  # noqa: F811
    w = world
    add_many(w, w.tiers["martin"], w.admin_id, 60)
    auth.login("alice@alpha.fr")
    first = client.get(history_url(w, f"tiers={w.tiers['martin']}")).get_data(as_text=True)
    assert first.count("Appel ") == 50 and "60 " in first
    next_link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert f"tiers={w.tiers['martin']}" in next_link and "cursor=" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert second.count("Appel ") == 10 and "Appel 0<" in second
    tampered = client.get(history_url(w, f"tiers={w.tiers['martin']}&cursor=AAAA"))
    assert tampered.status_code == 200 and "Appel 59<" in tampered.get_data(as_text=True)


@pytest.mark.parametrize("query", [
    "tiers={b_dupont}", "contact={b_jeanne}", "document={b_document}", "project={b_project}",
    "", "tiers=abc", "tiers=99999999999999999999", "tiers=-1",
    "tiers={dupont}&contact={jeanne}", "exchange=1",
])
def test_unknown_or_foreign_records_are_404(client, auth, world, query):  # noqa: F811
    w = world
    query = query.format(b_dupont=w.b["dupont"], b_jeanne=w.b["jeanne"],
                         b_document=w.b["document"], b_project=w.b["project"],
                         dupont=w.tiers["dupont"], jeanne=w.contacts["jeanne"])
    auth.login("alice@alpha.fr")
    response = client.get(history_url(w, query))
    assert response.status_code == 404
    assert b"Secret de Beta" not in response.data and b"B Dupont" not in response.data


def test_another_tenants_slug_is_404(client, auth, world):  # noqa: F811
    auth.login("alice@alpha.fr")
    url = f"/t/{world.b_slug}/exchanges/history?tiers={world.b['dupont']}"
    assert client.get(url).status_code == 404


def _move(w, model, record_id: int, tiers_id: int) -> None:
    with w.app.app_context(), bound_tenant(w.tenant_id):
        db.session.get(model, record_id).tiers_id = tiers_id
        db.session.commit()


def _tiers_history(client, w, name: str) -> set[str]:
    html = client.get(history_url(w, f"tiers={w.tiers[name]}")).get_data(as_text=True)
    return tokens(html)


def _flags(w) -> dict[tuple[int, int], bool]:
    with w.app.app_context(), bound_tenant(w.tenant_id):
        return {(link.exchange_id, link.contact_id): link.elsewhere
                for link in db.session.scalars(select(ExchangeContact))}


def test_a_contact_that_moves_takes_its_exchanges_along(client, auth, linked):
    """The database keeps each link's "contact of another tiers" flag when a contact
    changes tiers, so the histories follow without the application doing anything."""
    w = linked
    auth.login("alice@alpha.fr")
    _move(w, Contact, w.contacts["jeanne"], w.tiers["martin"])  # now at EX2's own tiers
    assert _tiers_history(client, w, "dupont") == {"EX1", "EX3", "EX5"}
    _move(w, Contact, w.contacts["paul"], w.tiers["martin"])  # EX1 is Dupont's, with Paul
    assert _tiers_history(client, w, "martin") == {"EX1", "EX2", "EX3", "EX4"}
    assert _tiers_history(client, w, "dupont") == {"EX1", "EX3", "EX5"}
    _move(w, Contact, w.contacts["paul"], w.tiers["dupont"])  # and back
    assert _tiers_history(client, w, "martin") == {"EX2", "EX3", "EX4"}
    assert sum(_flags(w).values()) == 0  # every contact now at its exchanges' tiers


def test_an_exchange_that_changes_tiers_updates_its_links(client, auth, linked):
    w = linked
    auth.login("alice@alpha.fr")
    with w.app.app_context(), bound_tenant(w.tenant_id):
        ex1, ex2 = (db.session.scalar(select(Exchange.id).where(Exchange.comment == c))
                    for c in ("EX1", "EX2"))
    assert _flags(w)[ex2, w.contacts["jeanne"]] and not _flags(w)[ex1, w.contacts["paul"]]
    _move(w, Exchange, ex1, w.tiers["martin"])  # Paul (Dupont's) now met about Martin
    _move(w, Exchange, ex2, w.tiers["dupont"])  # Jeanne (Dupont's) now at home
    flags = _flags(w)
    assert flags[ex1, w.contacts["paul"]] and not flags[ex2, w.contacts["jeanne"]]
    assert flags[ex2, w.contacts["luc"]]  # Luc is Martin's
    assert _tiers_history(client, w, "dupont") == {"EX1", "EX2", "EX3", "EX5"}
    assert _tiers_history(client, w, "martin") == {"EX1", "EX2", "EX3", "EX4"}


def test_the_count_built_once_counts_in_the_company_bound_at_each_run(linked):
    """The count's statement is built once per process: run in company A, then in B,
    then in A again, it reads the bound company's exchanges each time."""
    w = linked
    counts = []
    for tenant_id, member_id, tiers_id in ((w.tenant_id, w.admin_id, w.tiers["dupont"]),
                                           (w.b_tenant_id, w.b["member"], w.b["dupont"]),
                                           (w.tenant_id, w.admin_id, w.b["dupont"])):
        with w.app.test_request_context(), bound_tenant(tenant_id):
            member = db.session.scalar(select(Membership).where(Membership.id == member_id))
            counts.append(history_count("tiers", tiers_id, member))
    # Dupont's own EX1 and EX5, EX2 by its contact, EX3 by its quote; B's one exchange;
    # none of B's when A is bound, even for B's tiers id.
    assert counts == [4, 1, 0]
