"""The small forms nested in the exchange pop-up: a new third party, a new contact.

Their inputs live inside the exchange form (HTML forms cannot nest), so each has a
prefix (``new_tiers-name``…) and the exchange form simply ignores them. The CSRF check
is the application-wide one (the header htmx sends on every request).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ct.blueprints.exchanges.fields import IdField, phone_number, strip
from ct.models.contact import JOB_MAX
from ct.models.contact import NAME_MAX as CONTACT_NAME_MAX
from ct.models.tiers import EMAIL_MAX, KINDS, NAME_MAX, PHONE_MAX, TOWN_MAX

TOO_LONG = _l("At most %(max)d characters.")
KIND_LABELS = {"prospect": _l("Prospect"), "customer": _l("Customer"), "supplier": _l("Supplier")}


def _email(label):
    return EmailField(label, filters=[strip], validators=[
        Optional(), Length(max=EMAIL_MAX, message=TOO_LONG),
        Email(_l("Enter a valid email address."), check_deliverability=False)])


def _phone(label):
    return StringField(label, filters=[strip], validators=[
        Optional(), Length(max=PHONE_MAX, message=TOO_LONG), phone_number])


class NewTiersForm(FlaskForm):
    class Meta:
        csrf = False  # checked for every request by CSRFProtect (header or field)

    name = StringField(_l("Name"), filters=[strip], validators=[
        DataRequired(_l("Give the name of the third party.")),
        Length(max=NAME_MAX, message=TOO_LONG)])
    kinds = SelectMultipleField(
        _l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS])
    email = _email(_l("Email"))
    phone = _phone(_l("Phone"))
    town = StringField(_l("Town"), filters=[strip],
                       validators=[Length(max=TOWN_MAX, message=TOO_LONG)])
    # "Create anyway" after the duplicate warning; "use this one" picks an existing tiers.
    force = HiddenField()
    use = IdField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new_tiers")
        super().__init__(*args, **kwargs)


class NewContactForm(FlaskForm):
    class Meta:
        csrf = False

    first_name = StringField(_l("First name"), filters=[strip], validators=[
        Length(max=CONTACT_NAME_MAX, message=TOO_LONG)])
    last_name = StringField(_l("Last name"), filters=[strip], validators=[
        Length(max=CONTACT_NAME_MAX, message=TOO_LONG)])
    email = _email(_l("Email"))
    phone = _phone(_l("Phone"))
    job_title = StringField(_l("Job"), filters=[strip],
                            validators=[Length(max=JOB_MAX, message=TOO_LONG)])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new_contact")
        super().__init__(*args, **kwargs)

    def validate_last_name(self, field):
        if not field.data and not self.first_name.data:
            raise ValidationError(_l("Give a first or a last name."))
