"""Indexes for the mode and object filters of the All exchanges list.

Without them a filter on a rarely used mode or object reads every exchange of the
tenant (measured with bench/exchange_list.py: 150–450 ms at a million rows; a few
milliseconds with them).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.create_index('ix_exchanges_tenant_mode_date',
                              ['tenant_id', 'mode_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_exchanges_tenant_object_date',
                              ['tenant_id', 'object_id', 'occurred_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.drop_index('ix_exchanges_tenant_object_date')
        batch_op.drop_index('ix_exchanges_tenant_mode_date')
