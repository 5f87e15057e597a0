"""Audit trail of records (record type and id) and the trash of deleted records.

Revision ID: trash
Revises: 0008
Create Date: 2026-11-28 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'trash'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('record_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_audit_entries_tenant_record',
                              ['tenant_id', 'record_type', 'record_id', 'created_at'],
                              unique=False)
    # The entries written so far are about the settings and the members ("member:12").
    op.execute("UPDATE audit_entries SET record_type = 'settings' WHERE action LIKE 'settings.%'")
    op.execute("UPDATE audit_entries SET record_type = 'member', "
               "record_id = CAST(substr(target, 8) AS INTEGER) "
               "WHERE action LIKE 'member.%' AND target LIKE 'member:%'")

    op.create_table('trash_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'deleted_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_trash_items_tenant_id_deleted_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_trash_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trash_items')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_trash_items_tenant_id_id'))
    )
    with op.batch_alter_table('trash_items', schema=None) as batch_op:
        batch_op.create_index('ix_trash_items_deleted', ['deleted_at'], unique=False)
        batch_op.create_index('ix_trash_items_tenant_deleted', ['tenant_id', 'deleted_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('trash_items', schema=None) as batch_op:
        batch_op.drop_index('ix_trash_items_tenant_deleted')
        batch_op.drop_index('ix_trash_items_deleted')
    op.drop_table('trash_items')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_tenant_record')
        batch_op.drop_column('record_id')
        batch_op.drop_column('record_type')
