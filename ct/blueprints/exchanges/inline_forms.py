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

from ct.models.contact import JOB_MAX
from ct.models.contact import NAME_MAX as CONTACT_NAME_MAX
from ct.models.tiers import EMAIL_MAX, KINDS, NAME_MAX, TOWN_MAX
from ct.web.fields import IdField
from ct.web.record_fields import phone_field, single_line, strip, text_field

TOO_LONG = _l("At most %(max)d characters.")
KIND_LABELS = {"prospect": _l("Prospect"), "customer": _l("Customer"), "supplier": _l("Supplier")}


def _email(label):
    return EmailField(label, filters=[strip], validators=[
        Optional(), Length(max=EMAIL_MAX, message=TOO_LONG),
        Email(_l("Enter a valid email address."), check_deliverability=False), single_line])


class NewTiersForm(FlaskForm):
    class Meta:
        csrf = False  # checked for every request by CSRFProtect (header or field)

    name = StringField(_l("Name"), filters=[strip], validators=[
        DataRequired(_l("Give the name of the third party.")),
        Length(max=NAME_MAX, message=TOO_LONG), single_line])
    kinds = SelectMultipleField(
        _l("Kind"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS])
    email = _email(_l("Email"))
    phone = phone_field(_l("Phone"))
    town = text_field(_l("Town"), TOWN_MAX)
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
        Length(max=CONTACT_NAME_MAX, message=TOO_LONG), single_line])
    last_name = StringField(_l("Last name"), filters=[strip], validators=[
        Length(max=CONTACT_NAME_MAX, message=TOO_LONG), single_line])
    email = _email(_l("Email"))
    phone = phone_field(_l("Phone"))
    job_title = text_field(_l("Job"), JOB_MAX)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "new_contact")
        super().__init__(*args, **kwargs)

    def validate_last_name(self, field):
        if not field.data and not self.first_name.data:
            raise ValidationError(_l("Give a first or a last name."))
