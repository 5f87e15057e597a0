from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ct.models.tenant import NAME_MAX as COMPANY_MAX
from ct.models.user import NAME_MAX, PASSWORD_MAX
from ct.web.forms import REQUIRED, email_field, name_field, new_password_field


class SignupForm(FlaskForm):
    """The first step: what the company is and where to send the confirmation link.
    Whether the email has an account is never said here (the job tells its owner)."""

    company = name_field(_l("Company name"), COMPANY_MAX)
    display_name = name_field(_l("Your name"), NAME_MAX)
    email = email_field()


class ConfirmSignupForm(FlaskForm):
    """The second step, from the link in the email: the password."""

    password = new_password_field()


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX)]
    )
    remember = BooleanField(_l("Remember me"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two passwords differ."))],
    )


class ChangePasswordForm(ResetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])


class AcceptNewAccountForm(FlaskForm):
    display_name = name_field(_l("Your name"), NAME_MAX)
    password = new_password_field()


class AcceptExistingAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(REQUIRED), Length(max=PASSWORD_MAX)]
    )


class JoinForm(FlaskForm):
    """Only the CSRF token: a logged-in invitee confirms with one button."""


class LanguageForm(FlaskForm):
    language = SelectField(choices=[SelectChoice("fr", "Français"), SelectChoice("en", "English")])
