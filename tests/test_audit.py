"""The audit trail: every created or changed exchange, third party and contact, field by
field, on its card and in the administrators' log; the export's rows."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import AuditEntry, Exchange
from ct.records.audit import HIDDEN, audit_rows
from tests.admin_support import set_rights
from tests.exchange_records import exchange_data, records, set_settings  # noqa: F401
from tests.planning_data import paris_today

pytestmark = pytest.mark.usefixtures("english_messages")


def entries(app, tenant_id, record_type=None) -> list[AuditEntry]:
    with app.app_context(), bound_tenant(tenant_id):
        query = select(AuditEntry).order_by(AuditEntry.id)
        if record_type:
            query = query.where(AuditEntry.record_type == record_type)
        rows = list(db.session.scalars(query))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def admin(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    return client


def new_exchange(client, side, **changes) -> int:
    response = client.post(f"/t/{side.slug}/exchanges/new", data=exchange_data(side, **changes))
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_an_exchange_records_its_creation_and_each_change(app, admin, tenants, records):
    a = records.a
    exchange_id = new_exchange(admin, a, contact_ids=[str(a.contact)], mode_id=str(a.mode))
    [created] = entries(app, tenants.a.id, "exchange")
    assert created.action == "exchange.create" and created.record_id == exchange_id
    assert created.actor_id == a.admin and created.before == {}
    assert created.after["contact_ids"] == [a.contact] and created.after["mode_id"] == a.mode

    data = exchange_data(a, contact_ids=[str(a.contact), str(a.contact2)], mode_id=str(a.mode),
                         comment="Quote accepted.", status="todo")
    assert admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/edit", data=data).status_code == 303
    changed = entries(app, tenants.a.id, "exchange")[-1]
    assert changed.action == "exchange.update"
    assert changed.before == {"status": "closed", "comment": "Called about the quote.",
                              "contact_ids": [a.contact]}
    assert changed.after == {"status": "todo", "comment": "Quote accepted.",
                             "contact_ids": sorted([a.contact, a.contact2])}

    # Saving without a change adds nothing.
    admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/edit", data=data)
    assert len(entries(app, tenants.a.id, "exchange")) == 2

    history = admin.get(f"/t/{a.slug}/audit/history/exchange/{exchange_id}").get_data(
        as_text=True)
    # Statuses read as the company's list names them, like everywhere else (French here:
    # the messages are the English msgids, the locale stays the member's).
    for text in ("History of changes", "Creation", "Change", "Comment", "Called about the quote.",
                 "Quote accepted.", "Status", "Clôturé", "À traiter", "Contacts", "Éloïse Durand",
                 "Paul Bernard", "Admin Alpha Conseil", "Contact mode"):
        assert text in history, text
    assert "contact_ids" not in history and "status" not in history.replace("status-", "")
    card = admin.get(f"/t/{a.slug}/exchanges/{exchange_id}").get_data(as_text=True)
    assert f"/audit/history/exchange/{exchange_id}" in card


def test_the_status_buttons_and_the_bulk_status_are_recorded(app, admin, tenants, records):
    a = records.a
    exchange_id = new_exchange(admin, a)
    admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/status", data={"status": "in_progress"})
    admin.post(f"/t/{a.slug}/exchanges/bulk",
               data={"action": "status", "status": "todo", "ids": [exchange_id]})
    changes = [(e.before, e.after) for e in entries(app, tenants.a.id, "exchange")[1:]]
    assert changes == [({"status": "closed"}, {"status": "in_progress"}),
                       ({"status": "in_progress"}, {"status": "todo"})]


def test_the_confidential_comment_never_reaches_the_trail(app, admin, tenants, records):
    a = records.a
    set_settings(app, tenants.a.id, confidential_comments=True)
    exchange_id = new_exchange(admin, a, confidential_comment="Secret margin 12%",
                               confidential_group_id=str(a.group))
    data = exchange_data(a, confidential_comment="Secret margin 15%",
                         confidential_group_id=str(a.group))
    admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/edit", data=data)
    trail = entries(app, tenants.a.id, "exchange")
    assert "Secret" not in repr([(e.before, e.after) for e in trail])
    assert trail[-1].after == {"confidential_comment": HIDDEN}
    log = admin.get(f"/t/{a.slug}/audit/").get_data(as_text=True)
    assert "Confidential comment" in log and "Secret" not in log


def test_tiers_and_contacts_record_their_changes_on_their_cards(app, admin, tenants, records):
    a = records.a
    response = admin.post(f"/t/{a.slug}/tiers/new", data={"name": "Garage Leroy", "town": "Lyon",
                                                           "kinds": "customer"})
    tiers_id = int(response.headers["Location"].rsplit("/", 1)[1])
    admin.post(f"/t/{a.slug}/tiers/{tiers_id}/edit",
               data={"name": "Garage Leroy", "town": "Paris", "kinds": "customer", "active": "y",
                     "sales_rep_id": str(a.member)})
    admin.post(f"/t/{a.slug}/tiers/{tiers_id}/close")
    tab = admin.get(f"/t/{a.slug}/tiers/{tiers_id}/history").get_data(as_text=True)
    for text in ("History of changes", "Town", "Lyon", "Paris", "Sales representative",
                 "Member Alpha Conseil", "Active", "Yes", "No", "Customer"):
        assert text in tab, text
    assert [e.action for e in entries(app, tenants.a.id, "tiers") if e.record_id == tiers_id] == [
        "tiers.create", "tiers.update", "tiers.update"]

    response = admin.post(f"/t/{a.slug}/contacts/new", data={"first_name": "Zoé",
                                                             "tiers_id": str(tiers_id)})
    contact_id = int(response.headers["Location"].rsplit("/", 1)[1])
    admin.post(f"/t/{a.slug}/contacts/{contact_id}/edit",
               data={"first_name": "Zoé", "last_name": "Roux", "tiers_id": str(a.tiers)})
    history = admin.get(f"/t/{a.slug}/audit/history/contact/{contact_id}").get_data(as_text=True)
    for text in ("Last name", "Roux", "Third party", "Garage Leroy", "Dupont Industrie"):
        assert text in history, text
    card = admin.get(f"/t/{a.slug}/contacts/{contact_id}").get_data(as_text=True)
    assert f"/audit/history/contact/{contact_id}" in card
    # Read when the member opens it, not with every view of the card.
    assert 'hx-trigger="toggle from:#contact-changes once"' in card
    assert "Roux" not in card.split('id="contact-changes"', 1)[1]


def test_deleted_records_are_named_in_the_history(app, admin, tenants, records):  # noqa: F811
    a = records.a
    exchange_id = new_exchange(admin, a, contact_ids=[str(a.contact2)])
    admin.post(f"/t/{a.slug}/contacts/{a.contact2}/delete")
    history = admin.get(f"/t/{a.slug}/audit/history/exchange/{exchange_id}").get_data(
        as_text=True)
    assert f"#{a.contact2} (deleted)" in history
    log = admin.get(f"/t/{a.slug}/audit/?type=contact").get_data(as_text=True)
    assert "Moved to the trash" in log and "Paul Bernard (in the trash)" in log


def test_the_log_is_filtered_by_type_member_action_and_dates(app, client, auth, tenants, records):
    a = records.a
    auth.login(tenants.a.admin_email)
    new_exchange(client, a, comment="By the admin")
    client.post(f"/t/{a.slug}/tiers/new", data={"name": "Admin Tiers"})
    auth.logout()
    auth.login(tenants.a.member_email)
    new_exchange(client, a, comment="By the member")
    assert client.get(f"/t/{a.slug}/audit/").status_code == 403
    auth.logout()
    auth.login(tenants.a.admin_email)

    def log(**args):
        return client.get(f"/t/{a.slug}/audit/", query_string=args).get_data(as_text=True)

    everything = log()
    assert "By the admin" in everything and "By the member" in everything
    assert "Admin Tiers" in everything
    assert "Admin Tiers" not in log(type="exchange")
    only_member = log(member=a.member)
    assert "By the member" in only_member and "By the admin" not in only_member
    assert "By the admin" in log(action="create") and "By the admin" not in log(action="delete")
    today = paris_today()  # the filter's days are the company's (Europe/Paris), not UTC's
    assert "By the admin" in log(**{"from": today.isoformat(), "to": today.isoformat()})
    assert "No change matches these filters." in log(
        **{"from": (today + timedelta(days=2)).isoformat()})
    # Bad filters are no filter, never an error.
    # (A malformed date is a field error: tests/test_no_server_errors.py.)
    for args in ({"type": "nope"}, {"member": "abc"}, {"member": "9" * 30},
                 {"action": "<script>"}, {"cursor": "garbage"}):
        assert client.get(f"/t/{a.slug}/audit/", query_string=args).status_code == 200


def test_the_log_pages_with_a_cursor(app, admin, tenants, records):  # noqa: F811
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        now = datetime.now(UTC)
        for n in range(55):
            db.session.add(AuditEntry(action="settings.update", record_type="settings",
                                      before={"name": f"Old {n}"},
                                      after={"name": f"New {n}"},
                                      created_at=now - timedelta(minutes=n)))
        db.session.commit()
    first = admin.get(f"/t/{a.slug}/audit/?type=settings").get_data(as_text=True)
    assert "New 0<" in first and "New 49<" in first and "New 50<" not in first
    cursor = first.split("cursor=", 1)[1].split("&", 1)[0].split('"', 1)[0]
    second = admin.get(f"/t/{a.slug}/audit/?type=settings&cursor={cursor}").get_data(as_text=True)
    assert "New 50<" in second and "New 54<" in second and "New 49<" not in second


def test_settings_and_rights_changes_are_in_the_log(app, admin, tenants, records):  # noqa: F811
    a = records.a
    admin.post(f"/t/{a.slug}/members/{a.member}/permissions",
               data={"rights": ["exchanges.read_own"]})
    member_entries = entries(app, tenants.a.id, "member")
    assert member_entries and member_entries[-1].record_id == a.member
    log = admin.get(f"/t/{a.slug}/audit/?type=member").get_data(as_text=True)
    assert "Rights" in log and "Read own exchanges" in log and "Member Alpha Conseil" in log


def test_another_tenant_sees_nothing(app, client, auth, tenants, records):  # noqa: F811
    auth.login(tenants.b.admin_email)
    exchange_id = new_exchange(client, records.b, comment="Beta private")
    auth.logout()
    auth.login(tenants.a.admin_email)
    assert "Beta private" not in client.get(f"/t/{records.a.slug}/audit/").get_data(as_text=True)
    for kind, record_id in (("exchange", exchange_id), ("tiers", records.b.tiers),
                            ("contact", records.b.contact), ("member", records.b.admin),
                            ("nonsense", 1), ("exchange", 10**30)):
        url = f"/t/{records.a.slug}/audit/history/{kind}/{record_id}"
        assert client.get(url).status_code == 404, url
    with app.app_context(), bound_tenant(tenants.a.id):
        assert all("Beta" not in repr(row) for row in audit_rows())


def test_a_member_who_cannot_see_the_exchange_cannot_see_its_history(
        app, client, auth, tenants, records):
    from tests.exchange_records import RESTRICTED

    auth.login(tenants.a.admin_email)
    exchange_id = new_exchange(client, records.a)
    auth.logout()
    set_rights(app, tenants.a.id, records.a.member, RESTRICTED)
    auth.login(tenants.a.member_email)
    url = f"/t/{records.a.slug}/audit/history/exchange/{exchange_id}"
    assert client.get(url).status_code == 404


def test_audit_rows_yield_every_entry_of_the_bound_tenant(app, admin, tenants, records):
    exchange_id = new_exchange(admin, records.a)
    with app.app_context(), bound_tenant(tenants.a.id):
        rows = list(audit_rows(batch=1))
        assert db.session.scalar(select(Exchange.id)) == exchange_id
    [created] = [row for row in rows if row["action"] == "exchange.create"]
    assert created["record_id"] == exchange_id and created["actor"] == "Admin Alpha Conseil"
    assert created["after"]["comment"] == "Called about the quote."
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_new_pages_render_without_inline_code(app, admin, tenants, records, language):
    import re

    a = records.a
    admin.post("/language", data={"language": language})
    exchange_id = new_exchange(admin, a)
    admin.post(f"/t/{a.slug}/contacts/{a.contact2}/delete")
    with app.app_context(), bound_tenant(tenants.a.id):
        from ct.models import TrashItem

        item_id = db.session.scalar(select(TrashItem.id))
    urls = ["/audit/", "/audit/?type=exchange&action=update",
            f"/audit/history/exchange/{exchange_id}",
            f"/audit/history/contact/{a.contact}", f"/audit/history/tiers/{a.tiers}",
            f"/tiers/{a.tiers}/history", "/trash/", "/trash/?kind=contact",
            f"/trash/{item_id}/purge", f"/exchanges/{exchange_id}", f"/contacts/{a.contact}"]
    for url in urls:
        response = admin.get(f"/t/{a.slug}{url}")
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle\s*=", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
