"""Form fields shared by every area: the same labels, limits and messages everywhere."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from ct.models.user import EMAIL_MAX
from ct.passwords import strong_password

REQUIRED = _l("This field is required.")


def email_field(label=_l("Email")):
    return EmailField(
        label,
        validators=[
            DataRequired(REQUIRED),
            Length(max=EMAIL_MAX, message=_l("At most %(max)d characters.")),
            Email(_l("Enter a valid email address."), check_deliverability=False),
        ],
    )


def name_field(label, max_length):
    return StringField(
        label,
        validators=[
            DataRequired(REQUIRED),
            Length(max=max_length, message=_l("At most %(max)d characters.")),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def new_password_field(label=_l("Password")):
    return PasswordField(label, validators=[DataRequired(REQUIRED), strong_password])
