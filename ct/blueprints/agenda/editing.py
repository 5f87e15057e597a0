"""Creating and editing events.

The same URLs answer ``?refresh=1`` with the form redrawn from what was typed so far:
ticking "All day" swaps the date-and-time inputs for date inputs (and back) without
any script of ours. Nothing is saved by a refresh.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import flash, g, request, url_for
from flask_babel import gettext as _

from ct.blueprints.agenda import bp
from ct.blueprints.agenda.forms import DEFAULT_LENGTH, EventForm
from ct.blueprints.agenda.times import form_times, split_reminder
from ct.core.ids import submitted_id
from ct.core.permissions import PLAN_RIGHTS, require_any_right
from ct.core.tenancy import find
from ct.core.zone import to_local
from ct.extensions import db
from ct.models import Event, Tiers
from ct.models.base import utcnow
from ct.web.fields import YEAR_MAX, YEAR_MIN
from ct.web.htmx import redirect_to, render
from ct.web.lookups import get_or_404

DEFAULT_START_HOUR = 9


def _day_arg() -> date | None:
    try:
        day = date.fromisoformat(request.args.get("date") or "")
    except ValueError:
        return None
    return day if YEAR_MIN <= day.year <= YEAR_MAX else None


def new_event_data() -> dict:
    """A new event: the day asked for (week view) at 9:00, else the next full hour."""
    day = _day_arg()
    if day is not None:
        start = datetime.combine(day, time(DEFAULT_START_HOUR))
    else:
        start = to_local(utcnow()).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    tiers = find(Tiers, submitted_id(request.args.get("tiers")))
    return {"starts_at": start, "ends_at": start + DEFAULT_LENGTH, "assignees": [g.membership.id],
            "tiers": tiers.id if tiers else None, "reminder_unit": ""}


def event_data(event: Event) -> dict:
    start, end = form_times(event)
    value, unit = split_reminder(event.reminder_minutes)
    return {
        "title": event.title, "all_day": event.all_day, "starts_at": start, "ends_at": end,
        "location": event.location, "notes": event.notes, "tiers": event.tiers_id,
        "contacts": [link.contact_id for link in event.contact_links],
        "assignees": [link.membership_id for link in event.assignee_links],
        "reminder_value": "" if value is None else str(value), "reminder_unit": unit,
        "done": event.done,
    }


def refreshed_form(event: Event | None) -> EventForm:
    """The form from the query string, its times converted to the "All day" choice."""
    form = EventForm(formdata=request.args, meta={"csrf": False}, event=event)
    for field, hour in ((form.starts_at, DEFAULT_START_HOUR),
                        (form.ends_at, DEFAULT_START_HOUR + 1)):
        value = field.data
        if value is None:
            continue
        if form.all_day.data and isinstance(value, datetime):
            field.data = value.date()
        elif not form.all_day.data and not isinstance(value, datetime):
            field.data = datetime.combine(value, time(hour))
        field.raw_data = []
    return form


def render_form(form: EventForm, event: Event | None, status: int = 200):
    return render("agenda/form.html", block="event_form", status=status, form=form.prepare(),
                  event=event)


@bp.route("/new", methods=["GET", "POST"])
@require_any_right(*PLAN_RIGHTS)
def create():
    if request.method == "GET" and request.args.get("refresh"):
        return render_form(refreshed_form(None), None)
    form = EventForm(data=new_event_data())
    if form.validate_on_submit():
        event = form.new_event(g.membership)
        db.session.commit()
        flash(_("Event “%(title)s” added.", title=event.title), "success")
        return redirect_to(url_for(".card", event_id=event.id))
    return render_form(form, None, 422 if form.is_submitted() else 200)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@require_any_right(*PLAN_RIGHTS)
def edit(event_id: int):
    event = get_or_404(Event, event_id)
    if request.method == "GET" and request.args.get("refresh"):
        return render_form(refreshed_form(event), event)
    form = EventForm(data=event_data(event), event=event)
    if form.validate_on_submit():
        form.apply_to(event)
        db.session.commit()
        flash(_("Event “%(title)s” saved.", title=event.title), "success")
        return redirect_to(url_for(".card", event_id=event.id))
    return render_form(form, event, 422 if form.is_submitted() else 200)
