"""The trash: deleting moves exchanges, third parties and contacts there for 30 days;
administrators restore them with their links, or purge them; the clock purges the old."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import (
    AuditEntry,
    Contact,
    Event,
    EventAssignee,
    EventContact,
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    ExchangeProduct,
    Task,
    Tiers,
    TrashItem,
)
from ct.records.trash import purge_expired_trash
from tests.exchange_records import records  # noqa: F401 — fixture

pytestmark = pytest.mark.usefixtures("english_messages")


def add_exchange(app, tenant_id, side, contacts=(), with_followups=True, tiers=None) -> int:
    """An exchange with contacts, a product, a collaborator, a task and an event."""
    with app.app_context(), bound_tenant(tenant_id):
        exchange = Exchange(tiers_id=tiers or side.tiers, author_id=side.admin,
                            made_by_id=side.admin, comment="Quote sent", mode_id=side.mode)
        exchange.contact_links = [ExchangeContact(contact_id=c) for c in contacts]
        exchange.product_links = [ExchangeProduct(product_id=side.product)]
        exchange.collaborator_links = [ExchangeCollaborator(membership_id=side.member)]
        if with_followups:
            exchange.task = Task(label="Call back", assignee_id=side.admin)
            now = datetime.now(UTC)
            exchange.event = Event(title="Visit", starts_at=now + timedelta(days=2),
                                   ends_at=now + timedelta(days=2, hours=1))
        db.session.add(exchange)
        db.session.commit()
        return exchange.id


def links_of(app, tenant_id, exchange_id) -> dict:
    with app.app_context(), bound_tenant(tenant_id):
        exchange = db.session.scalar(select(Exchange).where(Exchange.id == exchange_id))
        if exchange is None:
            return {}
        return {"contacts": sorted(link.contact_id for link in exchange.contact_links),
                "products": [link.product_id for link in exchange.product_links],
                "collaborators": [link.membership_id for link in exchange.collaborator_links],
                "task": exchange.task_id, "event": exchange.event_id,
                "comment": exchange.comment, "mode": exchange.mode_id}


def trash_items(app, tenant_id) -> list[TrashItem]:
    with app.app_context(), bound_tenant(tenant_id):
        items = list(db.session.scalars(select(TrashItem).order_by(TrashItem.id)))
        for item in items:
            db.session.expunge(item)
        return items


def actions(app, tenant_id) -> list[tuple[str, int]]:
    with app.app_context(), bound_tenant(tenant_id):
        return [(e.action, e.record_id) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("%.delete")
                                     | AuditEntry.action.like("%.restore"))
            .order_by(AuditEntry.id))]


@pytest.fixture
def admin(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    return client


def test_exchange_goes_to_the_trash_and_comes_back_with_its_links(app, admin, tenants, records):
    a = records.a
    exchange_id = add_exchange(app, tenants.a.id, a, contacts=[a.contact, a.contact2])
    before = links_of(app, tenants.a.id, exchange_id)
    confirm = admin.get(f"/t/{a.slug}/exchanges/{exchange_id}/delete").get_data(as_text=True)
    assert "moved to the trash for 30 days" in confirm
    response = admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/delete")
    assert response.status_code == 303
    assert "Exchange moved to the trash for 30 days." in admin.get(
        response.headers["Location"]).get_data(as_text=True)

    # Gone from the card, the list and the tiers' history; kept in the trash.
    assert admin.get(f"/t/{a.slug}/exchanges/{exchange_id}").status_code == 404
    listing = admin.get(f"/t/{a.slug}/exchanges/").get_data(as_text=True)
    assert "Quote sent" not in listing
    assert links_of(app, tenants.a.id, exchange_id) == {}
    with app.app_context(), bound_tenant(tenants.a.id):  # links gone, follow-ups kept
        assert db.session.scalar(select(func.count(ExchangeContact.id))) == 0
        assert db.session.scalar(select(func.count(Task.id))) == 1
    [item] = trash_items(app, tenants.a.id)
    assert item.kind == "exchange" and item.record_id == exchange_id
    assert "Dupont Industrie" in item.label
    page = admin.get(f"/t/{a.slug}/trash/").get_data(as_text=True)
    assert f'id="trash-item-{item.id}"' in page and "Dupont Industrie" in page

    response = admin.post(f"/t/{a.slug}/trash/{item.id}/restore")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{a.slug}/exchanges/{exchange_id}"
    assert "is restored" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert links_of(app, tenants.a.id, exchange_id) == before
    assert trash_items(app, tenants.a.id) == []
    assert actions(app, tenants.a.id) == [("exchange.delete", exchange_id),
                                          ("exchange.restore", exchange_id)]
    assert admin.get(f"/t/{a.slug}/exchanges/{exchange_id}").status_code == 200


def test_links_to_records_deleted_meanwhile_are_named_and_left_out(app, admin, tenants, records):
    a = records.a
    exchange_id = add_exchange(app, tenants.a.id, a, contacts=[a.contact, a.contact2])
    admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/delete")
    admin.post(f"/t/{a.slug}/contacts/{a.contact2}/delete")
    exchange_item = next(i for i in trash_items(app, tenants.a.id) if i.kind == "exchange")
    response = admin.post(f"/t/{a.slug}/trash/{exchange_item.id}/restore")
    assert response.status_code == 303
    message = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not be restored" in message and "Paul Bernard" in message
    assert links_of(app, tenants.a.id, exchange_id)["contacts"] == [a.contact]


def test_a_contact_leaves_its_exchanges_and_events_and_comes_back_to_them(
        app, admin, tenants, records):
    a = records.a
    exchange_id = add_exchange(app, tenants.a.id, a, contacts=[a.contact, a.contact2])
    with app.app_context(), bound_tenant(tenants.a.id):
        event_id = db.session.scalar(select(Exchange.event_id).where(Exchange.id == exchange_id))
        db.session.add(EventContact(event_id=event_id, contact_id=a.contact))
        db.session.add(EventAssignee(event_id=event_id, membership_id=a.admin))
        db.session.commit()
    confirm = admin.get(f"/t/{a.slug}/contacts/{a.contact}/delete").get_data(as_text=True)
    assert "moved to the trash for 30 days" in confirm
    assert "removed from 1 exchange" in confirm and "removed from 1 agenda event" in confirm
    assert admin.post(f"/t/{a.slug}/contacts/{a.contact}/delete").status_code == 303
    assert admin.get(f"/t/{a.slug}/contacts/{a.contact}").status_code == 404
    assert "Durand" not in admin.get(f"/t/{a.slug}/contacts/").get_data(as_text=True)
    assert "Éloïse" not in admin.get(f"/t/{a.slug}/search/contacts?q=Durand").get_data(as_text=True)
    assert links_of(app, tenants.a.id, exchange_id)["contacts"] == [a.contact2]

    [item] = trash_items(app, tenants.a.id)
    assert admin.post(f"/t/{a.slug}/trash/{item.id}/restore").status_code == 303
    with app.app_context(), bound_tenant(tenants.a.id):
        contact = db.session.scalar(select(Contact).where(Contact.last_name == "Durand"))
        assert contact.tiers_id == a.tiers
        assert db.session.scalar(select(EventContact.contact_id)) == contact.id
    assert links_of(app, tenants.a.id, exchange_id)["contacts"] == sorted([contact.id, a.contact2])
    assert ("contact.restore", contact.id) in actions(app, tenants.a.id)


def test_a_restored_row_whose_id_was_taken_gets_a_new_one(app, admin, tenants, records):
    """SQLite may give a deleted row's id to the next row; PostgreSQL never does. Either
    way the record comes back, with its links pointing at it."""
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        latest = Contact(first_name="Latest", last_name="Petit", tiers_id=a.tiers)
        db.session.add(latest)
        db.session.commit()
        latest_id = latest.id  # the highest id: the one SQLite hands out again
    exchange_id = add_exchange(app, tenants.a.id, a, contacts=[latest_id])
    admin.post(f"/t/{a.slug}/contacts/{latest_id}/delete")
    admin.post(f"/t/{a.slug}/contacts/new", data={"first_name": "Newcomer"})
    [item] = trash_items(app, tenants.a.id)
    assert admin.post(f"/t/{a.slug}/trash/{item.id}/restore").status_code == 303
    with app.app_context(), bound_tenant(tenants.a.id):
        restored = db.session.scalar(select(Contact).where(Contact.first_name == "Latest"))
        newcomer = db.session.scalar(select(Contact).where(Contact.first_name == "Newcomer"))
        assert restored.id != newcomer.id
        if db.engine.dialect.name == "postgresql":
            assert restored.id == latest_id
        else:  # the case this test is about
            assert newcomer.id == latest_id
    assert links_of(app, tenants.a.id, exchange_id)["contacts"] == [restored.id]


def test_a_tiers_goes_to_the_trash_and_comes_back(app, admin, tenants, records):  # noqa: F811
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        tiers = Tiers(name="Lonely SARL", town="Nantes", customer_code="C-9")
        db.session.add(tiers)
        db.session.commit()
        tiers_id = tiers.id
    confirm = admin.get(f"/t/{a.slug}/tiers/{tiers_id}/delete").get_data(as_text=True)
    assert "moved to the trash for 30 days" in confirm
    assert admin.post(f"/t/{a.slug}/tiers/{tiers_id}/delete").status_code == 303
    assert admin.get(f"/t/{a.slug}/tiers/{tiers_id}").status_code == 404
    assert "Lonely SARL" not in admin.get(f"/t/{a.slug}/tiers/").get_data(as_text=True)
    [item] = trash_items(app, tenants.a.id)
    assert item.kind == "tiers" and item.label == "Lonely SARL"
    response = admin.post(f"/t/{a.slug}/trash/{item.id}/restore")
    assert response.headers["Location"] == f"/t/{a.slug}/tiers/{tiers_id}"
    card = admin.get(f"/t/{a.slug}/tiers/{tiers_id}").get_data(as_text=True)
    assert "Lonely SARL" in card
    assert "Lonely SARL" in admin.get(f"/t/{a.slug}/tiers/?q=lonely").get_data(as_text=True)


def test_a_tiers_with_exchanges_is_not_deleted(app, admin, tenants, records):  # noqa: F811
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        tiers = Tiers(name="Talked To")
        db.session.add(tiers)
        db.session.commit()
        tiers_id = tiers.id
    add_exchange(app, tenants.a.id, a, with_followups=False, tiers=tiers_id)
    page = admin.get(f"/t/{a.slug}/tiers/{tiers_id}/delete").get_data(as_text=True)
    assert "cannot be deleted" in page and "1 exchange" in page
    assert admin.post(f"/t/{a.slug}/tiers/{tiers_id}/delete").status_code == 409
    assert trash_items(app, tenants.a.id) == []


def test_restoring_an_exchange_of_a_deleted_tiers_is_refused_until_it_is_back(
        app, admin, tenants, records):
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        tiers = Tiers(name="Short Lived")
        db.session.add(tiers)
        db.session.commit()
        tiers_id = tiers.id
    exchange_id = add_exchange(app, tenants.a.id, a, with_followups=False, tiers=tiers_id)
    admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/delete")
    admin.post(f"/t/{a.slug}/tiers/{tiers_id}/delete")
    exchange_item, tiers_item = trash_items(app, tenants.a.id)
    response = admin.post(f"/t/{a.slug}/trash/{exchange_item.id}/restore")
    assert response.headers["Location"] == f"/t/{a.slug}/trash/"
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Short Lived" in page and "Restore it first" in page
    assert links_of(app, tenants.a.id, exchange_id) == {}
    assert len(trash_items(app, tenants.a.id)) == 2
    admin.post(f"/t/{a.slug}/trash/{tiers_item.id}/restore")
    admin.post(f"/t/{a.slug}/trash/{exchange_item.id}/restore")
    assert links_of(app, tenants.a.id, exchange_id)["comment"] == "Quote sent"


def test_bulk_delete_puts_each_exchange_in_the_trash(app, admin, tenants, records):  # noqa: F811
    a = records.a
    ids = [add_exchange(app, tenants.a.id, a, contacts=[a.contact]) for _ in range(2)]
    confirm = admin.post(f"/t/{a.slug}/exchanges/bulk", data={"action": "delete", "ids": ids})
    assert "moved to the trash for 30 days" in confirm.get_data(as_text=True)
    response = admin.post(f"/t/{a.slug}/exchanges/bulk",
                          data={"action": "delete", "confirmed": "yes", "ids": ids})
    assert response.status_code == 303
    assert sorted(i.record_id for i in trash_items(app, tenants.a.id)) == sorted(ids)
    for item in trash_items(app, tenants.a.id):
        admin.post(f"/t/{a.slug}/trash/{item.id}/restore")
    assert all(links_of(app, tenants.a.id, i)["contacts"] == [a.contact] for i in ids)


def test_purge_now_asks_then_deletes_for_good(app, admin, tenants, records):  # noqa: F811
    a = records.a
    exchange_id = add_exchange(app, tenants.a.id, a)
    admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/delete")
    [item] = trash_items(app, tenants.a.id)
    confirm = admin.get(f"/t/{a.slug}/trash/{item.id}/purge").get_data(as_text=True)
    assert "cannot be undone" in confirm and 'id="confirm-purge"' in confirm
    assert trash_items(app, tenants.a.id)
    assert admin.post(f"/t/{a.slug}/trash/{item.id}/purge").status_code == 303
    assert trash_items(app, tenants.a.id) == []
    assert links_of(app, tenants.a.id, exchange_id) == {}


def _age(app, tenant_id, days):
    with app.app_context(), bound_tenant(tenant_id):
        for item in db.session.scalars(select(TrashItem)):
            item.deleted_at = datetime.now(UTC) - timedelta(days=days)
        db.session.commit()


def test_the_clock_purges_items_older_than_30_days_in_every_tenant(app, client, auth, tenants,
                                                                    records):
    for tenant, side in ((tenants.a, records.a), (tenants.b, records.b)):
        auth.login(tenant.admin_email)
        old = add_exchange(app, tenant.id, side)
        client.post(f"/t/{side.slug}/exchanges/{old}/delete")
        _age(app, tenant.id, 31)
        recent = add_exchange(app, tenant.id, side)
        client.post(f"/t/{side.slug}/exchanges/{recent}/delete")
        auth.logout()
    with app.app_context(), bound_tenant(tenants.a.id):
        item = db.session.scalar(select(TrashItem).order_by(TrashItem.id.desc()))
        item.deleted_at = datetime.now(UTC) - timedelta(days=29)
        db.session.commit()
    with app.app_context():
        assert purge_expired_trash() == 2
    for tenant in (tenants.a, tenants.b):
        [kept] = trash_items(app, tenant.id)
        assert kept.deleted_at > datetime.now(UTC) - timedelta(days=30)
    with app.app_context():
        assert purge_expired_trash() == 0


def test_the_purge_job_is_on_the_clock_every_hour(app):
    from ct.extensions import rq

    with app.app_context():
        jobs = {job.func.__name__: job.interval for job in rq.make_cron_scheduler().get_jobs()}
    assert jobs["purge_expired_trash"] == 3600


@pytest.mark.parametrize("method, suffix", [("post", "/restore"), ("get", "/purge"),
                                            ("post", "/purge")])
def test_another_tenants_trash_is_not_found(app, admin, tenants, records, method, suffix):
    auth_b = records.b
    exchange_id = add_exchange(app, tenants.b.id, auth_b)
    with app.app_context(), bound_tenant(tenants.b.id):
        from ct.records.trash import trash_exchange

        trash_exchange(db.session.scalar(select(Exchange).where(Exchange.id == exchange_id)),
                       None)
        db.session.commit()
    [theirs] = trash_items(app, tenants.b.id)
    response = getattr(admin, method)(f"/t/{records.a.slug}/trash/{theirs.id}{suffix}")
    assert response.status_code == 404
    assert f"trash-item-{theirs.id}" not in admin.get(
        f"/t/{records.a.slug}/trash/").get_data(as_text=True)
    assert len(trash_items(app, tenants.b.id)) == 1
    assert links_of(app, tenants.b.id, exchange_id) == {}


@pytest.mark.parametrize("method, suffix", [("get", "/"), ("post", "/ITEM/restore"),
                                            ("get", "/ITEM/purge"), ("post", "/ITEM/purge")])
def test_members_without_the_admin_role_cannot_use_the_trash(app, client, auth, tenants, records,
                                                            method, suffix):
    a = records.a
    exchange_id = add_exchange(app, tenants.a.id, a)
    auth.login(tenants.a.admin_email)
    client.post(f"/t/{a.slug}/exchanges/{exchange_id}/delete")
    auth.logout()
    [item] = trash_items(app, tenants.a.id)
    auth.login(tenants.a.member_email)
    url = f"/t/{a.slug}/trash" + suffix.replace("ITEM", str(item.id))
    assert getattr(client, method)(url).status_code == 403
    assert len(trash_items(app, tenants.a.id)) == 1
    assert "/trash/" not in client.get(f"/t/{a.slug}/").get_data(as_text=True)


def test_huge_and_unknown_ids_are_not_found(admin, records):  # noqa: F811
    for item_id in (987654, "9" * 30):
        assert admin.post(f"/t/{records.a.slug}/trash/{item_id}/restore").status_code == 404
        assert admin.get(f"/t/{records.a.slug}/trash/{item_id}/purge").status_code == 404


def test_bulk_delete_reads_the_same_number_of_times_for_5_or_15_exchanges(
        app, admin, tenants, records):  # noqa: F811
    from sqlalchemy import event

    a = records.a

    def selects_to_delete(count):
        ids = [add_exchange(app, tenants.a.id, a, contacts=[a.contact, a.contact2])
               for _ in range(count)]
        statements = []

        def seen(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", seen)
        try:
            response = admin.post(f"/t/{a.slug}/exchanges/bulk",
                                  data={"action": "delete", "confirmed": "yes", "ids": ids})
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert response.status_code == 303
        return len(statements)

    assert selects_to_delete(5) == selects_to_delete(15)


def test_a_tiers_whose_code_was_taken_meanwhile_is_not_restored(app, admin, tenants,
                                                                records):  # noqa: F811
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        tiers = Tiers(name="First Holder", customer_code="CLI-7")
        db.session.add(tiers)
        db.session.commit()
        tiers_id = tiers.id
    admin.post(f"/t/{a.slug}/tiers/{tiers_id}/delete")
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add(Tiers(name="New Holder", customer_code="CLI-7"))
        db.session.commit()
    [item] = trash_items(app, tenants.a.id)
    response = admin.post(f"/t/{a.slug}/trash/{item.id}/restore")
    assert response.headers["Location"] == f"/t/{a.slug}/trash/"
    assert "same unique value" in admin.get(response.headers["Location"]).get_data(as_text=True)
    assert len(trash_items(app, tenants.a.id)) == 1
    with app.app_context(), bound_tenant(tenants.a.id):  # nothing written
        assert db.session.scalar(select(Tiers.id).where(Tiers.name == "First Holder")) is None


def test_a_restored_exchange_flags_its_contacts_as_they_are_now(app, admin, tenants, records):
    """The links come back from the trash's copy; whether each contact belongs to
    another tiers is worked out again, from where the contacts are now."""
    a = records.a
    exchange_id = add_exchange(app, tenants.a.id, a, contacts=[a.other_contact],
                               with_followups=False)  # Inès, of the other tiers

    def flags():
        with app.app_context(), bound_tenant(tenants.a.id):
            return list(db.session.scalars(select(ExchangeContact.elsewhere)))

    assert flags() == [True]
    admin.post(f"/t/{a.slug}/exchanges/{exchange_id}/delete")
    with app.app_context(), bound_tenant(tenants.a.id):  # Inès joins the exchange's tiers
        db.session.get(Contact, a.other_contact).tiers_id = a.tiers
        db.session.commit()
    [item] = trash_items(app, tenants.a.id)
    assert admin.post(f"/t/{a.slug}/trash/{item.id}/restore").status_code == 303
    assert flags() == [False]
