"""@mentions in exchange comments: who is mentioned in which exchange, in its comment or
its confidential comment, and whether they had their email.

A tenant table: composite keys to the company's rows, and row-level security
(migrations/env.py puts every new tenant table under the policy at the end of upgrade).

Revision ID: mentions
Revises: plan_next
Create Date: 2026-12-07 09:00:27.944265

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'mentions'
down_revision = 'plan_next'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'exchange_id'], ['exchanges.tenant_id', 'exchanges.id'], name=op.f('fk_exchange_mentions_tenant_id_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['tenant_id', 'membership_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_exchange_mentions_tenant_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_exchange_mentions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_mentions')),
    sa.UniqueConstraint('tenant_id', 'exchange_id', 'membership_id', name=op.f('uq_exchange_mentions_tenant_id_exchange_id_membership_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_exchange_mentions_tenant_id_id'))
    )
    op.create_index('ix_exchange_mentions_member', 'exchange_mentions',
                    ['tenant_id', 'membership_id', 'exchange_id'], unique=False)


def downgrade():
    op.drop_index('ix_exchange_mentions_member', table_name='exchange_mentions')
    op.drop_table('exchange_mentions')
