"""The activity timeline of the tiers and contact cards: the four types interleaved newest
first, the type filters, "Load more" by keyset, who sees what, and its statement count."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.core.zone import start_of_day
from ct.extensions import db
from ct.models import Document, Event, EventContact, Exchange, Membership, Task
from ct.records.timeline import Cursor, timeline_page
from tests.exchange_data import (
    BASE,
    RESTRICTED_EMAIL,
    add,
    world,  # noqa: F401 — fixture
)
from tests.sql_count import counting_queries

pytestmark = pytest.mark.usefixtures("english_messages")

ENTRY = re.compile(r'<li class="tl-entry tl-(\w+)">.*?<h3 class="tl-title"><a href="([^"]+)"[^>]*>'
                   r'([^<]*)</a>', re.S)


def entries(html: str) -> list[tuple[str, str]]:
    """(type, title) of each entry shown, in order."""
    return [(kind, title) for kind, _href, title in ENTRY.findall(html)]


def links(html: str) -> list[str]:
    """The link of each entry shown, in order."""
    return [href for _kind, href, _title in ENTRY.findall(html)]


def add_event(w, title, minutes=0, tiers_id=None, contact_id=None, tenant_id=None, **fields):
    with w.app.app_context(), bound_tenant(tenant_id or w.tenant_id):
        starts = BASE + timedelta(minutes=minutes)
        event = Event(title=title, starts_at=starts, ends_at=starts + timedelta(hours=1),
                      tiers_id=tiers_id, **fields)
        db.session.add(event)
        db.session.flush()
        if contact_id:
            db.session.add(EventContact(event_id=event.id, contact_id=contact_id))
        db.session.commit()
        return event.id


def add_task(w, exchange_id, label, **fields):
    with w.app.app_context(), bound_tenant(w.tenant_id):
        task = Task(label=label, **fields)
        db.session.add(task)
        db.session.flush()
        exchange = db.session.scalar(select(Exchange).where(Exchange.id == exchange_id))
        exchange.task_id = task.id
        db.session.commit()
        return task.id


def set_document_date(w, day: date):
    with w.app.app_context(), bound_tenant(w.tenant_id):
        document = db.session.scalar(select(Document).where(Document.id == w.document_id))
        document.date, document.description = day, "Devis chaudière"
        db.session.commit()


@pytest.fixture
def dupont(world):  # noqa: F811
    """Dupont's activity: the quote DEV-001 the day before, EX1 (with its task), the
    visit, EX2 — and a secret of company B that must never show."""
    w = world
    set_document_date(w, BASE.date() - timedelta(days=1))
    first = add(w, w.tiers["dupont"], w.admin_id, minutes=10, comment="EX1 appel",
                contacts=[w.contacts["jeanne"]])
    add_task(w, first, "Rappeler Jeanne", due_date=BASE.date() + timedelta(days=3),
             assignee_id=w.member_id)
    add_event(w, "Visite atelier", minutes=20, tiers_id=w.tiers["dupont"],
              contact_id=w.contacts["jeanne"])
    add(w, w.tiers["dupont"], w.admin_id, minutes=30, comment="EX2 relance", status="todo")
    add(w, w.tiers["martin"], w.admin_id, minutes=40, comment="EX3 Martin only")
    add(w, w.tiers["martin"], w.admin_id, minutes=-30, comment="EX4 Martin with Paul",
        contacts=[w.contacts["paul"]])
    add_event(w, "B visit", minutes=50, tiers_id=w.b["dupont"], tenant_id=w.b_tenant_id)
    return w


def card(client, w, query="", tiers=None):
    return client.get(f"/t/{w.slug}/tiers/{tiers or w.tiers['dupont']}{query}")


def test_the_card_opens_on_the_four_types_interleaved_newest_first(client, auth, dupont):
    w = dupont
    auth.login("alice@alpha.fr")
    response = card(client, w)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="tiers-tab-timeline"' in html and 'id="tiers-details"' in html
    # An exchange, then the task it set (same moment); Martin's exchange with Dupont's
    # contact Paul is in Dupont's history too, and says whose it is.
    assert [kind for kind, _ in entries(html)] == ["exchange", "event", "exchange", "task",
                                                   "exchange", "document"]
    assert '<span class="tl-tiers">Martin &amp; Fils</span>' in html
    assert html.count('class="tl-tiers"') == 1
    assert entries(html)[1] == ("event", "Visite atelier")
    assert entries(html)[3] == ("task", "Rappeler Jeanne")
    assert entries(html)[5] == ("document", "DEV-001")
    for shown in ("EX2 relance", "EX1 appel", "Jeanne Dupont", "Devis chaudière",
                  "Assigned to Member Alpha"):
        assert shown in html, shown
    # Another tiers' exchange and company B's event are not Dupont's.
    assert "EX3" not in html and "B visit" not in html
    # Each entry names its type in words, not by colour alone.
    assert '<span class="tl-type">Exchange</span>' in html
    assert '<span class="tl-type">Task</span>' in html


def test_the_contact_card_shows_the_contacts_own_activity(client, auth, dupont):
    w = dupont
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{w.slug}/contacts/{w.contacts['jeanne']}").get_data(as_text=True)
    assert [kind for kind, _ in entries(html)] == ["event", "exchange", "task"]
    assert "EX2" not in html.split('id="timeline"')[1].split("</section>")[0]


@pytest.mark.parametrize("query, kinds", [
    ("?type=event", ["event"]),
    ("?type=exchange&type=document", ["exchange", "exchange", "exchange", "document"]),
    ("?type=bogus", ["exchange", "event", "exchange", "task", "exchange", "document"]),
    ("?type=task&type=x" + "y" * 500, ["task"]),
])
def test_type_filters(client, htmx, auth, dupont, query, kinds):
    w = dupont
    auth.login("alice@alpha.fr")
    for who, url in ((client, f"/t/{w.slug}/tiers/{w.tiers['dupont']}{query}"),
                     (htmx, f"/t/{w.slug}/tiers/{w.tiers['dupont']}/timeline{query}")):
        if who is htmx:
            auth.__class__(htmx).login("alice@alpha.fr")
        response = who.get(url)
        assert response.status_code == 200
        assert [kind for kind, _ in entries(response.get_data(as_text=True))] == kinds


def test_load_more_pages_through_everything_once_even_at_equal_moments(app, dupont):
    """Many entries at the same instant (and a document whose day starts then): pages
    of 3 give every entry exactly once, in order."""
    w = dupont
    with app.app_context():
        midnight = start_of_day(BASE.date()) - BASE  # a document of BASE's day sorts here
    at = int(midnight.total_seconds() // 60)
    for i in range(7):
        x = add(w, w.tiers["dupont"], w.admin_id, minutes=at, comment=f"same {i}")
        if i % 2:
            add_task(w, x, f"task {i}")
        add_event(w, f"same event {i}", minutes=at, tiers_id=w.tiers["dupont"])
    with app.test_request_context(), bound_tenant(w.tenant_id):
        with db.session.begin_nested():
            for i in range(3):
                db.session.add(Document(kind_id=db.session.scalar(select(Document.kind_id)),
                                        reference=f"SAME-{i}", tiers_id=w.tiers["dupont"],
                                        date=BASE.date()))
        admin = db.session.scalar(select(Membership).where(Membership.id == w.admin_id))
        everything = timeline_page("tiers", w.tiers["dupont"], admin, per_page=500).entries
        seen, cursor = [], None
        for _ in range(100):
            page = timeline_page("tiers", w.tiers["dupont"], admin, cursor=cursor, per_page=3)
            seen += page.entries
            if page.next_cursor is None:
                break
            cursor = Cursor.parse(page.next_cursor)
        db.session.rollback()
    keys = [(e.kind, e.id) for e in seen]
    assert len(keys) == len(set(keys)) == len(everything) == 6 + 7 + 3 + 7 + 3
    assert keys == [(e.kind, e.id) for e in everything]
    moments = [e.moment for e in seen]
    assert moments == sorted(moments, reverse=True)


def test_load_more_appends_the_following_entries(client, htmx, auth, dupont):
    w = dupont
    for i in range(25):
        add(w, w.tiers["dupont"], w.admin_id, minutes=-100 - i, comment=f"old {i}")
    auth.login("alice@alpha.fr")
    html = card(client, w).get_data(as_text=True)
    first = links(html)
    assert len(first) == 20
    more = re.search(r'class="tl-more">\s*<a href="([^"]+)"[^>]*\s+hx-get="([^"]+)"', html)
    page_url, fragment_url = (m.replace("&amp;", "&") for m in more.groups())
    assert "/timeline?before=" in fragment_url and "/timeline" not in page_url
    auth.__class__(htmx).login("alice@alpha.fr")
    rest = htmx.get(fragment_url).get_data(as_text=True)
    assert not rest.lstrip().startswith("<section")  # only entries, to append
    assert len(links(rest)) == 31 - 20 and 'class="tl-more"' not in rest
    assert not set(links(rest)) & set(first)
    assert rest.count("autofocus") == 1 and "autofocus" not in html
    # Without JavaScript the link opens the card at the same place.
    assert links(client.get(page_url).get_data(as_text=True)) == links(rest)


@pytest.mark.parametrize("cursor", ["x", "1.2", "1.9.3", "999999999999999999.1.1",
                                    "-99999999999999999.1.1", "1.1." + "9" * 30, "%00"])
def test_a_bad_cursor_is_a_clear_400_on_the_fragment_and_ignored_on_the_card(
        client, htmx, auth, dupont, cursor):
    w = dupont
    auth.__class__(htmx).login("alice@alpha.fr")
    response = htmx.get(f"/t/{w.slug}/tiers/{w.tiers['dupont']}/timeline?before={cursor}")
    assert response.status_code == 400
    if cursor != "%00":  # refused before any route (ct/web/security.py)
        assert "“Load more” link is not valid" in response.get_data(as_text=True)
    auth.login("alice@alpha.fr")
    assert card(client, w, f"?before={cursor}").status_code == (400 if cursor == "%00" else 200)


def test_confidential_comments_and_unseen_exchanges_stay_hidden(client, auth, dupont):
    w = dupont
    add(w, w.tiers["dupont"], w.admin_id, minutes=60, comment="EX9 public part",
        confidential_comment="EX9 SECRET part", confidential_group_id=w.group_id)
    mine = add(w, w.tiers["dupont"], w.restricted_id, minutes=70, comment="EX10 rita's")
    add_task(w, mine, "Rita's task")
    for email in ("alice@alpha.fr", "bob@alpha.fr", RESTRICTED_EMAIL):
        client.get("/logout")
        auth.login(email)
        html = card(client, w).get_data(as_text=True)
        assert "SECRET" not in html, email
        if email == RESTRICTED_EMAIL:  # reads only their own exchanges, and their tasks
            assert "EX9" not in html and "EX1 appel" not in html and "Rappeler Jeanne" not in html
            assert "EX10 rita&#39;s" in html and "Rita&#39;s task" in html
        else:
            assert "EX9 public part" in html


def test_another_companys_record_is_a_404(client, htmx, auth, dupont):
    w = dupont
    auth.login("alice@alpha.fr")
    auth.__class__(htmx).login("alice@alpha.fr")
    for path in (f"tiers/{w.b['dupont']}", f"tiers/{w.b['dupont']}/timeline",
                 f"contacts/{w.b['jeanne']}", f"contacts/{w.b['jeanne']}/timeline"):
        assert client.get(f"/t/{w.slug}/{path}").status_code == 404, path
        assert htmx.get(f"/t/{w.slug}/{path}?type=event").status_code == 404, path
    # And company B's own card never shows A's activity, nor A's its.
    html = card(client, w).get_data(as_text=True)
    assert "Secret de Beta" not in html and "B visit" not in html


def test_empty_state(client, auth, world):  # noqa: F811
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{world.slug}/tiers/{world.tiers['martin']}").get_data(as_text=True)
    assert "No activity yet." in html and 'id="timeline-empty"' in html
    assert html.count("data-new-exchange") == 1


def test_a_page_costs_the_same_few_statements_whatever_the_history(app, htmx, auth, dupont):
    """Statements of a timeline page (after the one that reads who and where): the
    union of the four types, the contacts of its exchanges; tasks, events and
    documents ride along whatever their number."""
    w = dupont
    auth.__class__(htmx).login("alice@alpha.fr")
    url = f"/t/{w.slug}/tiers/{w.tiers['dupont']}/timeline"

    def measure():
        first = htmx.get(url)  # warm the caches (members' names, lists)
        assert first.status_code == 200
        with counting_queries(app) as statements:
            page = htmx.get(url).get_data(as_text=True)
        cursor = re.search(r'hx-get="[^"]+before=([^"&]+)"', page)
        with counting_queries(app) as more:
            assert htmx.get(f"{url}?before={cursor.group(1)}").status_code == 200
        return len(statements), len(more)

    for i in range(25):
        add(w, w.tiers["dupont"], w.admin_id, minutes=-10 - i, contacts=[w.contacts["paul"]])
    small = measure()
    for i in range(120):
        x = add(w, w.tiers["dupont"], w.admin_id, minutes=-200 - i,
                contacts=[w.contacts["paul"], w.contacts["jeanne"]])
        add_task(w, x, f"task {i}")
        add_event(w, f"event {i}", minutes=-300 - i, tiers_id=w.tiers["dupont"])
    large = measure()
    assert small == large
    # who/where (+ set_config on PostgreSQL), the tiers, the union, the contacts
    assert max(large) <= 5, large
