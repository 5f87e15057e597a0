"""Joining a company from an invitation link: as the member already logged in, with an
existing account's password, or by creating the account."""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ct.auth import accounts
from ct.blueprints.auth import bp
from ct.blueprints.auth.forms import AcceptExistingAccountForm, AcceptNewAccountForm, JoinForm
from ct.blueprints.auth.routes import failed_attempt, form_page
from ct.core.tenancy import bound_tenant
from ct.extensions import db, limiter
from ct.models import Invitation, User
from ct.web.i18n import browser_language


@bp.route("/invitation/<token>", methods=["GET", "POST"])
# The page checks the password of an existing account: failures count like a login's.
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"],
               deduct_when=failed_attempt)
def accept_invitation(token):
    invitation = Invitation.find_usable(token)
    if invitation is None:
        return render_template("auth/link_invalid.html"), 404
    with bound_tenant(invitation.tenant_id):
        return _accept(invitation)


def _accept(invitation: Invitation):
    existing = User.by_email(invitation.email)
    if current_user.is_authenticated and current_user.email == invitation.email:
        # Already logged in as the invitee: one click to confirm (a GET changes nothing).
        form = JoinForm()
        if form.validate_on_submit():
            return _join(invitation, current_user._get_current_object())
        return render_template("auth/accept.html", form=form, invitation=invitation,
                               existing=existing, confirm=True)
    if existing is not None:
        form = AcceptExistingAccountForm()
        if form.validate_on_submit():
            if existing.check_password(form.password.data):
                return _join(invitation, existing)
            form.password.errors.append(_("Wrong password."))
        return form_page("auth/accept.html", form, invitation=invitation, existing=existing)
    form = AcceptNewAccountForm()
    if not form.validate_on_submit():
        return form_page("auth/accept.html", form, invitation=invitation, existing=None)
    return _join(invitation, new_account=(form.display_name.data, form.password.data))


def _join(invitation: Invitation, user: User | None = None,
          new_account: tuple[str, str] | None = None):
    tenant = invitation.tenant
    if not accounts.claim_invitation(invitation):
        # A second click on "Join" while the first one was being saved.
        db.session.rollback()
        return render_template("auth/link_invalid.html"), 404
    if user is None:
        display_name, password = new_account
        user = accounts.create_user(invitation.email, display_name, password,
                                    session.get("lang") or browser_language())
    accounts.accept_invitation(invitation, user)
    db.session.commit()
    login_user(user)
    flash(_("You joined %(name)s.", name=tenant.name), "success")
    return redirect(url_for("home.index", slug=tenant.slug), 303)
