"""The contact form: one of the two names, checked email and phone numbers, and an
optional third party of the bound tenant."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, TextAreaField
from wtforms.validators import Email, Length, Optional

from ct.models.contact import JOB_MAX, NAME_MAX, NOTES_MAX
from ct.models.tiers import EMAIL_MAX
from ct.web.record_fields import (
    TOO_LONG,
    TiersField,
    phone_field,
    plain_text,
    single_line,
    strip,
    text_field,
)


class ContactForm(FlaskForm):
    first_name = text_field(_l("First name"), NAME_MAX)
    last_name = text_field(_l("Last name"), NAME_MAX)
    job_title = text_field(_l("Job title"), JOB_MAX)
    email = EmailField(
        _l("Email"),
        validators=[
            Optional(),
            Length(max=EMAIL_MAX, message=TOO_LONG),
            single_line,
            Email(_l("Enter a valid email address."), check_deliverability=False),
        ],
        filters=[strip],
    )
    phone = phone_field(_l("Phone"))
    mobile = phone_field(_l("Mobile"))
    tiers_id = TiersField(_l("Third party"))
    notes = TextAreaField(
        _l("Notes"), validators=[Length(max=NOTES_MAX, message=TOO_LONG), plain_text],
        filters=[strip],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here, not in an inline validator: Optional() ends an empty field's chain.
        if not self.first_name.data and not self.last_name.data:
            self.first_name.errors.append(_l("Enter a first name or a last name."))
            return False
        return valid

    def fill(self, contact) -> None:
        """Copy the valid form into ``contact``; empty fields are stored as NULL."""
        for name in ("first_name", "last_name", "job_title", "email", "phone", "mobile", "notes"):
            setattr(contact, name, getattr(self, name).data or None)
        contact.tiers_id = self.tiers_id.data
