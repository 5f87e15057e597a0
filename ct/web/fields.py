"""Form fields for record ids and calendar values: the only id fields of the forms.

A related record is submitted as its id, read by ct.core.ids (the one parser of ids in
forms and URLs). The fields only parse: whether the id names a record of the bound
tenant is the form's check (``Choose an existing …``), since the options shown are a
convenience subset and a search may offer others; an unreadable value is INVALID_ID,
which names no record, so the same check refuses it with the same message.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, SelectMultipleField, StringField
from wtforms.widgets import DateInput, DateTimeLocalInput, TextInput

from ct.core.ids import INVALID_ID, submitted_id

# Calendar values outside these years are typing mistakes, and near the limits of
# Python's datetime they would overflow when converted between time zones.
YEAR_MIN, YEAR_MAX = 1900, 2999


class _OneId:
    """Parses one id (ct.core.ids.submitted_id): None, an id, or INVALID_ID."""

    def process_formdata(self, valuelist):
        self.data = submitted_id(valuelist[0]) if valuelist else None


class _SomeIds:
    """Parses several ids, without duplicates, in posted order; unreadable values stay as
    INVALID_ID so that the form refuses them."""

    def process_formdata(self, valuelist):
        chosen = (submitted_id(raw) for raw in valuelist)
        self.data = list(dict.fromkeys(i for i in chosen if i is not None))

    def process_data(self, value):
        self.data = list(value) if value else []


class IdField(_OneId, Field):
    """One optional id, posted by a picker, a radio group or a hand-made select.

    The templates render these inputs themselves; the widget is a text input only so
    that ``hidden_tag()`` (which renders a form's hidden fields) leaves them alone."""

    widget = TextInput()

    def _value(self):
        return "" if self.data in (None, INVALID_ID) else str(self.data)


class IdListField(_SomeIds, Field):
    """Several ids (checkboxes sharing one name), rendered by the templates."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("default", list)
        super().__init__(label, validators, **kwargs)

    def _value(self):
        return ",".join(str(i) for i in self.data or [])


class IdSelectField(_OneId, SelectField):
    """A <select> of records rendered by WTForms."""

    def __init__(self, label=None, validators=None, **kwargs):
        # The options are a subset (first rows, search results): the id itself is
        # checked against the database by the form, not against the options.
        super().__init__(label, validators, coerce=submitted_id, validate_choice=False,
                         **kwargs)


class IdMultipleField(_SomeIds, SelectMultipleField):
    """Several records in a multiple <select> rendered by WTForms."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=submitted_id, validate_choice=False,
                         **kwargs)


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
