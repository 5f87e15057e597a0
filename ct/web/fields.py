"""Form fields for record ids and calendar values, shared by the record areas.

A related record is submitted as its id. The fields only parse: whether the id names
a record of the bound tenant is the form's check (``Choose an existing …``), since the
options shown are a convenience subset and a search may offer others.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.widgets import DateInput, DateTimeLocalInput

from ct.core import ids

# An id that cannot name any row: what an unreadable submitted value becomes, so the
# form says "Choose an existing …" instead of silently dropping it.
INVALID_ID = 0
# Calendar values outside these years are typing mistakes, and near the limits of
# Python's datetime they would overflow when converted between time zones.
YEAR_MIN, YEAR_MAX = 1900, 2999


def submitted_id(raw) -> int | None:
    """``None`` for an empty value, ``INVALID_ID`` for anything but an id (ct.core.ids)."""
    if not str(raw if raw is not None else "").strip():
        return None
    return ids.parse_id(raw) or INVALID_ID


def _coerce_id(value):
    return submitted_id(value)


class IdSelectField(SelectField):
    """A <select> of records; the value is an id, or None when nothing is chosen."""

    def __init__(self, label=None, validators=None, **kwargs):
        # The options are a subset (first rows, search results): the id itself is
        # checked against the database by the form, not against the options.
        super().__init__(label, validators, coerce=_coerce_id, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        self.data = submitted_id(valuelist[0]) if valuelist else None


class IdMultipleField(SelectMultipleField):
    """Several records (a multiple select or checkboxes); the value is a list of ids."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=_coerce_id, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        chosen = [submitted_id(raw) for raw in valuelist]
        # Unreadable values stay in the list as INVALID_ID so the form can refuse them.
        self.data = list(dict.fromkeys(i for i in chosen if i is not None))

    def process_data(self, value):
        self.data = list(value) if value else []


def _in_range(value: date) -> bool:
    return YEAR_MIN <= value.year <= YEAR_MAX


class LocalDateField(StringField):
    """A date typed as YYYY-MM-DD (what <input type="date"> sends)."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            value = None
        if value is None or len(raw) != 10 or not _in_range(value):
            raise ValueError(_l("Enter a valid date (YYYY-MM-DD)."))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""


class LocalDateTimeField(StringField):
    """A wall-clock date and time of the tenant's time zone, or a date alone.

    Accepts what <input type="datetime-local"> and <input type="date"> send, so the same
    field serves timed and all-day events; ``data`` is a naive ``datetime`` or a ``date``.
    """

    widget = DateTimeLocalInput()

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        value: date | None = None
        try:
            if len(raw) == 10:
                value = date.fromisoformat(raw)
            elif 16 <= len(raw) <= 19 and raw[10] in "T ":
                value = datetime.fromisoformat(raw.replace(" ", "T"))
        except ValueError:
            value = None
        if value is None or getattr(value, "tzinfo", None) is not None or not _in_range(value):
            raise ValueError(_l("Enter a valid date and time."))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, datetime):
            if isinstance(self.widget, DateInput):
                return self.data.date().isoformat()
            return self.data.strftime("%Y-%m-%dT%H:%M")
        if isinstance(self.data, date):
            return self.data.isoformat()
        return ""
