"""Create (shown once), list with their last use, and revoke personal API tokens."""

from __future__ import annotations

from flask import abort, flash, g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from ct.blueprints.api_tokens import bp
from ct.core.permissions import ROLE_ADMIN
from ct.extensions import db
from ct.models import ApiToken, AuditEntry
from ct.models.api_token import NAME_MAX
from ct.models.base import utcnow
from ct.web.forms import name_field
from ct.web.htmx import redirect_to, render


class TokenForm(FlaskForm):
    name = name_field(_l("Token name"), NAME_MAX)


def _is_admin() -> bool:
    return g.membership.role == ROLE_ADMIN


def _page(form: TokenForm | None = None, secret: str | None = None, status: int = 200):
    mine = ApiToken.listed(g.membership.id)
    others = [t for t in ApiToken.listed() if t.membership_id != g.membership.id] \
        if _is_admin() else []
    response = render("api_tokens/index.html", form=form or TokenForm(), mine=mine,
                      others=others, secret=secret, status=status)
    response.headers["Cache-Control"] = "no-store"  # a new token is a credential
    return response


@bp.get("/")
def index():
    return _page()


@bp.post("/new")
def create():
    """A new token, shown this once: only its hash is kept."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    row, secret = ApiToken.issue(g.membership, form.name.data)
    db.session.flush()
    AuditEntry.record(g.membership, "api_token.create", {}, {"name": row.name},
                      target=f"api_token:{row.id}")
    db.session.commit()
    return _page(TokenForm(formdata=None), secret=secret)  # an empty form for the next


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    """The member's own token, or any of the company's for an administrator; another
    member's token is 404 to a member, as if it did not exist."""
    query = select(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
    if not _is_admin():
        query = query.where(ApiToken.membership_id == g.membership.id)
    row = db.session.scalar(query)
    if row is None:
        abort(404)
    row.revoked_at = utcnow()
    AuditEntry.record(g.membership, "api_token.revoke", {"active": True}, {"active": False},
                      target=f"api_token:{row.id}")
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=row.name), "success")
    return redirect_to(url_for(".index"))
