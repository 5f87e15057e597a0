"""Email capture: each member's capture address per company, and the raw messages the
capture SMTP service kept before their job turns them into exchanges.

Both are tenant tables: composite keys to the company's rows, and row-level security
(migrations/env.py puts every new tenant table under the policy at the end of upgrade).
The token's hash is indexed alone: the capture service looks an address up before it
knows the company.

Revision ID: capture
Revises: mentions
Create Date: 2026-12-07 09:01:45.130014

"""
from alembic import op
import sqlalchemy as sa


# The capture job matches addresses case-insensitively (lower(email) IN …) within a
# company: expression indexes, PostgreSQL only (SQLite scans a company's rows).
EMAIL_INDEXES = {"ix_contacts_tenant_email_lower": "contacts",
                 "ix_tiers_tenant_email_lower": "tiers"}

# revision identifiers, used by Alembic.
revision = 'capture'
down_revision = 'mentions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('capture_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'membership_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_capture_addresses_tenant_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_capture_addresses_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capture_addresses')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_capture_addresses_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'token_hash', name='uq_capture_addresses_token_hash')
    )
    with op.batch_alter_table('capture_addresses', schema=None) as batch_op:
        batch_op.create_index('ix_capture_addresses_tenant_membership', ['tenant_id', 'membership_id'], unique=False)
        batch_op.create_index('ix_capture_addresses_token_hash', ['token_hash'], unique=False)

    op.create_table('inbound_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('address_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('mail_from', sa.String(length=320), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('unknown', sa.JSON(), nullable=True),
    sa.Column('failure', sa.Text(), nullable=True),
    sa.Column('exchange_count', sa.Integer(), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'address_id'], ['capture_addresses.tenant_id', 'capture_addresses.id'], name=op.f('fk_inbound_emails_tenant_id_address_id_capture_addresses')),
    sa.ForeignKeyConstraint(['tenant_id', 'membership_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_inbound_emails_tenant_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_inbound_emails_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_emails')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_inbound_emails_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'message_id', name='uq_inbound_emails_message_id')
    )
    with op.batch_alter_table('inbound_emails', schema=None) as batch_op:
        batch_op.create_index('ix_inbound_emails_member_status', ['tenant_id', 'membership_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_inbound_emails_pending', ['status', 'received_at'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for name, table in EMAIL_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {table} (tenant_id, lower(email))")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in EMAIL_INDEXES:
            op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table('inbound_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_emails_pending')
        batch_op.drop_index('ix_inbound_emails_member_status')

    op.drop_table('inbound_emails')
    with op.batch_alter_table('capture_addresses', schema=None) as batch_op:
        batch_op.drop_index('ix_capture_addresses_token_hash')
        batch_op.drop_index('ix_capture_addresses_tenant_membership')

    op.drop_table('capture_addresses')
