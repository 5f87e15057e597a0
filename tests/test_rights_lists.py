"""Rights on lists: a member who may read only their own exchanges sees only those,
wherever exchanges are listed, counted, exported, opened by id or acted on in bulk.

Three exchanges of company A on the same tiers, contact, document and project: one by the
admin alone (ADMINMARK), one the member made (OWNMARK), one the admin wrote with the
member collaborating (COLLABMARK). The member holds every right but "read all
exchanges", so only the reading rule hides the admin's exchange.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from ct.core.permissions import PRESETS, READ_ALL_EXCHANGES, READ_OWN_EXCHANGES, RIGHTS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import CalendarToken, Exchange, ExchangeCollaborator, ExchangeContact, Membership
from tests.admin_support import exchange, log_in, set_rights, snapshot
from tests.exchange_records import records  # noqa: F401 (a fixture)
from tests.planning_data import make_event

MARKS = ("ADMINMARK", "OWNMARK", "COLLABMARK")
ALL_BUT_READ_ALL = [r for r in RIGHTS if r != READ_ALL_EXCHANGES]


@pytest.fixture
def three(app, tenants, records):  # noqa: F811
    """The ids of the three exchanges, by mark."""
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        rows = {
            "ADMINMARK": Exchange(author_id=a.admin, made_by_id=a.admin),
            "OWNMARK": Exchange(author_id=a.admin, made_by_id=a.member),
            "COLLABMARK": Exchange(author_id=a.admin, made_by_id=a.admin, collaborator_links=[
                ExchangeCollaborator(membership_id=a.member)]),
        }
        for mark, row in rows.items():
            row.tiers_id, row.document_id, row.project_id = a.tiers, a.document, a.project
            row.comment = f"Appel {mark}"
            row.contact_links = [ExchangeContact(contact_id=a.contact)]
        db.session.add_all(rows.values())
        db.session.commit()
        return {mark: row.id for mark, row in rows.items()}


@pytest.fixture
def member(app, client, tenants, three):
    """The member, logged in, holding every right but "read all exchanges"."""
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, ALL_BUT_READ_ALL)
    return log_in(client, tenants.a.member_email)


def marks_in(text: str) -> set[str]:
    return {mark for mark in MARKS if mark in text}


def page(client, tenants, path: str) -> str:
    response = client.get(f"/t/{tenants.a.slug}{path}")
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_admin_sees_all_three(app, tenants, three, records):  # noqa: F811
    """The baseline: every page below does list the admin's exchange to its author."""
    admin = log_in(app.test_client(), tenants.a.admin_email)
    a = records.a
    for path in ("/exchanges/", f"/exchanges/history?tiers={a.tiers}",
                 f"/exchanges/history?contact={a.contact}", "/exchanges/export.csv"):
        assert marks_in(page(admin, tenants, path)) == set(MARKS), path


LISTS = [
    "/exchanges/",
    "/exchanges/?q=appel",
    "/exchanges/?tiers={tiers}",
    "/exchanges/?sort=tiers",
    "/exchanges/history?tiers={tiers}",
    "/exchanges/history?contact={contact}",
    "/exchanges/history?document={document}",
    "/exchanges/history?project={project}",
    "/exchanges/history?tiers={tiers}&q=appel",
    "/exchanges/export.csv",
    "/exchanges/export.csv?q=appel",
    "/tiers/{tiers}",
    "/tiers/{tiers}/exchanges",
    "/contacts/{contact}",
    "/documents/{document}",
    "/projects/{project}",
    "/",
]


def urls(records) -> list[str]:  # noqa: F811
    a = records.a
    return [path.format(tiers=a.tiers, contact=a.contact, document=a.document,
                        project=a.project) for path in LISTS]


def test_read_own_lists_only_their_exchanges(member, tenants, records):  # noqa: F811
    showing = [url for url in urls(records) if "ADMINMARK" in page(member, tenants, url)]
    assert not showing, f"the admin's exchange is listed on {showing}"


@pytest.mark.parametrize("kind", ["tiers", "contact", "document", "project"])
def test_history_tabs_list_and_count_the_two_they_may_see(member, tenants, records, kind):  # noqa: F811
    record = getattr(records.a, kind)
    response = member.get(f"/t/{tenants.a.slug}/exchanges/history?{kind}={record}",
                          headers={"HX-Request": "true"})  # as the card loads it
    html = response.get_data(as_text=True)
    assert marks_in(html) == {"OWNMARK", "COLLABMARK"}
    count = re.search(rf'id="{kind}-exchanges-count"[^>]*>(\d+)<', html)
    assert count and count.group(1) == "2"


def test_the_tiers_card_counts_only_what_they_may_see(member, tenants, records):  # noqa: F811
    html = page(member, tenants, f"/tiers/{records.a.tiers}")
    assert re.search(r"Exchanges \(2\)|Échanges \(2\)", html)


def test_the_export_has_only_their_rows(member, tenants):
    text = page(member, tenants, "/exchanges/export.csv").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # the header and their two exchanges
    assert marks_in(text) == {"OWNMARK", "COLLABMARK"}


@pytest.mark.parametrize("suffix", ["", "/edit", "/delete"])
def test_the_admins_exchange_is_not_found_by_id(app, member, tenants, three, suffix):
    before = snapshot(app)
    for method in ("GET", "POST"):
        if suffix == "" and method == "POST":
            continue
        response = member.open(f"/t/{tenants.a.slug}/exchanges/{three['ADMINMARK']}{suffix}",
                               method=method, data={"comment": "changed"})
        assert response.status_code == 404
    assert snapshot(app) == before


def test_the_pop_up_opens_their_own_exchange(member, tenants, three):
    own = member.get(f"/t/{tenants.a.slug}/exchanges/{three['OWNMARK']}",
                     headers={"HX-Request": "true"})
    assert own.status_code == 200 and "OWNMARK" in own.get_data(as_text=True)
    other = member.get(f"/t/{tenants.a.slug}/exchanges/{three['ADMINMARK']}",
                       headers={"HX-Request": "true"})
    assert other.status_code == 404 and "ADMINMARK" not in other.get_data(as_text=True)


def test_bulk_actions_skip_the_admins_exchange(app, member, tenants, three):
    url = f"/t/{tenants.a.slug}/exchanges/bulk"
    ids = list(three.values())
    member.post(url, data={"action": "status", "status": "todo", "ids": ids})
    assert exchange(app, tenants.a.id, three["ADMINMARK"]).status != "todo"
    assert exchange(app, tenants.a.id, three["OWNMARK"]).status == "todo"
    confirm = member.post(url, data={"action": "delete", "ids": ids}).get_data(as_text=True)
    asked = set(map(int, re.findall(r'name="ids" value="(\d+)"', confirm)))
    assert asked == {three["OWNMARK"], three["COLLABMARK"]}
    member.post(url, data={"action": "delete", "ids": ids, "confirmed": "yes"})
    assert exchange(app, tenants.a.id, three["ADMINMARK"]) is not None
    assert exchange(app, tenants.a.id, three["OWNMARK"]) is None


def test_without_any_read_right_every_list_is_empty(app, client, tenants, records, three):  # noqa: F811
    set_rights(app, tenants.a.id, tenants.a.member_membership_id,
               [r for r in RIGHTS if r not in (READ_OWN_EXCHANGES, READ_ALL_EXCHANGES)])
    log_in(client, tenants.a.member_email)
    for url in urls(records):
        assert not marks_in(page(client, tenants, url)), url
    assert client.get(f"/t/{tenants.a.slug}/exchanges/{three['OWNMARK']}").status_code == 404


def test_the_restricted_preset_reads_only_their_own(app, client, tenants, three):
    set_rights(app, tenants.a.id, tenants.a.member_membership_id, PRESETS["restricted"])
    log_in(client, tenants.a.member_email)
    assert marks_in(page(client, tenants, "/exchanges/")) == {"OWNMARK", "COLLABMARK"}
    assert client.get(f"/t/{tenants.a.slug}/exchanges/export.csv").status_code == 403


def test_the_calendar_feed_has_only_their_events(app, client, tenants, records):  # noqa: F811
    a = records.a
    make_event(app, tenants.a.id, "Réunion ADMINMARK", assignees=[a.admin])
    make_event(app, tenants.a.id, "Réunion OWNMARK", assignees=[a.member])
    with app.app_context(), bound_tenant(tenants.a.id):
        member = db.session.scalar(select(Membership).where(Membership.id == a.member))
        token = CalendarToken.issue(member)
        db.session.commit()
    feed = client.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert marks_in(feed) == {"OWNMARK"}
