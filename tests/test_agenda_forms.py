"""Bad input on the event form: a clear message next to the field, nothing written."""

from datetime import UTC, datetime, timedelta

import pytest

from ct.models import Event, EventAssignee, EventContact
from tests.admin_support import set_rights
from tests.planning_data import PARIS, count, make_contact, make_tiers

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")

NEXT_YEAR = datetime.now(UTC).year + 1
START = f"{NEXT_YEAR}-04-02T10:00"


@pytest.fixture
def a(tenants):
    return tenants.a


def post_event(client, tenant, **fields):
    data = {"title": "Meeting", "starts_at": START} | fields
    return client.post(f"/t/{tenant.slug}/agenda/new", data=data)


def assert_refused(app, response, field, message, tenant_id):
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html, html
    assert message in html
    assert count(app, tenant_id, Event) == 0
    assert count(app, tenant_id, EventContact) == 0
    assert count(app, tenant_id, EventAssignee) == 0


def local(value: datetime) -> str:
    return value.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("fields, field, message", [
    ({"title": ""}, "title", "This field is required."),
    ({"title": "   "}, "title", "This field is required."),
    ({"title": "t" * 10_000}, "title", "At most 200 characters."),
    ({"location": "l" * 10_000}, "location", "At most 255 characters."),
    ({"notes": "n" * 10_000}, "notes", "At most 5000 characters."),
    ({"starts_at": ""}, "starts_at", "This field is required."),
    ({"starts_at": "2026-13-45"}, "starts_at", "Enter a valid date and time."),
    ({"starts_at": "2026-13-45T10:00"}, "starts_at", "Enter a valid date and time."),
    ({"starts_at": f"{NEXT_YEAR}-02-30T10:00"}, "starts_at", "Enter a valid date and time."),
    ({"starts_at": "next tuesday"}, "starts_at", "Enter a valid date and time."),
    ({"starts_at": "0001-01-01T00:30"}, "starts_at", "Enter a valid date and time."),
    ({"starts_at": "9999-12-31T23:59"}, "starts_at", "Enter a valid date and time."),
    ({"starts_at": f"{NEXT_YEAR}-04-02T10:00+05:00"}, "starts_at", "Enter a valid date and time."),
    ({"ends_at": "2026-13-45T11:00"}, "ends_at", "Enter a valid date and time."),
    ({"ends_at": f"{NEXT_YEAR}-04-02T09:59"}, "ends_at", "The end must be after the start."),
    ({"ends_at": f"{NEXT_YEAR}-04-01T11:00"}, "ends_at", "The end must be after the start."),
    ({"starts_at": f"{NEXT_YEAR}-04-02"}, "starts_at", "Enter a time too"),
    ({"all_day": "y", "starts_at": f"{NEXT_YEAR}-04-02", "ends_at": f"{NEXT_YEAR}-04-01"},
     "ends_at", "The end must be after the start."),
])
def test_bad_text_and_times(client, auth, app, a, fields, field, message):
    auth.login(a.admin_email)
    assert_refused(app, post_event(client, a, **fields), field, message, a.id)


@pytest.mark.parametrize("value, unit, message", [
    ("10001", "minutes", "At most 10,000."),
    ("99999999999999999999999", "days", "At most 10,000."),
    ("9" * 10_000, "days", "At most 10,000."),
    ("-5", "minutes", "Enter a number of 0 or more."),
    ("abc", "hours", "Enter a whole number."),
    ("1.5", "hours", "Enter a whole number."),
    ("", "hours", "Enter a number."),
])
def test_absurd_reminders(client, auth, app, a, value, unit, message):
    auth.login(a.admin_email)
    client.post("/language", data={"language": "en"})
    response = post_event(client, a, reminder_value=value, reminder_unit=unit)
    assert_refused(app, response, "reminder_value", message, a.id)


def test_unknown_reminder_unit(client, auth, app, a):
    auth.login(a.admin_email)
    response = post_event(client, a, reminder_value="2", reminder_unit="fortnights")
    assert_refused(app, response, "reminder_unit", "Choose a unit in the list.", a.id)


def test_a_number_without_a_unit_means_no_reminder(client, auth, app, a):
    auth.login(a.admin_email)
    assert post_event(client, a, reminder_value="15", reminder_unit="").status_code == 303
    assert count(app, a.id, Event, Event.reminder_minutes.is_(None)) == 1


def test_the_largest_reminder_is_accepted(client, auth, app, a):
    auth.login(a.admin_email)
    far = f"{NEXT_YEAR + 30}-01-01T10:00"
    assert post_event(client, a, starts_at=far, reminder_value="10000",
                      reminder_unit="days").status_code == 303
    assert count(app, a.id, Event, Event.reminder_minutes == 10_000 * 1440) == 1


def test_a_reminder_time_already_past_is_refused(client, auth, app, a):
    auth.login(a.admin_email)
    soon = datetime.now(UTC) + timedelta(minutes=10)
    response = post_event(client, a, starts_at=local(soon), reminder_value="1",
                          reminder_unit="hours")
    assert_refused(app, response, "reminder_value", "This reminder time is already past.", a.id)
    # The same event with a reminder still ahead is fine.
    assert post_event(client, a, starts_at=local(soon + timedelta(hours=2)), reminder_value="1",
                      reminder_unit="hours").status_code == 303


def test_a_past_event_cannot_have_a_reminder(client, auth, app, a):
    auth.login(a.admin_email)
    response = post_event(client, a, starts_at="2020-01-01T10:00", reminder_value="0",
                          reminder_unit="minutes")
    assert_refused(app, response, "reminder_value", "This event is in the past", a.id)
    # A past event without a reminder is fine (writing down what happened).
    assert post_event(client, a, starts_at="2020-01-01T10:00").status_code == 303


def test_other_tenants_ids_in_form_fields(client, auth, app, tenants):
    b_tiers = make_tiers(app, tenants.b.id, "Beta secret tiers")
    b_contact = make_contact(app, tenants.b.id, "Beta secret contact")
    auth.login(tenants.a.admin_email)
    for fields, field, message in (
        ({"tiers": str(b_tiers)}, "tiers", "Choose an existing third party."),
        ({"contacts": [str(b_contact)]}, "contacts", "Choose existing contacts."),
        ({"assignees": [str(tenants.b.admin_membership_id)]}, "assignees",
         "Choose active members."),
    ):
        response = post_event(client, tenants.a, **fields)
        assert_refused(app, response, field, message, tenants.a.id)
        assert "Beta secret" not in response.get_data(as_text=True)
    assert count(app, tenants.b.id, Event) == 0


@pytest.mark.parametrize("fields, field, message", [
    ({"tiers": "x1"}, "tiers", "Choose an existing third party."),
    ({"contacts": ["1", "nope"]}, "contacts", "Choose existing contacts."),
    ({"contacts": ["99999999999999999999"]}, "contacts", "Choose existing contacts."),
    ({"assignees": ["0"]}, "assignees", "Choose active members."),
])
def test_unreadable_ids(client, auth, app, a, fields, field, message):
    make_contact(app, a.id)
    auth.login(a.admin_email)
    assert_refused(app, post_event(client, a, **fields), field, message, a.id)


def test_contact_of_another_tiers_is_refused(client, auth, app, a):
    dupont, martin = make_tiers(app, a.id, "Dupont"), make_tiers(app, a.id, "Martin")
    hers = make_contact(app, a.id, "Durand", tiers_id=martin)
    his = make_contact(app, a.id, "Petit", tiers_id=dupont)
    freelance = make_contact(app, a.id, "Libre")
    auth.login(a.admin_email)
    response = post_event(client, a, tiers=str(dupont), contacts=[str(his), str(hers)])
    assert_refused(app, response, "contacts", "Not a contact of the chosen third party: Durand",
                   a.id)
    ok = post_event(client, a, tiers=str(dupont), contacts=[str(his), str(freelance)])
    assert ok.status_code == 303


def test_inactive_member_cannot_be_assigned(client, auth, app, a):
    set_rights(app, a.id, a.member_membership_id, [], active=False)
    auth.login(a.admin_email)
    response = post_event(client, a, assignees=[str(a.member_membership_id)])
    assert_refused(app, response, "assignees", "Choose active members.", a.id)


def test_too_many_contacts(client, auth, app, a):
    auth.login(a.admin_email)
    response = post_event(client, a, contacts=[str(i) for i in range(1, 60)])
    assert_refused(app, response, "contacts", "At most 50 contacts.", a.id)


def test_html_is_escaped(client, auth, app, a):
    auth.login(a.admin_email)
    post_event(client, a, title="<script>alert(1)</script>", location="<b>here</b>",
               assignees=[str(a.admin_membership_id)])
    for page in ("", "1", "week?start=" + START[:10]):
        html = client.get(f"/t/{a.slug}/agenda/{page}").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
        assert "<b>here</b>" not in html


def test_the_form_keeps_what_was_typed(client, auth, app, a):
    auth.login(a.admin_email)
    html = post_event(client, a, title="", location="Paris", reminder_value="2",
                      reminder_unit="days").get_data(as_text=True)
    assert 'value="Paris"' in html and 'value="2"' in html
    assert '<option selected value="days">' in html
