"""Row-level security on every tenant table (PostgreSQL only).

Each table with a tenant_id column gets ENABLE + FORCE ROW LEVEL SECURITY and the
policy ``tenant_isolation``: a transaction sees and writes only the rows of the tenant
in its ``app.tenant_id`` setting. When the application connects with its own role
(MIGRATION_DATABASE_URL set, DATABASE_URL naming another role), that role is created if
missing and granted the data only. docs/TENANCY.md explains the design; every later
``flask db upgrade`` puts new tenant tables under the same policy (migrations/env.py).

Revision ID: rls
Revises: 0008
"""
from alembic import op
from flask import current_app

from ct.core.db_setup import (
    app_role,
    grant_app_role,
    keep_search_on_its_indexes,
    protect_tenant_tables,
    unprotect_tenant_tables,
)

# revision identifiers, used by Alembic.
revision = 'rls'
down_revision = 'export'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name != 'postgresql':
        return  # SQLite has no row-level security: the ORM scoping stands alone there
    protect_tenant_tables(conn)
    keep_search_on_its_indexes(conn)
    role = app_role(current_app.config)
    if role:
        grant_app_role(conn, role)


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name != 'postgresql':
        return
    unprotect_tenant_tables(conn)  # the role and its grants stay: roles are cluster-wide
