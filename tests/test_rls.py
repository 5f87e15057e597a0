"""PostgreSQL row-level security: a bug in the scoping code can no longer leak.

Every check here goes through the application's own connection (the role that owns
nothing) with raw SQL, so the ORM scoping of ct/core/tenancy.py is out of the way: only the
database stands between tenant A and tenant B's rows.
"""

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from ct.core.db_setup import POLICY, UnsafeAppRole, grant_app_role, tenant_tables
from ct.core.tenancy import ALL_TENANTS, TenantScoped, bound_tenant
from ct.extensions import db
from ct.models import OutboxEmail
from tests.conftest import owner_engine, set_connection_tenant

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def postgres_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("row-level security is PostgreSQL's; SQLite relies on the ORM scoping")


def model_tenant_tables() -> set[str]:
    return {mapper.local_table.name for mapper in db.Model.registry.mappers
            if issubclass(mapper.class_, TenantScoped)}


def raw(sql: str, **params):
    return db.session.execute(text(sql), params)


def test_every_tenant_table_has_forced_row_level_security_and_the_policy(app):
    with app.app_context(), owner_engine().connect() as conn:
        in_database = set(tenant_tables(conn))
        assert model_tenant_tables() <= in_database  # every model's table, and any other
        assert len(in_database) >= 20
        flags = dict(conn.execute(text(
            "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class "
            "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'")).all())
        policies = {row[0] for row in conn.execute(
            text("SELECT tablename FROM pg_policies WHERE policyname = :p"), {"p": POLICY})}
    missing = sorted(t for t in in_database if not flags.get(t) or t not in policies)
    assert missing == []


def test_the_app_role_owns_nothing_and_cannot_bypass_the_policy(app):
    with app.app_context():
        me, superuser, bypass = raw(
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user").one()
        owned = raw("SELECT count(*) FROM pg_class WHERE relowner = "
                    "(SELECT oid FROM pg_roles WHERE rolname = current_user)").scalar()
        db.session.rollback()
    with owner_engine().connect() as conn:
        owner = conn.scalar(text("SELECT current_user"))
    assert me == app.config["SQLALCHEMY_DATABASE_URI"].split("://")[1].split("@")[0]
    assert me != owner
    assert (superuser, bypass, owned) == (False, False, 0)


def test_with_tenant_a_bound_raw_sql_sees_none_of_b(app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        for table in sorted(model_tenant_tables()):
            seen = set(raw(f'SELECT DISTINCT tenant_id FROM "{table}"').scalars())
            assert seen <= {tenants.a.id}, table
        # B's rows asked for by tenant and by id: nothing.
        assert raw("SELECT count(*) FROM memberships WHERE tenant_id = :b",
                   b=tenants.b.id).scalar() == 0
        assert raw("SELECT count(*) FROM groups WHERE id = :g",
                   g=tenants.b.group_id).scalar() == 0
        # A's own rows are there: the policy does not just hide everything.
        assert raw("SELECT count(*) FROM memberships").scalar() == 2
        db.session.rollback()


def test_with_tenant_a_bound_raw_sql_cannot_write_for_b(app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            raw("INSERT INTO groups (tenant_id, name, created_at, updated_at) "
                "VALUES (:b, 'Intruders', now(), now())", b=tenants.b.id)
        db.session.rollback()
        # B's rows cannot be changed or deleted: they are not there for A.
        assert raw("UPDATE groups SET name = 'Taken' WHERE tenant_id = :b",
                   b=tenants.b.id).rowcount == 0
        assert raw("DELETE FROM group_members WHERE tenant_id = :b",
                   b=tenants.b.id).rowcount == 0
        # Nor can one of A's rows be handed over to B.
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            raw("UPDATE groups SET tenant_id = :b WHERE id = :g",
                b=tenants.b.id, g=tenants.a.group_id)
        db.session.rollback()
    with owner_engine().connect() as conn:
        names = set(conn.scalars(text("SELECT name FROM groups")))
    assert names == {"Team Alpha Conseil", "Team Beta Industrie"}


def test_no_tenant_bound_sees_no_tenant_row(app, tenants):
    with app.app_context():
        for table in sorted(model_tenant_tables()):
            assert raw(f'SELECT count(*) FROM "{table}" WHERE tenant_id IS NOT NULL')\
                .scalar() == 0, table
        db.session.rollback()


def test_a_tenant_bound_mid_transaction_reaches_the_database(app, tenants):
    """The login loader's query opens the transaction before the URL binds the tenant."""
    with app.app_context():
        assert raw("SELECT count(*) FROM users").scalar() == 4  # transaction open, no tenant
        with bound_tenant(tenants.b.id):
            assert set(raw("SELECT tenant_id FROM memberships").scalars()) == {tenants.b.id}
        assert raw("SELECT count(*) FROM memberships").scalar() == 0  # unbound again
        db.session.rollback()


def test_the_tenant_setting_ends_with_the_transaction(app, tenants):
    with app.app_context(), db.engine.connect() as conn:
        with conn.begin():
            set_connection_tenant(conn, tenants.a.id)
            assert conn.scalar(text("SELECT count(*) FROM memberships")) == 2
        # The same connection (as the pool hands it to the next request), next transaction.
        with conn.begin():
            assert conn.scalar(
                text("SELECT COALESCE(current_setting('app.tenant_id', true), '')")) == ""
            assert conn.scalar(text("SELECT count(*) FROM memberships")) == 0


def test_each_session_transaction_starts_with_its_own_tenant(app, tenants):
    with app.app_context():
        with bound_tenant(tenants.a.id):
            assert raw("SELECT current_setting('app.tenant_id')").scalar() == str(tenants.a.id)
            db.session.commit()
        assert raw("SELECT count(*) FROM memberships").scalar() == 0
        db.session.remove()


def test_all_tenants_lifts_the_policy_for_its_own_statement_only(app, tenants):
    with app.app_context():
        both = set(db.session.scalars(
            text("SELECT tenant_id FROM memberships").execution_options(**{ALL_TENANTS: True})))
        assert both == {tenants.a.id, tenants.b.id}
        # The next statement of the same transaction is held again.
        assert raw("SELECT count(*) FROM memberships").scalar() == 0
        assert raw("SELECT current_setting('app.all_tenants', true)").scalar() != "on"
        db.session.rollback()


def test_platform_emails_are_no_tenant_s(app, tenants):
    """Emails outside any tenant (password reset) are written and read with no tenant
    bound, and a tenant sees none of them."""
    with app.app_context():
        db.session.add(OutboxEmail(kind="password_reset", to_email="x@example.org",
                                   subject="Reset", body_text="link"))
        db.session.commit()
        assert raw("SELECT count(*) FROM outbox_emails").scalar() == 1
        with bound_tenant(tenants.a.id):
            assert raw("SELECT count(*) FROM outbox_emails WHERE tenant_id IS NULL")\
                .scalar() == 0
        db.session.rollback()


def test_like_is_leakproof_so_search_keeps_its_trigram_indexes(app):
    """The policy runs before the query's own conditions; only a LEAKPROOF operator may
    be used by an index ahead of it. The migration marks LIKE and ILIKE so (a search of
    52,000 exchanges by the app's role: 0.2 ms on the trigram index, 130 ms without)."""
    with app.app_context():
        marks = dict(raw("SELECT proname, proleakproof FROM pg_proc "
                         "WHERE proname IN ('textlike', 'texticlike')").all())
        db.session.rollback()
    assert marks == {"textlike": True, "texticlike": True}


@pytest.mark.parametrize("sql", [
    "TRUNCATE groups",
    "ALTER TABLE groups DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE groups NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY tenant_isolation ON groups",
    "UPDATE alembic_version SET version_num = 'x'",
    "CREATE TABLE sneaky (id int)",
])
def test_the_app_role_cannot_undo_the_protection(app, tenants, sql):
    with app.app_context():
        with pytest.raises(sa.exc.ProgrammingError, match="must be owner|permission denied"):
            raw(sql)
        db.session.rollback()


def test_the_migration_refuses_an_app_role_that_bypasses_the_policy(app):
    with owner_engine().connect() as conn:
        superuser = conn.scalar(text("SELECT rolname FROM pg_roles WHERE rolsuper LIMIT 1"))
        with pytest.raises(UnsafeAppRole):
            grant_app_role(conn, superuser)
        conn.rollback()
