"""Deleting a record an exchange points at: never a 500, and nothing the user did not see.

An event or a task (the follow-up of an exchange) goes, the exchange stays without the
link, and its history says so. A document, a project or a product (what an exchange is
about) is refused while an exchange names it, and nothing changes.
"""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import (
    AuditEntry,
    Document,
    Event,
    Exchange,
    ExchangeProduct,
    Product,
    Project,
    Task,
    TenantSettings,
)
from tests.exchange_records import records, set_settings  # noqa: F401

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def admin(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


def make_event(app, tenant_id: int, title: str = "Visit") -> int:
    with app.app_context(), bound_tenant(tenant_id):
        start = datetime.now(UTC) + timedelta(days=3)
        event = Event(title=title, starts_at=start, ends_at=start + timedelta(hours=1))
        db.session.add(event)
        db.session.commit()
        return event.id


def make_task(app, tenant_id: int, project_id: int | None = None) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        task = Task(label="Send the quote", project_id=project_id)
        db.session.add(task)
        db.session.commit()
        return task.id


def make_exchange(app, tenant_id: int, side, product: int | None = None, **links) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        exchange = Exchange(tiers_id=side.tiers, author_id=side.admin, made_by_id=side.admin,
                            comment="Called about it.", **links)
        db.session.add(exchange)
        db.session.flush()
        if product is not None:
            db.session.add(ExchangeProduct(exchange_id=exchange.id, product_id=product))
        db.session.commit()
        return exchange.id


def load(app, tenant_id: int, model, record_id: int):
    with app.app_context(), bound_tenant(tenant_id):
        found = db.session.scalar(select(model).where(model.id == record_id))
        if found is not None:
            db.session.expunge(found)
        return found


def exchange_changes(app, tenant_id: int, exchange_id: int) -> list[tuple[dict, dict]]:
    with app.app_context(), bound_tenant(tenant_id):
        return [(e.before, e.after) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "exchange",
                                     AuditEntry.record_id == exchange_id,
                                     AuditEntry.action == "exchange.update"))]


# ---- follow-ups: the event or task goes, the exchange stays without the link ----------

def test_deleting_an_event_an_exchange_follows_up(app, client, tenants, records, admin):
    event = make_event(app, tenants.a.id)
    exchanges = [make_exchange(app, tenants.a.id, records.a, event_id=event) for _ in range(2)]
    url = f"/t/{admin.slug}/agenda/{event}/delete"
    page = client.get(url).get_data(as_text=True)
    assert "It is the follow-up of 2 exchanges: they stay, without this link." in page

    response = client.post(url)
    assert response.status_code == 303
    assert load(app, tenants.a.id, Event, event) is None
    for exchange_id in exchanges:
        exchange = load(app, tenants.a.id, Exchange, exchange_id)
        assert exchange is not None and exchange.event_id is None
        assert exchange.comment == "Called about it."
        assert exchange_changes(app, tenants.a.id, exchange_id) == [
            ({"event_id": event}, {"event_id": None})]


def test_deleting_a_task_an_exchange_follows_up(app, client, tenants, records, admin):
    task = make_task(app, tenants.a.id, records.a.project)
    exchange_id = make_exchange(app, tenants.a.id, records.a, task_id=task)
    url = f"/t/{admin.slug}/projects/tasks/{task}/delete"
    assert "It is the follow-up of 1 exchange: it stays, without this link." in client.get(
        url).get_data(as_text=True)

    assert client.post(url).status_code == 303
    assert load(app, tenants.a.id, Task, task) is None
    assert load(app, tenants.a.id, Exchange, exchange_id).task_id is None
    assert exchange_changes(app, tenants.a.id, exchange_id) == [
        ({"task_id": task}, {"task_id": None})]


def test_event_and_task_without_exchange_say_nothing_of_links(app, client, tenants, admin):
    event = make_event(app, tenants.a.id)
    task = make_task(app, tenants.a.id)
    for url in (f"/t/{admin.slug}/agenda/{event}/delete",
                f"/t/{admin.slug}/projects/tasks/{task}/delete"):
        assert "follow-up" not in client.get(url).get_data(as_text=True)
        assert client.post(url).status_code == 303


def test_deleting_a_project_whose_tasks_are_follow_ups(app, client, tenants, records, admin):
    project = records.a.closed_project
    task = make_task(app, tenants.a.id, project)
    exchange_id = make_exchange(app, tenants.a.id, records.a, task_id=task)
    url = f"/t/{admin.slug}/projects/{project}/delete"
    page = client.get(url).get_data(as_text=True)
    assert "Its 1 task will be deleted too." in page
    assert "Its tasks are the follow-up of 1 exchange: it stays, without this link." in page

    assert client.post(url).status_code == 303
    assert load(app, tenants.a.id, Project, project) is None
    assert load(app, tenants.a.id, Task, task) is None
    assert load(app, tenants.a.id, Exchange, exchange_id).task_id is None


# ---- what an exchange is about: refused while an exchange names it -----------------

REFUSED = {
    "document": ("documents", "document", "document_id", Document,
                 "This document cannot be deleted: 1 exchange is about it.", "mark it cancelled"),
    "project": ("projects", "project", "project_id", Project,
                "This project cannot be deleted: 1 exchange is about it.", "close the project"),
    "product": ("products", "product", None, Product,
                "This product cannot be deleted: 1 exchange is about it.", "Make it inactive"),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_delete_is_refused_while_an_exchange_is_about_it(app, client, tenants, records, admin,
                                                         kind):
    path, attribute, column, model, message, instead = REFUSED[kind]
    record_id = getattr(records.a, attribute)
    links = {"product": record_id} if column is None else {column: record_id}
    exchange_id = make_exchange(app, tenants.a.id, records.a, **links)
    url = f"/t/{admin.slug}/{path}/{record_id}/delete"
    page = client.get(url).get_data(as_text=True)
    assert message in page and instead in page
    assert 'id="delete-refused"' in page and f'action="{url}"' not in page

    response = client.post(url)
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert load(app, tenants.a.id, model, record_id) is not None
    exchange = load(app, tenants.a.id, Exchange, exchange_id)
    if column is None:
        with app.app_context(), bound_tenant(tenants.a.id):
            assert db.session.scalars(select(ExchangeProduct.product_id).where(
                ExchangeProduct.exchange_id == exchange_id)).all() == [record_id]
    else:
        assert getattr(exchange, column) == record_id
    assert exchange_changes(app, tenants.a.id, exchange_id) == []


@pytest.mark.parametrize("kind", REFUSED)
def test_delete_without_exchange_still_works(app, client, tenants, records, admin, kind):
    path, attribute, _column, model, message, _instead = REFUSED[kind]
    record_id = getattr(records.a, attribute)
    make_exchange(app, tenants.b.id, records.b, document_id=records.b.document,
                  project_id=records.b.project, product=records.b.product)  # not ours
    url = f"/t/{admin.slug}/{path}/{record_id}/delete"
    page = client.get(url).get_data(as_text=True)
    assert "cannot be deleted" not in page and f'action="{url}"' in page
    assert client.post(url).status_code == 303
    assert load(app, tenants.a.id, model, record_id) is None


def test_deleting_a_product_takes_it_out_of_the_exchange_form(app, client, tenants, records,
                                                             admin):
    keep = make_product(app, tenants.a.id)
    set_settings(app, tenants.a.id, product_ids=[records.a.product, keep])
    url = f"/t/{admin.slug}/products/{records.a.product}/delete"
    assert "It is also removed from the products shown in the exchange form." in client.get(
        url).get_data(as_text=True)
    assert client.post(url).status_code == 303
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(TenantSettings)).product_ids == [keep]


def make_product(app, tenant_id: int) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        product = Product(reference="P-2", label="Installation")
        db.session.add(product)
        db.session.commit()
        return product.id


# ---- another tenant's records ---------------------------------------------------------

def test_another_tenants_records_are_not_found(app, client, tenants, records, admin):
    theirs = records.b
    event = make_event(app, tenants.b.id)
    task = make_task(app, tenants.b.id)
    exchange_id = make_exchange(app, tenants.b.id, theirs, event_id=event, task_id=task,
                                document_id=theirs.document, project_id=theirs.project,
                                product=theirs.product)
    urls = [f"agenda/{event}", f"projects/tasks/{task}", f"documents/{theirs.document}",
            f"projects/{theirs.project}", f"products/{theirs.product}"]
    for url in urls:
        for method in (client.get, client.post):
            assert method(f"/t/{admin.slug}/{url}/delete").status_code == 404, url
    exchange = load(app, tenants.b.id, Exchange, exchange_id)
    assert (exchange.event_id, exchange.task_id, exchange.document_id, exchange.project_id) == (
        event, task, theirs.document, theirs.project)
    for model, record_id in ((Event, event), (Task, task), (Document, theirs.document),
                             (Project, theirs.project), (Product, theirs.product)):
        assert load(app, tenants.b.id, model, record_id) is not None
