"""Find anything: the header box's grouped results (/search/everything) and the full
results page (/search): what each kind matches, how many, whose, and at what cost."""

from __future__ import annotations

import re

import pytest

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Tiers
from tests.exchange_data import add, in_english, world  # noqa: F401
from tests.sql_count import counting_queries


def popup(client, w, q: str):
    return client.get(f"/t/{w.slug}/search/everything", query_string={"q": q},
                      headers={"HX-Request": "true"})


def page(client, w, q: str):
    return client.get(f"/t/{w.slug}/search", query_string={"q": q})


def option_ids(html: str) -> list[str]:
    return re.findall(r'role="option"[^>]*\bid="(find-[a-z]+-\d+)"', html)


def groups(html: str) -> list[str]:
    return re.findall(r'aria-labelledby="find-heading-([a-z]+)"', html)


def test_results_are_grouped_by_kind(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["martin"], w.admin_id, comment="Relance du devis Dupont")
    auth.login("alice@alpha.fr")
    html = popup(client, w, "dupont").get_data(as_text=True)
    assert groups(html) == ["tiers", "contacts", "exchanges"]
    ids = option_ids(html)
    assert f"find-tiers-{w.tiers['dupont']}" in ids
    assert f"find-contacts-{w.contacts['jeanne']}" in ids
    assert any(i.startswith("find-exchanges-") for i in ids)
    assert f'href="/t/{w.slug}/tiers/{w.tiers["dupont"]}"' in html or \
        f'data-href="/t/{w.slug}/tiers/{w.tiers["dupont"]}"' in html
    # Enter without a chosen option: the full page, which works without JS.
    full = page(client, w, "dupont")
    assert full.status_code == 200
    text = full.get_data(as_text=True)
    assert f'href="/t/{w.slug}/tiers/{w.tiers["dupont"]}"' in text
    assert "Relance du devis Dupont" in text


def test_exchanges_match_their_object_too(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["martin"], w.admin_id, comment="EX1 rien à voir",
        object_id=next(iter(w.objects.values())))
    auth.login("alice@alpha.fr")
    in_english(client)
    with w.app.app_context(), bound_tenant(w.tenant_id):
        from ct.models.choices import Choice
        label = next(c.label_en or c.label for c in Choice.active_of("object")
                     if c.id == next(iter(w.objects.values())))
    html = popup(client, w, label[:5]).get_data(as_text=True)
    assert "EX1 rien à voir" in html


def test_each_group_shows_five_then_see_all(app, client, auth, world):  # noqa: F811
    w = world
    with app.app_context(), bound_tenant(w.tenant_id):
        db.session.add_all([Tiers(name=f"Zébulon {i:02d}") for i in range(8)])
        db.session.commit()
    auth.login("alice@alpha.fr")
    html = popup(client, w, "zebul").get_data(as_text=True)
    assert len([i for i in option_ids(html) if i.startswith("find-tiers-")]) == 5
    assert 'id="find-tiers-all"' in html and "q=zebul" in html and "status=all" in html
    assert 'id="find-contacts-all"' not in html
    # The full page lists up to twenty of each.
    text = page(client, w, "zebul").get_data(as_text=True)
    assert text.count(">Zébulon ") == 8


def test_another_company_never_appears(client, auth, world):  # noqa: F811
    w = world
    auth.login("alice@alpha.fr")
    for q in ("dupont", "B Dup", "Secret de Beta", "jeanne"):
        for response in (popup(client, w, q), page(client, w, q)):
            html = response.get_data(as_text=True)
            assert "B Dupont SARL" not in html
            assert f"/tiers/{w.b['dupont']}\"" not in html
            assert f"/contacts/{w.b['jeanne']}\"" not in html
            assert f"/exchanges/{w.b['exchange']}\"" not in html
            assert ">Secret de Beta<" not in html


def test_a_confidential_comment_never_matches(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="EX1 public",
        confidential_comment="TOPSECRET marge 40%", confidential_group_id=w.group_id)
    add(w, w.tiers["dupont"], w.member_id, comment="EX2 à moi", collaborators=[w.restricted_id])
    for email in ("alice@alpha.fr", "arthur@alpha.fr", "rita@alpha.fr"):
        auth.login(email)
        for response in (popup(client, w, "topsecret"), page(client, w, "topsecret")):
            html = response.get_data(as_text=True)
            assert "EX1" not in html and "TOPSECRET" not in html
        auth.logout()
    # Who sees which exchange is the list's rule: the restricted member only theirs.
    auth.login("rita@alpha.fr")
    html = page(client, w, "ex").get_data(as_text=True) + page(client, w, "public").get_data(
        as_text=True) + page(client, w, "moi").get_data(as_text=True)
    assert "EX2 à moi" in html and "EX1 public" not in html


def test_short_long_and_odd_input_is_safe(client, auth, world):  # noqa: F811
    w = world
    auth.login("alice@alpha.fr")
    assert popup(client, w, "d").get_data(as_text=True).strip() == ""
    assert option_ids(popup(client, w, "du").get_data(as_text=True))  # names from two
    assert "find-exchanges" not in popup(client, w, "du").get_data(as_text=True)
    assert popup(client, w, "du\x00").status_code == 400  # refused app-wide, never a 500
    for q in ("x" * 5000, "%_\\", "<script>alert(1)</script>", "  ", "'; drop", "é" * 300):
        for response in (popup(client, w, q), page(client, w, q)):
            assert response.status_code == 200
            assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert option_ids(popup(client, w, "%").get_data(as_text=True)) == []


def test_statements_are_bounded(app, client, auth, world):  # noqa: F811
    w = world
    for i in range(6):
        add(w, w.tiers["dupont"], w.admin_id, minutes=i, comment=f"Dupont appel {i}",
            contacts=[w.contacts["jeanne"]])
    auth.login("alice@alpha.fr")
    popup(client, w, "dupont")  # the tenant's lists, cached between requests
    with counting_queries(app) as few:
        assert popup(client, w, "dupont").status_code == 200
    with app.app_context(), bound_tenant(w.tenant_id):
        db.session.add_all([Tiers(name=f"Dupont {i}") for i in range(30)]
                           + [Contact(first_name="Jean", last_name=f"Dupont {i}")
                              for i in range(30)])
        db.session.commit()
    for i in range(40):
        add(w, w.tiers["martin"], w.admin_id, minutes=100 + i, comment=f"Dupont {i}",
            contacts=[w.contacts["luc"], w.contacts["jeanne"]])
    popup(client, w, "dupont")
    with counting_queries(app) as many:
        assert popup(client, w, "dupont").status_code == 200
    assert len(many) == len(few), many
    print("find popup statements:", len(many))
    # The session, the tenant, and one statement per group (plus the exchanges' contacts).
    assert len(many) <= 8, many
    with counting_queries(app) as full:
        assert page(client, w, "dupont").status_code == 200
    assert len(full) <= 12, full


@pytest.mark.usefixtures("english_messages")
def test_the_header_box_is_on_every_company_page(client, auth, world):  # noqa: F811
    w = world
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{w.slug}/").get_data(as_text=True)
    assert 'id="find-input"' in html and 'role="combobox"' in html
    assert f'hx-get="/t/{w.slug}/search/everything"' in html
    assert '<label for="find-input"' in html
