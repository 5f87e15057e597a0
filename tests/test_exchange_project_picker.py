"""The project selects of the exchange form and the task form: every open project while
there are few, a search box beside each select once a company has more than OPTIONS_MAX
of them."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Project, Task
from ct.web.lookups import OPTIONS_MAX
from tests.exchange_records import exchange_data, only_exchange, records  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def admin(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


def add_open_projects(app, tenant_id: int, count: int) -> None:
    with app.app_context(), bound_tenant(tenant_id):
        db.session.add_all(Project(reference=f"GEN-{n:04d}", title=f"Chantier numéro {n}")
                           for n in range(count))
        db.session.commit()


def project_options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"', select)


def test_few_open_projects_are_all_listed_without_a_search_box(client, admin, records):
    a = records.a
    html = client.get(f"/t/{admin.slug}/exchanges/new").get_data(as_text=True)
    assert project_options(html, "project_id") == ["", str(a.project)]
    assert project_options(html, "task_project_id") == ["", str(a.project)]
    assert 'name="project_id_q"' not in html


def test_past_the_threshold_each_select_gets_a_search_box(app, client, admin, records):
    a = records.a
    add_open_projects(app, admin.id, OPTIONS_MAX)  # with PRJ-1: one more than listed
    html = client.get(f"/t/{admin.slug}/exchanges/new").get_data(as_text=True)
    assert project_options(html, "project_id") == [""]
    assert project_options(html, "task_project_id") == [""]
    for name in ("project_id_q", "task_project_id_q"):
        box = re.search(rf'<input type="search" name="{name}"[^>]*>', html).group(0)
        assert f'hx-get="/t/{admin.slug}/projects/project-options"' in box
        assert "data-options-search" in box

    # A project given by the page that opened the form is still chosen.
    html = client.get(f"/t/{admin.slug}/exchanges/new?project={a.project}").get_data(
        as_text=True)
    assert project_options(html, "project_id") == ["", str(a.project)]
    assert f'<option value="{a.project}" selected>' in html


def test_an_edited_exchange_keeps_its_closed_project(app, client, admin, records):
    a = records.a
    add_open_projects(app, admin.id, OPTIONS_MAX + 5)
    client.post(f"/t/{admin.slug}/exchanges/new",
                data=exchange_data(a, project_id=str(a.closed_project)))
    exchange_id = only_exchange(app, admin.id).id
    html = client.get(f"/t/{admin.slug}/exchanges/{exchange_id}/edit").get_data(as_text=True)
    assert project_options(html, "project_id") == ["", str(a.closed_project)]


def test_the_search_matches_reference_or_title_accents_ignored(app, client, admin, records):
    a, b = records.a, records.b
    add_open_projects(app, admin.id, OPTIONS_MAX)
    url = f"/t/{admin.slug}/projects/project-options"
    found = client.get(f"{url}?project_id_q=DEPLOI").get_data(as_text=True)
    assert re.findall(r'<option value="(\d*)"', found) == ["", str(a.project)]
    assert "PRJ-1 — Déploiement" in found
    assert str(b.project) not in re.findall(r'value="(\d+)"', found)  # same title, other tenant

    by_reference = client.get(f"{url}?task_project_id_q=gen-001"
                              ).get_data(as_text=True)
    labels = re.findall(r">(GEN-\d+) —", by_reference)
    assert labels == [f"GEN-{n:04d}" for n in range(10, 20)]

    many = client.get(f"{url}?project_id_q=chantier").get_data(as_text=True)
    assert len(re.findall(r'<option value="\d+"', many)) == 20  # the first 20, in order
    assert "GEN-0000" in many and "GEN-0020" not in many

    closed = client.get(f"{url}?project_id_q=ancien").get_data(as_text=True)
    assert re.findall(r'<option value="(\d*)"', closed) == [""]  # closed: not offered


def test_the_search_keeps_the_chosen_project_but_never_another_tenants(
        client, admin, records):
    a, b = records.a, records.b
    url = f"/t/{admin.slug}/projects/project-options?project_id_q=zzz"
    kept = client.get(f"{url}&project_id={a.closed_project}").get_data(as_text=True)
    assert re.findall(r'<option value="(\d*)"', kept) == ["", str(a.closed_project)]
    assert f'<option value="{a.closed_project}" selected>' in kept
    for bad in (str(b.project), "abc", "99999999999"):
        html = client.get(f"{url}&project_id={bad}").get_data(as_text=True)
        assert re.findall(r'<option value="(\d*)"', html) == [""]


def test_a_project_found_by_the_search_is_saved(app, client, admin, records):
    a = records.a
    add_open_projects(app, admin.id, OPTIONS_MAX)
    found = client.get(f"/t/{admin.slug}/projects/project-options"
                       "?project_id_q=0042").get_data(as_text=True)
    project_id = re.search(r'<option value="(\d+)">GEN-0042', found).group(1)
    response = client.post(f"/t/{admin.slug}/exchanges/new",
                           data=exchange_data(a, project_id=project_id))
    assert response.status_code in (200, 303)
    assert only_exchange(app, admin.id).project_id == int(project_id)


def test_the_task_form_has_the_same_search_box(app, client, admin, records):
    a = records.a
    tasks = f"/t/{admin.slug}/projects/tasks/new"
    few = client.get(f"{tasks}?project={a.project}").get_data(as_text=True)
    assert project_options(few, "project") == ["", str(a.project)]
    assert 'name="project_q"' not in few

    add_open_projects(app, admin.id, OPTIONS_MAX)
    html = client.get(f"{tasks}?project={a.project}").get_data(as_text=True)
    assert project_options(html, "project") == ["", str(a.project)]  # only the chosen one
    box = re.search(r'<input type="search" name="project_q"[^>]*>', html).group(0)
    assert f'hx-get="/t/{admin.slug}/projects/project-options"' in box

    found = client.get(f"/t/{admin.slug}/projects/project-options"
                       f"?project_q=0042&project={a.project}").get_data(as_text=True)
    project_id = re.search(r'<option value="(\d+)">GEN-0042', found).group(1)
    assert f'<option value="{a.project}" selected>' in found  # the chosen one stays
    response = client.post(tasks, data={"label": "Relancer", "project": project_id})
    assert response.status_code == 303
    with app.app_context(), bound_tenant(admin.id):
        task = db.session.scalar(select(Task))
        assert task.project_id == int(project_id)
    edit = client.get(f"/t/{admin.slug}/projects/tasks/{task.id}/edit").get_data(as_text=True)
    assert project_options(edit, "project") == ["", project_id]
