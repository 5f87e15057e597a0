"""Third parties: the card and its tabs, close and reopen, delete, other tenants' ids."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Choice, Contact, Document, Event, Project, Tiers
from tests.sql_count import counting_queries
from tests.test_tiers import add_tiers, tiers_named

TABS = ("contacts", "exchanges", "agenda", "documents", "projects")


def link_records(app, tenant_id: int, tiers_id: int, contacts=1, documents=1, projects=1,
                 events=1) -> None:
    now = datetime.now(UTC)
    with app.app_context(), bound_tenant(tenant_id):
        kind = db.session.scalar(select(Choice).where(Choice.kind == "document",
                                                      Choice.code == "quote"))
        for i in range(contacts):
            db.session.add(Contact(first_name="Jeanne", last_name=f"Contact {i:02d}",
                                   tiers_id=tiers_id, email=f"j{i}@example.fr"))
        for i in range(documents):
            db.session.add(Document(kind_id=kind.id, reference=f"DEV-{tiers_id}-{i}",
                                    tiers_id=tiers_id, date=date(2024, 1, 1) + timedelta(i),
                                    amount=Decimal("1234.50")))
        for i in range(projects):
            db.session.add(Project(reference=f"P-{tiers_id}-{i}", title=f"Project {i}",
                                   tiers_id=tiers_id))
        for i in range(events):
            start = now + timedelta(days=1 + i) if i % 2 == 0 else now - timedelta(days=i)
            db.session.add(Event(title=f"Event {i}", starts_at=start,
                                 ends_at=start + timedelta(hours=1), tiers_id=tiers_id))
        db.session.commit()


@pytest.fixture
def base(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    client.post("/language", data={"language": "en"})  # the assertions read English
    return f"/t/{tenants.a.slug}/tiers"


def test_card_shows_every_field_and_counts(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Garage Martin", is_customer=True, is_supplier=True,
                         customer_code="C-042", email="a@martin.fr", phone="02 98 00 00 00",
                         website="https://martin.fr", street="1 rue Haute", postcode="29000",
                         town="Quimper", country="France", notes="Call <b>mornings</b>",
                         sales_rep_id=tenants.a.member_membership_id)
    link_records(app, tenants.a.id, tiers_id, contacts=2, documents=3, projects=1, events=2)
    body = client.get(f"{base}/{tiers_id}").get_data(as_text=True)
    for text in ("Garage Martin", "<mark>Customer</mark>", "<mark>Supplier</mark>", "C-042",
                 'href="mailto:a@martin.fr"', 'href="tel:0298000000"',
                 'href="https://martin.fr" rel="noopener noreferrer"', "1 rue Haute",
                 "29000 Quimper", "France", "Member Alpha Conseil",
                 "Call &lt;b&gt;mornings&lt;/b&gt;", "Contacts (2)", "Documents (3)",
                 "Projects (1)", "Agenda (2)", 'role="tablist"', 'role="tabpanel"',
                 'aria-selected="true"'):
        assert text in body, text


def test_a_website_that_is_not_a_web_address_is_no_link(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Imported", website="javascript:alert(1)")
    body = client.get(f"{base}/{tiers_id}").get_data(as_text=True)
    assert 'href="javascript:' not in body and "javascript:alert(1)" in body


@pytest.mark.parametrize("tab", TABS)
def test_each_tab_is_a_page_and_a_fragment(app, client, htmx, tenants, base, tab):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    tiers_id = add_tiers(app, tenants.a.id, "Tabbed")
    link_records(app, tenants.a.id, tiers_id)
    page = client.get(f"{base}/{tiers_id}/{tab}")
    fragment = htmx.get(f"{base}/{tiers_id}/{tab}")
    assert page.status_code == fragment.status_code == 200
    assert b"<html" in page.data and b"<html" not in fragment.data
    assert b'id="tiers-tabs"' in fragment.data
    selected = re.search(r'id="tiers-tab-(\w+)"[^>]*aria-selected="true"', fragment.get_data(
        as_text=True))
    assert selected.group(1) == tab


def test_tabs_list_the_linked_records(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Linked")
    other_id = add_tiers(app, tenants.a.id, "Other")
    link_records(app, tenants.a.id, tiers_id, contacts=2, documents=2, projects=2, events=4)
    link_records(app, tenants.a.id, other_id)
    contacts = client.get(f"{base}/{tiers_id}/contacts").get_data(as_text=True)
    assert contacts.count("Jeanne Contact") == 2
    documents = client.get(f"{base}/{tiers_id}/documents").get_data(as_text=True)
    assert f"DEV-{tiers_id}-0" in documents and f"DEV-{other_id}-0" not in documents
    assert "Quote" in documents and "1,234.50" in documents
    # The latest document first.
    assert documents.index(f"DEV-{tiers_id}-1") < documents.index(f"DEV-{tiers_id}-0")
    projects = client.get(f"{base}/{tiers_id}/projects").get_data(as_text=True)
    assert f"P-{tiers_id}-0" in projects and f"P-{other_id}-0" not in projects
    agenda = client.get(f"{base}/{tiers_id}/agenda").get_data(as_text=True)
    upcoming, past = agenda.split('id="tiers-past-events"')
    # Events 0 and 2 are ahead (soonest first); 1 and 3 are behind (latest first).
    assert upcoming.index("Event 0") < upcoming.index("Event 2") and "Event 1" not in upcoming
    assert past.index("Event 1") < past.index("Event 3")
    exchanges = client.get(f"{base}/{tiers_id}/exchanges").get_data(as_text=True)
    assert 'id="tiers-exchanges"' in exchanges and "/exchanges/history?tiers=" in exchanges


def _follow(client, url: str, pattern: str, link_text: str) -> list[str]:
    """Every match of ``pattern`` over the pages of a tab, following ``link_text`` links."""
    seen: list[str] = []
    while url:
        body = client.get(url).get_data(as_text=True)
        seen += re.findall(pattern, body)
        link = re.search(rf'<a href="([^"]+)"[^>]*>{link_text}</a>', body)
        url = link.group(1).replace("&amp;", "&") if link else None
    return seen


def test_tab_pages_follow_the_cursor(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Crowded")
    link_records(app, tenants.a.id, tiers_id, contacts=30, documents=30, projects=30,
                 events=60)
    contacts = _follow(client, f"{base}/{tiers_id}/contacts", r"Contact (\d\d)", "Next page")
    assert contacts == [f"{i:02d}" for i in range(30)]
    documents = _follow(client, f"{base}/{tiers_id}/documents", rf"DEV-{tiers_id}-(\d+)",
                        "Next page")
    assert documents == [str(i) for i in range(29, -1, -1)]  # by date, latest first
    projects = _follow(client, f"{base}/{tiers_id}/projects", rf"P-{tiers_id}-(\d+)",
                       "Next page")
    assert sorted(projects) == sorted(str(i) for i in range(30))
    upcoming = _follow(client, f"{base}/{tiers_id}/agenda", r"Event (\d+)</", "Later events")
    assert [int(n) for n in upcoming if int(n) % 2 == 0][:30] == list(range(0, 60, 2))
    for tab in ("contacts", "documents", "projects", "agenda"):
        tampered = client.get(f"{base}/{tiers_id}/{tab}?after=WzEsMl0&past_after=x")
        assert tampered.status_code == 200, tab


def test_card_queries_do_not_grow_with_records(app, client, tenants, base):
    few = add_tiers(app, tenants.a.id, "Few")
    many = add_tiers(app, tenants.a.id, "Many")
    link_records(app, tenants.a.id, few, contacts=2, documents=2, projects=2, events=2)
    link_records(app, tenants.a.id, many, contacts=30, documents=30, projects=30, events=30)
    for tab in TABS:
        client.get(f"{base}/{few}/{tab}")
        with counting_queries(app) as a:
            client.get(f"{base}/{few}/{tab}")
        with counting_queries(app) as b:
            client.get(f"{base}/{many}/{tab}")
        assert len(a) == len(b), tab


def test_close_and_reopen(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Toggled")
    response = client.post(f"{base}/{tiers_id}/close")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"{base}/{tiers_id}")
    assert not tiers_named(app, tenants.a.id, "Toggled")[0].active
    card = client.get(f"{base}/{tiers_id}").get_data(as_text=True)
    assert "flash-success" in card and 'id="reopen-tiers"' in card
    client.post(f"{base}/{tiers_id}/reopen")
    assert tiers_named(app, tenants.a.id, "Toggled")[0].active


def test_close_needs_a_post(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Safe")
    assert client.get(f"{base}/{tiers_id}/close").status_code == 405
    assert tiers_named(app, tenants.a.id, "Safe")[0].active


def test_delete_asks_then_deletes(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Doomed")
    confirm = client.get(f"{base}/{tiers_id}/delete").get_data(as_text=True)
    assert "The third party “Doomed”" in confirm and "moved to the trash for 30 days" in confirm
    assert 'method="post"' in confirm and 'id="confirm-delete"' in confirm
    assert tiers_named(app, tenants.a.id, "Doomed")  # asking deletes nothing
    response = client.post(f"{base}/{tiers_id}/delete")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{base}/")
    assert tiers_named(app, tenants.a.id, "Doomed") == []
    assert client.get(f"{base}/{tiers_id}").status_code == 404


def test_delete_is_refused_with_linked_records(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Busy")
    link_records(app, tenants.a.id, tiers_id, contacts=2, documents=1, projects=3, events=1)
    page = client.get(f"{base}/{tiers_id}/delete").get_data(as_text=True)
    for text in ("cannot be deleted", "2 contacts", "1 document", "3 projects",
                 "1 agenda event"):
        assert text in page, text
    assert 'id="confirm-delete"' not in page
    response = client.post(f"{base}/{tiers_id}/delete")
    assert response.status_code == 409 and b"cannot be deleted" in response.data
    assert tiers_named(app, tenants.a.id, "Busy")


@pytest.mark.parametrize("kind", ["contacts", "documents", "projects", "events"])
def test_any_single_kind_of_link_blocks_delete(app, client, tenants, base, kind):
    tiers_id = add_tiers(app, tenants.a.id, "Linked once")
    counts = dict.fromkeys(("contacts", "documents", "projects", "events"), 0) | {kind: 1}
    link_records(app, tenants.a.id, tiers_id, **counts)
    assert client.post(f"{base}/{tiers_id}/delete").status_code == 409
    assert tiers_named(app, tenants.a.id, "Linked once")


def test_linked_records_of_another_tiers_do_not_block(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Free")
    link_records(app, tenants.a.id, add_tiers(app, tenants.a.id, "Neighbour"))
    assert client.post(f"{base}/{tiers_id}/delete").status_code == 303


OWN_ROUTES = [("get", ""), ("get", "/edit"), ("post", "/edit"), ("post", "/close"),
              ("post", "/reopen"), ("get", "/delete"), ("post", "/delete")] + [
              ("get", f"/{tab}") for tab in TABS]


@pytest.mark.parametrize("method, suffix", OWN_ROUTES)
def test_another_tenants_tiers_is_not_found(app, client, tenants, base, method, suffix):
    theirs = add_tiers(app, tenants.b.id, "Theirs")
    link_records(app, tenants.b.id, theirs)
    response = getattr(client, method)(f"{base}/{theirs}{suffix}", data={"name": "Stolen"})
    assert response.status_code == 404
    with app.app_context(), bound_tenant(tenants.b.id):
        tiers = db.session.scalar(select(Tiers).where(Tiers.id == theirs))
        assert tiers.name == "Theirs" and tiers.active


@pytest.mark.parametrize("method, suffix", OWN_ROUTES)
def test_an_unknown_id_is_not_found(client, base, method, suffix):
    assert getattr(client, method)(f"{base}/987654{suffix}").status_code == 404


def test_stranger_to_the_tenant_gets_404(app, client, auth, tenants):
    tiers_id = add_tiers(app, tenants.a.id, "Private")
    auth.login(tenants.b.admin_email)
    for url in ("/", "/new", f"/{tiers_id}", f"/{tiers_id}/contacts"):
        assert client.get(f"/t/{tenants.a.slug}/tiers{url}").status_code == 404, url


def test_deleting_leaves_the_other_tenant_alone(app, client, tenants, base):
    add_tiers(app, tenants.b.id, "Theirs")
    client.post(f"{base}/{add_tiers(app, tenants.a.id, 'Ours')}/delete")
    with app.app_context(), bound_tenant(tenants.b.id):
        assert db.session.scalar(select(func.count(Tiers.id))) == 1


def test_tabs_link_to_the_cards_of_the_records(app, client, tenants, base):
    tiers_id = add_tiers(app, tenants.a.id, "Connected")
    link_records(app, tenants.a.id, tiers_id)
    with app.app_context(), bound_tenant(tenants.a.id):
        ids = {model: db.session.scalar(select(model.id)) for model in
               (Contact, Document, Project, Event)}
    contacts = client.get(f"{base}/{tiers_id}/contacts").get_data(as_text=True)
    # "Add a contact" opens the contact form with this third party chosen.
    assert f'href="/t/{tenants.a.slug}/contacts/new?tiers={tiers_id}"' in contacts
    new_contact = client.get(f"/t/{tenants.a.slug}/contacts/new?tiers={tiers_id}")
    assert new_contact.status_code == 200
    links = {
        "contacts": f"/contacts/{ids[Contact]}", "documents": f"/documents/{ids[Document]}",
        "projects": f"/projects/{ids[Project]}", "agenda": f"/agenda/{ids[Event]}",
    }
    for tab, path in links.items():
        body = client.get(f"{base}/{tiers_id}/{tab}").get_data(as_text=True)
        assert f'href="/t/{tenants.a.slug}{path}"' in body, tab
        assert client.get(f"/t/{tenants.a.slug}{path}").status_code == 200, tab


@pytest.mark.parametrize("digits", [11, 23, 10_000])
def test_huge_ids_in_urls_are_not_found(client, base, digits):
    huge = "9" * digits
    for suffix in ("", "/edit", "/delete", "/contacts", "/agenda"):
        assert client.get(f"{base}/{huge}{suffix}").status_code == 404, suffix
    assert client.post(f"{base}/{huge}/close").status_code == 404


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_tiers_page_renders_without_inline_code(app, client, tenants, base, language):
    client.post("/language", data={"language": language})
    busy = add_tiers(app, tenants.a.id, "Busy", is_customer=True, website="https://x.fr")
    link_records(app, tenants.a.id, busy)
    free = add_tiers(app, tenants.a.id, "Free", active=False)
    urls = ["/", "/?status=all&sort=town&dir=desc", "/new", f"/{busy}/edit",
            f"/{busy}/delete", f"/{free}/delete", f"/{free}"] + [f"/{busy}/{t}" for t in TABS]
    for url in urls:
        response = client.get(base + url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert f'lang="{language}"' in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle\s*=", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "hx-on" not in html, url
