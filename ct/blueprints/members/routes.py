"""The members page: invite, resend or cancel invitations, roles, deactivation."""

from flask import abort, flash, g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ct.auth import accounts
from ct.blueprints.members import bp, rules
from ct.blueprints.members.forms import InviteForm, RoleForm
from ct.core.permissions import ROLES, require_admin
from ct.extensions import db
from ct.models import Invitation, Membership
from ct.models.base import utcnow
from ct.web.htmx import redirect_to, render

LAST_ADMIN = _l("The company needs at least one active administrator: make someone else "
                "administrator first.")


def _page(form: InviteForm | None = None, status: int = 200, error: str = ""):
    return render(
        "members/index.html",
        block="invite_form",
        status=status,
        form=form or InviteForm(formdata=None),
        members=rules.all_members(),
        invitations=rules.open_invitations(),
        roles=ROLES,
        role_form=RoleForm(formdata=None),
        now=utcnow(),
        error=error,
    )


def _member_or_404(membership_id: int) -> Membership:
    member = rules.find(membership_id)
    if member is None:  # unknown here, or another company's member
        abort(404)
    return member


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = rules.find_open_invitation(invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _done(message: str):
    flash(message, "success")
    return redirect_to(url_for("members.index"))


@bp.get("/")
def index():
    return _page()


@bp.post("/invite")
@require_admin
def invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    accounts.invite(form.email.data, form.role.data, g.membership, g.tenant)
    db.session.commit()
    return _done(_("Invitation sent to %(email)s.", email=form.email.data))


@bp.post("/invitations/<int:invitation_id>/resend")
@require_admin
def resend_invitation(invitation_id):
    invitation = _invitation_or_404(invitation_id)
    accounts.resend_invitation(invitation, g.membership, g.tenant)
    db.session.commit()
    return _done(_("A new invitation was sent to %(email)s; the previous link no longer works.",
                   email=invitation.email))


@bp.post("/invitations/<int:invitation_id>/cancel")
@require_admin
def cancel_invitation(invitation_id):
    invitation = _invitation_or_404(invitation_id)
    email = invitation.email
    db.session.delete(invitation)
    db.session.commit()
    return _done(_("The invitation of %(email)s is cancelled; its link no longer works.",
                   email=email))


@bp.post("/<int:membership_id>/role")
@require_admin
def change_role(membership_id):
    member = _member_or_404(membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _page(status=422, error=" ".join(str(e) for e in form.role.errors))
    try:
        rules.change_role(member, form.role.data, g.membership)
    except rules.LastAdmin:
        db.session.rollback()
        return _page(status=422, error=str(LAST_ADMIN))
    db.session.commit()
    return _done(_("%(name)s is now %(role)s.", name=member.user.display_name,
                   role=str(ROLES[member.role]).lower()))


@bp.post("/<int:membership_id>/deactivate")
@require_admin
def deactivate(membership_id):
    return _set_active(_member_or_404(membership_id), False)


@bp.post("/<int:membership_id>/reactivate")
@require_admin
def reactivate(membership_id):
    return _set_active(_member_or_404(membership_id), True)


def _set_active(member: Membership, active: bool):
    try:
        rules.set_active(member, active, g.membership)
    except rules.LastAdmin:
        db.session.rollback()
        return _page(status=422, error=str(LAST_ADMIN))
    db.session.commit()
    name = member.user.display_name
    if member.id == g.membership.id and not active:  # left the company: nothing to see here
        flash(_("You no longer have access to %(company)s.", company=g.tenant.name), "info")
        return redirect_to(url_for("auth.workspaces"))
    if active:
        return _done(_("%(name)s can use the workspace again.", name=name))
    return _done(_("%(name)s no longer has access; their exchanges stay.", name=name))
