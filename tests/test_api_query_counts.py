"""The API's tiers list costs the same few statements for 1 row or 100 (no N+1)."""

from __future__ import annotations

from tests.api_support import bearer, issue_token
from tests.exchange_data import add, world  # noqa: F401 — the fixture
from tests.sql_count import counting_queries

API = "/api/v1/tiers/"


def _statements(app, client, token) -> int:
    client.get(API, headers=bearer(token))  # the token's last use written: once a minute
    with counting_queries(app) as seen:
        response = client.get(API, query_string={"limit": 100}, headers=bearer(token))
    assert response.status_code == 200
    return len(seen)


def test_the_list_does_not_grow_with_its_rows(app, client, tenants):
    token = issue_token(app, tenants.a.id, tenants.a.admin_membership_id)
    client.post(API, json={"name": "Seul", "sales_rep_id": tenants.a.member_membership_id},
                headers=bearer(token))
    one = _statements(app, client, token)
    for n in range(30):
        client.post(API, json={"name": f"Client {n}",
                               "sales_rep_id": tenants.a.member_membership_id},
                    headers=bearer(token))
    assert _statements(app, client, token) == one
    assert one <= 4, one  # the tenant set, the token with its member, the company, the page


def _counted(app, client, token, url) -> int:
    with counting_queries(app) as seen:
        response = client.get(url, headers=bearer(token))
    assert response.status_code == 200
    return len(seen)


def test_the_contacts_lists_and_members_do_not_grow_with_their_rows(app, client, tenants):
    token = issue_token(app, tenants.a.id, tenants.a.admin_membership_id)
    tiers = client.post(API, json={"name": "Dupont"}, headers=bearer(token)).json["id"]
    client.post("/api/v1/contacts/", json={"last_name": "Seul", "tiers_id": tiers},
                headers=bearer(token))
    client.get(API, headers=bearer(token))  # the token's last use written: once a minute
    urls = ("/api/v1/contacts/?limit=100", f"/api/v1/contacts/?limit=100&tiers={tiers}",
            "/api/v1/members/",
            "/api/v1/lists/modes", "/api/v1/lists/objects")
    one = {url: _counted(app, client, token, url) for url in urls}
    for n in range(30):
        client.post("/api/v1/contacts/", json={"last_name": f"Martin {n}", "tiers_id": tiers},
                    headers=bearer(token))
    with app.app_context():
        from ct.auth import accounts
        from ct.core.permissions import ROLE_MEMBER
        from ct.core.tenancy import bound_tenant
        from ct.extensions import db
        from ct.models import Membership

        with bound_tenant(tenants.a.id):
            for n in range(5):
                Membership.create(accounts.create_user(f"m{n}@alpha.fr", f"M {n}",
                                                       "correct horse battery", "fr"),
                                  ROLE_MEMBER)
            db.session.commit()
    assert {url: _counted(app, client, token, url) for url in urls} == one
    # The tenant set, the token with its member, the company, the page (the third party
    # of the filter: one more); the lists come from the company's cache.
    assert one[urls[0]] <= 4 and one[urls[1]] <= 5, one
    assert one["/api/v1/members/"] <= 4 and one["/api/v1/lists/modes"] <= 4, one


def test_the_exchanges_list_does_not_grow_with_its_rows(app, client, world):  # noqa: F811
    """A page of 100 exchanges, each with contacts, collaborators and a confidential
    comment shared with a group: the same statements as a page of one."""
    w = world
    token = issue_token(app, w.tenant_id, w.member_id)  # in the group: reads them

    def one_exchange(n):
        add(w, w.tiers["dupont"], w.admin_id, minutes=n, comment=f"EX{n}",
            contacts=[w.contacts["jeanne"], w.contacts["paul"]],
            collaborators=[w.member_id, w.restricted_id], confidential_comment="secret",
            confidential_group_id=w.group_id)

    one_exchange(0)
    url = "/api/v1/exchanges/?limit=100"
    client.get(url, headers=bearer(token))  # the token's last use written: once a minute
    one = _counted(app, client, token, url)
    for n in range(1, 120):
        one_exchange(n)
    assert _counted(app, client, token, url) == one
    filtered = f"{url}&tiers={w.tiers['dupont']}&contact={w.contacts['jeanne']}"
    # The tenant set, the token with its member, the company, the page, its contacts
    # and collaborators, the member's groups; the filters' lists come from the cache,
    # the filtered third party and contact one statement each.
    assert one <= 7 and _counted(app, client, token, filtered) <= one + 2, one



def _events_and_tasks(app, tenant_id: int, count: int, tiers: int, contacts: list[int],
                      members: list[int]) -> None:
    """``count`` events, each with its contacts and assignees, and ``count`` tasks."""
    from datetime import UTC, date, datetime, timedelta

    from ct.core.tenancy import bound_tenant
    from ct.extensions import db
    from ct.models import Event, EventAssignee, EventContact, Task

    start = datetime(2030, 1, 1, 9, tzinfo=UTC)
    with app.app_context(), bound_tenant(tenant_id):
        for n in range(count):
            db.session.add(Event(
                title=f"RDV {n}", starts_at=start + timedelta(hours=n),
                ends_at=start + timedelta(hours=n + 1), tiers_id=tiers,
                contact_links=[EventContact(contact_id=c) for c in contacts],
                assignee_links=[EventAssignee(membership_id=m) for m in members]))
            db.session.add(Task(label=f"Tâche {n}", assignee_id=members[0], done=False,
                                due_date=date(2030, 1, 1) + timedelta(days=n % 20)))
        db.session.commit()


def test_the_events_and_tasks_lists_do_not_grow_with_their_rows(app, client, tenants):
    """A page of 100 events, each with contacts and assignees, and a page of 100 tasks:
    the same statements as a page of one."""
    token = issue_token(app, tenants.a.id, tenants.a.admin_membership_id)
    tiers = client.post(API, json={"name": "Dupont"}, headers=bearer(token)).json["id"]
    contacts = [client.post("/api/v1/contacts/", json={"last_name": f"C{n}", "tiers_id": tiers},
                            headers=bearer(token)).json["id"] for n in range(2)]
    members = [tenants.a.admin_membership_id, tenants.a.member_membership_id]
    _events_and_tasks(app, tenants.a.id, 1, tiers, contacts, members)
    urls = ("/api/v1/events/?limit=100", f"/api/v1/events/?limit=100&who=all&tiers={tiers}",
            "/api/v1/tasks/?limit=100",
            f"/api/v1/tasks/?limit=100&assignee={members[0]}&done=false",
            "/api/v1/tasks/?limit=100&assignee=mine")
    client.get(API, headers=bearer(token))  # the token's last use written: once a minute
    one = {url: _counted(app, client, token, url) for url in urls}
    _events_and_tasks(app, tenants.a.id, 120, tiers, contacts, members)
    assert {url: _counted(app, client, token, url) for url in urls} == one
    full = client.get(urls[0], headers=bearer(token)).json["items"]
    assert len(full) == 100 and all(len(e["contact_ids"]) == 2 for e in full)
    # The tenant set, the token with its member, the company, the page; the events'
    # contact and assignee links; a filter's third party or member: one more.
    assert one[urls[0]] <= 6 and one[urls[1]] <= 7, one
    assert one[urls[2]] <= 4 and one[urls[3]] <= 5 and one[urls[4]] <= 4, one
