"""Records the exchange tests work on, in both tenants, and small helpers around them.

Import the fixtures into a test module with ``from exchange_records import records``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ct.core.permissions import READ_OWN_EXCHANGES, WRITE_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import (
    Choice,
    Contact,
    Document,
    Event,
    Exchange,
    Product,
    Project,
    Task,
    TenantSettings,
    Tiers,
)
from ct.models.choices import KIND_DOCUMENT, KIND_MODE, KIND_OBJECT


@dataclass
class Side:
    """One tenant's records: a tiers with two contacts and a quote, a second tiers."""

    slug: str
    tiers: int
    contact: int
    contact2: int
    document: int
    other_tiers: int
    other_contact: int
    other_document: int
    project: int
    closed_project: int
    product: int
    mode: int
    object: int
    group: int
    admin: int
    member: int


@dataclass
class Records:
    a: Side
    b: Side


def _side(tenant) -> Side:
    with bound_tenant(tenant.id):
        tiers = Tiers(name="Dupont Industrie", is_customer=True, town="Lyon")
        other = Tiers(name="Martin Négoce", is_prospect=True)
        db.session.add_all([tiers, other])
        db.session.flush()
        c1 = Contact(first_name="Éloïse", last_name="Durand", tiers_id=tiers.id)
        c2 = Contact(first_name="Paul", last_name="Bernard", tiers_id=tiers.id)
        c3 = Contact(first_name="Inès", last_name="Petit", tiers_id=other.id)
        kind = db.session.scalar(select(Choice).where(Choice.kind == KIND_DOCUMENT)
                                 .order_by(Choice.position))  # a quote
        d1 = Document(kind_id=kind.id, reference="DEV-001", tiers_id=tiers.id, date=date.today())
        d2 = Document(kind_id=kind.id, reference="DEV-002", tiers_id=other.id, date=date.today())
        project = Project(reference="PRJ-1", title="Déploiement", tiers_id=tiers.id)
        closed = Project(reference="PRJ-0", title="Ancien", status="closed")
        product = Product(reference="P-1", label="Maintenance")
        db.session.add_all([c1, c2, c3, d1, d2, project, closed, product])
        db.session.flush()
        mode = db.session.scalar(select(Choice.id).where(Choice.kind == KIND_MODE)
                                 .order_by(Choice.position))  # phone
        obj = db.session.scalar(select(Choice.id).where(Choice.kind == KIND_OBJECT)
                                .order_by(Choice.position))  # prospecting
        side = Side(tenant.slug, tiers.id, c1.id, c2.id, d1.id, other.id, c3.id, d2.id,
                    project.id, closed.id, product.id, mode, obj, tenant.group_id,
                    tenant.admin_membership_id, tenant.member_membership_id)
        db.session.commit()
        return side


@pytest.fixture
def records(app, tenants) -> Records:
    with app.app_context():
        return Records(_side(tenants.a), _side(tenants.b))


def set_settings(app, tenant_id: int, **values) -> None:
    with app.app_context(), bound_tenant(tenant_id):
        settings = db.session.scalar(select(TenantSettings))
        if settings is None:
            settings = TenantSettings.current()
            db.session.add(settings)
        for name, value in values.items():
            setattr(settings, name, value)
        db.session.commit()


RESTRICTED = [READ_OWN_EXCHANGES, WRITE_EXCHANGES]


def count(app, tenant_id: int, model) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(model.id)))


def counts(app, tenant_id: int) -> dict[str, int]:
    return {m.__name__: count(app, tenant_id, m) for m in (Exchange, Task, Event, Tiers, Contact)}


def exchange_data(side: Side, **changes) -> dict:
    """A valid form for ``side``'s main tiers (the status and date set, nothing else)."""
    data = {"form_token": f"token-{side.slug}-{'-'.join(sorted(changes))}"[:40],
            "tiers_id": str(side.tiers), "occurred_at": "2026-03-10T14:30",
            "status": "closed", "comment": "Called about the quote."}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def only_exchange(app, tenant_id: int) -> Exchange:
    with app.app_context(), bound_tenant(tenant_id):
        exchange = db.session.scalars(select(Exchange)).one()
        db.session.expunge(exchange)
        return exchange


def in_the_future(days: int = 3, hour: int = 10) -> str:
    return (date.today() + timedelta(days=days)).strftime(f"%Y-%m-%dT{hour:02d}:00")
