"""A member's card: who they are, their groups, and (for admins) their rights."""

from flask import abort, flash, g, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ct.blueprints.members import bp, rules
from ct.blueprints.members.forms import PRESET_LABELS, RightsForm
from ct.core.permissions import RIGHTS, ROLES, require_admin
from ct.extensions import db
from ct.models import AuditEntry, Group, GroupMember, Membership
from ct.web.htmx import redirect_to, render


def _member_or_404(membership_id: int) -> Membership:
    member = rules.find(membership_id)
    if member is None:
        abort(404)
    return member


def _card(member: Membership, tab: str, form: RightsForm | None = None, status: int = 200):
    groups = db.session.scalars(
        select(Group).join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.membership_id == member.id).order_by(Group.name))
    history = AuditEntry.latest("member.", target=f"member:{member.id}") \
        if g.membership.is_admin else []
    return render(
        "members/card.html",
        status=status,
        member=member,
        tab=tab,
        groups=list(groups),
        roles=ROLES,
        rights=RIGHTS,
        presets=PRESET_LABELS,
        form=form or RightsForm(formdata=None, rights=member.rights),
        history=history,
    )


@bp.get("/<int:membership_id>")
def card(membership_id):
    return _card(_member_or_404(membership_id), "summary")


@bp.get("/<int:membership_id>/permissions")
@require_admin
def permissions(membership_id):
    return _card(_member_or_404(membership_id), "permissions")


@bp.post("/<int:membership_id>/permissions")
@require_admin
def save_permissions(membership_id):
    member = _member_or_404(membership_id)
    form = RightsForm()
    if member.is_admin:
        form.rights.errors = [
            _("Administrators hold every right: change the role to restrict them.")]
        return _card(member, "permissions", form, 422)
    if not form.validate_on_submit():
        return _card(member, "permissions", form, 422)
    rules.set_rights(member, form.chosen_rights(), g.membership)
    db.session.commit()
    flash(_("The rights of %(name)s are saved.", name=member.user.display_name), "success")
    return redirect_to(url_for("members.permissions", membership_id=member.id))
