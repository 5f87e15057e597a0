"""Indexes for sorting the list of third parties by code, town or creation date.

Keyset pagination on these columns then walks an index instead of sorting every third
party of the tenant on each page. The code and town sort on coalesce(column, ''): those
expression indexes exist on PostgreSQL only (SQLite, for a first run, sorts; fine at
that size, and it cannot reflect expression indexes).

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SORTED_BY_EXPRESSION = {"ix_tiers_tenant_code_sort": "customer_code",
                        "ix_tiers_tenant_town_sort": "town"}


def upgrade():
    with op.batch_alter_table("tiers", schema=None) as batch_op:
        batch_op.create_index("ix_tiers_tenant_created", ["tenant_id", "created_at", "id"],
                              unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for name, column in SORTED_BY_EXPRESSION.items():
            op.execute(f"CREATE INDEX {name} ON tiers (tenant_id, coalesce({column}, ''), id)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in SORTED_BY_EXPRESSION:
            op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table("tiers", schema=None) as batch_op:
        batch_op.drop_index("ix_tiers_tenant_created")
