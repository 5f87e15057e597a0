"""Helpers of the REST API tests: a member's token, requests that carry it."""

from __future__ import annotations

from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import ApiToken, Membership


def issue_token(app, tenant_id: int, membership_id: int, name: str = "script") -> str:
    with app.app_context(), bound_tenant(tenant_id):
        member = db.session.scalar(select(Membership).where(Membership.id == membership_id))
        _row, token = ApiToken.issue(member, name)
        db.session.commit()
        return token


def bearer(token: str, **headers) -> dict:
    return {"Authorization": f"Bearer {token}", **headers}
