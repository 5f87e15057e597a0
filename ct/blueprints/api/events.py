"""/api/v1/events: list, read, create, update and delete agenda events.

Nothing here decides what a valid event is: the list is the agenda list page's
(``agenda_page``: upcoming or past, the member's or everyone's, one third party), a
write goes through the page's event form (its checks and messages, its times in the
company's zone, its reminder rule), a deletion does what the page does: the exchanges
that follow the event up lose the link, and the event is deleted for good.

Times: an instant is answered with the company's offset and read without one as the
company's wall-clock time (as the exchanges); an all-day event's days are days.
"""

from __future__ import annotations

from flask import g, url_for
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ct.blueprints.agenda.forms import EventForm
from ct.blueprints.agenda.routes import LIST_ORDER, agenda_page
from ct.blueprints.agenda.times import event_days, form_times, split_reminder
from ct.blueprints.api import common as api
from ct.blueprints.api import events_bp as bp
from ct.blueprints.api.event_schemas import (
    EventPageSchema,
    EventQuerySchema,
    EventSchema,
    EventWriteSchema,
)
from ct.core.pagination import cursor_clause
from ct.core.permissions import PLAN_RIGHTS, require_any_right
from ct.core.tenancy import find
from ct.exchanges.links import unlink_event
from ct.extensions import db
from ct.models import Event, Tiers

WRITTEN = tuple(EventWriteSchema().fields)  # the fields a PATCH may change
# The API's names of the form's fields (its messages are given under them).
API_NAMES = {"tiers": "tiers_id", "contacts": "contact_ids", "assignees": "assignee_ids",
             "reminder_value": "reminder_minutes", "reminder_unit": "reminder_minutes"}
NOT_FOUND, STALE, FORBIDDEN = api.record_answers(bp, "event")


class ApiEventForm(EventForm):
    """The page's form as the API's create and update helpers use it."""

    @property
    def errors(self):
        errors: dict[str, list] = {}
        for name, messages in super().errors.items():
            errors.setdefault(API_NAMES.get(name, name), []).extend(messages)
        return errors

    def fill(self, event: Event) -> None:
        self.apply_to(event)


def _with_links(query):
    """A list's events with what their representation names: their links' ids."""
    return query.options(selectinload(Event.contact_links), selectinload(Event.assignee_links))


def _dump(event: Event) -> dict:
    if event.all_day:
        first, last = event_days(event)
        starts_at, ends_at = first.isoformat(), last.isoformat()
    else:
        starts_at, ends_at = api.moment(event.starts_at), api.moment(event.ends_at)
    return {
        "id": event.id, "title": event.title, "starts_at": starts_at, "ends_at": ends_at,
        "all_day": bool(event.all_day), "location": event.location, "notes": event.notes,
        "tiers_id": event.tiers_id,
        "contact_ids": [link.contact_id for link in event.contact_links],
        "assignee_ids": [link.membership_id for link in event.assignee_links],
        "reminder_minutes": event.reminder_minutes, "done": bool(event.done),
        "created_by_id": event.created_by_id,
        "created_at": api.moment(event.created_at), "updated_at": api.moment(event.updated_at),
    }


def _as_written(event: Event) -> dict:
    """The event's fields as the form shows them (an all-day event's last day, not the
    midnight after it): what a PATCH keeps."""
    starts_at, ends_at = form_times(event)
    return {**_dump(event), "starts_at": starts_at, "ends_at": ends_at}


def _form(values: dict, event: Event | None) -> ApiEventForm:
    """The page's form, filled from JSON: times as the company's wall-clock time, the
    reminder in the form's largest whole unit."""
    data = {"title": values.get("title"), "all_day": values.get("all_day"),
            "starts_at": api.wall_clock(values.get("starts_at")),
            "ends_at": api.wall_clock(values.get("ends_at")),
            "location": values.get("location"), "notes": values.get("notes"),
            "tiers": values.get("tiers_id"), "contacts": values.get("contact_ids"),
            "assignees": values.get("assignee_ids"), "done": values.get("done")}
    if event is None and "assignee_ids" not in values:
        data["assignees"] = [g.membership.id]  # as the page's new event
    value, unit = split_reminder(values.get("reminder_minutes"))
    data["reminder_value"], data["reminder_unit"] = "" if value is None else str(value), unit
    return ApiEventForm(formdata=api.form_data(data), meta={"csrf": False}, event=event)


def _delete(event: Event, _member) -> None:
    unlink_event(event.id)  # the exchanges it follows up stay, without the link
    db.session.delete(event)  # its contact and assignee links go with it (cascade)


@bp.get("/")
@bp.arguments(EventQuerySchema, location="query", as_kwargs=True)
@bp.response(200, EventPageSchema)
@api.problem_answer(bp, 404, "The `tiers` filter names no third party of the company.")
def list_events(when, who, tiers, cursor, limit):
    """Events as the agenda list shows them, one page at a time (keyset pagination:
    pass `next` as `cursor`)."""
    if tiers is not None and find(Tiers, tiers) is None:
        raise NotFound()  # another company's third party, as the contacts' filter
    past = when == "past"
    if cursor and cursor_clause(LIST_ORDER, cursor, descending=past) is None:
        raise api.bad_cursor()
    page = agenda_page({"when": when, "who": who, "tiers": tiers}, g.membership.id, cursor,
                       limit, loading=_with_links)
    return api.page_answer(page, _dump)


@bp.get("/<int:event_id>")
@api.record_response(bp, EventSchema)
@NOT_FOUND
def get_event(event_id: int):
    """One event; its ETag goes in If-Match to update it safely."""
    return api.tagged(_dump(api.one_or_404(Event, event_id)))


@bp.post("/")
@bp.arguments(EventWriteSchema)
@api.created_response(bp, EventSchema)
@FORBIDDEN
@require_any_right(*PLAN_RIGHTS)
def create_event(values: dict):
    """Create an event, as the agenda page does. Send an Idempotency-Key header to retry
    safely: a retry with the same key gets the first answer, and makes no second event."""
    return api.create_with_form(Event, _form, values, _dump,
                                lambda e: url_for("api_events.get_event", event_id=e.id))


@bp.patch("/<int:event_id>")
@bp.arguments(EventWriteSchema)
@api.record_response(bp, EventSchema)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_any_right(*PLAN_RIGHTS)
def update_event(values: dict, event_id: int):
    """Change some fields; with If-Match (the ETag read), a stale change is refused (412)."""
    return api.update_with_form(Event, event_id, _form, values, _dump, WRITTEN,
                                as_written=_as_written)


@bp.delete("/<int:event_id>")
@bp.response(204)
@FORBIDDEN
@NOT_FOUND
@STALE
@require_any_right(*PLAN_RIGHTS)
def delete_event(event_id: int):
    """Delete an event for good, as its page does; the exchanges that follow it up stay,
    without the link."""
    return api.delete_record(Event, event_id, _dump, _delete)
