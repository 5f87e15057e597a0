"""Indexes for the home page at scale: each member's to-do exchanges, audit actions.

Revision ID: counters
Revises: rls
Create Date: 2026-11-28 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'counters'
down_revision = 'rls'
branch_labels = None
depends_on = None

TODO = sa.text("status = 'todo'")


def upgrade():
    op.create_index('ix_exchanges_tenant_todo', 'exchanges',
                    ['tenant_id', 'made_by_id', 'occurred_at', 'id'],
                    postgresql_where=TODO, sqlite_where=TODO)
    op.create_index('ix_audit_entries_tenant_action', 'audit_entries',
                    ['tenant_id', 'action', 'created_at'])


def downgrade():
    op.drop_index('ix_audit_entries_tenant_action', table_name='audit_entries')
    op.drop_index('ix_exchanges_tenant_todo', table_name='exchanges')
