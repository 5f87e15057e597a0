"""The API's tiers list costs the same few statements for 1 row or 100 (no N+1)."""

from __future__ import annotations

from tests.api_support import bearer, issue_token
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
