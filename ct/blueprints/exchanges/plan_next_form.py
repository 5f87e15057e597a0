"""The small form that plans the next contact once an exchange is closed, and what it
hands over to the forms that really save: the exchange form (a to-do exchange) or the
agenda's event form (an event). Their checks and their saving code are the only ones:
this form only says what to fill them with, and brings their messages back by its fields.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ct.blueprints.agenda.forms import EventForm
from ct.blueprints.exchanges.fields import active_member, active_or_error, choice_of
from ct.blueprints.exchanges.forms import ExchangeForm
from ct.core.zone import local_today
from ct.exchanges.saving import new_form_token
from ct.models import Exchange, TenantSettings
from ct.models.agenda import TITLE_MAX as EVENT_TITLE_MAX
from ct.models.choices import KIND_MODE
from ct.models.exchange import STATUS_TODO
from ct.web.fields import IdField, LocalDateField
from ct.web.record_fields import text_field

PLAN_EXCHANGE, PLAN_EVENT = "exchange", "event"
NOTE_MAX = 200
# The to-do exchange is dated at the hour the agenda starts a new event on a given day.
PLANNED_HOUR = time(9)
# Where the exchange form's (and the event form's) messages show in this one.
EXCHANGE_FIELDS = {"occurred_at": "day", "mode_id": "mode_id", "made_by_id": "made_by_id",
                   "comment": "note"}
EVENT_FIELDS = {"starts_at": "day", "ends_at": "day", "assignees": "made_by_id",
                "notes": "note"}


class PlanNextForm(FlaskForm):
    form_token = HiddenField()  # a form sent twice lands on the exchange it created
    what = RadioField(_l("Create"), default=PLAN_EXCHANGE, choices=[
        SelectChoice(PLAN_EXCHANGE, _l("A to-do exchange")),
        SelectChoice(PLAN_EVENT, _l("An agenda event"))],
        invalid_choice_message=_l("Choose an exchange or an event."))
    day = LocalDateField(_l("Date"), validators=[
        InputRequired(_l("Give the date of the next contact."))])
    mode_id = IdField(_l("Contact mode"))
    made_by_id = IdField(_l("Made by"))
    note = text_field(_l("Note"), NOTE_MAX)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "plan")  # its ids never meet the exchange form's
        super().__init__(*args, **kwargs)
        self.general_errors: list[str] = []
        self.mode = self.made_by = None

    def validate_day(self, field):
        if field.data is not None and field.data < local_today():
            raise ValidationError(_l("Choose today or a later date."))

    def validate_mode_id(self, field):
        self.mode = choice_of(KIND_MODE, field.data)
        if field.data is not None and self.mode is None:
            raise ValidationError(_l("Choose a contact mode from the list."))

    def validate_made_by_id(self, field):
        self.made_by = active_or_error(field.data, _l("Choose an existing member."))

    def take_errors(self, errors: dict, fields: dict[str, str]) -> None:
        """Another form's messages, each by the field of this form it comes from."""
        for name, messages in errors.items():
            target = fields.get(name)
            for message in messages:
                if target is not None:
                    self[target].errors = [*self[target].errors, message]
                else:
                    self.general_errors.append(str(message))

    @property
    def has_errors(self) -> bool:
        return bool(self.general_errors) or any(f.errors for f in self)


def offered_form(exchange: Exchange) -> PlanNextForm:
    """The offer as it first shows: the closed exchange's mode and member, the date the
    company's setting says."""
    days = TenantSettings.current().plan_next_days
    made_by = active_member(exchange.made_by_id)  # one who left: the member planning
    return PlanNextForm(formdata=None, data={
        "form_token": new_form_token(), "what": PLAN_EXCHANGE,
        "day": local_today() + timedelta(days=days), "mode_id": exchange.mode_id,
        "made_by_id": made_by.id if made_by else g.membership.id})


def _contact_ids(exchange: Exchange) -> list[int]:
    return [link.contact_id for link in exchange.contact_links]


def exchange_form_for(plan: PlanNextForm, exchange: Exchange) -> ExchangeForm:
    """The exchange form filled for a to-do exchange with the same tiers and contacts, as
    if sent from the pop-up (its fields hidden by the company's settings are left out)."""
    values = MultiDict({
        "form_token": plan.form_token.data or "", "tiers_id": str(exchange.tiers_id),
        "occurred_at": datetime.combine(plan.day.data, PLANNED_HOUR).strftime("%Y-%m-%dT%H:%M"),
        "status": STATUS_TODO, "mode_id": str(plan.mode_id.data or ""),
        "made_by_id": str(plan.made_by_id.data or g.membership.id),
        "comment": plan.note.data or ""})
    for contact_id in _contact_ids(exchange):
        values.add("contact_ids", str(contact_id))
    # No CSRF field of its own: the plan form's request passed the application's check.
    form = ExchangeForm(formdata=values, meta={"csrf": False})
    return form.configure(TenantSettings.current(), task=False, event=False)


def event_form_for(plan: PlanNextForm, exchange: Exchange) -> EventForm:
    """The agenda's event form filled for an all-day event on the planned date, with the
    same tiers and contacts, assigned to the member chosen (else the one planning)."""
    title = _("Next contact with %(name)s", name=exchange.tiers.name)
    if plan.mode is not None:
        title = f"{plan.mode.display} — {exchange.tiers.name}"
    values = MultiDict({
        "title": title[:EVENT_TITLE_MAX], "all_day": "y", "starts_at": plan.day.data.isoformat(),
        "tiers": str(exchange.tiers_id), "notes": plan.note.data or "",
        "assignees": str(plan.made_by_id.data or g.membership.id)})
    for contact_id in _contact_ids(exchange):
        values.add("contacts", str(contact_id))
    return EventForm(formdata=values, meta={"csrf": False})

