"""Attachments of exchanges: one row per file (its name, the type read from its content,
its size, its key in the attachment storage); the bytes live in the storage.

A tenant table: composite keys to the company's rows, and row-level security
(migrations/env.py puts every new tenant table under the policy at the end of upgrade).

Revision ID: attachments
Revises: capture
Create Date: 2026-12-07 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'attachments'
down_revision = 'capture'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'exchange_id'], ['exchanges.tenant_id', 'exchanges.id'], name=op.f('fk_exchange_attachments_tenant_id_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_exchange_attachments_tenant_id_created_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_exchange_attachments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_attachments')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_exchange_attachments_tenant_id_id'))
    )
    op.create_index('ix_exchange_attachments_exchange', 'exchange_attachments',
                    ['tenant_id', 'exchange_id', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_exchange_attachments_exchange', table_name='exchange_attachments')
    op.drop_table('exchange_attachments')
