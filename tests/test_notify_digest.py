"""The daily digest: members who opt in get, once a day from 7:00, their tasks due today and
overdue and today's events; nothing for those with nothing due or who did not ask."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from ct.core.tenancy import bound_tenant
from ct.emails.notify.digest import send_daily_digests
from ct.extensions import db
from ct.models import Membership
from tests.planning_data import make_event, make_project, make_task
from tests.smtp import outbox
from tests.test_notify import add_member

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime(2031, 3, 12, tzinfo=PARIS).date()  # a Wednesday


def at(hour: int, day=TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def opt_in(app, tenant_id: int, membership_id: int, on: bool = True) -> None:
    with app.app_context(), bound_tenant(tenant_id):
        db.session.execute(update(Membership).where(Membership.id == membership_id)
                           .values(daily_digest=on))
        db.session.commit()


def digests(app, now: datetime) -> int:
    with app.app_context():
        return send_daily_digests(now)


def test_the_digest_lists_today_s_and_overdue_tasks_and_today_s_events(app, tenants):
    a = tenants.a
    me = a.member_membership_id
    opt_in(app, a.id, me)
    project = make_project(app, a.id, reference="P-1")
    make_task(app, a.id, "Send the quote", assignee_id=me, due_date=TODAY, project_id=project)
    make_task(app, a.id, "Call back", assignee_id=me, due_date=TODAY - timedelta(days=3))
    make_task(app, a.id, "Tomorrow's", assignee_id=me, due_date=TODAY + timedelta(days=1))
    make_task(app, a.id, "Done already", assignee_id=me, due_date=TODAY, done=True)
    make_task(app, a.id, "Someone else's", assignee_id=a.admin_membership_id, due_date=TODAY)
    make_event(app, a.id, "Site visit", starts_at=at(14), assignees=[me])
    make_event(app, a.id, "Next week", starts_at=at(14, TODAY + timedelta(days=7)),
               assignees=[me])
    make_event(app, a.id, "Admin meeting", starts_at=at(10), assignees=[a.admin_membership_id])

    assert digests(app, at(6)) == 0  # too early
    assert digests(app, at(8)) == 1
    assert digests(app, at(9)) == 0  # once a day

    [row] = outbox(app)
    assert (row.kind, row.to_email) == ("daily_digest", a.member_email)
    assert row.subject == "Votre journée du 12 mars 2031"
    text = row.body_text
    assert "Événements du jour :\n- 14:00 Site visit\n" in text
    assert "Tâches à faire aujourd’hui :\n- Send the quote (P-1)\n" in text
    assert "Tâches en retard :\n- Call back — 9 mars 2031\n" in text
    for absent in ("Tomorrow's", "Done already", "Someone else's", "Next week",
                   "Admin meeting"):
        assert absent not in text

    assert digests(app, at(8, TODAY + timedelta(days=1))) == 1  # the next day
    assert len(outbox(app)) == 2


def test_no_digest_without_opt_in_without_anything_due_or_for_a_former_member(app, tenants):
    a, b = tenants.a, tenants.b
    make_task(app, a.id, "Due", assignee_id=a.admin_membership_id, due_date=TODAY)  # not opted
    opt_in(app, a.id, a.member_membership_id)  # opted in, nothing due
    gone = add_member(app, a.id, "gone@alpha.fr", "Former Member", active=False)
    opt_in(app, a.id, gone)
    make_task(app, a.id, "Due", assignee_id=gone, due_date=TODAY)
    opt_in(app, b.id, b.member_membership_id)
    make_task(app, b.id, "Beta task", assignee_id=b.member_membership_id, due_date=TODAY)

    assert digests(app, at(8)) == 1
    assert [(r.to_email, r.tenant_id) for r in outbox(app)] == [(b.member_email, b.id)]
    with app.app_context(), bound_tenant(a.id):  # nothing due: looked at once for the day
        member = db.session.scalar(select(Membership).where(
            Membership.id == a.member_membership_id))
        assert member.digest_sent_on == TODAY


@pytest.mark.usefixtures("english")
def test_a_member_turns_the_digest_on_and_off(client, auth, app, tenants):
    a = tenants.a
    auth.login(a.member_email)
    page = f"/t/{a.slug}/agenda/feed/"
    def switch():
        return re.search(r'<input[^>]*id="daily_digest"[^>]*>', client.get(page).text).group()

    assert "checked" not in switch()

    response = client.post(page + "digest", data={"daily_digest": "y"})
    assert response.status_code == 303
    assert "checked" in switch()
    with app.app_context(), bound_tenant(a.id):
        assert db.session.scalar(select(Membership.daily_digest).where(
            Membership.id == a.member_membership_id)) is True

    client.post(page + "digest", data={})
    assert "checked" not in switch()
    with app.app_context(), bound_tenant(a.id):
        assert db.session.scalar(select(Membership.daily_digest).where(
            Membership.id == a.member_membership_id)) is False
