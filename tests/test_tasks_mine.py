"""The "My tasks" page: grouped by due date in the tenant's time zone, done recently."""

from datetime import UTC, datetime, timedelta

import pytest

from ct.blueprints.projects.planning import OPEN_TASKS_PAGE
from ct.core.zone import local_today
from tests.planning_data import make_project, make_task, paris_today, section
from tests.sql_count import counting_queries

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def a(tenants):
    return tenants.a


def test_tasks_are_grouped_by_due_date(client, auth, app, a):
    me, other = a.admin_membership_id, a.member_membership_id
    today = paris_today()
    make_task(app, a.id, "Late one", assignee_id=me, due_date=today - timedelta(days=2))
    make_task(app, a.id, "For today", assignee_id=me, due_date=today)
    make_task(app, a.id, "Next week", assignee_id=me, due_date=today + timedelta(days=7))
    make_task(app, a.id, "Whenever", assignee_id=me)
    make_task(app, a.id, "Note to self", created_by_id=me)  # nobody assigned, written by me
    make_task(app, a.id, "Colleague's", assignee_id=other, due_date=today)
    make_task(app, a.id, "Written for a colleague", assignee_id=other, created_by_id=me)
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)
    overdue, today_part = section(html, "tasks-overdue"), section(html, "tasks-today")
    upcoming, undated = section(html, "tasks-upcoming"), section(html, "tasks-no-date")
    assert "Late one" in overdue and "For today" not in overdue
    assert "For today" in today_part and "Late one" not in today_part
    assert "Next week" in upcoming and "For today" not in upcoming
    assert "Whenever" in undated and "Note to self" in undated
    assert "Colleague's" not in html and "Written for a colleague" not in html


def test_overdue_is_said_with_an_icon_and_words(client, auth, app, a):
    late = make_task(app, a.id, "Late", assignee_id=a.admin_membership_id,
                     due_date=paris_today() - timedelta(days=1))
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)
    row = section(html, f"task-{late}")
    assert "⚠" in row and "Overdue" in row
    assert "Overdue" in section(html, "tasks-overdue-title")


def test_today_is_the_tenants_today(app):
    """"Today" follows the tenant's time zone, not the server's clock zone."""
    with app.test_request_context():
        app.config["BABEL_DEFAULT_TIMEZONE"] = "Pacific/Kiritimati"  # UTC+14
        try:
            kiritimati = local_today()
        finally:
            app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Paris"
        paris = local_today()
    utc_today = datetime.now(UTC).date()
    assert kiritimati == (datetime.now(UTC) + timedelta(hours=14)).date()
    assert paris == paris_today() and utc_today <= kiritimati


def test_due_dates_are_shown_in_the_members_language(client, auth, app, a):
    make_task(app, a.id, "Dated", assignee_id=a.admin_membership_id,
              due_date=paris_today().replace(year=paris_today().year + 1, month=3, day=5))
    auth.login(a.admin_email)
    client.post("/language", data={"language": "fr"})
    assert "5 mars" in client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    assert "Mar 5" in client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)


def test_done_recently_is_a_collapsed_section(client, auth, app, a):
    me = a.admin_membership_id
    now = datetime.now(UTC)
    make_task(app, a.id, "Finished yesterday", assignee_id=me, done=True,
              done_at=now - timedelta(days=1))
    make_task(app, a.id, "Finished long ago", assignee_id=me, done=True,
              done_at=now - timedelta(days=60))
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)
    done = section(html, "tasks-done")
    assert done.startswith('<details id="tasks-done">')  # closed unless opened
    assert "Finished yesterday" in done and "Finished long ago" not in html
    assert "Nothing to do" in html  # no open task


def test_project_link_on_my_tasks(client, auth, app, a):
    project = make_project(app, a.id, "P-42")
    make_task(app, a.id, "Linked", assignee_id=a.admin_membership_id, project_id=project)
    auth.login(a.admin_email)
    html = client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)
    assert f'href="/t/{a.slug}/projects/{project}">P-42</a>' in html


def test_my_tasks_runs_a_bounded_number_of_queries(client, auth, app, a):
    auth.login(a.admin_email)
    today = paris_today()

    def queries_for(n: int, shown: int) -> int:
        project = make_project(app, a.id, f"P-{n}")
        for i in range(n):
            make_task(app, a.id, f"T{i}", assignee_id=a.admin_membership_id, project_id=project,
                      due_date=today + timedelta(days=i % 5 - 2))
        with counting_queries(app) as statements:
            html = client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)
        assert html.count('class="task"') == shown
        return len(statements)

    client.get(f"/t/{a.slug}/projects/tasks")  # the company's settings: kept from now on
    # 5 tasks, then 60 more: the page shows the first OPEN_TASKS_PAGE of the 65.
    assert queries_for(5, 5) == queries_for(60, OPEN_TASKS_PAGE)


def test_many_open_tasks_come_fifty_a_page_soonest_first(client, auth, app, a):
    """A member with 60 open tasks: the 50 soonest due, then "Next page" for the rest
    (those with no due date last); the tasks done recently on the first page only."""
    import re

    me, today = a.admin_membership_id, paris_today()
    for n in range(55):
        make_task(app, a.id, f"Dated {n:02d}", assignee_id=me,
                  due_date=today + timedelta(days=n - 10))
    for n in range(5):
        make_task(app, a.id, f"Undated {n}", assignee_id=me)
    make_task(app, a.id, "Finished", assignee_id=me, done=True,
              done_at=datetime.now(UTC) - timedelta(days=1))
    auth.login(a.admin_email)
    first = client.get(f"/t/{a.slug}/projects/tasks").get_data(as_text=True)
    def labels(html):  # each label once (the tick-off button names it too)
        return list(dict.fromkeys(re.findall(r"(?:Dated|Undated) \d+", html)))

    shown = labels(first)
    assert shown == [f"Dated {n:02d}" for n in range(50)]
    assert 'id="tasks-done"' in first and "Finished" in first
    following = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(following).get_data(as_text=True)
    assert labels(second) == (
        [f"Dated {n:02d}" for n in range(50, 55)] + [f"Undated {n}" for n in range(5)])
    assert 'id="tasks-done"' not in second and 'rel="next"' not in second
    assert "First page" in second
    assert client.get(f"/t/{a.slug}/projects/tasks?cursor=garbage").status_code == 200
