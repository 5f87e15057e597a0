"""Who is asking, and for which tenant: the request hooks above the models.

Tenant pages live under ``/t/<slug>/``. The slug is resolved to a tenant, the current
user's membership in it is checked (none → 404, never 403: a stranger must not learn
that the tenant exists), and the tenant is bound for every query of the request.

On a tenant page the session's user, the company and the user's active membership in it
are read by one statement, which also tells row-level security the company (on
PostgreSQL through ``ct_enter_tenant``, migration 0017): it is read on every request, so
a membership removed or a right taken away counts at once.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import and_, column, func, select, true
from sqlalchemy.orm import aliased, contains_eager

from ct.core.ids import parse_id
from ct.core.session_cache import note_lists_version
from ct.core.tenancy import bind_entered_tenant, scoped_by_hand, unbind_tenant
from ct.extensions import db, login_manager
from ct.models import Membership, Tenant, User

login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    raw_id, _, token = session_id.partition(":")
    user_id = parse_id(raw_id)
    # A password change rotates the token: older sessions and cookies stop working.
    if user_id is None or not token:
        return None
    if g.get("tenant_slug") is None:
        return db.session.scalar(
            select(User).where(User.id == user_id, User.session_token == token))
    found = db.session.execute(_entry(user_id, token, g.tenant_slug)).one_or_none()
    if found is None:
        return None
    user, tenant, membership = found
    if membership is not None:
        g.tenant, g.membership = tenant, membership
        g.tenant_token = bind_entered_tenant(db.session, tenant.id)
        note_lists_version(tenant.id, tenant.lists_version)
    return user


def _entry(user_id: int, token: str, slug: str):
    """The user, the company of ``slug`` and the user's active membership in it (None
    for either when there is none), in one statement."""
    if db.session.get_bind().dialect.name == "postgresql":
        # The membership is read under row-level security, after the company is set:
        # the function does both, in that order (migration 0017).
        entered = func.ct_enter_tenant(User.id, slug).table_valued(
            *(column(c.name, c.type) for c in Membership.__table__.columns)).lateral()
        member = aliased(Membership, entered, adapt_on_names=True)
        statement = (select(User, Tenant, member).select_from(User).outerjoin(entered, true())
                     .outerjoin(Tenant, Tenant.id == member.tenant_id))
    else:
        member = Membership
        statement = (select(User, Tenant, member).select_from(User)
                     .outerjoin(Tenant, Tenant.slug == slug)
                     .outerjoin(member, and_(member.tenant_id == Tenant.id,
                                             member.user_id == User.id, member.active)))
    return scoped_by_hand(statement.where(User.id == user_id, User.session_token == token)
                          .options(contains_eager(member.user)))


def tenant_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    """A blueprint whose every route is a page of one tenant."""
    bp = Blueprint(name, import_name, url_prefix=f"/t/<slug:slug>{url_prefix}")
    bp.url_value_preprocessor(_pull_slug)
    bp.url_defaults(_add_slug)
    bp.before_request(_enter_tenant)
    return bp


def _pull_slug(endpoint, values) -> None:
    g.tenant_slug = (values or {}).pop("slug", None)


def _add_slug(endpoint, values) -> None:
    """The current company's slug for a link to a page of a tenant blueprint. Flask calls
    a blueprint's url_defaults only for that blueprint's own endpoints, and every one of
    them sits under /t/<slug>/: no need to ask the URL map (it cost 12 µs a link)."""
    if "slug" not in values and g.get("tenant") is not None:
        values["slug"] = g.tenant.slug


def _enter_tenant():
    # Loading the user entered the company too (load_user); no membership: 404.
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if g.get("membership") is None:
        abort(404)
    return None


def forget_tenant(exc: BaseException | None = None) -> None:
    token = g.pop("tenant_token", None)
    if token is not None:
        unbind_tenant(token)
