from flask import flash, g, url_for
from flask_babel import gettext as _

from ct import accounts
from ct.blueprints.members import bp
from ct.blueprints.members.forms import InviteForm
from ct.extensions import db
from ct.htmx import redirect_to, render
from ct.models import Invitation, Membership
from ct.permissions import ROLES, require_admin


def _page(form: InviteForm, status: int = 200):
    return render(
        "members/index.html",
        block="invite_form",
        status=status,
        form=form,
        members=Membership.all_active(),
        invitations=Invitation.pending(),
        roles=ROLES,
    )


@bp.get("/")
def index():
    return _page(InviteForm())


@bp.post("/invite")
@require_admin
def invite():
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    accounts.invite(form.email.data, form.role.data, g.membership, g.tenant)
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
    return redirect_to(url_for("members.index"))
