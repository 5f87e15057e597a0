from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.validators import InputRequired, ValidationError

from ct.core.text import fold
from ct.extensions import db
from ct.models import Group, GroupMember, Membership
from ct.models.membership import GROUP_NAME_MAX
from ct.web.fields import IdField
from ct.web.forms import name_field


class GroupForm(FlaskForm):
    name = name_field(_l("Name of the group"), GROUP_NAME_MAX)

    def __init__(self, group: Group | None = None, **kwargs):
        super().__init__(**kwargs)
        self.group = group

    def validate_name(self, field):
        # Unique per company whatever the case or accents: "Sales" and "sales" would
        # be indistinguishable in the exchange form.
        key = fold(field.data)
        for other in db.session.scalars(select(Group)):
            if other is not self.group and fold(other.name) == key:
                raise ValidationError(_("A group named “%(name)s” already exists.",
                                        name=other.name))


class AddMemberForm(FlaskForm):
    membership_id = IdField(_l("Member"), validators=[InputRequired(_l("Choose a member."))])

    def __init__(self, group: Group, **kwargs):
        super().__init__(**kwargs)
        self.group = group
        self.member: Membership | None = None

    def validate_membership_id(self, field):
        # Looked up under the company's scoping: another company's id is not found.
        self.member = db.session.scalar(
            select(Membership).where(Membership.id == field.data, Membership.active.is_(True)))
        if self.member is None:
            raise ValidationError(_("Choose an existing member."))
        already = db.session.scalar(select(GroupMember.id).where(
            GroupMember.group_id == self.group.id, GroupMember.membership_id == field.data))
        if already is not None:
            raise ValidationError(_("%(name)s is already in the group.",
                                    name=self.member.user.display_name))
