"""The form of a third party: every field checked, related ids checked against the tenant."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ct.extensions import db
from ct.models import Membership, Tiers
from ct.models import tiers as limits
from ct.web.fields import IdSelectField
from ct.web.forms import name_field, one_line_text
from ct.web.record_fields import TOO_LONG, phone_field, plain_text, single_line, strip, text_field

KIND_LABELS = {
    "prospect": _l("Prospect"),
    "customer": _l("Customer"),
    "supplier": _l("Supplier"),
}

_HAS_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?![0-9])", re.IGNORECASE)


def _with_scheme(value):
    """'www.example.com' is what people type: assume https. An explicit scheme
    (javascript:, ftp://…) is kept so that the scheme check can refuse it."""
    value = strip(value)
    if value and not _HAS_SCHEME.match(value):
        return f"https://{value}"
    return value


def web_scheme(form, field) -> None:
    if field.data and not field.data.lower().startswith(("http://", "https://")):
        raise ValidationError(_l("Enter a web address starting with http:// or https://."))


class TiersForm(FlaskForm):
    name = name_field(_l("Name"), limits.NAME_MAX)
    kinds = SelectMultipleField(
        _l("Kind"), choices=[SelectChoice(code, label) for code, label in KIND_LABELS.items()],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
    customer_code = text_field(_l("Customer code"), limits.CODE_MAX)
    email = EmailField(_l("Email"), filters=[strip], validators=[
        one_line_text, Optional(), Length(max=limits.EMAIL_MAX, message=TOO_LONG),
        Email(_l("Enter a valid email address."), check_deliverability=False)])
    phone = phone_field(_l("Phone"))
    website = StringField(_l("Website"), filters=[_with_scheme], validators=[
        Optional(), Length(max=limits.URL_MAX, message=TOO_LONG), single_line, web_scheme,
        URL(message=_l("Enter a valid web address, such as https://example.com."))])
    street = text_field(_l("Street"), limits.STREET_MAX)
    postcode = text_field(_l("Postcode"), limits.POSTCODE_MAX)
    town = text_field(_l("Town"), limits.TOWN_MAX)
    country = text_field(_l("Country"), limits.COUNTRY_MAX)
    # Any id may be posted: the form checks it against the bound tenant's members.
    sales_rep_id = IdSelectField(_l("Sales representative"))
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[
        Optional(), Length(max=limits.NOTES_MAX, message=TOO_LONG), plain_text])
    # Set when the user saw the possible duplicates and chose to create anyway.
    confirm_duplicate = HiddenField()

    def __init__(self, *args, tiers: Tiers | None = None, **kwargs):
        super().__init__(*args, obj=tiers, **kwargs)
        self._tiers = tiers
        current_rep = tiers.sales_rep if tiers is not None else None
        members = Membership.all_active()
        if current_rep is not None and current_rep not in members:
            members.append(current_rep)  # a former member stays selectable where already set
        self.sales_rep_id.choices = [SelectChoice("", _l("— None —"))] + [
            SelectChoice(m.id, m.user.display_name) for m in members]

    def validate_customer_code(self, field) -> None:
        if not field.data or field.errors:
            return  # an invalid code (a NUL byte…) must not reach the database
        query = select(Tiers.id).where(Tiers.customer_code == field.data)
        if self._tiers is not None:
            query = query.where(Tiers.id != self._tiers.id)
        if db.session.scalar(query) is not None:
            raise ValidationError(_l("Another third party already has this customer code."))

    def validate_sales_rep_id(self, field) -> None:
        if field.data is None:
            return
        # Scoped to the bound tenant: another company's member is simply not found.
        member = db.session.scalar(select(Membership).where(Membership.id == field.data))
        unchanged = self._tiers is not None and self._tiers.sales_rep_id == field.data
        if member is None or not (member.active or unchanged):
            raise ValidationError(_l("Choose an existing member."))

    def code_taken(self) -> None:
        """The database refused the code (someone saved the same one meanwhile)."""
        self.customer_code.errors = [_l("Another third party already has this customer code.")]

    def fill(self, tiers: Tiers) -> None:
        tiers.name = self.name.data
        for kind in limits.KINDS:
            setattr(tiers, f"is_{kind}", kind in (self.kinds.data or []))
        for name in ("customer_code", "email", "phone", "website", "street", "postcode",
                     "town", "country", "notes"):
            setattr(tiers, name, getattr(self, name).data or None)
        tiers.sales_rep_id = self.sales_rep_id.data


class EditTiersForm(TiersForm):
    active = BooleanField(_l("Active (uncheck to close this third party)"))

    def fill(self, tiers: Tiers) -> None:
        super().fill(tiers)
        tiers.active = self.active.data
