"""REST API v1, third parties: tokens, filters, cursor pages, field errors as problem+json,
Idempotency-Key, If-Match, the trash, rate limits and the OpenAPI document."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from sqlalchemy import func, select

from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, RIGHTS
from ct.core.tenancy import bound_tenant
from ct.extensions import db, limiter
from ct.models import ApiIdempotencyKey, ApiToken, Tiers, TrashItem
from tests.admin_support import set_rights
from tests.api_support import API_RIGHTS, bearer, issue_token, refusals_without

API = "/api/v1/tiers/"
PROBLEM = "application/problem+json"


def _count(app, tenant_id, model, *where) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(model.id)).where(*where))


def _add(client, token, **fields):
    response = client.post(API, json={"name": "Dupont", **fields}, headers=bearer(token))
    assert response.status_code == 201, response.json
    return response.json


def test_the_token_is_stored_hashed_and_shown_once(app, tenants, token):
    assert token.startswith(f"ct_{tenants.a.id}_") and len(token) > 40
    with app.app_context(), bound_tenant(tenants.a.id):
        row = db.session.scalar(select(ApiToken))
        assert row.token_hash != token and token not in row.token_hash
        assert len(row.token_hash) == 64 and row.last_used_at is None


def test_no_token_a_wrong_or_revoked_one_is_401_problem(app, client, tenants, token):
    for headers in ({}, {"Authorization": "Basic x"}, bearer("ct_1_nope"), bearer("garbage"),
                    bearer(token[:-2] + "xx"), bearer(f"ct_{tenants.b.id}" + token[4:])):
        response = client.get(API, headers=headers)
        assert response.status_code == 401, headers
        assert response.mimetype == PROBLEM and response.json["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(API, headers=bearer(token)).status_code == 200
    with app.app_context(), bound_tenant(tenants.a.id):
        row = db.session.scalar(select(ApiToken))
        assert row.last_used_at is not None  # the page shows when it was last used
        row.revoked_at = row.last_used_at
        db.session.commit()
    assert client.get(API, headers=bearer(token)).status_code == 401


def test_no_cookie_is_set_and_no_csrf_is_asked(client, token):
    response = client.post(API, json={"name": "Sans cookie"}, headers=bearer(token))
    assert response.status_code == 201 and "Set-Cookie" not in response.headers


def test_another_companys_token_reaches_none_of_its_records(app, client, tenants, token):
    mine = _add(client, token, name="Alpha client")
    other = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    url = f"{API}{mine['id']}"
    assert client.get(url, headers=bearer(other)).status_code == 404
    assert client.patch(url, json={"name": "x"}, headers=bearer(other)).status_code == 404
    assert client.delete(url, headers=bearer(other)).status_code == 404
    assert client.get(API, headers=bearer(other)).json["items"] == []
    assert client.get(url, headers=bearer(token)).json["name"] == "Alpha client"


def test_list_filters_and_cursor_pages_without_duplicates(client, tenants, token):
    for n in range(7):
        _add(client, token, name=f"Client {n:02}", kinds=["customer"], town="Lyon")
    _add(client, token, name="Fournisseur", kinds=["supplier"])
    closed = _add(client, token, name="Ancien client")
    client.patch(f"{API}{closed['id']}", json={"active": False}, headers=bearer(token))
    seen, cursor = [], None
    while True:
        response = client.get(API, query_string={"kind": "customer", "limit": 3,
                                                  **({"cursor": cursor} if cursor else {})},
                              headers=bearer(token))
        assert response.status_code == 200
        page = response.json
        assert len(page["items"]) <= 3
        seen += [t["name"] for t in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [f"Client {n:02}" for n in range(7)]  # sorted by name, each once
    names = lambda **q: [t["name"] for t in client.get(  # noqa: E731
        API, query_string=q, headers=bearer(token)).json["items"]]
    assert names(q="Fourn") == ["Fournisseur"]
    assert names(status="closed") == ["Ancien client"]
    assert "Ancien client" not in names()
    assert names(sort="name", dir="desc", limit=1) == ["Fournisseur"]
    broken = client.get(API, query_string={"cursor": "bm90LWEtY3Vyc29y"}, headers=bearer(token))
    assert broken.status_code == 422 and "cursor" in broken.json["errors"]
    # A cursor of another sort order is refused too (its values do not fit).
    by_date = client.get(API, query_string={"sort": "created", "limit": 1},
                         headers=bearer(token)).json["next"]
    assert client.get(API, query_string={"cursor": by_date, "sort": "name"},
                      headers=bearer(token)).status_code == 422
    bad = client.get(API, query_string={"limit": 101, "status": "x"}, headers=bearer(token))
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    assert set(bad.json["errors"]) == {"limit", "status"}
    # A member id past the database's integers: PostgreSQL refused it, a 500 before.
    huge = client.get(API, query_string={"rep": 2**31}, headers=bearer(token))
    assert huge.status_code == 422 and set(huge.json["errors"]) == {"rep"}


def test_field_errors_come_from_the_pages_form(client, tenants, token):
    response = client.post(API, json={"name": "", "email": "not-an-email",
                                      "website": "javascript:alert(1)", "kinds": ["boss"]},
                           headers=bearer(token))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert set(response.json["errors"]) >= {"name", "kinds"}  # the schema's checks first
    response = client.post(API, json={"name": "Dupont", "email": "not-an-email",
                                      "website": "javascript:alert(1)",
                                      "sales_rep_id": tenants.b.admin_membership_id},
                           headers=bearer(token))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["email"] == ["Enter a valid email address."]  # English, the form's words
    assert set(errors) == {"email", "website", "sales_rep_id"}
    _add(client, token, name="Premier", customer_code="C1")
    taken = client.post(API, json={"name": "Second", "customer_code": "C1"},
                        headers=bearer(token))
    assert taken.status_code == 422 and "customer_code" in taken.json["errors"]
    unknown = client.post(API, json={"name": "X", "tenant_id": tenants.b.id},
                          headers=bearer(token))
    assert unknown.status_code == 422 and "tenant_id" in unknown.json["errors"]


def test_a_list_fields_item_errors_are_its_messages(client, token):
    # marshmallow nests them by index ({"0": [...]}): the contract says field → messages.
    response = client.post(API, json={"name": "X", "kinds": ["boss", "customer", 3]},
                           headers=bearer(token))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert response.json["errors"]["kinds"] == [
        "Must be one of: prospect, customer, supplier.", "Not a valid string."]


def test_a_retried_create_with_the_same_key_makes_one_record(app, client, tenants, token):
    headers = bearer(token, **{"Idempotency-Key": "order-42"})
    first = client.post(API, json={"name": "Une fois"}, headers=headers)
    again = client.post(API, json={"name": "Une fois"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(app, tenants.a.id, Tiers, Tiers.name == "Une fois") == 1
    reused = client.post(API, json={"name": "Autre"}, headers=headers)
    assert reused.status_code == 422 and reused.mimetype == PROBLEM
    # Another token's same key is another request.
    other = issue_token(app, tenants.a.id, tenants.a.admin_membership_id, "other")
    client.post(API, json={"name": "Une fois"},
                headers=bearer(other, **{"Idempotency-Key": "order-42"}))
    assert _count(app, tenants.a.id, Tiers, Tiers.name == "Une fois") == 2
    assert _count(app, tenants.a.id, ApiIdempotencyKey) == 2
    assert client.post(API, json={"name": "x"}, headers=bearer(
        token, **{"Idempotency-Key": "k" * 256})).status_code == 400


def test_a_stale_update_is_412_and_changes_nothing(client, token):
    made = _add(client, token, name="Version 1", town="Paris")
    url = f"{API}{made['id']}"
    read = client.get(url, headers=bearer(token))
    tag = read.headers["ETag"]
    ok = client.patch(url, json={"town": "Lyon"}, headers=bearer(token, **{"If-Match": tag}))
    assert ok.status_code == 200 and ok.json["town"] == "Lyon" and ok.json["name"] == "Version 1"
    assert ok.headers["ETag"] != tag
    stale = client.patch(url, json={"name": "Écrase"}, headers=bearer(token, **{"If-Match": tag}))
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    assert client.get(url, headers=bearer(token)).json["name"] == "Version 1"
    assert client.delete(url, headers=bearer(token, **{"If-Match": tag})).status_code == 412


def test_delete_moves_to_the_trash_and_refuses_a_used_one(app, client, tenants, token):
    made = _add(client, token, name="À jeter")
    response = client.delete(f"{API}{made['id']}", headers=bearer(token))
    assert response.status_code == 204
    assert client.get(f"{API}{made['id']}", headers=bearer(token)).status_code == 404
    assert _count(app, tenants.a.id, TrashItem, TrashItem.record_id == made["id"]) == 1
    used = _add(client, token, name="Avec contact")
    from ct.models import Contact

    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add(Contact(last_name="Martin", tiers_id=used["id"]))
        db.session.commit()
    refused = client.delete(f"{API}{used['id']}", headers=bearer(token))
    assert refused.status_code == 409 and refused.mimetype == PROBLEM


def test_the_members_rights_hold(app, client, tenants):
    member = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    made = client.post(API, json={"name": "Par un membre"}, headers=bearer(member))
    assert made.status_code == 201  # members manage records
    denied = client.delete(f"{API}{made.json['id']}", headers=bearer(member))
    assert denied.status_code == 403 and denied.mimetype == PROBLEM  # only admins delete
    with app.app_context(), bound_tenant(tenants.a.id):
        from ct.models import Membership

        db.session.scalar(select(Membership).where(
            Membership.id == tenants.a.member_membership_id)).active = False
        db.session.commit()
    assert client.get(API, headers=bearer(member)).status_code == 401  # left: no access


def test_every_api_error_is_a_problem(client, token):
    for method, url, status in (("GET", "/api/v1/nothing", 404), ("PUT", API, 405),
                                ("GET", f"{API}999999999", 404)):
        response = client.open(url, method=method, headers=bearer(token))
        assert response.status_code == status and response.mimetype == PROBLEM, url
        assert response.json["status"] == status
    broken = client.post(API, data="{", headers=bearer(token, **{
        "Content-Type": "application/json"}))
    assert broken.status_code in (400, 422) and broken.mimetype == PROBLEM


def test_rate_limit_per_token_429_with_retry_after(app, client, tenants, token, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3/minute")
    monkeypatch.setattr(limiter, "enabled", True)
    other = issue_token(app, tenants.a.id, tenants.a.admin_membership_id, "other")
    for _ in range(3):
        assert client.get(API, headers=bearer(token)).status_code == 200
    limited = client.get(API, headers=bearer(token))
    assert limited.status_code == 429 and limited.mimetype == PROBLEM
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert client.get(API, headers=bearer(other)).status_code == 200  # its own budget


def test_the_openapi_document_is_valid_31_and_lists_the_tiers(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/tiers/", "/api/v1/tiers/{tiers_id}"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    delete = spec["paths"]["/api/v1/tiers/{tiers_id}"]["delete"]["responses"]
    assert {"403", "404", "409", "412"} <= set(delete)
    assert "application/problem+json" in delete["412"]["content"]
    assert "application/problem+json" in spec["components"]["responses"]["DEFAULT_ERROR"][
        "content"]
    page = client.get("/api/v1/")
    assert page.status_code == 200 and b"/api/v1/tiers/{tiers_id}" in page.data
    assert b"<script" not in page.data


def test_every_api_route_is_in_the_rights_table(app):
    found = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/api/v1/") and rule.endpoint.startswith("api_")
             and rule.endpoint != "api_reference.reference"
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert found == set(API_RIGHTS)


@pytest.mark.parametrize("right", [MANAGE_RECORDS, DELETE_TIERS])
def test_a_member_without_the_right_is_refused_by_every_route_needing_it(
        app, client, tenants, token, right):
    made = _add(client, token, name="Gardé")
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, set(RIGHTS) - {right})
    member = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    bodies = {"POST": {"name": "Refusé"}, "PATCH": {"town": "Lyon"}}
    urls = {"api_tiers.list_tiers": API, "api_tiers.create_tiers": API}
    assert not refusals_without(client, member, right, "api_tiers.", urls,
                                f"{API}{made['id']}", bodies)
    assert _count(app, tenants.a.id, Tiers, Tiers.name == "Refusé") == \
        (1 if right == DELETE_TIERS else 0)
