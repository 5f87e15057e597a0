"""The assignee of a task is emailed (task_assigned) when the task is created for them or
handed over to them by someone else — never for a task they gave themselves."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.emails.notify import notify_task_assigned
from ct.extensions import db
from ct.models import Membership, Project, Task
from tests.planning_data import make_project, make_task
from tests.smtp import outbox
from tests.test_notify import add_member, parts


@pytest.fixture
def a(tenants):
    return tenants.a


def url(tenant, path):
    return f"/t/{tenant.slug}/projects/{path}"


def test_a_task_created_for_someone_else_emails_them_in_their_language(
        client, auth, app, a, smtp, run_worker):
    project = make_project(app, a.id, reference="P-7", title="New website")
    auth.login(a.admin_email)
    response = client.post(url(a, "tasks/new"), data={
        "label": "Send the <quote>", "project": str(project),
        "assignee": str(a.member_membership_id), "due_date": "2030-05-04"})
    assert response.status_code == 303

    [row] = outbox(app)
    assert (row.kind, row.to_email, row.tenant_id) == ("task_assigned", a.member_email, a.id)
    run_worker()

    [mail] = smtp.received
    assert mail.message["Subject"] == "Nouvelle tâche : Send the <quote>"
    text, html = parts(mail)
    assert "Admin Alpha Conseil vous a confié une tâche :" in text
    assert "Projet : P-7 — New website" in text and "Échéance : 4 mai 2030" in text
    assert f"http://ct.test/t/{a.slug}/projects/tasks" in text
    assert "Send the &lt;quote&gt;" in html


def test_no_email_for_a_task_of_ones_own_or_unassigned(client, auth, app, a):
    auth.login(a.admin_email)
    for assignee in (str(a.admin_membership_id), ""):
        response = client.post(url(a, "tasks/new"), data={"label": "Mine",
                                                          "assignee": assignee})
        assert response.status_code == 303
    assert outbox(app) == []


def test_quick_add_on_a_project_card_emails_the_assignee(htmx, auth, app, a):
    project = make_project(app, a.id)
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    response = htmx.post(url(a, f"{project}/tasks"), data={
        "label": "Call the architect", "assignee": str(a.member_membership_id)})
    assert response.status_code == 200
    assert [(r.kind, r.to_email) for r in outbox(app)] == [("task_assigned", a.member_email)]


def test_editing_emails_only_a_new_assignee(client, auth, app, a):
    emma = add_member(app, a.id, "emma@alpha.fr", "Emma Stone", language="en")
    task = make_task(app, a.id, label="Call back", assignee_id=a.member_membership_id)
    auth.login(a.admin_email)

    def edit(assignee, label="Call back"):
        response = client.post(url(a, f"tasks/{task}/edit"), data={
            "label": label, "assignee": str(assignee)})
        assert response.status_code == 303

    edit(a.member_membership_id, label="Call back today")  # same assignee: nothing
    edit(a.admin_membership_id)  # taken over by the admin, who edits: nothing
    assert outbox(app) == []
    edit(emma)  # handed to Emma: she is told, in English

    [row] = outbox(app)
    assert (row.to_email, row.subject) == ("emma@alpha.fr", "New task: Call back")
    assert "Admin Alpha Conseil assigned you a task:" in row.body_text


def test_a_refused_form_sends_nothing(client, auth, app, a, tenants):
    auth.login(a.admin_email)
    response = client.post(url(a, "tasks/new"), data={
        "label": "x" * 300, "assignee": str(a.member_membership_id)})
    assert response.status_code == 422
    response = client.post(url(a, "tasks/new"), data={  # another tenant's member
        "label": "Call", "assignee": str(tenants.b.member_membership_id)})
    assert response.status_code == 422
    assert outbox(app) == []


def test_the_function_for_other_forms(app, a):
    """The exchange form creates tasks too: it calls notify_task_assigned itself."""
    gone = add_member(app, a.id, "gone@alpha.fr", "Former Member", active=False)
    with app.app_context(), bound_tenant(a.id):
        admin = db.session.scalar(select(Membership).where(
            Membership.id == a.admin_membership_id))
        project = Project(reference="P-1", title="Site")
        db.session.add(project)
        db.session.flush()
        for assignee, expected in ((a.member_membership_id, True), (gone, False),
                                   (admin.id, False), (None, False)):
            task = Task(label="Follow up", assignee_id=assignee, project_id=project.id,
                        done=False)
            db.session.add(task)
            db.session.flush()
            assert notify_task_assigned(task, admin) is expected
        db.session.commit()
    [row] = outbox(app)
    assert row.to_email == a.member_email and "Projet : P-1 — Site" in row.body_text
