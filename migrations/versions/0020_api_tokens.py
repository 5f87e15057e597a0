"""Personal API tokens and the answers kept for Idempotency-Key retries (REST API v1).

Both are tenant tables: composite keys to the company's rows, and row-level security
(migrations/env.py puts every new tenant table under the policy at the end of upgrade).

Revision ID: api_tokens
Revises: tiers_name_trgm
Create Date: 2026-12-07 06:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'api_tokens'
down_revision = 'tiers_name_trgm'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'membership_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_api_tokens_tenant_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_api_tokens_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_api_tokens_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'token_hash', name=op.f('uq_api_tokens_tenant_id_token_hash'))
    )
    op.create_index('ix_api_tokens_tenant_membership', 'api_tokens',
                    ['tenant_id', 'membership_id'], unique=False)
    op.create_table('api_idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'token_id'], ['api_tokens.tenant_id', 'api_tokens.id'], name=op.f('fk_api_idempotency_keys_tenant_id_token_id_api_tokens')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_api_idempotency_keys_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotency_keys')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_api_idempotency_keys_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'token_id', 'key', name=op.f('uq_api_idempotency_keys_tenant_id_token_id_key'))
    )


def downgrade():
    op.drop_table('api_idempotency_keys')
    op.drop_index('ix_api_tokens_tenant_membership', table_name='api_tokens')
    op.drop_table('api_tokens')
