"""The endpoint form: its address (checked by ct.webhooks.targets when saved), a
description, and the events it listens to, grouped by record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ct.models.webhook import ALL_EVENT_TYPES, DESCRIPTION_MAX, EVENT_TYPES, URL_MAX
from ct.web.forms import REQUIRED, one_line_text, strip

TOO_LONG = _l("At most %(max)d characters.")

# How the page names each record and each action of EVENT_TYPES.
RECORD_LABELS = {
    "exchange": _l("Exchanges"),
    "tiers": _l("Third parties"),
    "contact": _l("Contacts"),
    "task": _l("Tasks"),
    "event": _l("Agenda events"),
}
ACTION_LABELS = {
    "created": _l("Creation"),
    "updated": _l("Change"),
    "deleted": _l("Deletion"),
    "status_changed": _l("Status change"),
}
assert set(RECORD_LABELS) == set(EVENT_TYPES), "every record of EVENT_TYPES needs a label"
assert {a for actions in EVENT_TYPES.values() for a in actions} == set(ACTION_LABELS)


def event_groups(chosen: list[str] | None = ()) -> list[dict]:
    """The events by record, as the form's boxes and the card's summary show them."""
    chosen = set(chosen or ())
    return [{"record": record, "label": RECORD_LABELS[record],
             "events": [{"type": f"{record}.{action}", "label": ACTION_LABELS[action],
                         "checked": f"{record}.{action}" in chosen} for action in actions]}
            for record, actions in EVENT_TYPES.items()]


def events_summary(event_types: list[str]) -> list[tuple[str, int, int]]:
    """(record label, events chosen, events of the record) for each record listened to."""
    chosen = set(event_types or ())
    out = []
    for record, actions in EVENT_TYPES.items():
        count = sum(f"{record}.{action}" in chosen for action in actions)
        if count:
            out.append((str(RECORD_LABELS[record]), count, len(actions)))
    return out


class EndpointForm(FlaskForm):
    url = StringField(_l("Endpoint address"), filters=[strip], validators=[
        one_line_text, DataRequired(REQUIRED), Length(max=URL_MAX, message=TOO_LONG)])
    description = StringField(_l("Description"), filters=[strip], validators=[
        one_line_text, Optional(), Length(max=DESCRIPTION_MAX, message=TOO_LONG)])
    # The boxes are drawn by the template, grouped by record; any value may be posted.
    events = SelectMultipleField(_l("Events"), choices=list(ALL_EVENT_TYPES),
                                 validate_choice=False)

    def validate_events(self, field):
        chosen = field.data or []
        if any(value not in ALL_EVENT_TYPES for value in chosen):
            raise ValidationError(_l("Choose events of the list."))
        if not chosen:
            raise ValidationError(_l("Choose at least one event."))

    def chosen_events(self) -> list[str]:
        return sorted(set(self.events.data or []))
