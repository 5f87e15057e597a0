"""Agenda reminders: the clock's job emails each assignee once at (start − offset); a moved
event is reminded at its new time only, a deleted one never; two clocks send it once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import event, select, update

from ct.core.tenancy import ALL_TENANTS, bound_tenant
from ct.emails.notify import send_due_reminders
from ct.extensions import db, rq
from ct.models import Event
from tests.conftest import set_connection_tenant
from tests.planning_data import get, make_contact, make_event, make_tiers
from tests.smtp import outbox
from tests.test_notify import add_member, parts


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def run_clock(app) -> int:
    with app.app_context():
        return send_due_reminders()


def due_event(app, tenant, assignees, **fields) -> int:
    """An event starting in 20 minutes with a 30-minute reminder: due 10 minutes ago."""
    fields.setdefault("starts_at", now() + timedelta(minutes=20))
    fields.setdefault("reminder_minutes", 30)
    return make_event(app, tenant.id, assignees=assignees, **fields)


def sent_at(app, tenant_id: int, event_id: int):
    return get(app, tenant_id, Event, event_id).reminder_sent_at


def test_the_clock_job_on_the_real_worker_reminds_each_assignee(app, tenants, smtp,
                                                                run_worker):
    a = tenants.a
    emma = add_member(app, a.id, "emma@alpha.fr", "Emma Stone", language="en")
    gone = add_member(app, a.id, "gone@alpha.fr", "Former Member", active=False)
    tiers = make_tiers(app, a.id, "Dupont SARL")
    contact = make_contact(app, a.id, "Dupont", first_name="Jean", tiers_id=tiers)
    starts = datetime(2031, 6, 3, 7, 0, tzinfo=UTC)  # 9:00 in Paris
    event_id = make_event(app, a.id, title="Quote review", starts_at=starts,
                          ends_at=starts + timedelta(hours=1), reminder_minutes=60,
                          location="12 rue de la Paix", notes="Bring the <order>.",
                          tiers_id=tiers, contacts=[contact],
                          assignees=[a.member_membership_id, emma, gone])
    with app.app_context(), bound_tenant(a.id):  # the reminder time has come
        db.session.execute(update(Event).values(reminder_at=now() - timedelta(minutes=1)))
        db.session.commit()
        rq.queue.enqueue(send_due_reminders)  # what the clock does every minute

    run_worker()  # runs the job, then the emails it queued

    mails = {mail.rcpt_tos[0]: mail for mail in smtp.received}
    assert sorted(mails) == [a.member_email, "emma@alpha.fr"]  # not the deactivated one
    french = mails[a.member_email]
    assert french.message["Subject"] == "Rappel : Quote review — mardi 3 juin 2031, 09:00 – 10:00"
    text, html = parts(french)
    for line in ("Bonjour Member Alpha Conseil,", "Quand : mardi 3 juin 2031, 09:00 – 10:00",
                 "Lieu : 12 rue de la Paix", "Tiers : Dupont SARL", "Contacts : Jean Dupont",
                 "Bring the <order>.", f"http://ct.test/t/{a.slug}/agenda/{event_id}"):
        assert line in text
    assert "Bring the &lt;order&gt;." in html
    english = mails["emma@alpha.fr"]
    # (Babel puts a narrow no-break space before AM; the header comes back with a space.)
    assert english.message["Subject"].replace("\u202f", " ") == (
        "Reminder: Quote review — Tuesday, June 3, 2031, 9:00 AM – 10:00 AM")
    assert "Third party: Dupont SARL" in parts(english)[0]

    assert sent_at(app, a.id, event_id) is not None
    assert run_clock(app) == 0  # once only
    assert len(outbox(app)) == 2


def test_only_due_unsent_upcoming_events_are_reminded(app, tenants):
    a, b = tenants.a, tenants.b
    member = [a.member_membership_id]
    later = due_event(app, a, member, starts_at=now() + timedelta(days=2))
    no_reminder = due_event(app, a, member, reminder_minutes=None)
    done = due_event(app, a, member, done=True)
    over = due_event(app, a, member, starts_at=now() - timedelta(hours=3))
    deleted = due_event(app, a, member)
    with app.app_context(), bound_tenant(a.id):
        db.session.delete(db.session.scalar(select(Event).where(Event.id == deleted)))
        db.session.commit()
    other_tenant = due_event(app, b, [b.member_membership_id])

    assert run_clock(app) == 1

    assert [(r.to_email, r.tenant_id) for r in outbox(app)] == [(b.member_email, b.id)]
    assert sent_at(app, a.id, later) is None and sent_at(app, a.id, no_reminder) is None
    # Too late or done: marked, so the clock does not look at them every minute.
    assert sent_at(app, a.id, done) is not None and sent_at(app, a.id, over) is not None
    assert sent_at(app, b.id, other_tenant) is not None


def test_an_event_moved_after_it_was_picked_is_reminded_at_its_new_time_only(app, tenants):
    a = tenants.a
    event_id = due_event(app, a, [a.member_membership_id])
    with app.app_context():
        engine = db.engine
    moved = []

    def move_it_first(conn, cursor, statement, *args):
        # The clock has read the due list; before it claims, someone moves the event a
        # day later (another connection, committed).
        if statement.lstrip().upper().startswith("UPDATE EVENTS") and not moved:
            moved.append(True)
            with engine.begin() as other:
                set_connection_tenant(other, a.id)
                other.execute(sa.text(
                    "UPDATE events SET starts_at = :s, ends_at = :e, reminder_at = :r "
                    "WHERE id = :id"), {
                    "s": _db_time(conn, now() + timedelta(days=1)),
                    "e": _db_time(conn, now() + timedelta(days=1, hours=1)),
                    "r": _db_time(conn, now() + timedelta(days=1) - timedelta(minutes=30)),
                    "id": event_id})

    event.listen(engine, "before_cursor_execute", move_it_first)
    try:
        assert run_clock(app) == 0
    finally:
        event.remove(engine, "before_cursor_execute", move_it_first)

    assert moved and outbox(app) == [] and sent_at(app, a.id, event_id) is None
    with app.app_context():  # the new time comes
        db.session.execute(update(Event).values(reminder_at=now() - timedelta(seconds=1))
                           .execution_options(**{ALL_TENANTS: True}))
        db.session.commit()
    assert run_clock(app) == 1
    assert len(outbox(app)) == 1


def _db_time(conn, moment: datetime):
    # SQLite keeps naive UTC text; PostgreSQL an aware timestamp.
    return moment.replace(tzinfo=None) if conn.dialect.name == "sqlite" else moment


def test_moving_an_event_rearms_a_sent_reminder(app, tenants):
    a = tenants.a
    event_id = due_event(app, a, [a.member_membership_id])
    assert run_clock(app) == 1
    with app.app_context(), bound_tenant(a.id):
        ev = db.session.scalar(select(Event).where(Event.id == event_id))
        ev.starts_at = now() + timedelta(minutes=10)  # moved earlier: its reminder is due
        ev.ends_at = ev.starts_at + timedelta(hours=1)
        db.session.commit()
    assert run_clock(app) == 1
    assert len(outbox(app)) == 2


def test_two_clocks_at_once_send_each_reminder_once(app, tenants):
    a = tenants.a
    emma = add_member(app, a.id, "emma@alpha.fr", "Emma Stone", language="en")
    due_event(app, a, [a.member_membership_id, emma])
    barrier = threading.Barrier(2, timeout=10)
    seen = threading.local()

    def meet_before_the_claim(conn, cursor, statement, *args):
        # Both clocks have read the same due list and reach their claim together.
        if statement.lstrip().upper().startswith("UPDATE EVENTS") and not getattr(
                seen, "claim", False):
            seen.claim = True
            barrier.wait()

    results = []

    def clock():
        results.append(run_clock(app))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", meet_before_the_claim)
    try:
        threads = [threading.Thread(target=clock) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        event.remove(engine, "before_cursor_execute", meet_before_the_claim)

    assert sorted(results) == [0, 1]
    assert sorted(r.to_email for r in outbox(app)) == [a.member_email, "emma@alpha.fr"]


def test_the_clock_runs_the_relay_and_the_reminders_every_minute(app):
    with app.app_context():
        jobs = {job.func.__name__: job.interval for job in rq.make_cron_scheduler().get_jobs()}
    # Other periodic jobs (exports, closed companies) are registered beside these.
    assert jobs.items() >= {"relay_outbox": 60, "send_due_reminders": 60,
                            "send_daily_digests": 900}.items()
