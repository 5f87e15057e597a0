"""Tasks: create, quick add on a project, one-click tick off, edit, delete; bad input, rights."""

from datetime import timedelta

import pytest

from ct.core.permissions import READ_ALL_EXCHANGES, WRITE_EXCHANGES
from ct.models import Task
from tests.admin_support import set_rights
from tests.planning_data import (
    count,
    get,
    make_project,
    make_task,
    paris_today,
)

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def a(tenants):
    return tenants.a


def url(tenant, path):
    return f"/t/{tenant.slug}/projects/{path}"


def test_create_task(client, auth, app, a):
    project = make_project(app, a.id)
    auth.login(a.admin_email)
    form = client.get(url(a, f"tasks/new?project={project}")).get_data(as_text=True)
    assert f'<option value="{project}" selected>' in form
    response = client.post(url(a, "tasks/new"), data={
        "label": "Send the quote", "project": str(project),
        "assignee": str(a.member_membership_id), "due_date": "2030-05-04"})
    assert response.status_code == 303 and response.headers["Location"] == url(a, "tasks")
    task = get(app, a.id, Task, 1)
    assert (task.label, task.project_id, task.assignee_id, str(task.due_date), task.done) == (
        "Send the quote", project, a.member_membership_id, "2030-05-04", False)
    assert task.created_by_id == a.admin_membership_id


def test_quick_add_on_the_project_card(htmx, client, auth, app, a):
    project = make_project(app, a.id)
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    response = htmx.post(url(a, f"{project}/tasks"), data={
        "label": "Call the architect", "assignee": str(a.admin_membership_id), "due_date": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="project-tasks"')
    assert "Call the architect" in html
    assert get(app, a.id, Task, 1).project_id == project
    bad = htmx.post(url(a, f"{project}/tasks"), data={"label": ""})
    assert bad.status_code == 422 and 'id="label-error"' in bad.get_data(as_text=True)
    assert count(app, a.id, Task) == 1
    auth.login(a.admin_email)  # without htmx: back to the card
    plain = client.post(url(a, f"{project}/tasks"), data={"label": "Plain"})
    assert plain.status_code == 303 and plain.headers["Location"] == url(a, str(project))


@pytest.mark.parametrize("data, field, message", [
    ({"label": ""}, "label", "This field is required."),
    ({"label": "x" * 10_000}, "label", "At most 255 characters."),
    ({"label": "x", "due_date": "2026-13-45"}, "due_date", "Enter a valid date (YYYY-MM-DD)."),
    ({"label": "x", "due_date": "0001-01-01"}, "due_date", "Enter a valid date (YYYY-MM-DD)."),
    ({"label": "x", "due_date": "tomorrow"}, "due_date", "Enter a valid date (YYYY-MM-DD)."),
    ({"label": "x", "project": "abc"}, "project", "Choose an existing project."),
    ({"label": "x", "assignee": "-3"}, "assignee", "Choose an active member."),
])
def test_bad_input_is_refused(client, auth, app, a, data, field, message):
    auth.login(a.admin_email)
    response = client.post(url(a, "tasks/new"), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert count(app, a.id, Task) == 0


def test_other_tenants_project_and_member_are_refused(client, auth, app, tenants):
    foreign_project = make_project(app, tenants.b.id, "B-SECRET")
    auth.login(tenants.a.admin_email)
    response = client.post(url(tenants.a, "tasks/new"), data={
        "label": "x", "project": str(foreign_project),
        "assignee": str(tenants.b.member_membership_id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose an existing project." in html and "Choose an active member." in html
    assert "B-SECRET" not in html and "Member Beta" not in html
    assert count(app, tenants.a.id, Task) == 0 and count(app, tenants.b.id, Task) == 0


def test_inactive_member_cannot_be_assigned(client, auth, app, a):
    set_rights(app, a.id, a.member_membership_id, [], active=False)
    auth.login(a.admin_email)
    response = client.post(url(a, "tasks/new"), data={
        "label": "x", "assignee": str(a.member_membership_id)})
    assert response.status_code == 422 and count(app, a.id, Task) == 0


def test_tick_off_in_one_click_swaps_the_row(htmx, app, a):
    task = make_task(app, a.id, "Ring back", assignee_id=a.admin_membership_id)
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    response = htmx.post(url(a, f"tasks/{task}/done"), data={"done": "1", "next": url(a, "tasks")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(f'<li id="task-{task}"')
    assert "<s>Ring back</s>" in html and 'name="done" value="0"' in html
    done = get(app, a.id, Task, task)
    assert done.done and done.done_at is not None
    # A second click of the same button changes nothing; the other one reopens.
    htmx.post(url(a, f"tasks/{task}/done"), data={"done": "1"})
    assert get(app, a.id, Task, task).done_at == done.done_at
    htmx.post(url(a, f"tasks/{task}/done"), data={"done": "0"})
    reopened = get(app, a.id, Task, task)
    assert not reopened.done and reopened.done_at is None


def test_tick_off_without_javascript_goes_back(client, auth, app, a):
    project = make_project(app, a.id)
    task = make_task(app, a.id, project_id=project)
    auth.login(a.admin_email)
    back = client.post(url(a, f"tasks/{task}/done"),
                       data={"done": "1", "next": url(a, str(project))})
    assert back.status_code == 303 and back.headers["Location"] == url(a, str(project))
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = client.post(url(a, f"tasks/{task}/done"), data={"done": "1", "next": evil})
        assert response.headers["Location"] == url(a, "tasks")


def test_edit_task(client, auth, app, a):
    task = make_task(app, a.id, "Old", assignee_id=a.admin_membership_id)
    auth.login(a.admin_email)
    assert 'value="Old"' in client.get(url(a, f"tasks/{task}/edit")).get_data(as_text=True)
    due = (paris_today() + timedelta(days=3)).isoformat()
    response = client.post(url(a, f"tasks/{task}/edit"), data={
        "label": "New", "assignee": str(a.member_membership_id), "due_date": due, "done": "y"})
    assert response.status_code == 303
    saved = get(app, a.id, Task, task)
    assert (saved.label, saved.assignee_id, saved.due_date.isoformat(), saved.done) == (
        "New", a.member_membership_id, due, True)
    assert saved.done_at is not None
    refused = client.post(url(a, f"tasks/{task}/edit"), data={"label": "", "due_date": due})
    assert refused.status_code == 422 and get(app, a.id, Task, task).label == "New"


def test_delete_task_asks_first(client, auth, app, a):
    task = make_task(app, a.id, "Throw away")
    auth.login(a.member_email)
    assert "Throw away" in client.get(url(a, f"tasks/{task}/delete")).get_data(as_text=True)
    assert count(app, a.id, Task) == 1
    assert client.post(url(a, f"tasks/{task}/delete")).status_code == 303
    assert count(app, a.id, Task) == 0


@pytest.mark.parametrize("method, path", [
    ("get", "tasks/{id}/edit"), ("post", "tasks/{id}/edit"), ("post", "tasks/{id}/done"),
    ("get", "tasks/{id}/delete"), ("post", "tasks/{id}/delete"),
])
def test_another_tenants_task_is_404(client, auth, app, tenants, method, path):
    foreign = make_task(app, tenants.b.id, "B secret task")
    auth.login(tenants.a.admin_email)
    response = getattr(client, method)(url(tenants.a, path.format(id=foreign)),
                                       data={"label": "hijacked", "done": "1"})
    assert response.status_code == 404 and b"B secret task" not in response.data
    kept = get(app, tenants.b.id, Task, foreign)
    assert kept.label == "B secret task" and not kept.done


@pytest.mark.parametrize("method, path", [
    ("get", "tasks/new"), ("post", "tasks/new"), ("get", "tasks/{id}/edit"),
    ("post", "tasks/{id}/edit"), ("post", "tasks/{id}/done"), ("get", "tasks/{id}/delete"),
    ("post", "tasks/{id}/delete"), ("post", "{project}/tasks"),
])
def test_writing_tasks_needs_a_planning_right(client, auth, app, a, method, path):
    project = make_project(app, a.id)
    task = make_task(app, a.id, "Kept")
    set_rights(app, a.id, a.member_membership_id, [READ_ALL_EXCHANGES])
    auth.login(a.member_email)
    response = getattr(client, method)(url(a, path.format(id=task, project=project)),
                                       data={"label": "Changed", "done": "1"})
    assert response.status_code == 403
    kept = get(app, a.id, Task, task)
    assert (kept.label, kept.done, count(app, a.id, Task)) == ("Kept", False, 1)
    page = client.get(url(a, "tasks"))
    assert page.status_code == 200 and "New task" not in page.get_data(as_text=True)


def test_writing_exchanges_is_enough_for_tasks(client, auth, app, a):
    set_rights(app, a.id, a.member_membership_id, [WRITE_EXCHANGES])
    auth.login(a.member_email)
    assert client.post(url(a, "tasks/new"), data={"label": "Mine"}).status_code == 303
    assert client.get(url(a, "new")).status_code == 403  # but not projects


def test_posts_without_the_csrf_token_are_refused(client, auth, app, a, monkeypatch):
    import re

    from ct.models import Event, Project

    task = make_task(app, a.id, "Kept")
    auth.login(a.admin_email)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    forged = [
        (url(a, "new"), {"reference": "R", "title": "T"}),
        (url(a, "tasks/new"), {"label": "x"}),
        (url(a, f"tasks/{task}/done"), {"done": "1"}),
        (url(a, f"tasks/{task}/delete"), {}),
        (f"/t/{a.slug}/agenda/new", {"title": "x", "starts_at": "2031-01-01T10:00"}),
    ]
    for path, data in forged:
        assert client.post(path, data=data).status_code == 400, path
    assert count(app, a.id, Project) == count(app, a.id, Event) == 0
    assert count(app, a.id, Task) == 1 and not get(app, a.id, Task, task).done
    # The token htmx sends from <body> is accepted.
    page = client.get(url(a, "tasks")).get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post(url(a, f"tasks/{task}/done"), data={"done": "1"},
                           headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200 and get(app, a.id, Task, task).done
