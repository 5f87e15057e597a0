"""The API tokens page: a token shown once and stored hashed, listed with its last use,
revoked by its member or an administrator (never by another member), in the audit log."""

from __future__ import annotations

import re

from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ApiToken, AuditEntry
from tests.api_support import bearer, issue_token

TOKEN = re.compile(rb'value="(ct_\d+_[A-Za-z0-9_-]+)"')


def _tokens(app, tenant_id):
    with app.app_context(), bound_tenant(tenant_id):
        return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)))


def test_a_member_creates_a_token_shown_once_that_works(app, client, auth, tenants):
    auth.login(tenants.a.member_email)
    page = f"/t/{tenants.a.slug}/api-tokens/"
    response = client.post(page + "new", data={"name": "Compta"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = TOKEN.search(response.data).group(1).decode()
    assert client.get(page).data.count(secret.encode()) == 0  # never shown again
    [row] = _tokens(app, tenants.a.id)
    assert row.name == "Compta" and row.token_hash != secret and secret not in row.token_hash
    assert client.get("/api/v1/tiers/", headers=bearer(secret)).status_code == 200
    listed = client.get(page).data.decode()
    assert "Compta" in listed and "Jamais" not in listed  # its last use is shown
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target == f"api_token:{row.id}")) == "api_token.create"


def test_a_name_is_required(client, auth, tenants):
    auth.login(tenants.a.member_email)
    response = client.post(f"/t/{tenants.a.slug}/api-tokens/new", data={"name": " "})
    assert response.status_code == 422 and b"ct_" not in response.data


def test_revoking_stops_the_token_and_members_cannot_revoke_others(app, client, auth,
                                                                    tenants):
    admins = issue_token(app, tenants.a.id, tenants.a.admin_membership_id, "Admin script")
    members = issue_token(app, tenants.a.id, tenants.a.member_membership_id, "Member script")
    admin_row, member_row = _tokens(app, tenants.a.id)
    auth.login(tenants.a.member_email)
    page = f"/t/{tenants.a.slug}/api-tokens/"
    listed = client.get(page).data.decode()
    assert "Member script" in listed and "Admin script" not in listed
    assert client.post(f"{page}{admin_row.id}/revoke").status_code == 404
    assert client.get("/api/v1/tiers/", headers=bearer(admins)).status_code == 200
    auth.logout()
    auth.login(tenants.a.admin_email)
    listed = client.get(page).data.decode()
    assert "Member script" in listed and "Admin script" in listed  # the company's list
    assert client.post(f"{page}{member_row.id}/revoke").status_code == 303
    assert client.get("/api/v1/tiers/", headers=bearer(members)).status_code == 401
    assert client.post(f"{page}{member_row.id}/revoke").status_code == 404  # already
    assert "Révoqué le" in client.get(page).data.decode()


def test_the_account_page_links_each_companys_tokens(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    page = client.get("/account").data.decode()
    assert f"/t/{tenants.a.slug}/api-tokens/" in page
    assert f"/t/{tenants.b.slug}/api-tokens/" not in page
