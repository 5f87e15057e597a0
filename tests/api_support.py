"""Helpers of the REST API tests: a member's token, requests that carry it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ct.core.permissions import (
    DELETE_EXCHANGES,
    DELETE_TIERS,
    MANAGE_RECORDS,
    PLAN_RIGHTS,
    WRITE_EXCHANGES,
)
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ApiToken, Membership


def issue_token(app, tenant_id: int, membership_id: int, name: str = "script") -> str:
    with app.app_context(), bound_tenant(tenant_id):
        member = db.session.scalar(select(Membership).where(Membership.id == membership_id))
        _row, token = ApiToken.issue(member, name)
        db.session.commit()
        return token


@pytest.fixture
def token(app, tenants):
    """A token of company A's administrator (tests of a module may define their own)."""
    return issue_token(app, tenants.a.id, tenants.a.admin_membership_id)


def count_rows(app, tenant_id: int, model, *where) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def bearer(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}


# Every route and method of the API, and the right it needs (None: any member; a tuple:
# any one of these rights, as the agenda and task pages ask).
# tests/test_api_tiers.py checks the table is complete; each resource's tests send
# every row of its own without the right.
API_RIGHTS = {
    ("api_tiers.list_tiers", "GET"): None,
    ("api_tiers.get_tiers", "GET"): None,
    ("api_tiers.create_tiers", "POST"): MANAGE_RECORDS,
    ("api_tiers.update_tiers", "PATCH"): MANAGE_RECORDS,
    ("api_tiers.delete_tiers", "DELETE"): DELETE_TIERS,
    ("api_contacts.list_contacts", "GET"): None,
    ("api_contacts.get_contact", "GET"): None,
    ("api_contacts.create_contact", "POST"): MANAGE_RECORDS,
    ("api_contacts.update_contact", "PATCH"): MANAGE_RECORDS,
    ("api_contacts.delete_contact", "DELETE"): DELETE_TIERS,
    ("api_exchanges.list_exchanges", "GET"): None,
    ("api_exchanges.get_exchange", "GET"): None,
    ("api_exchanges.create_exchange", "POST"): WRITE_EXCHANGES,
    ("api_exchanges.update_exchange", "PATCH"): WRITE_EXCHANGES,
    ("api_exchanges.delete_exchange", "DELETE"): DELETE_EXCHANGES,
    ("api_events.list_events", "GET"): None,
    ("api_events.get_event", "GET"): None,
    ("api_events.create_event", "POST"): PLAN_RIGHTS,
    ("api_events.update_event", "PATCH"): PLAN_RIGHTS,
    ("api_events.delete_event", "DELETE"): PLAN_RIGHTS,
    ("api_tasks.list_tasks", "GET"): None,
    ("api_tasks.get_task", "GET"): None,
    ("api_tasks.create_task", "POST"): PLAN_RIGHTS,
    ("api_tasks.update_task", "PATCH"): PLAN_RIGHTS,
    ("api_tasks.delete_task", "DELETE"): PLAN_RIGHTS,
    ("api_lists.modes", "GET"): None,
    ("api_lists.objects", "GET"): None,
    ("api_members.list_members", "GET"): None,
}


def refusals_without(client, member: str, right: str | tuple, prefix: str | tuple,
                     urls: dict, record_url: str, bodies: dict) -> list[str]:
    """Every route of API_RIGHTS under ``prefix`` sent with the token of a member
    lacking ``right`` (or all the rights of a tuple): the ones needing it must be 403
    problems, the others must serve.
    ``urls`` names the URL of the routes without a record (else ``record_url``)."""
    wrong = []
    for (endpoint, method), needed in API_RIGHTS.items():
        if not endpoint.startswith(prefix):
            continue
        url = urls.get(endpoint, record_url)
        response = client.open(url, method=method, json=bodies.get(method),
                               headers=bearer(member))
        refused = response.status_code == 403 and \
            response.mimetype == "application/problem+json"
        if (needed == right) != refused or (not refused and response.status_code >= 400):
            wrong.append(f"{method} {url}: {response.status_code}")
    return wrong
