"""Agenda events: create, card, edit (the reminder follows), delete; rights, other tenants."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from ct.blueprints.agenda.times import describe_reminder, split_reminder
from ct.core.permissions import READ_ALL_EXCHANGES, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Event, EventAssignee, EventContact
from tests.admin_support import set_rights
from tests.planning_data import (
    PARIS,
    count,
    get,
    make_contact,
    make_event,
    make_tiers,
    paris,
)

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

NEXT_YEAR = datetime.now(UTC).year + 1


@pytest.fixture
def a(tenants):
    return tenants.a


def url(tenant, path=""):
    return f"/t/{tenant.slug}/agenda/{path}"


def links(app, tenant_id, event_id):
    with app.app_context(), bound_tenant(tenant_id):
        contacts = db.session.scalars(select(EventContact.contact_id).where(
            EventContact.event_id == event_id)).all()
        members = db.session.scalars(select(EventAssignee.membership_id).where(
            EventAssignee.event_id == event_id)).all()
        return sorted(contacts), sorted(members)


def test_create_event_with_everything(client, auth, app, a):
    tiers = make_tiers(app, a.id, "Dupont")
    alice = make_contact(app, a.id, "Alice", tiers_id=tiers)
    bob = make_contact(app, a.id, "Bob", tiers_id=tiers)
    auth.login(a.admin_email)
    response = client.post(url(a, "new"), data={
        "title": "Site visit", "starts_at": f"{NEXT_YEAR}-01-15T10:00",
        "ends_at": f"{NEXT_YEAR}-01-15T11:30", "location": "Lyon", "notes": "Bring samples",
        "tiers": str(tiers), "contacts": [str(alice), str(bob)],
        "assignees": [str(a.admin_membership_id), str(a.member_membership_id)],
        "reminder_value": "30", "reminder_unit": "minutes"})
    assert response.status_code == 303 and response.headers["Location"] == url(a, "1")
    event = get(app, a.id, Event, 1)
    # 10:00 in Paris in January is 09:00 UTC.
    assert event.starts_at == datetime(NEXT_YEAR, 1, 15, 9, 0, tzinfo=UTC)
    assert event.ends_at == datetime(NEXT_YEAR, 1, 15, 10, 30, tzinfo=UTC)
    assert (event.title, event.location, event.notes, event.tiers_id) == (
        "Site visit", "Lyon", "Bring samples", tiers)
    assert event.reminder_minutes == 30
    assert event.reminder_at == datetime(NEXT_YEAR, 1, 15, 8, 30, tzinfo=UTC)
    assert event.created_by_id == a.admin_membership_id and not event.all_day
    assert links(app, a.id, 1) == (sorted([alice, bob]),
                                   sorted([a.admin_membership_id, a.member_membership_id]))
    card = client.get(url(a, "1")).get_data(as_text=True)
    for text in ("Site visit", "Lyon", "Bring samples", "Dupont", "Alice", "Bob",
                 "Admin Alpha Conseil", "Member Alpha Conseil", "30 minutes before", "10:00"):
        assert text in card


def test_summer_time_is_taken_into_account(client, auth, app, a):
    auth.login(a.admin_email)
    client.post(url(a, "new"), data={"title": "Summer", "starts_at": f"{NEXT_YEAR}-07-15T10:00"})
    event = get(app, a.id, Event, 1)
    assert event.starts_at == datetime(NEXT_YEAR, 7, 15, 8, 0, tzinfo=UTC)  # UTC+2
    assert event.ends_at - event.starts_at == timedelta(hours=1)  # the default length


def test_all_day_event_covers_whole_local_days(client, auth, app, a):
    auth.login(a.admin_email)
    response = client.post(url(a, "new"), data={
        "title": "Trade fair", "all_day": "y", "starts_at": f"{NEXT_YEAR}-03-10",
        "ends_at": f"{NEXT_YEAR}-03-12"})
    assert response.status_code == 303
    event = get(app, a.id, Event, 1)
    assert event.all_day
    assert event.starts_at == paris(NEXT_YEAR, 3, 10)
    assert event.ends_at == paris(NEXT_YEAR, 3, 13)  # exclusive end: midnight after the last day
    html = client.get(url(a, "1")).get_data(as_text=True)
    assert "all day" in html
    edit = client.get(url(a, "1/edit")).get_data(as_text=True)
    assert f'type="date" value="{NEXT_YEAR}-03-10"' in edit
    assert f'type="date" value="{NEXT_YEAR}-03-12"' in edit


def test_all_day_times_typed_are_reduced_to_dates(client, auth, app, a):
    auth.login(a.admin_email)
    client.post(url(a, "new"), data={"title": "Off", "all_day": "y",
                                     "starts_at": f"{NEXT_YEAR}-03-10T15:00"})
    event = get(app, a.id, Event, 1)
    assert (event.starts_at, event.ends_at) == (paris(NEXT_YEAR, 3, 10), paris(NEXT_YEAR, 3, 11))


def test_ticking_all_day_redraws_the_form_without_saving(htmx, app, a):
    htmx.post("/login", data={"email": a.admin_email, "password": "correct horse battery"})
    to_dates = htmx.get(url(
        a, f"new?refresh=1&title=x&all_day=y&starts_at={NEXT_YEAR}-02-03T10:00"))
    html = to_dates.get_data(as_text=True)
    assert html.lstrip().startswith('<form id="event-form"')
    assert f'type="date" value="{NEXT_YEAR}-02-03"' in html and "checked" in html
    to_times = htmx.get(url(
        a, f"new?refresh=1&starts_at={NEXT_YEAR}-02-03&ends_at={NEXT_YEAR}-02-04"))
    html = to_times.get_data(as_text=True)
    assert f'type="datetime-local" value="{NEXT_YEAR}-02-03T09:00"' in html
    assert f'type="datetime-local" value="{NEXT_YEAR}-02-04T10:00"' in html
    assert count(app, a.id, Event) == 0


def test_moving_an_event_moves_its_reminder(client, auth, app, a):
    event = make_event(app, a.id, "Call", starts_at=paris(NEXT_YEAR, 5, 4, 14),
                       reminder_minutes=60, assignees=[a.admin_membership_id])
    with app.app_context(), bound_tenant(a.id):  # the reminder went out already
        db.session.execute(update(Event).values(reminder_sent_at=datetime.now(UTC)))
        db.session.commit()
    auth.login(a.admin_email)
    form = client.get(url(a, f"{event}/edit")).get_data(as_text=True)
    assert f'value="{NEXT_YEAR}-05-04T14:00"' in form and 'value="1"' in form
    response = client.post(url(a, f"{event}/edit"), data={
        "title": "Call", "starts_at": f"{NEXT_YEAR}-05-06T16:00",
        "ends_at": f"{NEXT_YEAR}-05-06T17:00", "assignees": [str(a.admin_membership_id)],
        "reminder_value": "1", "reminder_unit": "hours"})
    assert response.status_code == 303
    moved = get(app, a.id, Event, event)
    assert moved.reminder_at == paris(NEXT_YEAR, 5, 6, 15)
    assert moved.reminder_sent_at is None  # it will remind again, at the new time


def test_an_unchanged_reminder_already_sent_does_not_block_an_edit(client, auth, app, a):
    soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=20)
    event = make_event(app, a.id, "Soon", starts_at=soon, reminder_minutes=60)
    auth.login(a.admin_email)
    data = {"title": "Soon, renamed", "reminder_value": "1", "reminder_unit": "hours",
            "starts_at": soon.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")}
    response = client.post(url(a, f"{event}/edit"), data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert get(app, a.id, Event, event).title == "Soon, renamed"


@pytest.mark.parametrize("minutes, words", [
    (None, "No reminder"), (0, "At the start"), (1, "1 minute before"),
    (30, "30 minutes before"), (90, "90 minutes before"), (60, "1 hour before"),
    (120, "2 hours before"), (1440, "1 day before"), (2 * 1440, "2 days before"),
])
def test_reminder_in_words(app, minutes, words):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert describe_reminder(minutes) == words
        value, unit = split_reminder(minutes)
        if minutes:
            assert value * {"minutes": 1, "hours": 60, "days": 1440}[unit] == minutes


def test_edit_replaces_contacts_and_assignees(client, auth, app, a):
    c1, c2 = make_contact(app, a.id, "One"), make_contact(app, a.id, "Two")
    event = make_event(app, a.id, contacts=[c1], assignees=[a.admin_membership_id])
    auth.login(a.admin_email)
    response = client.post(url(a, f"{event}/edit"), data={
        "title": "Meeting", "starts_at": f"{NEXT_YEAR}-06-01T09:00", "contacts": [str(c1), str(c2)],
        "assignees": [str(a.member_membership_id)], "done": "y"})
    assert response.status_code == 303
    assert links(app, a.id, event) == (sorted([c1, c2]), [a.member_membership_id])
    assert get(app, a.id, Event, event).done


def test_delete_asks_then_deletes_with_links(client, auth, app, a):
    contact = make_contact(app, a.id)
    event = make_event(app, a.id, "Farewell", contacts=[contact],
                       assignees=[a.admin_membership_id])
    auth.login(a.member_email)
    assert "Farewell" in client.get(url(a, f"{event}/delete")).get_data(as_text=True)
    assert count(app, a.id, Event) == 1
    assert client.post(url(a, f"{event}/delete")).status_code == 303
    assert count(app, a.id, Event) == 0
    assert count(app, a.id, EventContact) == 0 and count(app, a.id, EventAssignee) == 0


@pytest.mark.parametrize("method, path", [
    ("get", "{id}"), ("get", "{id}/edit"), ("post", "{id}/edit"), ("get", "{id}/edit?refresh=1"),
    ("get", "{id}/delete"), ("post", "{id}/delete"),
])
def test_another_tenants_event_is_404(client, auth, app, tenants, method, path):
    foreign = make_event(app, tenants.b.id, "B secret meeting")
    auth.login(tenants.a.admin_email)
    response = getattr(client, method)(url(tenants.a, path.format(id=foreign)),
                                       data={"title": "hijacked", "starts_at": "2030-01-01T10:00"})
    assert response.status_code == 404 and b"B secret meeting" not in response.data
    assert get(app, tenants.b.id, Event, foreign).title == "B secret meeting"


@pytest.mark.parametrize("method, path", [
    ("get", "new"), ("post", "new"), ("get", "{id}/edit"), ("post", "{id}/edit"),
    ("get", "{id}/delete"), ("post", "{id}/delete"),
])
def test_writing_events_needs_a_planning_right(client, auth, app, a, method, path):
    event = make_event(app, a.id, "Kept")
    set_rights(app, a.id, a.member_membership_id, [READ_ALL_EXCHANGES])
    auth.login(a.member_email)
    response = getattr(client, method)(url(a, path.format(id=event)),
                                       data={"title": "Changed", "starts_at": "2030-01-01T10:00"})
    assert response.status_code == 403
    assert count(app, a.id, Event) == 1 and get(app, a.id, Event, event).title == "Kept"
    for page in ("", "week", str(event)):  # reading stays open
        assert client.get(url(a, page)).status_code == 200
    assert "New event" not in client.get(url(a)).get_data(as_text=True)


def test_writing_exchanges_is_enough_for_events(client, auth, app, a):
    set_rights(app, a.id, a.member_membership_id, [WRITE_EXCHANGES])
    auth.login(a.member_email)
    response = client.post(url(a, "new"), data={"title": "Mine",
                                                 "starts_at": f"{NEXT_YEAR}-01-01T10:00"})
    assert response.status_code == 303 and count(app, a.id, Event) == 1
