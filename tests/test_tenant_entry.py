"""Entering a company: the session's user, the company and the user's active membership
read by one statement, which on PostgreSQL also sets the company for row-level security
— and leaves none set when the user may not enter (ct/web/current.py, migration 0017)."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select, text

from ct.core.tenancy import bound_tenant, current_tenant_id
from ct.extensions import db
from ct.models import Membership, User
from ct.web.current import load_user
from tests.sql_count import counting_queries


def session_id(email: str) -> str:
    user = db.session.scalar(select(User).where(User.email == email))
    return f"{user.id}:{user.session_token}"


def database_tenant() -> str | None:
    """The company the database's transaction carries ('' or None: none)."""
    return db.session.scalar(text("SELECT current_setting('app.tenant_id', true)"))


def enter(app, email: str, slug: str, token: str | None = None):
    """load_user on a page of ``slug``, in a fresh request: (user, membership, the
    bound tenant, what the database carries on PostgreSQL, statements sent)."""
    with app.app_context():
        who = session_id(email)
    if token is not None:
        who = who.split(":")[0] + ":" + token
    with app.test_request_context(f"/t/{slug}/"), counting_queries(app) as statements:
        g.tenant_slug = slug
        user = load_user(who)
        sent = len(statements)
        carried = database_tenant() if db.engine.dialect.name == "postgresql" else None
        return user, g.get("membership"), current_tenant_id(), carried, sent


def test_a_member_enters_with_one_statement(app, tenants):
    user, membership, bound, carried, sent = enter(app, tenants.a.admin_email, tenants.a.slug)
    assert user.email == tenants.a.admin_email
    assert membership.id == tenants.a.admin_membership_id and membership.user is user
    assert bound == tenants.a.id
    assert sent == 1
    if carried is not None:
        assert carried == str(tenants.a.id)


@pytest.mark.parametrize("case", ["stranger", "unknown company", "former member"])
def test_who_may_not_enter_leaves_no_company_set(app, tenants, case):
    slug = tenants.b.slug if case != "unknown company" else "no-such-company"
    if case == "former member":
        with app.app_context(), bound_tenant(tenants.b.id):
            db.session.get(Membership, tenants.b.member_membership_id).active = False
            db.session.commit()
    email = tenants.b.member_email if case == "former member" else tenants.a.admin_email
    user, membership, bound, carried, sent = enter(app, email, slug)
    assert user is not None and user.email == email  # logged in, just not there
    assert membership is None and bound is None and sent == 1
    assert carried in ("", None)


def test_a_stale_session_token_enters_nothing(app, tenants):
    user, membership, bound, carried, _sent = enter(
        app, tenants.a.admin_email, tenants.a.slug, token="rotated-by-a-password-change")
    assert user is None and membership is None and bound is None
    assert carried in ("", None)


def test_pages_answer_as_before(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    assert client.get(f"/t/{tenants.a.slug}/").status_code == 200
    assert client.get(f"/t/{tenants.b.slug}/").status_code == 404
    assert client.get("/t/no-such-company/").status_code == 404
    auth.logout()
    reply = client.get(f"/t/{tenants.a.slug}/tiers/")
    assert reply.status_code == 302 and "/login" in reply.headers["Location"]
