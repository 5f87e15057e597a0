"""SQL statements per page view — the document and the fragments it loads as soon as it
is shown (``hx-trigger="load"``), as a browser asks for them: the same number whatever the
size of the company's data, and at most 8 for the whole view, PostgreSQL's set_config
included (the benchmark's target: ``make bench`` reports each page against it too).

The same pages are read twice: once on a small company, once after it grew ten times
(tiers, contacts, exchanges with contacts, collaborators, documents). A page whose
count moves with the data runs a query per row somewhere (an N+1), which a million
exchanges would turn into seconds.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bench.pageviews import load_fragments
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import (
    Choice,
    Contact,
    Document,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    Tiers,
)
from ct.models.choices import KIND_DOCUMENT, KIND_MODE, KIND_OBJECT
from tests.conftest import AuthActions
from tests.sql_count import counting_queries

pytestmark = pytest.mark.usefixtures("english_messages")

MAX_QUERIES = 8
# Saving an exchange with contacts, collaborators, a task and an event writes eight
# tables (one INSERT each), its audit entry, and queues an email: its bound is its own.
MAX_QUERIES_CREATE = 21
BASE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
# Small company: 3 tiers, 2 contacts each, 150 exchanges (three pages of the list).
TIERS, EXCHANGES = 3, 150
GROWTH = 10


def grow(tenant_id: int, tiers: int, exchanges: int, start: int, members: list[int]) -> int:
    """Add ``tiers`` tiers (two contacts and a document each) and ``exchanges`` exchanges
    spread over them (the first tiers gets a third: the big history), with two contacts,
    a collaborator, a mode and an object. Returns the first tiers' id."""
    with bound_tenant(tenant_id):
        modes = [c.id for c in Choice.active_of(KIND_MODE)]
        objects = [c.id for c in Choice.active_of(KIND_OBJECT)]
        kind = db.session.scalar(select(Choice.id).where(Choice.kind == KIND_DOCUMENT))
        new_tiers = [Tiers(name=f"Dupont Négoce {start + i:04d}") for i in range(tiers)]
        db.session.add_all(new_tiers)
        db.session.flush()
        contacts, documents = {}, {}
        for t in new_tiers:
            pair = [Contact(first_name="Jeanne", last_name=f"Dupré {t.id}", tiers_id=t.id),
                    Contact(first_name="Marc", last_name=f"Lefèvre {t.id}", tiers_id=t.id)]
            documents[t.id] = Document(kind_id=kind, reference=f"DEV-{t.id}", tiers_id=t.id,
                                       date=BASE.date())
            db.session.add_all([*pair, documents[t.id]])
            contacts[t.id] = pair
        db.session.flush()
        rows = []
        for i in range(exchanges):
            t = new_tiers[0] if i % 3 == 0 else new_tiers[i % len(new_tiers)]
            author = members[i % len(members)]
            rows.append(Exchange(
                tiers_id=t.id, author_id=author, made_by_id=author,
                occurred_at=BASE + timedelta(hours=start + i), mode_id=modes[i % len(modes)],
                object_id=objects[i % len(objects)], status=("todo", "closed")[i % 2],
                comment=f"Appel {start + i} au sujet du devis", document_id=(
                    documents[t.id].id if i % 10 == 0 else None)))
        db.session.add_all(rows)
        db.session.flush()
        for i, x in enumerate(rows):
            db.session.add_all([ExchangeContact(exchange_id=x.id, contact_id=c.id)
                                for c in contacts[x.tiers_id]])
            if i % 5 == 0:
                db.session.add(ExchangeCollaborator(
                    exchange_id=x.id, membership_id=members[(i + 1) % len(members)]))
        db.session.commit()
        return new_tiers[0].id


def next_link(html: str) -> str | None:
    found = re.search(r'<a rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def deep_page(client, first: str, pages: int = 2) -> str:
    url = first
    for _ in range(pages):
        url = next_link(client.get(url).get_data(as_text=True))
        assert url, "the list has a next page"
    return url


def create_form(tenants, tiers_id: int, contact_ids: list[int], run: int, mode: int,
                obj: int) -> dict:
    today = date.today()
    meeting = datetime.now().replace(second=0, microsecond=0) + timedelta(days=3)
    return {
        "form_token": f"count-{run}", "tiers_id": str(tiers_id),
        "contact_ids": [str(c) for c in contact_ids[:2]],
        "occurred_at": f"{today:%Y-%m-%d}T10:00", "status": "todo",
        "mode_id": str(mode), "object_id": str(obj),
        "comment": "Appel : nouvelle proposition chiffrée.",
        "collaborator_ids": [str(tenants.a.member_membership_id)],
        "notify_collaborators": "y",
        "add_task": "y", "task_label": "Envoyer la proposition",
        "task_assignee_id": str(tenants.a.admin_membership_id),
        "task_due_date": f"{today + timedelta(days=7):%Y-%m-%d}",
        "add_event": "y", "event_title": "Rendez-vous",
        "event_start": meeting.strftime("%Y-%m-%dT%H:%M"),
        "event_end": (meeting + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "event_assignee_ids": [str(tenants.a.admin_membership_id)],
        "event_location": "Besançon", "event_reminder_amount": "1",
        "event_reminder_unit": "hours",
    }


def measure(app, client, htmx, tenants, big_tiers: int, run: int) -> dict[str, list[str]]:
    """The statements of each main page, read as the administrator."""
    slug = tenants.a.slug
    with app.app_context(), bound_tenant(tenants.a.id):
        contacts = list(db.session.scalars(
            select(Contact.id).where(Contact.tiers_id == big_tiers).order_by(Contact.id)))
        mode, obj = (Choice.active_of(kind)[0].id for kind in (KIND_MODE, KIND_OBJECT))
    today = date.today()
    exchanges = f"/t/{slug}/exchanges/"
    filtered = f"{exchanges}?status=todo&date_from=2025-01-01&date_to={today:%Y-%m-%d}"
    deep = deep_page(client, exchanges)
    pages = {  # the save first: both runs then show an event and a task (agenda, tasks)
        "create exchange": (client, "post", f"/t/{slug}/exchanges/new",
                            create_form(tenants, big_tiers, contacts, run, mode, obj)),
        "home": (client, "get", f"/t/{slug}/", None),
        "exchanges: first page": (client, "get", exchanges, None),
        "exchanges: filtered": (client, "get", filtered, None),
        "exchanges: deep page": (client, "get", deep, None),
        "exchanges: sorted by tiers": (client, "get", f"{exchanges}?sort=tiers", None),
        "tiers list": (client, "get", f"/t/{slug}/tiers/", None),
        "tiers card": (client, "get", f"/t/{slug}/tiers/{big_tiers}", None),
        "contacts list": (client, "get", f"/t/{slug}/contacts/", None),
        "contact card": (client, "get", f"/t/{slug}/contacts/{contacts[0]}", None),
        "agenda list": (client, "get", f"/t/{slug}/agenda/", None),
        "agenda week": (client, "get", f"/t/{slug}/agenda/week", None),
        "my tasks": (client, "get", f"/t/{slug}/projects/tasks", None),
        "tiers card: exchanges tab": (htmx, "get", f"/t/{slug}/tiers/{big_tiers}/exchanges",
                                      None),
        "tiers card: history filtered": (
            htmx, "get", f"/t/{slug}/exchanges/history?tiers={big_tiers}&status=todo", None),
        "contact history tab": (htmx, "get",
                                f"/t/{slug}/exchanges/history?contact={contacts[0]}", None),
        "search contacts: 2 letters": (htmx, "get", f"/t/{slug}/search/contacts?q=du", None),
        "search contacts: word": (htmx, "get", f"/t/{slug}/search/contacts?q=jeanne", None),
        "search tiers: 1 letter": (htmx, "get", f"/t/{slug}/search/tiers?q=d", None),
        "search tiers: word": (htmx, "get", f"/t/{slug}/search/tiers?q=negoce", None),
        "exchange pop-up": (htmx, "get", f"/t/{slug}/exchanges/new?tiers={big_tiers}", None),

    }
    seen = {}
    for name, (who, method, url, data) in pages.items():
        with counting_queries(app) as statements:
            if method == "post":
                reply, requests = who.post(url, data=data), 1
            else:
                reply, requests = page_view(who, htmx, url)
        assert reply.status_code in (200, 303), (name, reply.status_code)
        seen[name] = (statements, requests)
    return seen


def page_view(who, htmx, url: str):
    """The document, then every fragment it (and they) load: the document's reply and
    the number of requests."""
    reply = who.get(url)
    pending, requests = load_fragments(reply.get_data(as_text=True)), 1
    while pending:
        fragment = htmx.get(pending.pop(0))
        assert fragment.status_code == 200, fragment.status_code
        pending += load_fragments(fragment.get_data(as_text=True))
        requests += 1
    return reply, requests


def test_every_main_page_runs_a_bounded_number_of_queries(app, client, htmx, tenants):
    for browser in (client, htmx):
        AuthActions(browser).login(tenants.a.admin_email)
    members = [tenants.a.admin_membership_id, tenants.a.member_membership_id]
    with app.app_context():
        big = grow(tenants.a.id, TIERS, EXCHANGES, 0, members)
    small = measure(app, client, htmx, tenants, big, run=1)

    with app.app_context():
        grow(tenants.a.id, TIERS * (GROWTH - 1), EXCHANGES * (GROWTH - 1), EXCHANGES, members)
        # The big tiers grows too: its history is ten times longer.
        with bound_tenant(tenants.a.id):
            others = list(db.session.scalars(
                select(Exchange).where(Exchange.tiers_id != big).order_by(Exchange.id)
                .limit(EXCHANGES * 3)))
            for x in others:
                x.tiers_id = big
            db.session.commit()
    large = measure(app, client, htmx, tenants, big, run=2)

    report = []
    for name in small:
        n_small, n_large = (len(run[name][0]) for run in (small, large))
        bound = MAX_QUERIES_CREATE if name == "create exchange" else MAX_QUERIES
        if n_small != n_large or n_large > bound:
            report.append(f"{name}: {n_small} statements on small data, {n_large} on 10× "
                          f"data, {large[name][1]} requests\n  "
                          + "\n  ".join(s.split("\n")[0][:160] for s in large[name][0]))
    assert not report, "\n".join(report)
