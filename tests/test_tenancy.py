"""Tenant isolation at the ORM, database and HTTP levels, and in jobs."""

import pytest
import sqlalchemy as sa
from sqlalchemy import select, update

from ct.core.jobs import tenant_job
from ct.core.tenancy import (
    ALL_TENANTS,
    CrossTenantWrite,
    TenantNotBound,
    bound_tenant,
    scoped_to_tenant,
)
from ct.extensions import db
from ct.models import Choice, Group, GroupMember, Membership, Tenant
from tests.conftest import owner_engine, set_connection_tenant


def test_query_without_tenant_raises(app, tenants):
    with app.app_context():
        with pytest.raises(TenantNotBound):
            db.session.scalars(select(Membership)).all()


def test_update_and_delete_without_tenant_raise(app, tenants):
    with app.app_context():
        with pytest.raises(TenantNotBound):
            db.session.execute(update(Membership).values(role="admin"))
        with pytest.raises(TenantNotBound):
            db.session.execute(sa.delete(Group))


def test_global_tables_need_no_tenant(app, tenants):
    with app.app_context():
        assert {t.slug for t in db.session.scalars(select(Tenant))} == {
            tenants.a.slug, tenants.b.slug}


def test_bound_tenant_sees_only_its_rows(app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        memberships = db.session.scalars(select(Membership)).all()
        assert {m.tenant_id for m in memberships} == {tenants.a.id}
        assert len(memberships) == 2
        # Another tenant's id looked up directly: nothing.
        assert db.session.scalar(
            select(Membership).where(Membership.id == tenants.b.admin_membership_id)) is None
        assert db.session.scalar(select(Group).where(Group.id == tenants.b.group_id)) is None


def test_scoping_reaches_joins_and_relationships(app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        rows = db.session.execute(
            select(GroupMember, Membership).join(
                Membership, GroupMember.membership_id == Membership.id)
        ).all()
        assert rows and all(gm.tenant_id == m.tenant_id == tenants.a.id for gm, m in rows)
        group = db.session.scalar(select(Group))
        assert [m.membership.tenant_id for m in group.members] == [tenants.a.id]


def test_a_statement_over_subqueries_is_scoped_when_asked(app, tenants):
    # Its top names no tenant model: the automatic scoping does not see it.
    members = sa.union(select(Membership.id), select(Membership.id).where(Membership.active))
    count = select(sa.func.count()).select_from(members.subquery())
    with app.app_context():
        with pytest.raises(TenantNotBound):
            scoped_to_tenant(count)
        with bound_tenant(tenants.a.id):
            assert db.session.scalar(scoped_to_tenant(count)) == 2  # B's two are not counted


def test_bulk_update_touches_only_bound_tenant(app, tenants):
    with app.app_context():
        with bound_tenant(tenants.a.id):
            db.session.execute(update(Choice).values(active=False))
            db.session.commit()
        with bound_tenant(tenants.b.id):
            assert all(c.active for c in db.session.scalars(select(Choice)))


def test_new_rows_are_stamped_with_bound_tenant(app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        group = Group(name="Stamped")
        db.session.add(group)
        db.session.commit()
        assert group.tenant_id == tenants.a.id


def test_creating_a_row_for_another_tenant_is_refused(app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add(Group(name="Intruder", tenant_id=tenants.b.id))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()
    with app.app_context(), bound_tenant(tenants.b.id):
        assert db.session.scalar(select(Group).where(Group.name == "Intruder")) is None


def test_changing_a_row_of_another_tenant_is_refused(app, tenants):
    with app.app_context():
        other = db.session.scalar(
            select(Group).where(Group.id == tenants.b.group_id)
            .execution_options(**{ALL_TENANTS: True}))
        with bound_tenant(tenants.a.id):
            other.name = "Renamed from A"
            with pytest.raises(CrossTenantWrite):
                db.session.flush()
            db.session.rollback()


def test_moving_a_row_to_another_tenant_is_refused(app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        group = db.session.scalar(select(Group))
        group.tenant_id = tenants.b.id
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_creating_without_tenant_is_refused(app):
    with app.app_context():
        db.session.add(Group(name="Orphan"))
        with pytest.raises(TenantNotBound):
            db.session.flush()
        db.session.rollback()


def test_database_refuses_cross_tenant_link(app, tenants):
    """Even raw SQL cannot link tenant A's row to tenant B's: the composite key refuses
    (with A bound, so that row-level security lets the row through to the key)."""
    with app.app_context():
        with pytest.raises(sa.exc.IntegrityError):
            with db.engine.begin() as conn:
                set_connection_tenant(conn, tenants.a.id)
                conn.execute(
                    GroupMember.__table__.insert().values(
                        tenant_id=tenants.a.id,
                        group_id=tenants.a.group_id,
                        membership_id=tenants.b.member_membership_id,
                    )
                )
        with owner_engine().connect() as conn:
            count = conn.scalar(sa.select(sa.func.count()).select_from(GroupMember.__table__))
        assert count == 2  # one per tenant, from the fixture


def test_job_binds_its_tenant(app, tenants):
    seen = []

    @tenant_job
    def count_memberships(tenant_id):
        seen.append({m.tenant_id for m in db.session.scalars(select(Membership))})

    with app.app_context():
        count_memberships(tenants.b.id)
        with pytest.raises(TenantNotBound):  # unbound again after the job
            db.session.scalars(select(Membership)).all()
    assert seen == [{tenants.b.id}]


def test_unknown_tenant_is_404(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    assert client.get("/t/no-such-company/").status_code == 404
