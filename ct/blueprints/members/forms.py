from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ct.forms import email_field
from ct.models import Membership
from ct.permissions import ROLES


class InviteForm(FlaskForm):
    email = email_field()
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(code, label) for code, label in ROLES.items()],
        default="member",
    )

    def validate_email(self, field):
        # A deactivated member may be invited back.
        membership = None if field.errors else Membership.by_email(field.data)
        if membership is not None and membership.active:
            raise ValidationError(_l("This person is already a member."))
