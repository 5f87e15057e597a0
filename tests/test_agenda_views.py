"""The agenda list (tabs, pages, query count) and the week view (events placed by day)."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.planning_data import (
    make_contact,
    make_event,
    make_tiers,
    paris,
    paris_today,
    section,
)
from tests.sql_count import counting_queries

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

NEXT_YEAR = datetime.now(UTC).year + 1


@pytest.fixture
def a(tenants):
    return tenants.a


def titles(html: str) -> list[str]:
    return re.findall(r'<tr id="event-\d+">.*?<a href="[^"]+">([^<]+)</a>', html, re.S)


def test_upcoming_and_past_tabs(client, auth, app, a):
    me = [a.admin_membership_id]
    now = datetime.now(UTC)
    make_event(app, a.id, "Tomorrow", starts_at=now + timedelta(days=1), assignees=me)
    make_event(app, a.id, "Next week", starts_at=now + timedelta(days=7), assignees=me)
    make_event(app, a.id, "Last week", starts_at=now - timedelta(days=7), assignees=me)
    make_event(app, a.id, "Last month", starts_at=now - timedelta(days=30), assignees=me)
    auth.login(a.admin_email)
    base = f"/t/{a.slug}/agenda/"
    assert titles(client.get(base).get_data(as_text=True)) == ["Tomorrow", "Next week"]
    # The past reads backwards: the most recent first.
    assert titles(client.get(base + "?when=past").get_data(as_text=True)) == [
        "Last week", "Last month"]


def test_mine_and_everyones_tabs(client, auth, app, tenants):
    a = tenants.a
    make_event(app, a.id, "Mine", assignees=[a.admin_membership_id])
    make_event(app, a.id, "Colleagues", assignees=[a.member_membership_id])
    make_event(app, a.id, "Both", assignees=[a.admin_membership_id, a.member_membership_id])
    make_event(app, tenants.b.id, "Other company", assignees=[tenants.b.admin_membership_id])
    auth.login(a.admin_email)
    base = f"/t/{a.slug}/agenda/"
    assert sorted(titles(client.get(base).get_data(as_text=True))) == ["Both", "Mine"]
    everyone = client.get(base + "?who=all").get_data(as_text=True)
    assert sorted(titles(everyone)) == ["Both", "Colleagues", "Mine"]
    assert "Other company" not in everyone


def test_tiers_filter(client, auth, app, a):
    tiers = make_tiers(app, a.id, "Dupont")
    make_event(app, a.id, "With Dupont", tiers_id=tiers)
    make_event(app, a.id, "Without")
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/agenda/?who=all&tiers={tiers}").get_data(as_text=True)
    assert titles(html) == ["With Dupont"] and "Events with Dupont" in html


def test_empty_agenda_invites_to_plan(client, auth, a):
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/agenda/").get_data(as_text=True)
    assert "Nothing planned here." in html and "Plan an event" in html


def test_keyset_pages(client, auth, app, a):
    start = datetime.now(UTC) + timedelta(days=1)
    for i in range(30):
        make_event(app, a.id, f"E{i:02d}", starts_at=start + timedelta(hours=i),
                   assignees=[a.admin_membership_id])
    auth.login(a.admin_email)
    first = client.get(f"/t/{a.slug}/agenda/").get_data(as_text=True)
    assert titles(first) == [f"E{i:02d}" for i in range(25)]
    link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(link).get_data(as_text=True)
    assert titles(second) == [f"E{i:02d}" for i in range(25, 30)]
    # Garbage, text where a date goes, an unreadable date, a date without time zone.
    for cursor in ("tampered", "WyJ4IiwxXQ", "W3siZHQiOiJub3QgYSBkYXRlIn0sMV0",
                   "W3siZHQiOiIyMDMwLTAxLTAxVDAwOjAwOjAwIn0sMV0"):
        response = client.get(f"/t/{a.slug}/agenda/?cursor={cursor}")
        assert response.status_code == 200 and titles(response.get_data(as_text=True))[0] == "E00"


def test_htmx_list_returns_the_results_only(htmx, app, a):
    make_event(app, a.id, "Soon", assignees=[a.admin_membership_id])
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    html = htmx.get(f"/t/{a.slug}/agenda/").get_data(as_text=True)
    assert html.lstrip().startswith('<div id="agenda-results">') and "<html" not in html


def test_list_runs_a_bounded_number_of_queries(client, auth, app, a):
    auth.login(a.admin_email)
    client.get(f"/t/{a.slug}/agenda/")  # the company's settings: kept from now on
    start = datetime.now(UTC) + timedelta(days=1)

    def queries_for(n: int) -> int:
        tiers = make_tiers(app, a.id, f"Tiers {n}")
        contacts = [make_contact(app, a.id, f"C{n}-{i}", tiers_id=tiers) for i in range(2)]
        for i in range(n):
            make_event(app, a.id, f"N{n}-{i}", starts_at=start + timedelta(minutes=i),
                       tiers_id=tiers, contacts=contacts,
                       assignees=[a.admin_membership_id, a.member_membership_id])
        with counting_queries(app) as statements:
            html = client.get(f"/t/{a.slug}/agenda/?tiers={tiers}").get_data(as_text=True)
        assert len(titles(html)) == min(n, 25) and f"C{n}-1" in html
        return len(statements)

    assert queries_for(5) == queries_for(60)


# -- week view ------------------------------------------------------------------------

def week_of(client, tenant, start: str, who="all") -> str:
    response = client.get(f"/t/{tenant.slug}/agenda/week?start={start}&who={who}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_event_on_wednesday_is_in_wednesdays_column(client, auth, app, a):
    # 5 January 2033 is a Wednesday. Days are Paris days: 00:30 on Thursday in Paris is
    # still Wednesday in UTC, yet it belongs in Thursday's column.
    make_event(app, a.id, "Late meeting", starts_at=paris(2033, 1, 5, 23, 30),
               ends_at=paris(2033, 1, 5, 23, 45))
    make_event(app, a.id, "Early call", starts_at=paris(2033, 1, 6, 0, 30))
    auth.login(a.admin_email)
    html = week_of(client, a, "2033-01-05")  # any day of the week shows its Monday on
    assert "day-2033-01-03" in html and "day-2033-01-09" in html
    wednesday, thursday = section(html, "day-2033-01-05"), section(html, "day-2033-01-06")
    assert "Late meeting" in wednesday and "Late meeting" not in thursday
    assert "Early call" in thursday and "Early call" not in wednesday
    for other in ("03", "04", "07", "08", "09"):
        assert "meeting" not in section(html, f"day-2033-01-{other}")


def test_all_day_events_come_first_and_span_their_days(client, auth, app, a):
    make_event(app, a.id, "Breakfast", starts_at=paris(2033, 1, 4, 8))
    make_event(app, a.id, "Trade fair", all_day=True, starts_at=paris(2033, 1, 4),
               ends_at=paris(2033, 1, 6))  # Tuesday and Wednesday
    auth.login(a.admin_email)
    html = week_of(client, a, "2033-01-03")
    tuesday = section(html, "day-2033-01-04")
    assert tuesday.index("Trade fair") < tuesday.index("Breakfast")
    assert "Trade fair" in section(html, "day-2033-01-05")
    assert "Trade fair" not in section(html, "day-2033-01-06")
    assert "Trade fair" not in section(html, "day-2033-01-03")


def test_event_across_weeks_shows_in_both(client, auth, app, a):
    make_event(app, a.id, "Long job", starts_at=paris(2033, 1, 8, 9),
               ends_at=paris(2033, 1, 11, 17))
    auth.login(a.admin_email)
    first = week_of(client, a, "2033-01-03")
    assert "Long job" in section(first, "day-2033-01-08") and "Long job" in section(
        first, "day-2033-01-09")
    second = week_of(client, a, "2033-01-10")
    assert "Long job" in section(second, "day-2033-01-11")
    assert "Long job" not in section(second, "day-2033-01-12")


def test_week_navigation_and_bad_start(client, auth, app, a):
    auth.login(a.admin_email)
    html = week_of(client, a, "2033-01-05")
    assert "start=2032-12-27" in html and "start=2033-01-10" in html
    for bad in ("2026-13-45", "garbage", "0001-01-01", "9999-12-31", ""):
        monday = paris_today() - timedelta(days=paris_today().weekday())
        assert f"day-{monday.isoformat()}" in week_of(client, a, bad)
    today = paris_today().isoformat()
    assert 'aria-current="date"' in section(week_of(client, a, today), f"day-{today}")


def test_week_mine_shows_only_my_events(client, auth, app, a):
    make_event(app, a.id, "Mine", starts_at=paris(2033, 1, 5, 10),
               assignees=[a.admin_membership_id])
    make_event(app, a.id, "Theirs", starts_at=paris(2033, 1, 5, 11),
               assignees=[a.member_membership_id])
    auth.login(a.admin_email)
    html = week_of(client, a, "2033-01-05", who="mine")
    assert "Mine" in section(html, "day-2033-01-05") and "Theirs" not in html


def test_week_runs_a_bounded_number_of_queries(client, auth, app, a):
    auth.login(a.admin_email)

    def queries_for(n: int, monday: str, day: int) -> int:
        contact = make_contact(app, a.id, f"W{n}")
        for i in range(n):
            make_event(app, a.id, f"W{n}-{i}", starts_at=paris(2033, 1, day, 8) + timedelta(
                minutes=i), contacts=[contact], assignees=[a.admin_membership_id])
        with counting_queries(app) as statements:
            html = week_of(client, a, monday)
        assert html.count('class="event"') == n
        return len(statements)

    client.get(f"/t/{a.slug}/agenda/week")  # the company's settings: kept from now on
    assert queries_for(5, "2033-01-03", 4) == queries_for(60, "2033-01-10", 12)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_follow_the_strict_csp(client, auth, app, a, language):
    """No inline script, style or handler on any page of projects, tasks and agenda."""
    from tests.planning_data import make_project, make_task

    project = make_project(app, a.id)
    task = make_task(app, a.id, project_id=project, assignee_id=a.admin_membership_id)
    event = make_event(app, a.id, reminder_minutes=30, assignees=[a.admin_membership_id])
    auth.login(a.admin_email)
    client.post("/language", data={"language": language})
    pages = [
        "projects/", f"projects/{project}", "projects/new", f"projects/{project}/edit",
        f"projects/{project}/delete", "projects/tasks", "projects/tasks/new",
        f"projects/tasks/{task}/edit", f"projects/tasks/{task}/delete", "agenda/",
        "agenda/?when=past&who=all", "agenda/week", "agenda/new", f"agenda/{event}",
        f"agenda/{event}/edit", f"agenda/{event}/delete",
    ]
    for page in pages:
        response = client.get(f"/t/{a.slug}/{page}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, page
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert not re.search(r"\sstyle\s*=", html), page
        assert not re.search(r"\son[a-z]+\s*=", html), page
        assert not re.search(r"hx-on", html), page
