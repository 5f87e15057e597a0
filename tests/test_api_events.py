"""REST API v1, agenda events: the agenda list's filters as cursor pages, times in the
company's zone (days for all-day events), the event form's field errors as
problem+json, Idempotency-Key, If-Match, a deletion that unlinks the follow-ups, the
planning rights, another company's ids."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ct.core.permissions import MANAGE_RECORDS, PLAN_RIGHTS, RIGHTS, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Event, Exchange, TrashItem
from tests.admin_support import set_rights
from tests.api_support import bearer, count_rows, issue_token, refusals_without

API = "/api/v1/events/"
PROBLEM = "application/problem+json"


def _in_days(days: int, hour: int = 10) -> str:
    """A wall-clock time of the company, ``days`` from today (no offset)."""
    day = date.today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour).isoformat()


def _post(client, token, url=API, **fields):
    response = client.post(url, json=fields, headers=bearer(token))
    assert response.status_code == 201, response.json
    return response.json


def _titles(client, token, **query) -> list[str]:
    response = client.get(API, query_string=query, headers=bearer(token))
    assert response.status_code == 200, response.json
    return [e["title"] for e in response.json["items"]]


def test_the_agenda_lists_filters_as_cursor_pages_without_duplicates(app, client, tenants,
                                                                      token):
    dupont = _post(client, token, "/api/v1/tiers/", name="Dupont")["id"]
    for n in range(7):  # two at the same time: the id breaks the tie
        _post(client, token, title=f"RDV {n}", starts_at=_in_days(2 + n // 2), tiers_id=dupont)
    _post(client, token, title="Du membre", starts_at=_in_days(3),
          assignee_ids=[tenants.a.member_membership_id])
    _post(client, token, title="Passé", starts_at=_in_days(-5))
    seen, cursor = [], None
    while True:
        query = {"tiers": dupont, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(API, query_string=query, headers=bearer(token)).json
        assert len(page["items"]) <= 3
        seen += [e["title"] for e in page["items"]]
        # An event added meanwhile before the cursor never makes a row come twice.
        _post(client, token, title="Ajouté", starts_at=_in_days(1), tiers_id=dupont)
        if (cursor := page["next"]) is None:
            break
    assert seen == [f"RDV {n}" for n in range(7)]  # soonest first, each once
    assert "Du membre" not in _titles(client, token)  # mine: assigned to the token's member
    assert "Du membre" in _titles(client, token, who="all")
    assert _titles(client, token, when="past") == ["Passé"]
    broken = client.get(API, query_string={"cursor": "bm90LWEtY3Vyc29y"}, headers=bearer(token))
    assert broken.status_code == 422 and "cursor" in broken.json["errors"]
    bad = client.get(API, query_string={"when": "later", "who": "them", "limit": 101,
                                        "tiers": "x"}, headers=bearer(token))
    assert bad.status_code == 422 and bad.mimetype == PROBLEM
    assert set(bad.json["errors"]) == {"when", "who", "limit", "tiers"}


def test_times_are_the_companys_and_all_day_events_have_days(client, token):
    summer = _post(client, token, title="Été", starts_at="2030-07-01T08:00:00Z")
    assert summer["starts_at"] == "2030-07-01T10:00:00+02:00"  # Paris, summer time
    assert summer["ends_at"] == "2030-07-01T11:00:00+02:00"  # the form's default hour
    winter = _post(client, token, title="Hiver", starts_at="2030-01-15T09:30",
                   ends_at="2030-01-15T11:00")  # no offset: the company's wall clock
    assert (winter["starts_at"], winter["ends_at"]) == ("2030-01-15T09:30:00+01:00",
                                                        "2030-01-15T11:00:00+01:00")
    days = _post(client, token, title="Salon", all_day=True, starts_at="2030-03-30",
                 ends_at="2030-03-31")  # across the change to summer time
    assert (days["starts_at"], days["ends_at"]) == ("2030-03-30", "2030-03-31")
    url = f"{API}{days['id']}"
    again = client.patch(url, json={"title": "Salon pro"}, headers=bearer(token)).json
    assert (again["starts_at"], again["ends_at"]) == ("2030-03-30", "2030-03-31")  # kept
    timed = client.patch(url, json={"all_day": False}, headers=bearer(token))
    assert timed.status_code == 422  # days without a time: the form's message
    assert timed.json["errors"]["starts_at"] == ["Enter a time too, or tick “All day”."]
    for moment in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "demain"):
        far = client.post(API, json={"title": "Loin", "starts_at": moment},
                          headers=bearer(token))
        assert far.status_code == 422 and "starts_at" in far.json["errors"], moment


def test_a_year_out_of_range_is_a_field_error_for_exchanges_too(client, token):
    # The same conversion serves the exchanges: it overflowed (a 500) before.
    tiers = _post(client, token, "/api/v1/tiers/", name="Dupont")["id"]
    far = client.post("/api/v1/exchanges/", headers=bearer(token),
                      json={"tiers_id": tiers, "occurred_at": "0001-01-01T00:00:00+05:00"})
    assert far.status_code == 422 and "occurred_at" in far.json["errors"]


def test_field_errors_come_from_the_pages_form(app, client, tenants, token):
    theirs = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    b_tiers = _post(client, theirs, "/api/v1/tiers/", name="Chez B")["id"]
    b_contact = _post(client, theirs, "/api/v1/contacts/", last_name="B")["id"]
    nothing = client.post(API, json={}, headers=bearer(token))
    assert nothing.status_code == 422 and nothing.mimetype == PROBLEM
    assert nothing.json["errors"]["title"] == ["This field is required."]
    assert nothing.json["errors"]["starts_at"] == ["This field is required."]
    strangers = client.post(API, headers=bearer(token), json={
        "title": "X", "starts_at": _in_days(2), "ends_at": _in_days(1), "tiers_id": b_tiers,
        "contact_ids": [b_contact], "assignee_ids": [tenants.b.admin_membership_id]})
    errors = strangers.json["errors"]
    assert errors["ends_at"] == ["The end must be after the start."]
    assert errors["tiers_id"] == ["Choose an existing third party."]  # B's: not found
    assert errors["contact_ids"] == ["Choose existing contacts."]
    assert errors["assignee_ids"] == ["Choose active members."]
    late = client.post(API, headers=bearer(token), json={
        "title": "X", "starts_at": _in_days(-1), "reminder_minutes": 30})
    assert late.json["errors"]["reminder_minutes"] == [
        "This event is in the past: it cannot have a reminder."]
    unknown = client.post(API, json={"title": "X", "starts_at": _in_days(1),
                                     "tenant_id": tenants.b.id}, headers=bearer(token))
    assert unknown.status_code == 422 and "tenant_id" in unknown.json["errors"]
    assert count_rows(app, tenants.a.id, Event) == 0


def test_the_reminder_and_links_are_saved_as_the_page_saves_them(app, client, tenants, token):
    tiers = _post(client, token, "/api/v1/tiers/", name="Dupont")["id"]
    contact = _post(client, token, "/api/v1/contacts/", last_name="Durand", tiers_id=tiers)["id"]
    made = _post(client, token, title="Visite", starts_at=_in_days(3), tiers_id=tiers,
                 contact_ids=[contact], reminder_minutes=1440, location="Lyon")
    assert made["assignee_ids"] == [tenants.a.admin_membership_id]  # the page's default
    assert (made["contact_ids"], made["reminder_minutes"]) == ([contact], 1440)
    with app.app_context(), bound_tenant(tenants.a.id):
        event = db.session.get(Event, made["id"])
        assert event.reminder_at == event.starts_at - timedelta(days=1)  # the clock's due time
    nobody = _post(client, token, title="Libre", starts_at=_in_days(3), assignee_ids=[])
    assert nobody["assignee_ids"] == []


def test_a_retried_create_with_the_same_key_makes_one_event(app, client, tenants, token):
    headers = bearer(token, **{"Idempotency-Key": "crm-meeting-7"})
    body = {"title": "Une fois", "starts_at": _in_days(4)}
    first = client.post(API, json=body, headers=headers)
    again = client.post(API, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"] == f"{API}{first.json['id']}"
    assert count_rows(app, tenants.a.id, Event, Event.title == "Une fois") == 1


def test_a_patch_changes_the_fields_sent_and_a_stale_one_is_412(client, token):
    made = _post(client, token, title="Version 1", starts_at=_in_days(5), notes="Note")
    url = f"{API}{made['id']}"
    tag = client.get(url, headers=bearer(token)).headers["ETag"]
    ok = client.patch(url, json={"location": "Lyon", "notes": None, "done": True},
                      headers=bearer(token, **{"If-Match": tag}))
    assert ok.status_code == 200 and ok.json["location"] == "Lyon"
    assert ok.json["notes"] is None and ok.json["done"] is True
    assert ok.json["title"] == "Version 1" and ok.json["starts_at"] == made["starts_at"]
    assert ok.headers["ETag"] not in (None, tag)
    stale = client.patch(url, json={"title": "Écrase"},
                         headers=bearer(token, **{"If-Match": tag}))
    assert stale.status_code == 412 and stale.mimetype == PROBLEM
    assert client.get(url, headers=bearer(token)).json["title"] == "Version 1"
    assert client.delete(url, headers=bearer(token, **{"If-Match": tag})).status_code == 412
    assert client.get(url, headers=bearer(token)).status_code == 200


def test_delete_unlinks_the_follow_ups_and_deletes_for_good(app, client, tenants, token):
    tiers = _post(client, token, "/api/v1/tiers/", name="Dupont")["id"]
    made = _post(client, token, title="Suivi", starts_at=_in_days(2), tiers_id=tiers)
    exchange = _post(client, token, "/api/v1/exchanges/", tiers_id=tiers,
                     occurred_at="2026-03-10T10:00:00+01:00", comment="Appel")["id"]
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.get(Exchange, exchange).event_id = made["id"]  # its follow-up
        db.session.commit()
    assert client.delete(f"{API}{made['id']}", headers=bearer(token)).status_code == 204
    assert client.get(f"{API}{made['id']}", headers=bearer(token)).status_code == 404
    assert count_rows(app, tenants.a.id, Event) == 0
    assert count_rows(app, tenants.a.id, TrashItem) == 0  # not to the trash: as the page
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.get(Exchange, exchange).event_id is None  # the exchange stays


def test_another_companys_event_is_404(app, client, tenants, token):
    theirs = issue_token(app, tenants.b.id, tenants.b.admin_membership_id)
    b_event = _post(client, theirs, title="Secret", starts_at=_in_days(2))["id"]
    b_tiers = _post(client, theirs, "/api/v1/tiers/", name="Chez B")["id"]
    url = f"{API}{b_event}"
    assert client.get(url, headers=bearer(token)).status_code == 404
    assert client.patch(url, json={"title": "x"}, headers=bearer(token)).status_code == 404
    assert client.delete(url, headers=bearer(token)).status_code == 404
    assert client.get(API, query_string={"tiers": b_tiers}, headers=bearer(token)).status_code \
        == 404
    assert client.get(API, query_string={"who": "all"}, headers=bearer(token)).json["items"] \
        == []
    assert client.get(url, headers=bearer(theirs)).json["title"] == "Secret"


def test_a_member_without_the_planning_rights_is_refused_by_every_write(
        app, client, tenants, token):
    made = _post(client, token, title="Gardé", starts_at=_in_days(2))
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, set(RIGHTS) - set(PLAN_RIGHTS))
    member = issue_token(app, tenants.a.id, tenants.a.member_membership_id)
    bodies = {"POST": {"title": "Refusé", "starts_at": _in_days(2)},
              "PATCH": {"location": "Refusé"}}
    urls = {"api_events.list_events": API, "api_events.create_event": API}
    assert not refusals_without(client, member, PLAN_RIGHTS, "api_events.", urls,
                                f"{API}{made['id']}", bodies)
    assert count_rows(app, tenants.a.id, Event) == 1
    assert count_rows(app, tenants.a.id, Event, Event.location == "Refusé") == 0
    # Either planning right is enough, as on the agenda page.
    for right in (MANAGE_RECORDS, WRITE_EXCHANGES):
        set_rights(app, tenants.a.id, tenants.a.member_membership_id, [right])
        assert client.post(API, json=bodies["POST"], headers=bearer(member)).status_code == 201
