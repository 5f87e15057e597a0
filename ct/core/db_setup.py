"""Per-database engine settings, and PostgreSQL's row-level security (docs/TENANCY.md)."""

from __future__ import annotations

import logging
import re

from sqlalchemy import MetaData, event, make_url, text
from sqlalchemy.engine import Connection, Engine

from ct.core.text import similarity

log = logging.getLogger(__name__)

POLICY = "tenant_isolation"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# The rows of the transaction's tenant (set by ct/core/tenancy.py), or every row for the one
# statement that runs with the ALL_TENANTS execution option. An unset or empty setting
# matches no row: a forgotten tenant shows nothing instead of everything.
TENANT_ROWS = (
    "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer"
    " OR current_setting('app.all_tenants', true) = 'on'"
)
# Tables whose tenant is optional (platform emails): their tenant-less rows belong to
# the work done with no tenant bound.
PLATFORM_ROWS = (
    " OR (tenant_id IS NULL AND COALESCE(current_setting('app.tenant_id', true), '') = '')"
)


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        # SQLite checks foreign keys (our composite tenant keys included) only when asked.
        @event.listens_for(engine, "connect")
        def _enable_foreign_keys(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=20000")
            cursor.close()
            # pg_trgm's similarity(), for the fuzzy duplicate check of third parties.
            dbapi_connection.create_function("similarity", 2, similarity, deterministic=True)


def app_role(config) -> str | None:
    """The role the application connects as, when migrations run as another one (the
    owner of the tables); None when both share one role (SQLite, a quick local setup)."""
    migration_uri = config.get("MIGRATION_DATABASE_URI")
    if not migration_uri:
        return None
    app_user = make_url(config["SQLALCHEMY_DATABASE_URI"]).username
    if not app_user or app_user == make_url(migration_uri).username:
        return None
    return app_user


def tenant_tables(conn: Connection) -> dict[str, bool]:
    """Every table with a tenant_id column, read from the database itself (so tables
    added by later migrations are included) → whether its tenant is optional."""
    rows = conn.execute(text(
        "SELECT c.table_name, c.is_nullable = 'YES' FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' "
        "AND t.table_type = 'BASE TABLE' ORDER BY 1"))
    return dict(rows.all())


def protect_tenant_tables(conn: Connection) -> list[str]:
    """ENABLE and FORCE row-level security with the tenant policy on every tenant table
    missing any of them (FORCE: the owner is held by the policy too). Idempotent."""
    done = []
    for table, optional in tenant_tables(conn).items():
        enabled, forced = conn.execute(
            text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                 "WHERE oid = to_regclass(:t)"), {"t": f'"{table}"'}).one()
        has_policy = conn.scalar(
            text("SELECT 1 FROM pg_policies WHERE schemaname = current_schema() "
                 "AND tablename = :t AND policyname = :p"), {"t": table, "p": POLICY})
        if not enabled:
            conn.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        if not forced:
            conn.exec_driver_sql(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')
        if not has_policy:
            rows = TENANT_ROWS + (PLATFORM_ROWS if optional else "")
            conn.exec_driver_sql(
                f'CREATE POLICY {POLICY} ON "{table}" USING ({rows}) WITH CHECK ({rows})')
        if not (enabled and forced and has_policy):
            done.append(table)
    return done


# PostgreSQL applies a policy before the query's own conditions, and lets a condition
# use an index first only when its operator is LEAKPROOF (cannot reveal a hidden row).
# LIKE is not marked so, which would take search-as-you-type off its trigram indexes
# for the application's role (a 52,000-exchange search: 0.2 ms → 130 ms). Its only
# error depends on the pattern, which our queries never take from a row: mark it.
LEAKPROOF_FUNCTIONS = ("textlike(text, text)", "texticlike(text, text)")


def keep_search_on_its_indexes(conn: Connection) -> bool:
    """Mark LIKE and ILIKE leakproof (superusers only); False when it could not be done."""
    missing = [f for f in LEAKPROOF_FUNCTIONS
               if not conn.scalar(text(f"SELECT proleakproof FROM pg_proc "
                                       f"WHERE oid = '{f}'::regprocedure"))]
    if not missing:
        return True
    if not conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
        log.warning("row-level security: as a superuser, run %s so that searches keep "
                    "their indexes (docs/TENANCY.md)",
                    "; ".join(f"ALTER FUNCTION {f} LEAKPROOF" for f in missing))
        return False
    for function in missing:
        conn.exec_driver_sql(f"ALTER FUNCTION {function} LEAKPROOF")
    return True


def drop_everything(engine: Engine) -> None:
    """Every table, and the function whose result is a table's row type (migration
    0017), which would otherwise keep the memberships table: a blank database."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP FUNCTION IF EXISTS ct_enter_tenant(integer, text)")
    meta = MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def unprotect_tenant_tables(conn: Connection) -> None:
    for table in tenant_tables(conn):
        conn.exec_driver_sql(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
        conn.exec_driver_sql(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
        conn.exec_driver_sql(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


def is_protected(conn: Connection) -> bool:
    """Whether row-level security was switched on (the 'rls' migration ran)."""
    return bool(conn.scalar(text("SELECT 1 FROM pg_policies WHERE policyname = :p LIMIT 1"),
                            {"p": POLICY}))


class UnsafeAppRole(RuntimeError):
    """The application's role would bypass row-level security."""


def grant_app_role(conn: Connection, role: str) -> None:
    """Create the application's role if missing and give it the data, nothing more:
    no ownership, no DDL, no TRUNCATE, read-only migration state. Tables and sequences
    created later by the migrating role are granted too (default privileges)."""
    if not ROLE_NAME.fullmatch(role):
        raise UnsafeAppRole(f"unexpected role name {role!r}: letters, digits and _ only")
    name = f'"{role}"'
    # A DO block: two test runs creating the role at once must both go on.
    conn.exec_driver_sql(
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
        f"THEN CREATE ROLE {name} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
        "END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")
    unsafe = conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"),
                          {"r": role}).scalar()
    if unsafe:
        raise UnsafeAppRole(f"the application role {role} is a superuser or has BYPASSRLS: "
                            "row-level security would not hold it")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {name}")
    conn.exec_driver_sql(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
    conn.exec_driver_sql(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}")
    conn.exec_driver_sql(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}")
    if conn.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL")):
        conn.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {name}")
