"""Projects: create, edit, close and reopen, delete; bad input, rights, other tenants."""

import pytest

from ct.core.permissions import MANAGE_RECORDS, READ_ALL_EXCHANGES, WRITE_EXCHANGES
from ct.models import Project, Task
from tests.admin_support import set_rights
from tests.planning_data import (
    count,
    get,
    make_project,
    make_task,
    make_tiers,
)

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def a(tenants):
    return tenants.a


def url(tenant, path=""):
    return f"/t/{tenant.slug}/projects/{path}"


def test_create_project_with_tiers(client, auth, app, a):
    tiers = make_tiers(app, a.id, "Dupont SARL")
    auth.login(a.admin_email)
    response = client.post(url(a, "new"), data={
        "reference": " P-2026-01 ", "title": "New website", "tiers": str(tiers),
        "description": "Redesign"})
    assert response.status_code == 303
    project = get(app, a.id, Project, 1)
    assert (project.reference, project.title, project.tiers_id, project.status) == (
        "P-2026-01", "New website", tiers, "open")
    assert project.created_by_id == a.admin_membership_id
    assert response.headers["Location"] == url(a, str(project.id))
    card = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "P-2026-01" in card and "Dupont SARL" in card and "Redesign" in card
    assert 'id="project-exchanges"' in card and "/exchanges/history?project=" in card


def test_tiers_is_optional(client, auth, app, a):
    auth.login(a.admin_email)
    assert client.post(url(a, "new"), data={"reference": "R1", "title": "T", "tiers": ""}
                       ).status_code == 303
    assert get(app, a.id, Project, 1).tiers_id is None


def test_htmx_create_redirects_with_a_header(htmx, app, a):
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    response = htmx.post(url(a, "new"), data={"reference": "R1", "title": "T"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == url(a, "1")


@pytest.mark.parametrize("data, field, message", [
    ({"reference": "", "title": "T"}, "reference", "This field is required."),
    ({"reference": "R", "title": "   "}, "title", "This field is required."),
    ({"reference": "R" * 10_000, "title": "T"}, "reference", "At most 60 characters."),
    ({"reference": "R", "title": "T" * 10_000}, "title", "At most 200 characters."),
    ({"reference": "R", "title": "T", "description": "d" * 10_000}, "description",
     "At most 5000 characters."),
    ({"reference": "R", "title": "T", "tiers": "not-a-number"}, "tiers",
     "Choose an existing third party."),
    ({"reference": "R", "title": "T", "tiers": "99999999999999999999"}, "tiers",
     "Choose an existing third party."),
])
def test_bad_input_is_refused_next_to_the_field(client, auth, app, a, data, field, message):
    auth.login(a.admin_email)
    response = client.post(url(a, "new"), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert count(app, a.id, Project) == 0


def test_another_tenants_tiers_is_refused(client, auth, app, tenants):
    foreign = make_tiers(app, tenants.b.id, "Beta customer")
    auth.login(tenants.a.admin_email)
    response = client.post(url(tenants.a, "new"), data={
        "reference": "R", "title": "T", "tiers": str(foreign)})
    assert response.status_code == 422
    assert "Choose an existing third party." in response.get_data(as_text=True)
    assert count(app, tenants.a.id, Project) == 0
    assert "Beta customer" not in response.get_data(as_text=True)


def test_reference_is_unique_per_tenant(client, auth, app, tenants):
    make_project(app, tenants.a.id, "P-1")
    auth.login(tenants.a.admin_email)
    response = client.post(url(tenants.a, "new"), data={"reference": "P-1", "title": "Again"})
    assert response.status_code == 422
    assert "Another project already has this reference." in response.get_data(as_text=True)
    assert count(app, tenants.a.id, Project) == 1
    auth.logout()
    auth.login(tenants.b.admin_email)  # the same reference in another company is fine
    assert client.post(url(tenants.b, "new"), data={"reference": "P-1", "title": "B"}
                       ).status_code == 303


def test_prefilled_tiers_and_foreign_prefill_ignored(client, auth, app, tenants):
    mine = make_tiers(app, tenants.a.id, "Mine SAS")
    foreign = make_tiers(app, tenants.b.id, "Foreign Ltd")
    auth.login(tenants.a.admin_email)
    html = client.get(url(tenants.a, f"new?tiers={mine}")).get_data(as_text=True)
    assert f'<option selected value="{mine}">Mine SAS</option>' in html
    response = client.get(url(tenants.a, f"new?tiers={foreign}"))
    assert response.status_code == 200
    assert "Foreign Ltd" not in response.get_data(as_text=True)
    assert '<option selected value="">' in response.get_data(as_text=True)


def test_edit_project(client, auth, app, a):
    project = make_project(app, a.id, "P-1", "Old title")
    make_project(app, a.id, "P-2")
    auth.login(a.admin_email)
    form = client.get(url(a, f"{project}/edit")).get_data(as_text=True)
    assert 'value="Old title"' in form
    assert client.post(url(a, f"{project}/edit"), data={"reference": "P-1", "title": "New"}
                       ).status_code == 303
    assert get(app, a.id, Project, project).title == "New"
    taken = client.post(url(a, f"{project}/edit"), data={"reference": "P-2", "title": "New"})
    assert taken.status_code == 422
    assert get(app, a.id, Project, project).reference == "P-1"


def test_close_and_reopen(client, auth, app, a):
    project = make_project(app, a.id)
    auth.login(a.member_email)
    assert client.post(url(a, f"{project}/close")).status_code == 303
    assert get(app, a.id, Project, project).status == "closed"
    assert "Reopen the project" in client.get(url(a, str(project))).get_data(as_text=True)
    assert client.post(url(a, f"{project}/reopen")).status_code == 303
    assert get(app, a.id, Project, project).status == "open"


def test_delete_asks_then_deletes_the_project_and_its_tasks(client, auth, app, a):
    project = make_project(app, a.id, "P-9")
    make_task(app, a.id, "One", project_id=project)
    make_task(app, a.id, "Two", project_id=project)
    loose = make_task(app, a.id, "Not in the project")
    auth.login(a.admin_email)
    confirm = client.get(url(a, f"{project}/delete")).get_data(as_text=True)
    assert "P-9" in confirm and "2 tasks will be deleted too" in confirm
    assert count(app, a.id, Project) == 1  # asking deletes nothing
    assert client.post(url(a, f"{project}/delete")).status_code == 303
    assert count(app, a.id, Project) == 0
    assert count(app, a.id, Task) == 1 and get(app, a.id, Task, loose) is not None


@pytest.mark.parametrize("method, path", [
    ("get", "{id}"), ("get", "{id}/edit"), ("post", "{id}/edit"), ("post", "{id}/close"),
    ("post", "{id}/reopen"), ("get", "{id}/delete"), ("post", "{id}/delete"),
    ("post", "{id}/tasks"),
])
def test_another_tenants_project_is_404(client, auth, app, tenants, method, path):
    foreign = make_project(app, tenants.b.id, "SECRET-REF")
    auth.login(tenants.a.admin_email)
    response = getattr(client, method)(url(tenants.a, path.format(id=foreign)),
                                       data={"reference": "X", "title": "X", "label": "X"})
    assert response.status_code == 404
    assert b"SECRET-REF" not in response.data
    assert get(app, tenants.b.id, Project, foreign).reference == "SECRET-REF"
    assert count(app, tenants.b.id, Task) == 0


@pytest.mark.parametrize("digits", [11, 23, 10_000])
def test_huge_ids_in_urls_are_404_not_500(client, auth, a, digits):
    auth.login(a.admin_email)
    huge = "9" * digits
    for path in (f"projects/{huge}", f"projects/tasks/{huge}/edit", f"agenda/{huge}",
                 f"agenda/{huge}/edit"):
        assert client.get(f"/t/{a.slug}/{path}").status_code == 404, path


@pytest.mark.parametrize("method, path", [
    ("get", "new"), ("post", "new"), ("get", "{id}/edit"), ("post", "{id}/edit"),
    ("post", "{id}/close"), ("post", "{id}/reopen"),
])
def test_creating_and_editing_needs_manage_records(client, auth, app, a, method, path):
    project = make_project(app, a.id, "P-1", "Kept")
    set_rights(app, a.id, a.member_membership_id, [READ_ALL_EXCHANGES, WRITE_EXCHANGES])
    auth.login(a.member_email)
    response = getattr(client, method)(url(a, path.format(id=project)),
                                       data={"reference": "P-2", "title": "Changed"})
    assert response.status_code == 403
    kept = get(app, a.id, Project, project)
    assert (kept.reference, kept.title, kept.status) == ("P-1", "Kept", "open")
    assert count(app, a.id, Project) == 1
    assert client.get(url(a, str(project))).status_code == 200  # reading stays open


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_needs_delete_tiers(client, auth, app, a, method):
    project = make_project(app, a.id)
    auth.login(a.member_email)  # the member preset manages records but does not delete
    assert getattr(client, method)(url(a, f"{project}/delete")).status_code == 403
    assert count(app, a.id, Project) == 1
    assert "Delete" not in client.get(url(a, str(project))).get_data(as_text=True).split(
        'id="project-tasks"')[0]


def test_member_with_manage_records_creates(client, auth, app, a):
    set_rights(app, a.id, a.member_membership_id, [MANAGE_RECORDS])
    auth.login(a.member_email)
    assert client.post(url(a, "new"), data={"reference": "M", "title": "By member"}
                       ).status_code == 303


def test_html_in_fields_is_escaped(client, auth, app, a):
    project = make_project(app, a.id, "<b>REF</b>", "<script>alert(1)</script>")
    auth.login(a.admin_email)
    for page in (url(a), url(a, str(project)), url(a, f"{project}/edit")):
        html = client.get(page).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<b>REF</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
