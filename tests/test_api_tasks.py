"""REST API v1, tasks: filters (assignee or mine, done, project) as cursor pages in due
order, the task form's field errors as problem+json, the assignee's email through the
outbox, Idempotency-Key, If-Match, a deletion that unlinks the follow-ups, the planning
rights, another company's ids; the documented headers of every resource."""

from __future__ import annotations

from ct.core.permissions import PLAN_RIGHTS, RIGHTS, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange, Project, Task, TrashItem
from tests.admin_support import set_rights
from tests.api_support import bearer, count_rows, issue_token, refusals_without
from tests.auth_support import outbox

API = "/api/v1/tasks/"
PROBLEM = "application/problem+json"


def _project(app, tenant_id: int, reference: str = "PRJ-1") -> int:
    with app.app_context(), bound_tenant(tenant_id):
        project = Project(reference=reference, title=f"Projet {reference}")
        db.session.add(project)
        db.session.commit()
        return project.id


def _post(client, token, **fields):
    response = client.post(API, json=fields, headers=bearer(token))
    assert response.status_code == 201, response.json
    return response.json


def _labels(client, token, **query) -> list[str]:
    response = client.get(API, query_string=query, headers=bearer(token))
    assert response.status_code == 200, response.json
    return [t["label"] for t in response.json["items"]]


def test_filters_and_cursor_pages_in_due_order_without_duplicates(app, client, tenants, token):
    project = _project(app, tenants.a.id)
    member = tenants.a.member_membership_id
    _post(client, token, label="Sans date", project_id=project)  # no due date: last
    for n in range(6):  # two per day: the id breaks the tie
        _post(client, token, label=f"Tâche {n}", due_date=f"2030-01-{10 + n // 2:02}",
              project_id=project)
    _post(client, token, label="Au membre", assignee_id=member, due_date="2030-01-01")
    _post(client, token, label="Faite", done=True, due_date="2029-12-01")
    seen, cursor = [], None
    while True:
        query = {"project": project, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(API, query_string=query, headers=bearer(token)).json
        assert len(page["items"]) <= 3
        seen += [t["label"] for t in page["items"]]
        # A task added meanwhile before the cursor never makes a row come twice.
        _post(client, token, label="Ajoutée", due_date="2029-01-01", project_id=project)
        if (cursor := page["next"]) is None:
            break
    assert seen == [f"Tâche {n}" for n in range(6)] + ["Sans date"]
    assert _labels(client, token, assignee=member) == ["Au membre"]
    assert "Au membre" not in _labels(client, token, assignee="mine", limit=100)
    assert _labels(client, token, done="true") == ["Faite"]
    assert "Faite" not in _labels(client, token, done="false", limit=100)
    broken = client.get(API, query_string={"cursor": "bm90LWEtY3Vyc29y"}, headers=bearer(token))
    assert broken.status_code == 422 and "cursor" in broken.json["errors"]
    bad = client.get(API, query_string={"assignee": "them", "done": "maybe", "project": "x",
                                        "limit": 0}, headers=bearer(token))
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    assert set(bad.json["errors"]) == {"assignee", "done", "project", "limit"}


def test_mine_is_my_tasks_and_the_ones_i_wrote_for_nobody(app, client, tenants, token):
    member = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    _post(client, token, label="À moi")
    _post(client, token, label="Pour personne", assignee_id=None)
    _post(client, member, label="Du membre pour personne", assignee_id=None)
    assert _labels(client, token, assignee="mine") == ["À moi", "Pour personne"]


def test_the_assignee_is_emailed_through_the_outbox(app, client, tenants, token):
    mine = _post(client, token, label="Pour moi", due_date="2030-02-01")
    assert mine["assignee_id"] == tenants.a.admin_membership_id  # the page's default
    assert outbox(app, kind="task_assigned") == []  # one's own task: no email
    theirs = _post(client, token, label="Pour Arthur", assignee_id=tenants.a.member_membership_id)
    sent = outbox(app, kind="task_assigned")
    assert [(e.to_email, e.tenant_id) for e in sent] == [(tenants.a.member_email, tenants.a.id)]
    assert "Pour Arthur" in sent[0].body_text
    url = f"{API}{mine['id']}"
    client.patch(url, json={"label": "Renommée"}, headers=bearer(token))
    assert len(outbox(app, kind="task_assigned")) == 1  # the same assignee: no email
    moved = client.patch(url, json={"assignee_id": tenants.a.member_membership_id},
                         headers=bearer(token))
    assert moved.status_code == 200
    assert [e.to_email for e in outbox(app, kind="task_assigned")] == \
        [tenants.a.member_email] * 2  # a new assignee: emailed, as the page
    client.patch(f"{API}{theirs['id']}", json={"done": True}, headers=bearer(token))
    assert len(outbox(app, kind="task_assigned")) == 2


def test_field_errors_come_from_the_pages_form(app, client, tenants, token):
    b_project = _project(app, tenants.b.id, "B-1")
    nothing = client.post(API, json={}, headers=bearer(token))
    assert nothing.status_code == 422 and nothing.mimetype == PROBLEM
    assert nothing.json["errors"]["label"] == ["This field is required."]
    strangers = client.post(API, headers=bearer(token), json={
        "label": "X", "project_id": b_project, "assignee_id": tenants.b.admin_membership_id})
    assert strangers.json["errors"] == {"project_id": ["Choose an existing project."],
                                        "assignee_id": ["Choose an active member."]}
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [], active=False)
    left = client.post(API, headers=bearer(token), json={
        "label": "X", "assignee_id": tenants.a.member_membership_id})
    assert left.json["errors"] == {"assignee_id": ["Choose an active member."]}
    for day in ("1899-12-31", "2030-02-30", "demain"):
        wrong = client.post(API, json={"label": "X", "due_date": day}, headers=bearer(token))
        assert wrong.status_code == 422 and "due_date" in wrong.json["errors"], day
    assert count_rows(app, tenants.a.id, Task) == 0
    assert outbox(app, kind="task_assigned") == []


def test_a_retried_create_with_the_same_key_makes_one_task_and_one_email(
        app, client, tenants, token):
    headers = bearer(token, **{"Idempotency-Key": "crm-task-7"})
    body = {"label": "Une fois", "assignee_id": tenants.a.member_membership_id}
    first = client.post(API, json=body, headers=headers)
    again = client.post(API, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == f"{API}{first.json['id']}"
    assert count_rows(app, tenants.a.id, Task, Task.label == "Une fois") == 1
    assert len(outbox(app, kind="task_assigned")) == 1


def test_a_patch_ticks_off_and_a_stale_one_is_412(client, token):
    made = _post(client, token, label="Version 1", due_date="2030-03-01")
    url = f"{API}{made['id']}"
    tag = client.get(url, headers=bearer(token)).headers["ETag"]
    ok = client.patch(url, json={"done": True}, headers=bearer(token, **{"If-Match": tag}))
    assert ok.status_code == 200 and ok.json["done"] is True and ok.json["done_at"]
    assert (ok.json["label"], ok.json["due_date"]) == ("Version 1", "2030-03-01")
    assert ok.headers["ETag"] != tag
    stale = client.patch(url, json={"label": "Écrase"},
                         headers=bearer(token, **{"If-Match": tag}))
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    assert client.get(url, headers=bearer(token)).json["label"] == "Version 1"
    assert client.delete(url, headers=bearer(token, **{"If-Match": tag})).status_code == 412
    reopened = client.patch(url, json={"done": False, "due_date": None}, headers=bearer(token))
    assert reopened.json["done_at"] is None and reopened.json["due_date"] is None


def test_delete_unlinks_the_follow_ups_and_deletes_for_good(app, client, tenants, token):
    tiers = client.post("/api/v1/tiers/", json={"name": "Dupont"}, headers=bearer(token))
    made = _post(client, token, label="Rappeler")
    exchange = client.post("/api/v1/exchanges/", headers=bearer(token), json={
        "tiers_id": tiers.json["id"], "occurred_at": "2026-03-10T10:00:00+01:00"}).json["id"]
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.get(Exchange, exchange).task_id = made["id"]  # its follow-up
        db.session.commit()
    assert client.delete(f"{API}{made['id']}", headers=bearer(token)).status_code == 204
    assert client.get(f"{API}{made['id']}", headers=bearer(token)).status_code == 404
    assert count_rows(app, tenants.a.id, Task) == count_rows(app, tenants.a.id, TrashItem) == 0
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.get(Exchange, exchange).task_id is None  # the exchange stays


def test_another_companys_task_is_404(app, client, tenants, token):
    theirs = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    b_task = _post(client, theirs, label="Secret")["id"]
    b_project = _project(app, tenants.b.id, "B-1")
    url = f"{API}{b_task}"
    assert client.get(url, headers=bearer(token)).status_code == 404
    assert client.patch(url, json={"label": "x"}, headers=bearer(token)).status_code == 404
    assert client.delete(url, headers=bearer(token)).status_code == 404
    for query in ({"project": b_project}, {"assignee": tenants.b.admin_membership_id}):
        assert client.get(API, query_string=query, headers=bearer(token)).status_code == 404
    assert client.get(API, headers=bearer(token)).json["items"] == []
    assert client.get(url, headers=bearer(theirs)).json["label"] == "Secret"


def test_a_member_without_the_planning_rights_is_refused_by_every_write(
        app, client, tenants, token):
    made = _post(client, token, label="Gardée")
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, set(RIGHTS) - set(PLAN_RIGHTS))
    member = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    bodies = {"POST": {"label": "Refusée"}, "PATCH": {"label": "Refusée"}}
    urls = {"api_tasks.list_tasks": API, "api_tasks.create_task": API}
    assert not refusals_without(client, member, PLAN_RIGHTS, "api_tasks.", urls,
                                f"{API}{made['id']}", bodies)
    assert count_rows(app, tenants.a.id, Task, Task.label == "Refusée") == 0
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, [WRITE_EXCHANGES])
    assert client.post(API, json=bodies["POST"], headers=bearer(member)).status_code == 201


def test_every_resource_documents_its_etag_and_location_and_the_reference_shows_them(client):
    spec = client.get("/api/v1/openapi.json").json
    for resource, record in (("tiers", "tiers_id"), ("contacts", "contact_id"),
                             ("exchanges", "exchange_id"), ("events", "event_id"),
                             ("tasks", "task_id")):
        item = spec["paths"][f"/api/v1/{resource}/{{{record}}}"]
        for method in ("get", "patch"):
            assert item[method]["responses"]["200"]["headers"]["ETag"]["required"], \
                (resource, method)
        created = spec["paths"][f"/api/v1/{resource}/"]["post"]["responses"]["201"]
        assert created["headers"]["Location"]["required"], resource
        assert {"403", "404", "412"} <= set(item["patch"]["responses"])
    page = client.get("/api/v1/")
    assert page.status_code == 200
    for path in (b"/api/v1/events/{event_id}", b"/api/v1/tasks/{task_id}"):
        assert path in page.data
