"""Groups: every member sees them; administrators create, rename, fill and delete them."""

from flask import abort, flash, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ct.blueprints.groups import bp
from ct.blueprints.groups.forms import AddMemberForm, GroupForm
from ct.core.permissions import require_admin
from ct.extensions import db
from ct.models import Exchange, Group, GroupMember, Membership, User
from ct.web.htmx import redirect_to, render


def _group_or_404(group_id: int) -> Group:
    group = db.session.scalar(select(Group).where(Group.id == group_id))
    if group is None:  # unknown, or another company's group
        abort(404)
    return group


def _index(form: GroupForm | None = None, status: int = 200):
    rows = db.session.execute(
        select(Group, func.count(GroupMember.id))
        .outerjoin(GroupMember, GroupMember.group_id == Group.id)
        .group_by(Group.id).order_by(Group.name)
    ).all()
    return render("groups/index.html", block="group_form", status=status,
                  groups=rows, form=form or GroupForm(formdata=None))


def _members_of(group: Group) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).join(GroupMember, GroupMember.membership_id == Membership.id)
        .join(Membership.user).where(GroupMember.group_id == group.id)
        .order_by(User.display_name)))


def _card(group: Group, rename: GroupForm | None = None, add: AddMemberForm | None = None,
          status: int = 200):
    members = _members_of(group)
    inside = {m.id for m in members}
    candidates = [m for m in Membership.all_active() if m.id not in inside]
    return render("groups/card.html", status=status, group=group, members=members,
                  candidates=candidates,
                  rename=rename or GroupForm(group, formdata=None, obj=group),
                  add=add or AddMemberForm(group, formdata=None))


@bp.get("/")
def index():
    return _index()


@bp.post("/")
@require_admin
def create():
    form = GroupForm()
    if not form.validate_on_submit():
        return _index(form, 422)
    group = Group(name=form.name.data)
    db.session.add(group)
    try:
        db.session.commit()
    except IntegrityError:  # the same name saved by someone else a moment ago
        db.session.rollback()
        form.name.errors = [_("A group named “%(name)s” already exists.", name=form.name.data)]
        return _index(form, 422)
    flash(_("Group “%(name)s” created.", name=group.name), "success")
    return redirect_to(url_for("groups.card", group_id=group.id))


@bp.get("/<int:group_id>")
def card(group_id):
    return _card(_group_or_404(group_id))


@bp.post("/<int:group_id>/rename")
@require_admin
def rename(group_id):
    group = _group_or_404(group_id)
    form = GroupForm(group)
    if not form.validate_on_submit():
        return _card(group, rename=form, status=422)
    group.name = form.name.data
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.name.errors = [_("A group named “%(name)s” already exists.", name=form.name.data)]
        return _card(_group_or_404(group_id), rename=form, status=422)
    flash(_("Group renamed “%(name)s”.", name=group.name), "success")
    return redirect_to(url_for("groups.card", group_id=group.id))


@bp.post("/<int:group_id>/members")
@require_admin
def add_member(group_id):
    group = _group_or_404(group_id)
    form = AddMemberForm(group)
    if not form.validate_on_submit():
        return _card(group, add=form, status=422)
    db.session.add(GroupMember(group_id=group.id, membership_id=form.member.id))
    db.session.commit()
    flash(_("%(name)s added to the group.", name=form.member.user.display_name), "success")
    return redirect_to(url_for("groups.card", group_id=group.id))


@bp.post("/<int:group_id>/members/<int:membership_id>/remove")
@require_admin
def remove_member(group_id, membership_id):
    group = _group_or_404(group_id)
    link = db.session.scalar(select(GroupMember).where(
        GroupMember.group_id == group.id, GroupMember.membership_id == membership_id))
    if link is None:
        abort(404)
    name = link.membership.user.display_name
    db.session.delete(link)
    db.session.commit()
    flash(_("%(name)s removed from the group.", name=name), "success")
    return redirect_to(url_for("groups.card", group_id=group.id))


def _shared_exchanges(group: Group) -> int:
    return db.session.scalar(select(func.count()).select_from(Exchange)
                             .where(Exchange.confidential_group_id == group.id))


@bp.get("/<int:group_id>/delete")
@require_admin
def confirm_delete(group_id):
    group = _group_or_404(group_id)
    return render("groups/delete.html", group=group, members=len(group.members),
                  shared=_shared_exchanges(group))


@bp.post("/<int:group_id>/delete")
@require_admin
def delete(group_id):
    group = _group_or_404(group_id)
    # Confidential comments shared with the group stay readable by their authors only.
    db.session.execute(update(Exchange).where(Exchange.confidential_group_id == group.id)
                       .values(confidential_group_id=None))
    name = group.name
    db.session.delete(group)
    db.session.commit()
    flash(_("Group “%(name)s” deleted.", name=name), "success")
    return redirect_to(url_for("groups.index"))
