"""Home page: the member's choice of widgets, the first steps checklist, the counters."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import AuditEntry, Invitation, Membership
from tests.exchange_data import BASE, add, world  # noqa: F401 — fixture
from tests.planning_data import make_event, make_task, make_tiers, paris_today

pytestmark = pytest.mark.usefixtures("english_messages")

NOW = datetime.now(UTC).replace(microsecond=0)
WIDGETS = ["latest_exchanges", "next_contacts", "past_events", "team", "mentions"]


def saved_layout(app, tenant_id, membership_id):
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(
            select(Membership.home_layout).where(Membership.id == membership_id))


def widget_order(html: str) -> list[str]:
    body = html[html.find('class="home-widgets"'):html.find('id="customize"')]
    found = {name: body.find(f'id="widget-{name}"') for name in WIDGETS}
    return sorted((n for n, at in found.items() if at != -1), key=found.get)


def layout_form(**overrides):
    data = {"shown": WIDGETS, **{f"position_{n}": str(i + 1) for i, n in enumerate(WIDGETS)}}
    return data | overrides


# -- customization ---------------------------------------------------------------------

def test_by_default_every_widget_is_shown_in_order(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    html = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert widget_order(html) == WIDGETS
    # The Customize form loads when opened (htmx), or as the page with it open.
    assert 'id="customize"' in html and 'name="position_team"' not in html
    assert f'hx-get="/t/{tenants.a.slug}/customize"' in html
    form = client.get(f"/t/{tenants.a.slug}/customize", headers={"HX-Request": "true"})
    assert form.status_code == 200 and "<html" not in form.get_data(as_text=True)
    assert 'name="position_team" min="1" max="5"\n                   value="4"' in \
        form.get_data(as_text=True)
    page = client.get(f"/t/{tenants.a.slug}/customize").get_data(as_text=True)
    assert '<details id="customize" class="customize" open' in page
    assert widget_order(page) == WIDGETS and 'name="position_team"' in page


def test_a_member_chooses_widgets_and_their_order(client, auth, tenants, app):
    a = tenants.a
    auth.login(a.member_email)
    reply = client.post(f"/t/{a.slug}/customize", data=layout_form(
        shown=["team", "latest_exchanges"], position_team="1", position_latest_exchanges="2",
        position_next_contacts="3", position_past_events="4", position_mentions="5"))
    assert reply.status_code == 303
    html = client.get(f"/t/{a.slug}/").get_data(as_text=True)
    assert widget_order(html) == ["team", "latest_exchanges"]
    assert "Your home page is saved." in html
    saved = saved_layout(app, a.id, a.member_membership_id)
    assert saved["order"] == ["team", "latest_exchanges", "next_contacts", "past_events",
                              "mentions"]
    assert set(saved["hidden"]) == {"next_contacts", "past_events", "mentions"}
    # Per membership: the admin's page is unchanged.
    auth.login(a.admin_email)
    assert widget_order(client.get(f"/t/{a.slug}/").get_data(as_text=True)) == WIDGETS


def test_the_arrows_move_a_widget(htmx, tenants, app):
    a = tenants.a
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    reply = htmx.post(f"/t/{a.slug}/customize", data=layout_form(move="past_events:up"))
    assert reply.status_code == 200
    body = reply.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="home-body">')  # the body alone, for htmx
    assert widget_order(body) == ["latest_exchanges", "past_events", "next_contacts", "team",
                                  "mentions"]
    assert "Your home page is saved." in body
    assert re.search(r'id="position-past_events"[^>]*value="2"', body)  # the new places
    assert '<details id="customize" class="customize" open' in body
    # The first one cannot go higher: nothing moves.
    htmx.post(f"/t/{a.slug}/customize", data=layout_form(move="latest_exchanges:up"))
    assert saved_layout(app, a.id, a.admin_membership_id)["order"] == WIDGETS


def test_hiding_every_widget_says_how_to_get_them_back(client, auth, tenants):
    a = tenants.a
    auth.login(a.admin_email)
    client.post(f"/t/{a.slug}/customize", data=layout_form(shown=[]))
    html = client.get(f"/t/{a.slug}/").get_data(as_text=True)
    assert widget_order(html) == [] and "No widget is shown" in html


@pytest.mark.parametrize("bad, message", [
    ({"shown": ["latest_exchanges", "bogus<script>"]}, "Unknown widget: bogus&lt;script&gt;."),
    ({"position_bogus": "1"}, "Unknown widget: bogus."),
    ({"move": "bogus:up"}, "Unknown widget: bogus."),
    ({"move": "team:sideways"}, "Unknown widget: team."),
    ({"position_team": ""}, "Enter a position from 1 to 5."),
    ({"position_team": "abc"}, "Enter a position from 1 to 5."),
    ({"position_team": "9"}, "Enter a position from 1 to 5."),
    ({"position_team": "0"}, "Enter a position from 1 to 5."),
])
def test_bad_customization_is_refused_and_nothing_saved(client, auth, tenants, app, bad, message):
    a = tenants.a
    auth.login(a.admin_email)
    reply = client.post(f"/t/{a.slug}/customize", data=layout_form(**bad))
    assert reply.status_code == 422
    html = reply.get_data(as_text=True)
    assert message in html and "<script>" not in html.split('id="customize"')[1]
    assert 'id="customize" class="customize" open' in html
    assert saved_layout(app, a.id, a.admin_membership_id) is None


@pytest.mark.parametrize("action", ["customize", "checklist/dismiss"])
def test_a_forged_post_is_refused_and_nothing_saved(client, auth, tenants, app, monkeypatch,
                                                     action):
    a = tenants.a
    auth.login(a.admin_email)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    reply = client.post(f"/t/{a.slug}/{action}", data=layout_form(csrf_token="forged"))
    assert reply.status_code == 400
    assert saved_layout(app, a.id, a.admin_membership_id) is None


def test_another_company_is_not_found(client, auth, tenants, app):
    auth.login(tenants.a.admin_email)
    b = tenants.b
    assert client.post(f"/t/{b.slug}/customize", data=layout_form()).status_code == 404
    assert client.post(f"/t/{b.slug}/checklist/dismiss").status_code == 404
    assert client.get(f"/t/{b.slug}/counters").status_code == 404
    assert saved_layout(app, b.id, b.admin_membership_id) is None


def test_a_saved_layout_survives_widgets_unknown_to_this_version(app, tenants):
    from ct.home.layout import layout_of

    member = Membership(home_layout={"order": ["gone", "team", "team"],
                                     "hidden": ["gone", "past_events"]})
    layout = layout_of(member)
    assert layout.order == ["team", "latest_exchanges", "next_contacts", "past_events",
                            "mentions"]
    assert layout.shown == ["team", "latest_exchanges", "next_contacts", "mentions"]
    assert layout_of(Membership(home_layout="garbage")).shown == WIDGETS


# -- first steps -----------------------------------------------------------------------

def steps(html: str) -> dict[str, str]:
    box = html[html.find('id="first-steps"'):html.find("</section>", html.find('id="first-steps"'))]
    return {step: ("done" if f'id="step-{step}" class="step-done"' in box else "to do")
            for step in ("tiers", "exchange", "teammate", "lists") if f'id="step-{step}"' in box}


def test_first_steps_tick_themselves_then_go(client, auth, app):
    from ct.auth import accounts

    with app.app_context():
        tenant = accounts.sign_up_and_commit("Gamma", "Gaston", "gaston@gamma.fr",
                                             "correct horse battery", "fr")
        slug, tenant_id = tenant.slug, tenant.id
    auth.login("gaston@gamma.fr")

    def page():
        return client.get(f"/t/{slug}/").get_data(as_text=True)

    assert steps(page()) == dict.fromkeys(["tiers", "exchange", "teammate", "lists"], "to do")
    tiers = make_tiers(app, tenant_id, "Premier client")
    with app.app_context(), bound_tenant(tenant_id):
        me = db.session.scalar(select(Membership))
        me_id = me.id
    assert steps(page())["tiers"] == "done"
    with app.app_context(), bound_tenant(tenant_id):
        from ct.models import Exchange
        db.session.add(Exchange(tiers_id=tiers, author_id=me_id, made_by_id=me_id))
        me = db.session.scalar(select(Membership))
        Invitation.issue("new@gamma.fr", "member", me)
        db.session.commit()
    assert steps(page()) == {"tiers": "done", "exchange": "done", "teammate": "done",
                             "lists": "to do"}
    with app.app_context(), bound_tenant(tenant_id):
        me = db.session.scalar(select(Membership))
        AuditEntry.record(me, "settings.list", {}, {"label": "Visio"}, target="mode:1")
        db.session.commit()
    html = page()
    assert 'id="first-steps"' not in html
    assert client.get(f"/t/{slug}/checklist").get_data(as_text=True) == ""


def test_first_steps_can_be_put_away(client, auth, tenants, app):
    a = tenants.a
    auth.login(a.member_email)
    html = client.get(f"/t/{a.slug}/").get_data(as_text=True)
    # A second member counts as the teammate; the lists are left as they came.
    assert steps(html) == {"tiers": "to do", "exchange": "to do", "teammate": "done",
                           "lists": "to do"}
    # A member who may not edit the lists reads the step without a link.
    step = html[html.find('id="step-lists"'):]
    assert "/settings" not in step[:step.find("</li>")]
    assert client.post(f"/t/{a.slug}/checklist/dismiss").status_code == 303
    assert 'id="first-steps"' not in client.get(f"/t/{a.slug}/").get_data(as_text=True)
    assert saved_layout(app, a.id, a.member_membership_id)["checklist_dismissed"] is True
    # The admin still has theirs.
    auth.login(a.admin_email)
    assert 'id="first-steps"' in client.get(f"/t/{a.slug}/").get_data(as_text=True)


def test_the_checklist_fragment_reloads_on_exchange_saved(htmx, tenants):
    a = tenants.a
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    page = htmx.get(f"/t/{a.slug}/").get_data(as_text=True)
    assert f'hx-get="/t/{a.slug}/checklist" hx-trigger="exchange-saved from:body"' in page
    assert htmx.get(f"/t/{a.slug}/checklist").get_data(as_text=True).lstrip().startswith(
        '<section id="first-steps"')


# -- counters --------------------------------------------------------------------------

def counts(html: str) -> tuple[str | None, str | None]:
    def badge(name):
        found = re.search(rf'id="count-{name}">(?:<span aria-hidden="true">⚠</span> )?([^<]*)<',
                          html)
        return found and found.group(1)
    return badge("overdue"), badge("today")


def test_counters_count_overdue_and_today_items_of_the_member(client, auth, world, app):  # noqa: F811
    w = world
    today = paris_today()
    for label, days in (("late", 1), ("late 2", 9)):
        make_task(app, w.tenant_id, label, assignee_id=w.admin_id,
                  due_date=today - timedelta(days=days))
    make_task(app, w.tenant_id, "today", assignee_id=w.admin_id, due_date=today)
    make_task(app, w.tenant_id, "done", assignee_id=w.admin_id, due_date=today, done=True)
    make_task(app, w.tenant_id, "later", assignee_id=w.admin_id, due_date=today + timedelta(days=3))
    make_task(app, w.tenant_id, "not mine", assignee_id=w.member_id, due_date=today)
    noon = datetime.combine(today, datetime.min.time()).replace(hour=12)
    from tests.planning_data import paris
    make_event(app, w.tenant_id, "today's", starts_at=paris(noon.year, noon.month, noon.day, 12),
               assignees=[w.admin_id])
    make_event(app, w.tenant_id, "tomorrow's", starts_at=NOW + timedelta(days=1, hours=1),
               assignees=[w.admin_id])
    old = int((NOW - timedelta(days=5) - BASE).total_seconds() // 60)
    add(w, w.tiers["dupont"], w.admin_id, status="todo", minutes=old)
    add(w, w.tiers["dupont"], w.admin_id, status="closed", minutes=old)
    # Company B's overdue task never counts for company A.
    make_task(app, w.b_tenant_id, "B late", assignee_id=w.b["member"],
              due_date=today - timedelta(days=1))
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{w.slug}/").get_data(as_text=True)  # counted with the page
    assert counts(html) == ("3 overdue", "2 today")
    assert '<span aria-hidden="true">⚠</span> 3 overdue' in html
    fragment = client.get(f"/t/{w.slug}/counters").get_data(as_text=True)
    assert fragment.lstrip().startswith('<li id="nav-counters"')
    # The fragment reloads on a save only (a "load" trigger would call itself forever).
    assert 'hx-trigger="exchange-saved from:body"' in fragment
    assert counts(fragment) == counts(html)


def test_counters_stop_at_99(client, auth, world, app):  # noqa: F811
    """Past 99 a badge says "99+": counting thousands of late items would cost a
    statement that grows with them."""
    w = world
    today = paris_today()
    for n in range(70):
        make_task(app, w.tenant_id, f"late {n}", assignee_id=w.admin_id,
                  due_date=today - timedelta(days=1 + n % 5))
    old = int((NOW - timedelta(days=5) - BASE).total_seconds() // 60)
    for n in range(40):
        add(w, w.tiers["dupont"], w.admin_id, status="todo", minutes=old + n)
    make_task(app, w.tenant_id, "today", assignee_id=w.admin_id, due_date=today)
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{w.slug}/").get_data(as_text=True)
    assert counts(html) == ("99+ overdue", "1 today")
    assert counts(client.get(f"/t/{w.slug}/counters").get_data(as_text=True)) == counts(html)


def test_every_page_shows_the_counters_itself(client, auth, world, app):  # noqa: F811
    """Counted as the page renders: no request of their own after it (a page view is
    one request less); they reload only when an exchange is saved."""
    w = world
    make_task(app, w.tenant_id, "late", assignee_id=w.admin_id,
              due_date=paris_today() - timedelta(days=1))
    auth.login("alice@alpha.fr")
    html = client.get(f"/t/{w.slug}/tiers/").get_data(as_text=True)
    assert f'hx-get="/t/{w.slug}/counters"\n    hx-trigger="exchange-saved from:body"' in html
    assert counts(html) == ("1 overdue", None)
    assert counts(client.get(f"/t/{w.slug}/counters").get_data(as_text=True)) == counts(html)
    fragment = client.get(f"/t/{w.slug}/tiers/", headers={"HX-Request": "true"})
    assert 'id="nav-counters"' not in fragment.get_data(as_text=True)  # only whole pages


def test_no_counter_badge_when_nothing_is_due(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    html = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert 'id="nav-counters"' in html and counts(html) == (None, None)


def test_counters_cost_one_statement(client, auth, world, app):  # noqa: F811
    from tests.sql_count import counting_queries

    w = world
    auth.login("alice@alpha.fr")
    client.get(f"/t/{w.slug}/counters")
    with counting_queries(app) as with_counters:
        client.get(f"/t/{w.slug}/counters")
    with counting_queries(app) as bare:
        client.get(f"/t/{w.slug}/widgets/team")  # one statement too (the members count)
    assert len(with_counters) == len(bare)
