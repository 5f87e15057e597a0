"""Helpers of the settings, members, groups and rights tests: whole-database snapshots,
rows made directly in a tenant, and the audit trail as the tests read it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import AuditEntry, Choice, Exchange, Membership, Product, TenantSettings, Tiers
from tests.auth_support import PASSWORD
from tests.conftest import owner_engine


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table: equal before and after proves that nothing changed
    (row counts alone would miss an update)."""
    # The owner's connection: the app's role would see no tenant's rows here.
    with app.app_context(), owner_engine().connect() as conn:
        return {
            table.name: sorted(
                (tuple(repr(v) for v in row) for row in conn.execute(sa.select(table))),
            )
            for table in db.metadata.sorted_tables
        }


def log_in(client, email: str):
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, "login failed"
    return client


def set_rights(app, tenant_id: int, membership_id: int, rights, *, role: str | None = None,
               active: bool | None = None) -> None:
    """Give a member exactly ``rights``; its role and whether it is active change only
    when given. The one way the tests set rights."""
    with app.app_context(), bound_tenant(tenant_id):
        member = db.session.scalar(select(Membership).where(Membership.id == membership_id))
        member.rights = list(rights)
        if role is not None:
            member.role = role
        if active is not None:
            member.active = active
        db.session.commit()


def membership(app, tenant_id: int, membership_id: int) -> Membership:
    with app.app_context(), bound_tenant(tenant_id):
        member = db.session.scalar(select(Membership).where(Membership.id == membership_id))
        db.session.expunge_all()
        return member


def audit(app, tenant_id: int, action: str | None = None) -> list[AuditEntry]:
    """The tenant's audit entries, oldest first."""
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    with app.app_context(), bound_tenant(tenant_id):
        entries = list(db.session.scalars(query))
        db.session.expunge_all()
        return entries


def stored_settings(app, tenant_id: int) -> TenantSettings:
    with app.app_context(), bound_tenant(tenant_id):
        settings = TenantSettings.current()
        db.session.expunge_all()
        return settings


def choices(app, tenant_id: int, kind: str) -> list[Choice]:
    """The entries of a list in their order, deactivated ones included."""
    with app.app_context(), bound_tenant(tenant_id):
        rows = list(db.session.scalars(
            select(Choice).where(Choice.kind == kind).order_by(Choice.position, Choice.id)))
        db.session.expunge_all()
        return rows


def labels(app, tenant_id: int, kind: str) -> list[str]:
    return [c.label for c in choices(app, tenant_id, kind)]


def choice_id(app, tenant_id: int, kind: str, label: str) -> int:
    [found] = [c.id for c in choices(app, tenant_id, kind) if c.label == label]
    return found


def make_product(app, tenant_id: int, reference: str, label: str, active: bool = True) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        product = Product(reference=reference, label=label, active=active)
        db.session.add(product)
        db.session.commit()
        return product.id


def make_exchange(app, tenant_id: int, author_id: int, **values) -> int:
    """An exchange with a third party of its own, authored and made by ``author_id``."""
    with app.app_context(), bound_tenant(tenant_id):
        tiers = Tiers(name=f"Client {author_id}")
        db.session.add(tiers)
        db.session.flush()
        exchange = Exchange(tiers_id=tiers.id, author_id=author_id, made_by_id=author_id,
                            **values)
        db.session.add(exchange)
        db.session.commit()
        return exchange.id


def exchange(app, tenant_id: int, exchange_id: int) -> Exchange | None:
    with app.app_context(), bound_tenant(tenant_id):
        found = db.session.scalar(select(Exchange).where(Exchange.id == exchange_id))
        db.session.expunge_all()
        return found
