"""The calendar feed: a private, revocable iCalendar address per member with the events
assigned to them (reminders as VALARM), readable by calendar applications without login."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from ct.blueprints.calendar_feed.ics import escape, fold
from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.extensions import db
from ct.models import CalendarToken, Event, Membership
from tests.planning_data import make_event, make_tiers, paris

pytestmark = pytest.mark.usefixtures("english", "english_messages")

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
FEED = re.compile(r'value="http://ct\.test(/calendar/[^"]+\.ics)"')


def page(tenant):
    return f"/t/{tenant.slug}/agenda/feed/"


def new_address(client, tenant) -> str:
    response = client.post(page(tenant) + "new")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return FEED.search(response.text).group(1)


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


@pytest.fixture
def member(client, auth, tenants):
    auth.login(tenants.a.member_email)
    return client


def test_a_member_creates_an_address_shown_once_and_stored_hashed(member, app, tenants):
    assert "You have no feed address yet." in member.get(page(tenants.a)).text
    address = new_address(member, tenants.a)
    assert address.startswith(f"/calendar/{tenants.a.id}-")
    secret = address.split("-", 1)[1].removesuffix(".ics")
    assert len(secret) >= 40

    later = member.get(page(tenants.a)).text
    assert secret not in later and "You have a feed address since" in later
    with app.app_context():
        [row] = db.session.scalars(select(CalendarToken)
                                   .execution_options(**{ALL_TENANTS: True})).all()
        assert row.membership_id == tenants.a.member_membership_id
        assert secret not in row.token_hash and len(row.token_hash) == 64


def test_the_feed_holds_the_member_s_events_in_icalendar(member, app, tenants):
    a = tenants.a
    tiers = make_tiers(app, a.id, "Dupont, Fils & Cie")
    meeting = make_event(app, a.id, title="Quote review; room 2",
                         starts_at=paris(2031, 6, 3, 9), ends_at=paris(2031, 6, 3, 10, 30),
                         location="12 rue de la Paix, Paris", reminder_minutes=30,
                         notes="Bring:\n- the order\n- the plans", tiers_id=tiers,
                         assignees=[a.member_membership_id, a.admin_membership_id])
    make_event(app, a.id, title="Trade fair", starts_at=paris(2031, 6, 10),
               ends_at=paris(2031, 6, 12), all_day=True, assignees=[a.member_membership_id])
    make_event(app, a.id, title="Admin only", assignees=[a.admin_membership_id])
    make_event(app, tenants.b.id, title="Beta event", assignees=[tenants.b.member_membership_id])
    long_title = "Réunion très importante " * 8
    make_event(app, a.id, title=long_title, assignees=[a.member_membership_id],
               starts_at=paris(2031, 7, 1, 14))
    address = new_address(member, a)

    response = app.test_client().get(address)  # a calendar application: no session
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    ics = response.text
    assert ics.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and ics.endswith(
        "END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    lines = unfold(ics)
    assert lines.count("BEGIN:VEVENT") == 3
    assert "Admin only" not in ics and "Beta event" not in ics

    first = lines.index("BEGIN:VEVENT")
    event = lines[first:lines.index("END:VEVENT", first) + 1]
    assert f"UID:event-{meeting}@ct.test" in event
    assert "DTSTART:20310603T070000Z" in event and "DTEND:20310603T083000Z" in event
    assert "SUMMARY:Quote review\\; room 2" in event
    assert "LOCATION:12 rue de la Paix\\, Paris" in event
    assert ("DESCRIPTION:Third party: Dupont\\, Fils & Cie\\nBring:\\n- the order\\n"
            "- the plans") in event
    assert f"URL:http://ct.test/t/{a.slug}/agenda/{meeting}" in event
    assert event[event.index("BEGIN:VALARM"):event.index("END:VALARM") + 1] == [
        "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Quote review\\; room 2",
        "TRIGGER:-PT30M", "END:VALARM"]

    assert "DTSTART;VALUE=DATE:20310610" in lines and "DTEND;VALUE=DATE:20310612" in lines
    assert f"SUMMARY:{long_title}" in lines  # folded on the wire, whole once unfolded
    assert lines.count("BEGIN:VALARM") == 1  # only the event with a reminder


def test_the_uid_stays_and_changes_show_up(member, app, tenants):
    a = tenants.a
    event_id = make_event(app, a.id, title="Call", assignees=[a.member_membership_id])
    address = new_address(member, a)
    before = unfold(app.test_client().get(address).text)
    with app.app_context(), bound_tenant(a.id):
        db.session.execute(update(Event).values(title="Call, moved",
                                                starts_at=datetime(2031, 1, 2, 8, tzinfo=UTC),
                                                ends_at=datetime(2031, 1, 2, 9, tzinfo=UTC)))
        db.session.commit()
    after = unfold(app.test_client().get(address).text)
    uid = f"UID:event-{event_id}@ct.test"
    assert uid in before and uid in after
    assert "SUMMARY:Call\\, moved" in after and "DTSTART:20310102T080000Z" in after


def test_replacing_or_revoking_kills_the_old_address(member, app, tenants):
    feed = app.test_client()
    first = new_address(member, tenants.a)
    second = new_address(member, tenants.a)
    assert feed.get(first).status_code == 404
    assert feed.get(second).status_code == 200

    response = member.post(page(tenants.a) + "revoke")
    assert response.status_code == 303
    assert feed.get(second).status_code == 404
    assert "You have no feed address yet." in member.get(page(tenants.a)).text


def test_unknown_forged_or_foreign_tokens_are_404(member, app, client, auth, tenants):
    address = new_address(member, tenants.a)
    secret = address.split("-", 1)[1].removesuffix(".ics")
    feed = app.test_client()
    for forged in (f"{tenants.b.id}-{secret}", f"{tenants.a.id}-{secret}x", secret,
                   f"{tenants.a.id}-", "-" + secret, "x-" + secret, "²-" + secret,
                   f"99999999999-{secret}", f"{tenants.a.id}-{'a' * 200}", "0-abc",
                   f"0{tenants.a.id}-{secret}", f" {tenants.a.id}-{secret}",
                   f"{str(tenants.a.id).translate(FULL_WIDTH)}-{secret}"):
        assert feed.get(f"/calendar/{forged}.ics").status_code == 404, forged
    assert feed.get(address).status_code == 200


def test_a_member_who_left_has_no_feed(member, app, tenants):
    address = new_address(member, tenants.a)
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(update(Membership).where(
            Membership.id == tenants.a.member_membership_id).values(active=False))
        db.session.commit()
    assert app.test_client().get(address).status_code == 404


def test_the_page_needs_a_login_and_a_membership(client, auth, tenants):
    response = client.get(page(tenants.a))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(tenants.b.member_email)
    assert client.get(page(tenants.a)).status_code == 404
    assert client.post(page(tenants.a) + "new").status_code == 404


def test_the_feed_keeps_the_old_events_out(member, app, tenants):
    a = tenants.a
    today = datetime.combine(date.today(), datetime.min.time(), tzinfo=UTC)
    make_event(app, a.id, title="Long ago", starts_at=today - timedelta(days=400),
               assignees=[a.member_membership_id])
    make_event(app, a.id, title="Last month", starts_at=today - timedelta(days=30),
               assignees=[a.member_membership_id])
    ics = app.test_client().get(new_address(member, a)).text
    assert "Last month" in ics and "Long ago" not in ics


def test_escaping_and_folding_follow_rfc_5545():
    assert escape("a\\b;c,d\r\ne\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line
    assert fold("SHORT:x") == "SHORT:x"
