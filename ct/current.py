"""Who is asking, and for which tenant: the request hooks above the models.

Tenant pages live under ``/t/<slug>/``. The slug is resolved to a tenant, the current
user's membership in it is checked (none → 404, never 403: a stranger must not learn
that the tenant exists), and the tenant is bound for every query of the request.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ct.extensions import db, login_manager
from ct.models import Membership, Tenant, User
from ct.session_cache import note_lists_version
from ct.tenancy import bind_tenant, unbind_tenant

login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    # A password change rotates the token: older sessions and cookies stop working.
    if user is None or not token or user.session_token != token:
        return None
    return user


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
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == g.tenant_slug))
    if tenant is None:
        abort(404)
    g.tenant_token = bind_tenant(tenant.id)
    note_lists_version(tenant.id, tenant.lists_version)
    membership = Membership.of_user(current_user.id)
    if membership is None or not membership.active:
        abort(404)
    g.tenant = tenant
    g.membership = membership
    return None


def forget_tenant(exc: BaseException | None = None) -> None:
    token = g.pop("tenant_token", None)
    if token is not None:
        unbind_tenant(token)
