"""The agenda's month view: the grid's days, events on their local day, the month links,
the List / Week / Month switcher, a bad month value, and one statement for the events."""

import re
from datetime import date, timedelta

import pytest

from tests.planning_data import make_event, paris, paris_today, section
from tests.sql_count import counting_queries

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def a(tenants):
    return tenants.a


def month_of(client, tenant, month: str | None, who="all"):
    query = {"who": who} | ({"month": month} if month is not None else {})
    return client.get(f"/t/{tenant.slug}/agenda/month", query_string=query)


def days(html: str) -> list[str]:
    return re.findall(r'<td id="day-(\d{4}-\d{2}-\d{2})"', html)


def test_the_grid_runs_monday_to_sunday_over_whole_weeks(client, auth, a):
    auth.login(a.admin_email)
    response = month_of(client, a, "2026-12")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = days(html)
    # December 2026: Tuesday 1st to Thursday 31st → Monday 30 November to Sunday 3 January.
    assert shown[0] == "2026-11-30" and shown[-1] == "2027-01-03" and len(shown) == 35
    # The users of the fixture read French: the days' names come from the language.
    assert re.findall(r'<abbr title="(\w+)"', html) == [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert 'class="day outside free"' in section(html, "day-2026-11-30")
    assert "outside" not in section(html, "day-2026-12-01").split(">")[0]
    assert "<h1>Décembre 2026</h1>" in html
    # A month of six rows (August 2027 starts on a Sunday), one of four (February 2027).
    assert len(days(month_of(client, a, "2027-08").get_data(as_text=True))) == 42
    assert len(days(month_of(client, a, "2027-02").get_data(as_text=True))) == 28


def test_events_sit_on_their_local_day(client, auth, app, a):
    # 23:30 in Paris on 5 December is 22:30 UTC: still the 5th for the company.
    make_event(app, a.id, "Late dinner", starts_at=paris(2026, 12, 5, 23, 30),
               ends_at=paris(2026, 12, 5, 23, 59))
    make_event(app, a.id, "Fair", starts_at=paris(2026, 12, 14), ends_at=paris(2026, 12, 17),
               all_day=True)
    make_event(app, a.id, "Early call", starts_at=paris(2026, 12, 6, 0, 15))
    auth.login(a.admin_email)
    html = month_of(client, a, "2026-12").get_data(as_text=True)
    assert "Late dinner" in section(html, "day-2026-12-05")
    assert "Late dinner" not in section(html, "day-2026-12-06")
    assert "<time>23:30</time>" in section(html, "day-2026-12-05")
    assert "Early call" in section(html, "day-2026-12-06")
    # An all-day event over three days is on each of them, and not on the fourth.
    for day in ("14", "15", "16"):
        assert "Fair" in section(html, f"day-2026-12-{day}")
    assert "Fair" not in section(html, "day-2026-12-17")


def test_three_events_a_day_then_the_others_link(client, auth, app, a):
    for hour in range(8, 13):
        make_event(app, a.id, f"Meeting {hour}", starts_at=paris(2026, 12, 9, hour))
    auth.login(a.admin_email)
    cell = section(month_of(client, a, "2026-12").get_data(as_text=True), "day-2026-12-09")
    assert re.findall(r">(Meeting \d+)</a>", cell) == ["Meeting 8", "Meeting 9", "Meeting 10"]
    assert "+2 others" in cell
    assert "/agenda/week?start=2026-12-09" in cell


def test_month_links_today_and_the_switcher(client, auth, a):
    auth.login(a.admin_email)
    html = month_of(client, a, "2026-12").get_data(as_text=True)
    assert "month=2026-11" in html and "month=2027-01" in html
    january = month_of(client, a, "2027-01").get_data(as_text=True)
    assert "month=2026-12" in january and "month=2027-02" in january
    today = paris_today()
    current = month_of(client, a, None).get_data(as_text=True)
    cell = section(current, f"day-{today.isoformat()}")
    assert 'aria-current="date"' in cell and "Today" in cell
    for view in ("", "week", "month"):
        page = client.get(f"/t/{a.slug}/agenda/{view}").get_data(as_text=True)
        switcher = section(page, "agenda-views") or page[page.index('class="agenda-views"'):]
        current_links = re.findall(r'<a href="([^"]+)" aria-current="page">(\w+)</a>',
                                   switcher.split("</nav>")[0])
        assert [label for _, label in current_links] == [
            {"": "List", "week": "Week", "month": "Month"}[view]]


@pytest.mark.parametrize("bad", ["2026-13", "12-2026", "2026-1", "abc", "0000-01", "9999-12",
                                 "2026-00", " ", "2026-12-01", "x" * 10_000, "２０２６-１２"])
def test_a_bad_month_falls_back_to_this_month_with_a_message(client, auth, a, bad):
    auth.login(a.admin_email)
    response = month_of(client, a, bad)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    first = paris_today().replace(day=1)
    assert f'id="day-{first.isoformat()}"' in html
    if bad.strip():
        assert "could not be read" in html


def test_mine_shows_only_my_events_and_never_another_company(client, auth, app, tenants, a):
    make_event(app, a.id, "Mine", starts_at=paris(2026, 12, 3, 10),
               assignees=[a.admin_membership_id])
    make_event(app, a.id, "Colleague", starts_at=paris(2026, 12, 3, 11),
               assignees=[a.member_membership_id])
    make_event(app, tenants.b.id, "Other company", starts_at=paris(2026, 12, 3, 12))
    auth.login(a.admin_email)
    mine = month_of(client, a, "2026-12", who="mine").get_data(as_text=True)
    assert "Mine" in mine and "Colleague" not in mine
    everyone = month_of(client, a, "2026-12", who="all").get_data(as_text=True)
    assert "Colleague" in everyone and "Other company" not in everyone


def test_one_statement_for_the_month_events(client, auth, app, a):
    auth.login(a.admin_email)
    month_of(client, a, "2026-12")
    with counting_queries(app) as empty:
        month_of(client, a, "2026-12", who="mine")
    start = date(2026, 12, 1)
    for i in range(40):
        day = start + timedelta(days=i % 31)
        make_event(app, a.id, f"Event {i}", starts_at=paris(day.year, day.month, day.day, 9),
                   assignees=[a.admin_membership_id, a.member_membership_id])
    with counting_queries(app) as full:
        html = month_of(client, a, "2026-12", who="mine").get_data(as_text=True)
    assert "Event 39" in html
    assert len(full) == len(empty), full
    print("month view statements:", len(full))
    assert len(full) <= 6, full
