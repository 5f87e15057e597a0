"""Statements whose top names no tenant model — a count over a subquery, a row of
scalar subqueries — are scoped to the bound tenant all the same: on SQLite the ORM
scoping is the only guard, and on PostgreSQL the tenant is the first column of every
index (row-level security alone would leave it out of the index conditions)."""

from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Choice


def own_choices(tenant_id: int) -> int:
    with bound_tenant(tenant_id):
        return len(db.session.scalars(select(Choice.id)).all())


def test_a_count_over_a_subquery_sees_the_bound_tenant_only(app, tenants):
    with app.app_context():
        a, b = own_choices(tenants.a.id), own_choices(tenants.b.id)
        with bound_tenant(tenants.a.id):
            over_subquery = db.session.scalar(
                select(func.count()).select_from(select(Choice.id).subquery()))
            scalar_subqueries = db.session.execute(select(
                select(func.count(Choice.id)).scalar_subquery(),
                select(func.count()).select_from(select(Choice.id).subquery())
                .scalar_subquery())).one()
        assert a and b
        assert over_subquery == a
        assert tuple(scalar_subqueries) == (a, a)
