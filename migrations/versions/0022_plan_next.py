"""The number of days after which closing an exchange offers to plan the next contact.

Revision ID: plan_next
Revises: webhooks
Create Date: 2026-12-07 09:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'plan_next'
down_revision = 'webhooks'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenant_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_next_days', sa.Integer(), nullable=False,
                                      server_default='7'))


def downgrade():
    with op.batch_alter_table('tenant_settings', schema=None) as batch_op:
        batch_op.drop_column('plan_next_days')
