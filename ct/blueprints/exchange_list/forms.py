"""The filters of the exchanges list and history tabs, read from the query string.

Every id is checked against the bound tenant: another tenant's tiers, contact, member,
mode or object is "not found" for us, and says so next to its field.
"""

from __future__ import annotations

from datetime import date

from flask import g
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DateField, SearchField, SelectField
from wtforms.validators import Optional, ValidationError

from ct.core.ids import parse_id
from ct.exchanges.query import TEXT_MAX, ExchangeFilters
from ct.exchanges.status import STATUS_LABELS, status_names
from ct.extensions import db
from ct.models import Choice, Contact, Membership, Tiers
from ct.models.choices import KIND_MODE, KIND_OBJECT
from ct.web.fields import IdField, IdSelectField

FIRST_YEAR, LAST_YEAR = 1900, 2200
UNKNOWN_TIERS = _l("Choose an existing third party.")
UNKNOWN_CONTACT = _l("Choose an existing contact.")



def _date(label):
    return DateField(label, validators=[Optional()], format="%Y-%m-%d")


class HistoryFilterForm(FlaskForm):
    """The compact filter row of a history tab (no CSRF: it only reads)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Text"))
    status = SelectField(_l("Status"), validate_choice=False)
    mode = IdSelectField(_l("Contact mode"))
    object = IdSelectField(_l("Object"))
    member = IdSelectField(_l("Member"))
    date_from = _date(_l("From"))
    date_to = _date(_l("To"))

    def __init__(self, args):
        super().__init__(formdata=args)
        anyone = [("", _l("All"))]
        self.status_names = status_names()
        self.status.choices = anyone + list(self.status_names.items())
        self.mode.choices = anyone + _choice_options(KIND_MODE, self.mode.data)
        self.object.choices = anyone + _choice_options(KIND_OBJECT, self.object.data)
        self.member.choices = anyone + list(Membership.names())

    def validate_q(self, field):
        if len(field.data or "") > TEXT_MAX:
            raise ValidationError(_l("At most %(max)d characters.", max=TEXT_MAX))

    def validate_status(self, field):
        if field.data and field.data not in STATUS_LABELS:
            raise ValidationError(_l("Choose a status from the list."))

    def validate_mode(self, field):
        if field.data is not None and _choice(KIND_MODE, field.data) is None:
            raise ValidationError(_l("Choose a contact mode from the list."))

    def validate_object(self, field):
        if field.data is not None and _choice(KIND_OBJECT, field.data) is None:
            raise ValidationError(_l("Choose an object from the list."))

    def validate_member(self, field):
        if field.data is not None and field.data not in dict(Membership.names()):
            raise ValidationError(_l("Choose a member from the list."))

    def validate_date_from(self, field):
        _check_year(field.data)

    def validate_date_to(self, field):
        _check_year(field.data)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def filters(self) -> ExchangeFilters:
        return ExchangeFilters(
            member_id=self.member.data,
            mode_id=self.mode.data,
            object_id=self.object.data,
            status=self.status.data or None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            text=self.q.data or "",
        )


class ListFilterForm(HistoryFilterForm):
    """The All exchanges filters: the history ones plus a tiers and a contact."""

    tiers = IdField(_l("Third party"))
    contact = IdField(_l("Contact"))
    # The exchanges that @mention the member reading the list (their own, never another's).
    mentions = BooleanField(_l("Mentioning me"))

    def __init__(self, args):
        super().__init__(args)
        self.tiers_record: Tiers | None = None
        self.contact_record: Contact | None = None

    def validate_tiers(self, field):
        if field.data is not None and not field.errors:
            self.tiers_record = db.session.scalar(select(Tiers).where(Tiers.id == field.data))
            if self.tiers_record is None:
                raise ValidationError(UNKNOWN_TIERS)

    def validate_contact(self, field):
        if field.data is not None and not field.errors:
            self.contact_record = db.session.scalar(
                select(Contact).where(Contact.id == field.data))
            if self.contact_record is None:
                raise ValidationError(UNKNOWN_CONTACT)

    def filters(self) -> ExchangeFilters:
        found = super().filters()
        found.tiers_id = self.tiers.data
        found.contact_id = self.contact.data
        found.mentioned_id = g.membership.id if self.mentions.data else None
        return found


def _check_year(day: date | None) -> None:
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(_l("Enter a date between %(first)d and %(last)d.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


def _choice(kind: str, value) -> Choice | None:
    choice_id = parse_id(value)
    if choice_id is None:
        return None
    return db.session.scalar(select(Choice).where(Choice.id == choice_id, Choice.kind == kind))


def _choice_options(kind: str, selected) -> list[tuple[str, str]]:
    """The active entries, plus the selected one if it was retired since."""
    choices = Choice.active_of(kind)
    selected_id = parse_id(selected)
    if selected_id and selected_id not in {c.id for c in choices}:
        retired = _choice(kind, selected_id)
        if retired is not None:
            choices.append(retired)
    return [(str(c.id), c.display) for c in choices]
