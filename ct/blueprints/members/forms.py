from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from ct.core.permissions import PRESETS, RIGHTS, ROLES
from ct.models import Membership
from ct.web.forms import email_field

PRESET_LABELS = {
    "member": _l("Member"),
    "restricted": _l("Restricted"),
    "admin": _l("Admin"),
}
assert set(PRESET_LABELS) == set(PRESETS), "every preset needs a button"


def role_field():
    return SelectField(
        _l("Role"),
        choices=[SelectChoice(code, label) for code, label in ROLES.items()],
        default="member",  # shown first; a submitted form must name the role itself
        validators=[InputRequired(_l("Choose a role."))],
    )


class InviteForm(FlaskForm):
    email = email_field()
    role = role_field()

    def validate_email(self, field):
        # A deactivated member may be invited back.
        membership = None if field.errors else Membership.by_email(field.data)
        if membership is not None and membership.active:
            raise ValidationError(_l("This person is already a member."))


class RoleForm(FlaskForm):
    role = role_field()


class RightsForm(FlaskForm):
    rights = SelectMultipleField(
        _l("Rights"),
        choices=[SelectChoice(right, label) for right, label in RIGHTS.items()],
        invalid_choice_message=_l("Choose rights of the list."),
    )
    # Filled by the preset buttons: one click gives the rights of the preset.
    preset = SelectField(
        choices=[SelectChoice(code, label) for code, label in PRESET_LABELS.items()],
        validate_choice=False,
    )

    def validate_preset(self, field):
        if field.data and field.data not in PRESETS:
            raise ValidationError(_l("Choose a preset of the list."))

    def chosen_rights(self) -> list[str]:
        return list(PRESETS[self.preset.data]) if self.preset.data else list(self.rights.data or [])
