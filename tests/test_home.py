"""Home page widgets: latest exchanges, next contacts, recent past events, the team."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ct.blueprints.settings.options import editable_settings
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import TenantSettings
from tests.admin_support import set_rights
from tests.exchange_data import (
    RESTRICTED_EMAIL,
    add,
    add_many,
    world,  # noqa: F401 — fixture
)
from tests.planning_data import (
    make_event,
    make_project,
    make_task,
    paris_today,
)
from tests.sql_count import counting_queries

pytestmark = pytest.mark.usefixtures("english_messages")

NOW = datetime.now(UTC).replace(microsecond=0)


def home(client, w, path=""):
    response = client.get(f"/t/{w.slug}/{path}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def widget(html: str, name: str) -> str:
    """The widget's article (its last tag closes it: articles do not nest)."""
    start = html.find(f'id="widget-{name}"')
    assert start != -1, f"no {name} widget"
    return html[start: html.find("</article>", start)]


def minutes_from_now(days: float) -> int:
    """``add`` counts minutes from its fixed BASE; this is ``days`` from now instead."""
    from tests.exchange_data import BASE

    return int((NOW + timedelta(days=days) - BASE).total_seconds() // 60)


# -- latest exchanges ------------------------------------------------------------------

def test_latest_exchanges_are_the_ten_newest_linked_with_their_details(client, auth, world):  # noqa: F811
    w = world
    add_many(w, w.tiers["martin"], w.admin_id, 12)  # minutes 0..11 after BASE
    newest = add(w, w.tiers["dupont"], w.admin_id, minutes=60, mode_id=w.modes["phone"],
                 object_id=w.objects["quote"], status="todo")
    auth.login("alice@alpha.fr")
    box = widget(home(client, w), "latest_exchanges")
    assert box.count('class="latest-exchange"') == 10
    first = box.split('class="latest-exchange"')[1]
    assert f"/exchanges/{newest}" in first and "Dupont SARL" in first
    assert "Téléphone" in first and "Devis" in first  # the tenant's French list names
    assert "status-todo" in first and "À traiter" in first and 'aria-hidden="true">!' in first
    # Minutes 0 and 1 are the two oldest of 13: they are left out.
    assert box.count(">Martin &amp; Fils</a>") == 9


def test_a_read_own_member_sees_only_theirs(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="admin's")
    mine = add(w, w.tiers["martin"], w.restricted_id, minutes=1)
    shared = add(w, w.tiers["dupont"], w.admin_id, minutes=2, collaborators=[w.restricted_id])
    auth.login(RESTRICTED_EMAIL)
    box = widget(home(client, w), "latest_exchanges")
    assert box.count('class="latest-exchange"') == 2
    assert f"/exchanges/{mine}" in box and f"/exchanges/{shared}" in box


def test_confidential_comments_and_other_tenants_never_show(client, auth, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="plain",
        confidential_comment="TOPSECRET marge", confidential_group_id=w.group_id)
    auth.login("alice@alpha.fr")
    html = home(client, w)
    assert "TOPSECRET" not in html
    assert "B Dupont SARL" not in html and "Secret de Beta" not in html
    assert widget(html, "latest_exchanges").count('class="latest-exchange"') == 1


def test_a_member_without_read_rights_sees_no_exchange(client, auth, world, app):  # noqa: F811


    w = world
    add(w, w.tiers["dupont"], w.member_id)
    set_rights(app, w.tenant_id, w.member_id, [])
    auth.login("arthur@alpha.fr")
    box = widget(home(client, w), "latest_exchanges")
    assert "latest-exchange" not in box and "No exchange logged yet." in box


def test_empty_widgets_say_so(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    html = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert "No exchange logged yet." in html
    assert "Nothing planned" in html
    assert "No past event yet." in html
    assert "2 members" in widget(html, "team")


# -- next contacts ---------------------------------------------------------------------

def test_next_contacts_in_time_order_with_overdue_flagged(client, auth, world, app):  # noqa: F811
    w = world
    today = paris_today()
    make_task(app, w.tenant_id, "Late task", assignee_id=w.admin_id,
              due_date=today - timedelta(days=3))
    make_task(app, w.tenant_id, "Undated task", assignee_id=w.admin_id)
    make_task(app, w.tenant_id, "Done task", assignee_id=w.admin_id, done=True,
              due_date=today - timedelta(days=5))
    make_task(app, w.tenant_id, "Member's task", assignee_id=w.member_id, due_date=today)
    make_event(app, w.tenant_id, "Future meeting", starts_at=NOW + timedelta(days=2),
               assignees=[w.admin_id], tiers_id=w.tiers["dupont"])
    make_event(app, w.tenant_id, "Old meeting", starts_at=NOW - timedelta(days=2),
               assignees=[w.admin_id])
    make_event(app, w.tenant_id, "Someone else's", starts_at=NOW + timedelta(days=1),
               assignees=[w.member_id])
    add(w, w.tiers["martin"], w.admin_id, status="todo", minutes=minutes_from_now(1))
    add(w, w.tiers["martin"], w.admin_id, status="closed", minutes=minutes_from_now(1.5))
    add(w, w.tiers["dupont"], w.member_id, made_by_id=w.member_id, status="todo",
        minutes=minutes_from_now(0.5))
    auth.login("alice@alpha.fr")
    box = widget(home(client, w), "next_contacts")
    items = box.split('<li class="next-item')[1:]
    texts = [("Late task" in i, "Martin" in i, "Future meeting" in i, "Undated" in i)
             for i in items]
    assert len(items) == 4
    assert texts[0][0] and texts[1][1] and texts[2][2] and texts[3][3]
    assert "is-overdue" in items[0] and "Overdue" in items[0]
    assert all("Overdue" not in i for i in items[1:])
    for hidden in ("Done task", "Member's task", "Old meeting", "Someone else's"):
        assert hidden not in box
    assert "/projects/tasks" in box and "/agenda/" in box


def test_next_contacts_are_capped_with_links_to_the_full_lists(client, auth, world, app):  # noqa: F811
    w = world
    project = make_project(app, w.tenant_id)
    for i in range(12):
        make_task(app, w.tenant_id, f"Task {i:02}", assignee_id=w.admin_id, project_id=project,
                  due_date=paris_today() + timedelta(days=i))
    auth.login("alice@alpha.fr")
    box = widget(home(client, w), "next_contacts")
    assert box.count('<li class="next-item') == 10
    assert "Task 09" in box and "Task 10" not in box
    assert "Only the first 10 are shown." in box and "P-001" in box


def test_todo_exchanges_the_member_may_no_longer_read_are_left_out(client, auth, world, app):  # noqa: F811


    w = world
    add(w, w.tiers["martin"], w.admin_id, made_by_id=w.member_id, status="todo",
        minutes=minutes_from_now(1))
    auth.login("arthur@alpha.fr")
    assert "Martin" in widget(home(client, w), "next_contacts")
    set_rights(app, w.tenant_id, w.member_id, [])
    assert "Martin" not in widget(home(client, w), "next_contacts")


# -- recent past events ----------------------------------------------------------------

def past_titles(html):
    box = widget(html, "past_events")
    return [t for t in (f"Past {i}" for i in range(10)) if f">{t}<" in box]


def test_past_events_five_latest_within_the_window(client, auth, world, app):  # noqa: F811
    w = world
    for i in range(8):  # Past 0 ended yesterday, Past 7 eight days ago
        make_event(app, w.tenant_id, f"Past {i}", starts_at=NOW - timedelta(days=i + 1),
                   assignees=[w.admin_id])
    make_event(app, w.tenant_id, "Not mine", starts_at=NOW - timedelta(days=1),
               assignees=[w.member_id])
    make_event(app, w.tenant_id, "Coming", starts_at=NOW + timedelta(days=1),
               assignees=[w.admin_id])
    auth.login("alice@alpha.fr")
    html = home(client, w)
    assert past_titles(html) == [f"Past {i}" for i in range(5)]
    assert "Not mine" not in widget(html, "past_events")
    assert "Coming" not in widget(html, "past_events")
    with app.app_context(), bound_tenant(w.tenant_id):
        settings = editable_settings()
        settings.widget_days = 3
        db.session.commit()
    assert past_titles(home(client, w)) == ["Past 0", "Past 1"]


def test_past_events_empty_within_the_window(client, auth, world, app):  # noqa: F811
    w = world
    make_event(app, w.tenant_id, "Long ago", starts_at=NOW - timedelta(days=40),
               assignees=[w.admin_id])
    with app.app_context(), bound_tenant(w.tenant_id):
        db.session.add(TenantSettings(widget_days=30))
        db.session.commit()
    auth.login("alice@alpha.fr")
    box = widget(home(client, w), "past_events")
    assert "Long ago" not in box and "No past event in the last 30 days." in box


# -- fragments -------------------------------------------------------------------------

def test_each_widget_has_its_own_fragment_refreshed_on_exchange_saved(htmx, world):  # noqa: F811
    w = world
    htmx.post("/login", data={"email": "alice@alpha.fr", "password": "correct horse battery"})
    add(w, w.tiers["dupont"], w.admin_id)
    page = htmx.get(f"/t/{w.slug}/").get_data(as_text=True)
    for name in ("latest_exchanges", "next_contacts", "past_events"):
        url = f"/t/{w.slug}/widgets/{name}"
        assert f'hx-get="{url}" hx-trigger="exchange-saved from:body"' in page
        reply = htmx.get(url)
        assert reply.status_code == 200
        body = reply.get_data(as_text=True)
        assert body.lstrip().startswith(f'<article id="widget-{name}"')
        assert "<nav" not in body
    assert "Dupont SARL" in htmx.get(f"/t/{w.slug}/widgets/latest_exchanges").get_data(as_text=True)
    assert htmx.get(f"/t/{w.slug}/widgets/nope").status_code == 404
    # Another company's widget: not found for this user.
    assert htmx.get(f"/t/{w.b_slug}/widgets/latest_exchanges").status_code == 404


def test_fragments_need_a_login(client, world):  # noqa: F811
    reply = client.get(f"/t/{world.slug}/widgets/latest_exchanges")
    assert reply.status_code in (302, 303) and "/login" in reply.headers["Location"]


# -- cost ------------------------------------------------------------------------------

def test_home_page_queries_are_few_and_do_not_grow(client, auth, world, app):  # noqa: F811
    w = world

    def fill(n: int):
        add_many(w, w.tiers["dupont"], w.admin_id, n, status="todo")
        for i in range(n):
            make_task(app, w.tenant_id, f"T{n}-{i}", assignee_id=w.admin_id,
                      due_date=paris_today() + timedelta(days=i - 2))
            make_event(app, w.tenant_id, f"E{n}-{i}", starts_at=NOW + timedelta(hours=i - n),
                       assignees=[w.admin_id], tiers_id=w.tiers["martin"])

    def queries() -> int:
        with counting_queries(app) as statements:
            assert client.get(f"/t/{w.slug}/").status_code == 200
        return len(statements)

    auth.login("alice@alpha.fr")
    client.get(f"/t/{w.slug}/")  # warm-up
    fill(3)
    few = queries()
    fill(30)
    many = queries()
    assert many == few and few <= 8


def test_database_scoping_covers_the_counter_subqueries(app, world):  # noqa: F811
    """The one-row statements of scalar subqueries are scoped to the tenant too."""
    from ct.home import counts
    from ct.models import Membership

    w = world
    with app.test_request_context(), bound_tenant(w.tenant_id):
        me = db.session.scalar(select(Membership).where(Membership.id == w.admin_id))
        assert counts.checklist(me).members == 3  # not company B's two


def test_statements_built_once_serve_each_company_its_own_rows(app, world):  # noqa: F811
    """The counters, checklist and next contacts are built once per process and run for
    every company: each run reads the rows of the company bound then."""
    from ct.home import counts
    from ct.home import widgets as home_widgets
    from ct.models import Membership

    w = world
    b_admin_id = w.b["member"]
    add_many(w, w.tiers["dupont"], w.admin_id, 3, status="todo")  # in the past: overdue
    add(w, w.b["dupont"], b_admin_id, tenant_id=w.b_tenant_id, status="todo")
    seen = []
    for tenant_id, member_id in ((w.tenant_id, w.admin_id), (w.b_tenant_id, b_admin_id),
                                 (w.tenant_id, w.admin_id)):
        with app.test_request_context(), bound_tenant(tenant_id):
            me = db.session.scalar(select(Membership).where(Membership.id == member_id))
            day = home_widgets.Day.current()
            counters, checklist = counts.counters_and_checklist(me, day)
            items, _more = home_widgets.next_contacts(me, day)
            seen.append((counters.overdue, checklist.members, counts.checklist(me).members,
                         counts.counters(me, day).overdue, len(items)))
    assert seen == [(3, 3, 3, 3, 3), (1, 2, 2, 1, 1), (3, 3, 3, 3, 3)]


def test_database_scoping_covers_the_next_contacts_union(app, world):  # noqa: F811
    """The next contacts are one union of three sources: each table in it is scoped to
    the tenant, though no tenant model names the statement's top."""
    from ct.home import widgets as home_widgets
    from ct.models import Membership

    w = world
    with app.test_request_context(), bound_tenant(w.tenant_id):
        me = db.session.scalar(select(Membership).where(Membership.id == w.admin_id))
        with counting_queries(app) as statements:
            home_widgets.next_contacts(me, home_widgets.Day.current())
    [union] = [sql for sql in statements if "UNION ALL" in sql]
    # events, event_assignees, tiers twice, exchanges, tasks, projects
    assert union.count(".tenant_id = ") >= 7, union


def test_the_day_follows_the_company_clock(app):
    from ct.home.widgets import Day

    with app.app_context():
        # 23:30 UTC on 30 June is already 1 July in Paris.
        day = Day.current(datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
        assert str(day.today) == "2026-07-01"
        assert day.start == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
        # The spring change: that day has 23 hours.
        spring = Day.current(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))
        assert spring.end - spring.start == timedelta(hours=23)
