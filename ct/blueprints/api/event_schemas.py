"""The marshmallow schemas of /api/v1/events (the contract is generated from them)."""

from __future__ import annotations

from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields, validate

from ct.blueprints.agenda.times import REMINDER_MAX_UNITS, REMINDER_UNITS
from ct.blueprints.api.schemas import PageQuerySchema, id_filter
from ct.models.agenda import LOCATION_MAX, NOTES_MAX, TITLE_MAX

REMINDER_MAX = REMINDER_MAX_UNITS * REMINDER_UNITS["days"]  # the form's largest reminder
MOMENT = ("A date and time (ISO 8601: with an offset, or without one: the company's "
          "wall-clock time); for an all-day event, a day (YYYY-MM-DD).")


class DayOrMoment(fields.String):
    """A day (YYYY-MM-DD) or a date and time (ISO 8601), as the event form takes both."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError("Not a valid day or date and time.") from None


def _text(size: int):
    return fields.String(allow_none=True, validate=validate.Length(max=size))


def _ids_of(description: str):
    return fields.List(fields.Integer(strict=True), metadata={"description": description})


class EventWriteSchema(Schema):
    """The fields a client writes; the agenda page's event form checks them (the same
    rules and messages)."""

    title = fields.String(validate=validate.Length(max=TITLE_MAX),
                          metadata={"description": "Required to create."})
    starts_at = DayOrMoment(allow_none=True, metadata={
        "description": f"Required to create. {MOMENT}"})
    ends_at = DayOrMoment(allow_none=True, metadata={
        "description": f"Default: one hour after the start; for an all-day event, its "
                       f"last day (included). {MOMENT}"})
    all_day = fields.Boolean(metadata={"description": "Whole days: send days as times."})
    location = _text(LOCATION_MAX)
    notes = _text(NOTES_MAX)
    tiers_id = fields.Integer(allow_none=True, strict=True,
                              metadata={"description": "A third party of the company."})
    contact_ids = _ids_of("Contacts of the company (of the event's third party, if any).")
    assignee_ids = _ids_of("Active members of the company; default on create: the "
                           "token's member.")
    reminder_minutes = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=0, max=REMINDER_MAX),
        metadata={"description": "An email this many minutes before the start (null: "
                                 "none); it must still be ahead."})
    done = fields.Boolean()


class EventSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.String(metadata={"description": "ISO 8601 with the company's "
                                                       "offset; all-day: the first day."})
    ends_at = fields.String(metadata={"description": "ISO 8601 with the company's "
                                                     "offset; all-day: the last day, "
                                                     "included."})
    all_day = fields.Boolean()
    location = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    tiers_id = fields.Integer(allow_none=True)
    contact_ids = fields.List(fields.Integer())
    assignee_ids = fields.List(fields.Integer())
    reminder_minutes = fields.Integer(allow_none=True)
    done = fields.Boolean()
    created_by_id = fields.Integer(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()


class EventPageSchema(Schema):
    items = fields.List(fields.Nested(EventSchema))
    next = fields.String(allow_none=True, metadata={
        "description": "The cursor of the next page (pass it as `cursor`), null at the end."})


class EventQuerySchema(PageQuerySchema):
    """The agenda list page's filters."""

    when = fields.String(load_default="upcoming", validate=validate.OneOf(("upcoming", "past")),
                         metadata={"description": "upcoming (from today's midnight on, "
                                                  "soonest first) or past (latest first)."})
    who = fields.String(load_default="mine", validate=validate.OneOf(("mine", "all")),
                        metadata={"description": "mine (assigned to the token's member) or "
                                                 "all."})
    tiers = id_filter("Only the events of this third party (id).")
