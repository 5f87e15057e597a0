"""Form fields shared by every area: the same labels, limits and messages everywhere."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, StopValidation

from ct.auth.passwords import strong_password
from ct.models.user import EMAIL_MAX

REQUIRED = _l("This field is required.")

# Control characters have no place in a one-line field, and PostgreSQL refuses NUL in
# text: stop them at the form instead of failing at the database.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def one_line_text(form, field) -> None:
    """Validator: refuse control characters (and skip the field's other checks)."""
    if isinstance(field.data, str) and _CONTROL_CHARACTERS.search(field.data):
        raise StopValidation(_l("Remove the invisible control characters."))


def email_field(label=_l("Email")):
    return EmailField(
        label,
        validators=[
            one_line_text,
            DataRequired(REQUIRED),
            Length(max=EMAIL_MAX, message=_l("At most %(max)d characters.")),
            Email(_l("Enter a valid email address."), check_deliverability=False),
        ],
        # Pasted addresses often carry spaces around them.
        filters=[strip],
    )


def name_field(label, max_length):
    return StringField(
        label,
        validators=[
            one_line_text,
            DataRequired(REQUIRED),
            Length(max=max_length, message=_l("At most %(max)d characters.")),
        ],
        filters=[strip],
    )


def new_password_field(label=_l("Password")):
    return PasswordField(label, validators=[DataRequired(REQUIRED), strong_password])
