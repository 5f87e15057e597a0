"""The shortcuts that keep history tabs and search fast on big data: the history count
stops past a cap ("1000+"), and search ranks the names starting with the query first
without sorting every row that merely contains it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ct.core.search import LIMIT
from ct.core.tenancy import bound_tenant
from ct.exchanges import history as exchange_history
from ct.extensions import db
from ct.models import Contact, Membership, Tiers
from tests.exchange_data import add, add_many, world  # noqa: F401 — fixture

pytestmark = pytest.mark.usefixtures("english_messages")


def test_history_count_stops_past_the_cap(app, client, htmx, auth, world, monkeypatch):  # noqa: F811
    w = world
    monkeypatch.setattr(exchange_history, "COUNT_CAP", 3)
    add_many(w, w.tiers["dupont"], w.admin_id, 4)
    # Through a contact of the tiers too: counted once, not twice.
    add(w, w.tiers["martin"], w.admin_id, contacts=[w.contacts["jeanne"]], comment="EX9")
    with app.test_request_context(), bound_tenant(w.tenant_id):
        admin = db.session.scalar(select(Membership).where(Membership.id == w.admin_id))
        assert exchange_history.history_count("tiers", w.tiers["dupont"], admin) == 4
        assert exchange_history.count_text(4) == "3+"
        assert exchange_history.history_count("tiers", w.tiers["martin"], admin) == 1

    htmx.post("/login", data={"email": "alice@alpha.fr", "password": "correct horse battery"})
    html = htmx.get(f"/t/{w.slug}/exchanges/history?tiers={w.tiers['dupont']}").get_data(
        as_text=True)
    assert "More than 3 exchanges" in html
    assert '<span id="tiers-exchanges-count" hx-swap-oob="true">3+</span>' in html
    auth.login("alice@alpha.fr")
    card = client.get(f"/t/{w.slug}/tiers/{w.tiers['dupont']}").get_data(as_text=True)
    assert "(3+)" in card


def test_a_tiers_with_few_exchanges_of_its_own_counts_its_other_sources(
        app, world, monkeypatch):  # noqa: F811
    w = world
    monkeypatch.setattr(exchange_history, "COUNT_CAP", 3)
    add(w, w.tiers["martin"], w.admin_id, comment="EX1")
    # Dupont's exchanges with Luc, Martin's contact, are in Martin's history too: fewer
    # exchanges of its own than the cap, the other sources are counted.
    for minutes in (1, 2):
        add(w, w.tiers["dupont"], w.admin_id, minutes=minutes, contacts=[w.contacts["luc"]])

    def count():
        with app.test_request_context(), bound_tenant(w.tenant_id):
            admin = db.session.scalar(select(Membership).where(Membership.id == w.admin_id))
            return exchange_history.history_count("tiers", w.tiers["martin"], admin)

    assert count() == 3
    add(w, w.tiers["dupont"], w.admin_id, minutes=3, contacts=[w.contacts["luc"]])
    assert count() == 4  # past the cap through the other sources


def test_every_exchange_of_a_tiers_history_is_listed_once(htmx, world):  # noqa: F811
    w = world
    own = add(w, w.tiers["dupont"], w.admin_id, contacts=[w.contacts["jeanne"]], comment="EX1")
    elsewhere = add(w, w.tiers["martin"], w.admin_id, minutes=5,
                    contacts=[w.contacts["paul"]], comment="EX2")
    about_document = add(w, w.tiers["martin"], w.admin_id, minutes=10,
                         document_id=w.document_id, comment="EX3")
    add(w, w.tiers["martin"], w.admin_id, minutes=15, contacts=[w.contacts["luc"]],
        comment="EX4")
    htmx.post("/login", data={"email": "alice@alpha.fr", "password": "correct horse battery"})
    html = htmx.get(f"/t/{w.slug}/exchanges/history?tiers={w.tiers['dupont']}").get_data(
        as_text=True)
    assert re.findall(r"\bEX\d\b", html) == ["EX3", "EX2", "EX1"]  # newest first, no repeat
    assert own and elsewhere and about_document


def _contacts(app, tenant_id: int, names: list[tuple[str, str]]) -> None:
    with app.app_context(), bound_tenant(tenant_id):
        tiers = Tiers(name="Maison Test")
        db.session.add(tiers)
        db.session.flush()
        db.session.add_all([Contact(first_name=first, last_name=last, tiers_id=tiers.id)
                            for first, last in names])
        db.session.commit()



def test_search_ranks_prefix_matches_first_then_fills_with_others(app, htmx, tenants):
    _contacts(app, tenants.a.id, [("Jean", "Zola"), ("Alice", "Martin"), ("Bruno", "Marchal"),
                                  ("Marc", "Aubert"), ("Chloé", "Lamarre")])
    htmx.post("/login", data={"email": tenants.a.admin_email,
                              "password": "correct horse battery"})
    html = htmx.get(f"/t/{tenants.a.slug}/search/contacts?q=mar").get_data(as_text=True)
    # Last names starting with "mar" first (by name), then those containing it.
    order = [html.index(name) for name in ("Marchal", "Martin", "Aubert", "Lamarre")]
    assert order[0] < order[1] < min(order[2], order[3])
    assert "Zola" not in html


def test_search_with_many_prefix_matches_shows_only_those(app, htmx, tenants):
    _contacts(app, tenants.a.id, [("Paul", f"Martin {i:02d}") for i in range(LIMIT + 5)]
              + [("Zoé", "Lamartine")])
    htmx.post("/login", data={"email": tenants.a.admin_email,
                              "password": "correct horse battery"})
    html = htmx.get(f"/t/{tenants.a.slug}/search/contacts?q=mart").get_data(as_text=True)
    shown = list(dict.fromkeys(re.findall(r"Martin (\d\d)", html)))
    assert shown == [f"{i:02d}" for i in range(LIMIT)]
    assert "Lamartine" not in html
