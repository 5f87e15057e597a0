"""The event form: wall-clock times of the tenant, related ids checked in the bound tenant."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import DateInput, DateTimeLocalInput, NumberInput

from ct.blueprints.agenda.times import (
    REMINDER_MAX_UNITS,
    REMINDER_UNIT_LABELS,
    REMINDER_UNITS,
)
from ct.core.tenancy import find
from ct.core.zone import start_of_day, to_utc
from ct.extensions import db
from ct.models import Contact, Event, EventAssignee, EventContact, Membership, Tiers
from ct.models.agenda import LOCATION_MAX, NOTES_MAX, TITLE_MAX
from ct.models.base import utcnow
from ct.web.fields import IdMultipleField, IdSelectField, LocalDateTimeField
from ct.web.forms import REQUIRED, name_field
from ct.web.lookups import contact_choices, member_choices, tiers_choices
from ct.web.record_fields import plain_text, single_line

TOO_LONG = _l("At most %(max)d characters.")
# More people than this on one event is a mistake (or an attempt to flood the table).
LINKS_MAX = 50
DEFAULT_LENGTH = timedelta(hours=1)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class EventForm(FlaskForm):
    title = name_field(_l("Title"), TITLE_MAX)
    all_day = BooleanField(_l("All day"))
    starts_at = LocalDateTimeField(_l("Start"))
    ends_at = LocalDateTimeField(_l("End"))
    location = StringField(_l("Location"), filters=[_strip],
                           validators=[Optional(), Length(max=LOCATION_MAX, message=TOO_LONG),
                                       single_line])
    notes = TextAreaField(_l("Notes"), filters=[_strip],
                          validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG),
                                      plain_text])
    tiers = IdSelectField(_l("Third party"))
    contacts = IdMultipleField(_l("Contacts"))
    assignees = IdMultipleField(_l("Assigned to"))
    reminder_value = StringField(_l("Reminder"), widget=NumberInput(min=0, max=REMINDER_MAX_UNITS),
                                 filters=[_strip])
    reminder_unit = SelectField(_l("Unit"), choices=[SelectChoice(code, label) for code, label
                                         in REMINDER_UNIT_LABELS.items()],
                                validate_choice=False)
    done = BooleanField(_l("Done"))

    def __init__(self, *args, event: Event | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._event = event
        # Filled by validate(): what is saved.
        self.starts_utc: datetime | None = None
        self.ends_utc: datetime | None = None
        self.reminder_minutes: int | None = None

    # -- rendering -----------------------------------------------------------------
    def prepare(self) -> EventForm:
        """Options of the selects, and date or datetime inputs as "All day" says."""
        self.tiers.choices = tiers_choices(self.tiers.data or None)
        self.contacts.choices = contact_choices(self.contacts.data or [], self.tiers.data or None)
        self.assignees.choices = member_choices()[1:]
        widget = DateInput() if self.all_day.data else DateTimeLocalInput()
        self.starts_at.widget = self.ends_at.widget = widget
        return self

    # -- checks --------------------------------------------------------------------
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.starts_at.errors and not self.ends_at.errors:
            valid = self._check_times() and valid
        if not self.reminder_value.errors:
            valid = self._check_reminder() and valid
        return valid

    def validate_starts_at(self, field):
        if field.data is None and not field.errors:
            field.errors.append(REQUIRED)

    def validate_tiers(self, field):
        if field.data is not None and find(Tiers, field.data) is None:
            field.errors.append(_l("Choose an existing third party."))

    def validate_contacts(self, field):
        ids = field.data or []
        if len(ids) > LINKS_MAX:
            field.errors.append(_l("At most %(max)d contacts.", max=LINKS_MAX))
            return
        rows = list(db.session.scalars(select(Contact).where(Contact.id.in_(ids)))) if ids else []
        if len(rows) != len(ids):
            field.errors.append(_l("Choose existing contacts."))
            return
        tiers_id = self.tiers.data
        strangers = [c for c in rows if tiers_id and c.tiers_id not in (None, tiers_id)]
        if strangers:
            names = ", ".join(c.full_name for c in strangers)
            field.errors.append(
                _l("Not a contact of the chosen third party: %(names)s.", names=names))

    def validate_assignees(self, field):
        ids = field.data or []
        if len(ids) > LINKS_MAX:
            field.errors.append(_l("At most %(max)d people.", max=LINKS_MAX))
            return
        found = db.session.scalars(
            select(Membership.id).where(Membership.id.in_(ids), Membership.active.is_(True))
        ).all() if ids else []
        if len(found) != len(ids):
            field.errors.append(_l("Choose active members."))

    def _check_times(self) -> bool:
        start, end = self.starts_at.data, self.ends_at.data
        if start is None:
            return False
        if self.all_day.data:
            first = start.date() if isinstance(start, datetime) else start
            last = end.date() if isinstance(end, datetime) else (end or first)
            if last < first:
                self.ends_at.errors.append(_l("The end must be after the start."))
                return False
            self.starts_utc = start_of_day(first)
            self.ends_utc = start_of_day(last + timedelta(days=1))
            return True
        ok = True
        for field in (self.starts_at, self.ends_at):
            if isinstance(field.data, date) and not isinstance(field.data, datetime):
                field.errors.append(_l("Enter a time too, or tick “All day”."))
                ok = False
        if not ok:
            return False
        self.starts_utc = to_utc(start)
        self.ends_utc = to_utc(end) if end is not None else self.starts_utc + DEFAULT_LENGTH
        if self.ends_utc < self.starts_utc:
            self.ends_at.errors.append(_l("The end must be after the start."))
            return False
        return True

    def _check_reminder(self) -> bool:
        unit, raw = self.reminder_unit.data or "", self.reminder_value.data or ""
        if unit not in REMINDER_UNITS:
            if unit:
                self.reminder_unit.errors.append(_l("Choose a unit in the list."))
                return False
            self.reminder_minutes = None
            return True
        error = None
        if not raw:
            error = _l("Enter a number.")
        elif raw.startswith("-") and raw[1:].isdigit():
            error = _l("Enter a number of 0 or more.")
        elif not (raw.isascii() and raw.isdigit()):
            error = _l("Enter a whole number.")
        elif len(raw) > len(str(REMINDER_MAX_UNITS)) or int(raw) > REMINDER_MAX_UNITS:
            error = _l("At most %(max)s.", max=format_number(REMINDER_MAX_UNITS))
        if error:
            self.reminder_value.errors.append(error)
            return False
        self.reminder_minutes = int(raw) * REMINDER_UNITS[unit]
        return self._check_reminder_time()

    def _check_reminder_time(self) -> bool:
        """A reminder must still be ahead, unless it is the one already saved."""
        if self.starts_utc is None or self.reminder_minutes is None:
            return True
        saved = self._event
        if (saved is not None and saved.reminder_minutes == self.reminder_minutes
                and saved.starts_at == self.starts_utc):
            return True
        now = utcnow()
        if self.starts_utc <= now:
            self.reminder_value.errors.append(
                _l("This event is in the past: it cannot have a reminder."))
            return False
        if self.starts_utc - timedelta(minutes=self.reminder_minutes) <= now:
            self.reminder_value.errors.append(_l("This reminder time is already past."))
            return False
        return True

    # -- saving --------------------------------------------------------------------
    def new_event(self, author: Membership) -> Event:
        """A new event from the checked form, added to the session (the caller commits)."""
        event = Event(created_by_id=author.id)
        self.apply_to(event)
        db.session.add(event)
        return event

    def apply_to(self, event: Event) -> None:
        """Copy the checked values; links are added and removed, never rewritten, so
        the (event, contact) and (event, member) unique keys are never hit midway."""
        event.title = self.title.data
        event.all_day = bool(self.all_day.data)
        event.starts_at, event.ends_at = self.starts_utc, self.ends_utc
        event.location = self.location.data or None
        event.notes = self.notes.data or None
        event.tiers_id = self.tiers.data
        event.reminder_minutes = self.reminder_minutes
        event.done = bool(self.done.data)
        wanted = set(self.contacts.data or [])
        event.contact_links = [link for link in event.contact_links if link.contact_id in wanted]
        kept = {link.contact_id for link in event.contact_links}
        event.contact_links += [EventContact(contact_id=c) for c in self.contacts.data
                                if c not in kept]
        wanted = set(self.assignees.data or [])
        event.assignee_links = [link for link in event.assignee_links
                                if link.membership_id in wanted]
        kept = {link.membership_id for link in event.assignee_links}
        event.assignee_links += [EventAssignee(membership_id=m) for m in self.assignees.data
                                 if m not in kept]
