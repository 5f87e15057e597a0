"""The follow-up task and event saved with the exchange: one transaction, all or nothing."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Event, Exchange
from tests.exchange_records import counts, exchange_data, in_the_future, records  # noqa: F401
from tests.test_exchange_validation import error_of

# Messages are asserted in English (the users of the fixtures are French).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def admin(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


def post(client, slug, data):
    return client.post(f"/t/{slug}/exchanges/new", data=data)


def follow_ups(side, **changes):
    data = exchange_data(
        side, contact_ids=[str(side.contact)], add_task="y", task_label="Send the new quote",
        task_project_id=str(side.project), task_assignee_id=str(side.member),
        task_due_date="2030-05-02", add_event="y", event_title="Visit on site",
        event_start="2030-05-06T09:00", event_end="2030-05-06T11:30",
        event_assignee_ids=[str(side.admin), str(side.member)], event_location="Lyon",
        event_reminder_amount="2", event_reminder_unit="hours")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_exchange_task_and_event_are_created_and_linked(app, client, admin, records):
    a = records.a
    assert post(client, admin.slug, follow_ups(a)).status_code == 303
    with app.app_context(), bound_tenant(admin.id):
        exchange = db.session.scalar(select(Exchange))
        task, event = exchange.task, exchange.event
        assert (task.label, task.project_id, task.assignee_id) == \
            ("Send the new quote", a.project, a.member)
        assert task.due_date == date(2030, 5, 2) and task.created_by_id == a.admin
        assert event.title == "Visit on site" and event.location == "Lyon"
        assert event.starts_at == datetime(2030, 5, 6, 7, 0, tzinfo=UTC)  # Paris summer time
        assert event.ends_at == datetime(2030, 5, 6, 9, 30, tzinfo=UTC)
        assert event.reminder_minutes == 120
        assert event.reminder_at == event.starts_at - timedelta(hours=2)
        assert event.tiers_id == a.tiers
        assert [c.id for c in event.contacts] == [a.contact]
        assert sorted(m.id for m in event.assignees) == sorted([a.admin, a.member])


def test_switched_off_sections_are_ignored_even_if_filled(app, client, admin, records):
    data = follow_ups(records.a, add_task=None, add_event=None, task_label="x" * 300,
                      task_project_id=str(records.b.project), event_title="nul\x00",
                      event_start="2000-01-01T00:00", event_end="1999-01-01T00:00")
    assert post(client, admin.slug, data).status_code == 303
    assert counts(app, admin.id) | {"Tiers": 0, "Contact": 0} == \
        {"Exchange": 1, "Task": 0, "Event": 0, "Tiers": 0, "Contact": 0}


def test_event_defaults_one_hour_to_me(app, client, admin, records):
    data = follow_ups(records.a, add_task=None, event_end="", event_assignee_ids=None,
                      event_reminder_amount="", event_reminder_unit="")
    assert post(client, admin.slug, data).status_code == 303
    with app.app_context(), bound_tenant(admin.id):
        event = db.session.scalar(select(Event))
        assert event.ends_at - event.starts_at == timedelta(hours=1)
        assert [m.id for m in event.assignees] == [records.a.admin]
        assert event.reminder_minutes is None and event.reminder_at is None


@pytest.mark.parametrize("changes, field, message", [
    ({"task_label": ""}, "task_label", "Give the task a label."),
    ({"task_label": "x" * 256}, "task_label", "At most 255 characters."),
    ({"event_title": ""}, "event_title", "Give the event a title."),
    ({"event_start": ""}, "event_start", "Give the start of the event."),
    ({"event_end": "2030-05-06T08:59"}, "event_end", "The end must be after the start."),
    ({"event_start": in_the_future(0, 0), "event_end": "", "event_reminder_amount": "1",
      "event_reminder_unit": "days"}, "event_reminder_amount",
     "This reminder would be in the past."),
    ({"event_reminder_amount": ""}, "event_reminder_amount", "Say how long before."),
    ({"event_reminder_amount": "0"}, "event_reminder_amount", None),
    ({"event_reminder_unit": "weeks"}, "event_reminder_unit", None),
    ({"event_location": "y" * 256}, "event_location", "At most 255 characters."),
    ({"task_project_id": "closed_project"}, "task_project_id", "Choose an open project."),
])
def test_follow_up_errors_write_nothing(app, client, admin, records, changes, field, message):
    if changes.get("task_project_id") == "closed_project":
        changes = {"task_project_id": str(records.a.closed_project)}
    before = counts(app, admin.id)
    response = post(client, admin.slug, follow_ups(records.a, **changes))
    assert response.status_code == 422
    shown = error_of(response.get_data(as_text=True), field)
    assert shown == message if message else shown
    assert counts(app, admin.id) == before


def test_a_past_reminder_of_a_past_event_is_refused_too(client, admin, records):
    data = follow_ups(records.a, add_task=None, event_start="2001-01-01T10:00", event_end="",
                      event_reminder_amount="5", event_reminder_unit="minutes")
    response = post(client, admin.slug, data)
    assert error_of(response.get_data(as_text=True), "event_reminder_amount")


def test_a_failing_event_leaves_nothing_behind(app, client, admin, records):
    """The event's insert fails after the task's: neither the task nor the exchange stay."""

    def refuse(mapper, connection, target):
        raise sa.exc.IntegrityError("INSERT INTO events", {}, Exception("refused"))

    sa.event.listen(Event, "before_insert", refuse)
    try:
        response = post(client, admin.slug, follow_ups(records.a))
    finally:
        sa.event.remove(Event, "before_insert", refuse)
    assert response.status_code == 500
    assert counts(app, admin.id) == {"Exchange": 0, "Task": 0, "Event": 0, "Tiers": 2,
                                     "Contact": 3}
    # The form works again right after.
    assert post(client, admin.slug, follow_ups(records.a, form_token="again")).status_code == 303
    assert counts(app, admin.id)["Task"] == 1


def test_follow_up_sections_keep_what_was_typed_on_error(client, admin, records):
    data = follow_ups(records.a, tiers_id="", add_event=None)
    html = post(client, admin.slug, data).get_data(as_text=True)
    assert '<input checked id="add_task" name="add_task"' in html
    assert '<input id="add_event" name="add_event"' in html  # still off
    assert 'value="Send the new quote"' in html
    assert 'value="Visit on site"' in html  # the switched-off section kept its values too
    assert 'value="2030-05-06T09:00"' in html
