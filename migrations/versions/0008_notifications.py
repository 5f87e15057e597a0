"""Notifications: the companies' own email templates, the members' calendar feeds and
their daily digest choice.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 08:41:55.074958

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daily_digest', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('digest_sent_on', sa.Date(), nullable=True))

    op.create_table('calendar_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'membership_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_calendar_tokens_tenant_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_calendar_tokens_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_tokens')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_calendar_tokens_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'membership_id', name=op.f('uq_calendar_tokens_tenant_id_membership_id')),
    sa.UniqueConstraint('tenant_id', 'token_hash', name=op.f('uq_calendar_tokens_tenant_id_token_hash'))
    )
    op.create_table('email_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'updated_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_email_templates_tenant_id_updated_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_email_templates_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_templates')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_email_templates_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'name', 'language', name=op.f('uq_email_templates_tenant_id_name_language'))
    )


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('digest_sent_on')
        batch_op.drop_column('daily_digest')
    op.drop_table('email_templates')
    op.drop_table('calendar_tokens')
