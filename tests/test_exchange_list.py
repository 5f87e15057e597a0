"""All exchanges: rights, filters, sorting, keyset pages, escaping, bounded queries."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import url_for

from ct import create_app
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Choice, Membership, TenantSettings
from ct.web.current import tenant_blueprint
from tests.exchange_data import (
    RESTRICTED_EMAIL,
    add,
    add_many,
    in_english,
    tokens,
    world,  # noqa: F401 — fixture
)
from tests.sql_count import counting_queries


def url(w, query=""):
    return f"/t/{w.slug}/exchanges/{query}"


@pytest.fixture
def three(world):  # noqa: F811
    """EX1 (Dupont, phone, closed, 10 March), EX2 (Martin, email, to do, 15 March),
    EX3 (Dupont, meeting, in progress, 20 March; authored by the member, made by the admin)."""
    w = world
    w.ids = [
        add(w, w.tiers["dupont"], w.admin_id, contacts=[w.contacts["jeanne"]],
            mode_id=w.modes["phone"], object_id=w.objects["quote"], comment="EX1 rappel devis"),
        add(w, w.tiers["martin"], w.member_id, minutes=5 * 1440,
            contacts=[w.contacts["luc"]], mode_id=w.modes["email"],
            object_id=w.objects["unpaid"], status="todo", comment="EX2 relance FACTURE"),
        add(w, w.tiers["dupont"], w.member_id, made_by_id=w.admin_id, minutes=10 * 1440,
            contacts=[w.contacts["paul"]], mode_id=w.modes["meeting"],
            object_id=w.objects["after_sales"], status="in_progress",
            comment="EX3 visite SAV Éléonore"),
    ]
    return w


def test_rows_show_every_column_and_a_worded_status(client, auth, three):
    auth.login("alice@alpha.fr")
    response = client.get(url(three))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert tokens(html) == {"EX1", "EX2", "EX3"}
    for shown in ("Dupont SARL", "Jeanne Dupont", "Luc Martin", "Téléphone", "Devis",
                  "Relance impayé", "Admin Alpha Conseil", "10/03/2026"):
        assert shown in html, shown
    # Icon and words, never a colour alone (a writer gets them in each row's status menu).
    assert '<option value="todo" selected>! À traiter</option>' in html
    assert "Clôturé" in html and "En cours" in html
    assert 'data-select-all' in html and 'name="ids"' in html
    assert "/exchanges/export.csv" in html


def test_rows_keep_the_names_of_retired_modes_objects_and_members(app, client, auth, three):
    """Rows name their mode, object and member from the tenant's lists: a retired mode
    or object and a member who left still show by name, in the list and its export."""
    with app.app_context(), bound_tenant(three.tenant_id):
        for choice_id in (three.modes["phone"], three.objects["quote"]):
            db.session.get(Choice, choice_id).active = False
        db.session.get(Membership, three.member_id).active = False
        db.session.commit()
    auth.login("alice@alpha.fr")
    for page in (url(three), url(three, "export.csv")):
        text = client.get(page).get_data(as_text=True)
        for shown in ("Téléphone", "Devis", "Admin Alpha Conseil", "Member Alpha Conseil"):
            assert shown in text, (page, shown)


@pytest.mark.parametrize("query, expected", [
    ("tiers={dupont}", {"EX1", "EX3"}),
    ("contact={jeanne}", {"EX1"}),
    ("member={admin}", {"EX1", "EX3"}),  # authored EX1, made EX3
    ("member={member}", {"EX2", "EX3"}),
    ("mode={phone}", {"EX1"}),
    ("object={unpaid}", {"EX2"}),
    ("status=in_progress", {"EX3"}),
    ("date_from=2026-03-15", {"EX2", "EX3"}),
    ("date_to=2026-03-15", {"EX1", "EX2"}),
    ("q=eleonore", {"EX3"}),  # accents and case folded
    ("q=facture", {"EX2"}),
    ("q=100%25", set()),  # LIKE wildcards are plain characters
    ("tiers={dupont}&member={member}", {"EX3"}),
    ("status=closed&mode={phone}&date_to=2026-03-12&q=devis", {"EX1"}),
    ("date_from=2026-03-11&date_to=2026-03-19", {"EX2"}),
])
def test_filters_alone_and_combined(client, auth, three, query, expected):
    w = three
    names = {"dupont": w.tiers["dupont"], "jeanne": w.contacts["jeanne"], "admin": w.admin_id,
             "member": w.member_id, "phone": w.modes["phone"], "unpaid": w.objects["unpaid"]}
    auth.login("alice@alpha.fr")
    response = client.get(url(w, "?" + query.format(**names)))
    assert response.status_code == 200
    assert tokens(response.get_data(as_text=True)) == expected


def test_tiers_and_contact_filters_show_their_names(client, auth, three):
    auth.login("alice@alpha.fr")
    html = client.get(url(three, f"?tiers={three.tiers['martin']}")).get_data(as_text=True)
    assert 'id="tiers-name" type="text" value="Martin &amp; Fils" readonly' in html
    html = client.get(url(three, f"?contact={three.contacts['paul']}")).get_data(as_text=True)
    assert 'value="Paul Durand" readonly' in html


def test_date_range_is_read_in_paris_time(client, auth, world):  # noqa: F811
    # 23:30 UTC on 15 March is already 16 March in Paris.
    add(world, world.tiers["dupont"], world.admin_id, comment="EX9 late",
        minutes=int((datetime(2026, 3, 15, 23, 30, tzinfo=UTC) - datetime(
            2026, 3, 10, 9, 0, tzinfo=UTC)).total_seconds() // 60))
    auth.login("alice@alpha.fr")
    assert tokens(client.get(url(world, "?date_to=2026-03-15")).get_data(as_text=True)) == set()
    assert tokens(client.get(url(world, "?date_from=2026-03-16&date_to=2026-03-16"))
                  .get_data(as_text=True)) == {"EX9"}


@pytest.mark.parametrize("query, message", [
    ("tiers={b_tiers}", "Choose an existing third party."),
    ("contact={b_contact}", "Choose an existing contact."),
    ("tiers=abc", "Choose an existing third party."),
    ("tiers=99999999999999999999", "Choose an existing third party."),
    ("mode={b_mode}", "Choose a contact mode from the list."),
    ("object=12abc", "Choose an object from the list."),
    ("member={b_member}", "Choose a member from the list."),
    ("status=lost", "Choose a status from the list."),
    ("date_from=2026-03-20&date_to=2026-03-01", "The end date must be on or after"),
    ("date_from=0001-01-01", "Enter a date between 1900 and 2200."),
    ("date_to=31/12/2026", "Not a valid date value."),
    ("q=" + "x" * 10000, "At most 100 characters."),
])
def test_bad_filters_say_what_is_wrong(client, htmx, auth, three, query, message):
    w = three
    query = "?" + query.format(b_tiers=w.b["dupont"], b_contact=w.b["jeanne"],
                               b_mode=w.b["mode"], b_member=w.b["member"])
    auth.login("alice@alpha.fr")
    in_english(client)
    response = client.get(url(w, query))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert tokens(html) == set()  # nothing listed on a filter we could not apply
    assert message in html.split('id="exchange-results"')[0]  # next to the field
    assert message in html.split('id="exchange-results"')[1]  # and in the results area
    htmx.post("/login", data={"email": "alice@alpha.fr", "password": "correct horse battery"})
    fragment = htmx.get(url(w, query))
    assert fragment.status_code == 422 and b'class="filter-errors"' in fragment.data


def test_read_own_member_sees_exactly_their_exchanges(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.restricted_id, comment="EX1 authored")
    add(w, w.tiers["dupont"], w.admin_id, made_by_id=w.restricted_id,
        comment="EX2 made")
    add(w, w.tiers["martin"], w.admin_id, collaborators=[w.restricted_id],
        comment="EX3 collaborates")
    add(w, w.tiers["martin"], w.admin_id, comment="EX4 not theirs")
    auth.login(RESTRICTED_EMAIL)
    assert tokens(client.get(url(w)).get_data(as_text=True)) == {"EX1", "EX2", "EX3"}
    assert tokens(client.get(url(w, "?q=theirs")).get_data(as_text=True)) == set()
    auth.logout()
    auth.login("arthur@alpha.fr")  # "read all" in the member preset
    assert tokens(client.get(url(w)).get_data(as_text=True)) == {"EX1", "EX2", "EX3", "EX4"}


def test_confidential_comment_is_never_listed(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="EX1 public",
        confidential_comment="TOPSECRET marge 40%", confidential_group_id=w.group_id)
    for email in ("alice@alpha.fr", "arthur@alpha.fr"):  # the author, a group member
        auth.login(email)
        html = client.get(url(w)).get_data(as_text=True)
        assert "EX1" in html and "TOPSECRET" not in html
        assert tokens(client.get(url(w, "?q=topsecret")).get_data(as_text=True)) == set()
        auth.logout()


def test_payloads_are_escaped(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id,
        comment='EX1 <script>alert("x")</script><img src=x onerror=alert(1)>')
    auth.login("alice@alpha.fr")
    html = client.get(url(w)).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_long_comments_are_shortened_when_the_tenant_wants(client, auth, world):  # noqa: F811
    w = world
    long = "EX1 " + "mot " * 60
    add(w, w.tiers["dupont"], w.admin_id, comment=long.strip())
    auth.login("alice@alpha.fr")
    assert '<details class="comment"' not in client.get(url(w)).get_data(as_text=True)
    with w.app.app_context(), bound_tenant(w.tenant_id):
        db.session.add(TenantSettings(shorten_descriptions=True, shorten_length=30))
        db.session.commit()
    html = client.get(url(w)).get_data(as_text=True)
    shown = html.split('<details class="comment">')[1]
    summary = shown.split("<summary>")[1].split("</summary>")[0]
    assert summary.endswith("…") and len(summary) <= 30
    assert long.strip() in shown.split("</summary>")[1]  # the full text one click away


def test_sort_and_keyset_pages(client, auth, world):  # noqa: F811
    w = world
    add_many(w, w.tiers["dupont"], w.admin_id, 120)
    auth.login("alice@alpha.fr")
    first = client.get(url(w)).get_data(as_text=True)
    newest = [f"Appel {i}" for i in range(119, 69, -1)]
    assert first.count("Appel ") == 50 and f"{newest[0]}<" in first
    cursor = first.split("cursor=")[1].split('"')[0]
    second = client.get(url(w, f"?cursor={cursor}")).get_data(as_text=True)
    assert "Appel 69<" in second and "Appel 70<" not in second and "Appel 20<" in second
    oldest = client.get(url(w, "?sort=date_asc")).get_data(as_text=True)
    assert "Appel 0<" in oldest and "Appel 50<" not in oldest
    # A tampered or forged cursor gives the first page, never an error.
    for bad in ("garbage!!", "WyJ4IiwgMV0", "WyIyMDI2LTAxLTAxVDAwOjAwIiwxXQ"):
        again = client.get(url(w, f"?cursor={bad}"))
        assert again.status_code == 200 and "Appel 119<" in again.get_data(as_text=True)


def test_sort_by_status_puts_to_do_first_and_tiers_by_name(client, auth, three):
    auth.login("alice@alpha.fr")
    html = client.get(url(three, "?sort=status")).get_data(as_text=True)
    assert html.index("EX2") < html.index("EX3") < html.index("EX1")
    html = client.get(url(three, "?sort=tiers")).get_data(as_text=True)
    assert html.index("EX1") < html.index("EX3") < html.index("EX2")  # Dupont, then Martin


def test_htmx_gets_the_results_only(htmx, three):
    htmx.post("/login", data={"email": "alice@alpha.fr", "password": "correct horse battery"})
    fragment = htmx.get(url(three, "?status=todo")).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="exchange-results"') and "<html" not in fragment
    assert tokens(fragment) == {"EX2"}


def test_queries_do_not_grow_with_rows(app, client, auth, world):  # noqa: F811
    w = world

    def rows(first, last):
        for i in range(first, last):
            add(w, w.tiers["dupont" if i % 2 else "martin"], w.admin_id,
                made_by_id=w.member_id, contacts=[w.contacts["jeanne"], w.contacts["paul"]],
                mode_id=w.modes["phone"], object_id=w.objects["quote"], minutes=i)

    def queries():
        with counting_queries(app) as statements:
            html = client.get(url(w)).get_data(as_text=True)
        return len(statements), html.count('name="ids"')

    auth.login("alice@alpha.fr")
    rows(0, 5)
    client.get(url(w))  # warm-up: first-request work
    few, shown = queries()
    assert shown == 5
    rows(5, 60)
    many, shown = queries()
    assert shown == 50
    assert many == few <= 10


def test_nav_links_to_the_list_and_another_tenant_gets_404(client, auth, world):  # noqa: F811
    auth.login("alice@alpha.fr")
    home = client.get(f"/t/{world.slug}/").get_data(as_text=True)
    assert f'href="/t/{world.slug}/exchanges/"' in home
    assert client.get(f"/t/{world.b_slug}/exchanges/").status_code == 404


def test_rows_link_to_the_card_only_when_that_page_exists(app, auth, client, three):
    auth.login("alice@alpha.fr")
    if "exchanges.show" not in app.view_functions:
        assert ">Ouvrir<" not in client.get(url(three)).get_data(as_text=True)
        assert ">Open<" not in client.get(url(three)).get_data(as_text=True)
    other = create_app(SimpleNamespace(**app.config))  # routes can't be added once serving
    if "exchanges.show" not in other.view_functions:
        card = tenant_blueprint("exchanges", __name__, "/exchanges")
        card.add_url_rule("/<int:exchange_id>", "show", lambda exchange_id: "card")
        other.register_blueprint(card)
    try:
        browser = other.test_client()
        browser.post("/login", data={"email": "alice@alpha.fr",
                                     "password": "correct horse battery"})
        html = browser.get(url(three)).get_data(as_text=True)
        with other.test_request_context():
            links = {url_for("exchanges.show", slug=three.slug, exchange_id=i)
                     for i in three.ids}
    finally:
        with other.app_context():  # its own engine: close its connections now, not at GC
            db.session.remove()
            db.engine.dispose()
    assert all(f'href="{link}"' in html for link in links)
