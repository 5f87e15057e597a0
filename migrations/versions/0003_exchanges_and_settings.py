"""Exchanges (with their contacts, products and collaborators) and the tenant settings
of the module.

On PostgreSQL the text filter of the exchanges list uses a trigram index on the folded
comment (the confidential comment is never indexed).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 07:50:44.419229

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tenant_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('choose_user', sa.Boolean(), nullable=False),
    sa.Column('confidential_comments', sa.Boolean(), nullable=False),
    sa.Column('collaborators', sa.Boolean(), nullable=False),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('button_mode', sa.String(length=20), nullable=False),
    sa.Column('hidden_button_pages', sa.JSON(), nullable=False),
    sa.Column('widget_days', sa.Integer(), nullable=True),
    sa.Column('shorten_descriptions', sa.Boolean(), nullable=False),
    sa.Column('shorten_length', sa.Integer(), nullable=False),
    sa.Column('large_contacts_threshold', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tenant_settings_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_settings')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_tenant_settings_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_tenant_settings_tenant_id'))
    )
    op.create_table('exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tiers_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('mode_id', sa.Integer(), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('confidential_comment', sa.Text(), nullable=True),
    sa.Column('confidential_group_id', sa.Integer(), nullable=True),
    sa.Column('notify_collaborators', sa.Boolean(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('form_token', sa.String(length=40), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'author_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_exchanges_tenant_id_author_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'confidential_group_id'], ['groups.tenant_id', 'groups.id'], name=op.f('fk_exchanges_tenant_id_confidential_group_id_groups')),
    sa.ForeignKeyConstraint(['tenant_id', 'document_id'], ['documents.tenant_id', 'documents.id'], name=op.f('fk_exchanges_tenant_id_document_id_documents')),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_exchanges_tenant_id_event_id_events')),
    sa.ForeignKeyConstraint(['tenant_id', 'made_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_exchanges_tenant_id_made_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'mode_id'], ['choices.tenant_id', 'choices.id'], name=op.f('fk_exchanges_tenant_id_mode_id_choices')),
    sa.ForeignKeyConstraint(['tenant_id', 'object_id'], ['choices.tenant_id', 'choices.id'], name=op.f('fk_exchanges_tenant_id_object_id_choices')),
    sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['projects.tenant_id', 'projects.id'], name=op.f('fk_exchanges_tenant_id_project_id_projects')),
    sa.ForeignKeyConstraint(['tenant_id', 'task_id'], ['tasks.tenant_id', 'tasks.id'], name=op.f('fk_exchanges_tenant_id_task_id_tasks')),
    sa.ForeignKeyConstraint(['tenant_id', 'tiers_id'], ['tiers.tenant_id', 'tiers.id'], name=op.f('fk_exchanges_tenant_id_tiers_id_tiers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_exchanges_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchanges')),
    sa.UniqueConstraint('tenant_id', 'form_token', name=op.f('uq_exchanges_tenant_id_form_token')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_exchanges_tenant_id_id'))
    )
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.create_index('ix_exchanges_tenant_author_date', ['tenant_id', 'author_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_exchanges_tenant_date', ['tenant_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_exchanges_tenant_document', ['tenant_id', 'document_id'], unique=False)
        batch_op.create_index('ix_exchanges_tenant_made_by_date', ['tenant_id', 'made_by_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_exchanges_tenant_project', ['tenant_id', 'project_id'], unique=False)
        batch_op.create_index('ix_exchanges_tenant_status_date', ['tenant_id', 'status', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_exchanges_tenant_tiers_date', ['tenant_id', 'tiers_id', 'occurred_at', 'id'], unique=False)

    op.create_table('exchange_collaborators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'exchange_id'], ['exchanges.tenant_id', 'exchanges.id'], name=op.f('fk_exchange_collaborators_tenant_id_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['tenant_id', 'membership_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_exchange_collaborators_tenant_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_exchange_collaborators_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_collaborators')),
    sa.UniqueConstraint('tenant_id', 'exchange_id', 'membership_id', name=op.f('uq_exchange_collaborators_tenant_id_exchange_id_membership_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_exchange_collaborators_tenant_id_id'))
    )
    with op.batch_alter_table('exchange_collaborators', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_collaborators_member', ['tenant_id', 'membership_id', 'exchange_id'], unique=False)

    op.create_table('exchange_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'contact_id'], ['contacts.tenant_id', 'contacts.id'], name=op.f('fk_exchange_contacts_tenant_id_contact_id_contacts')),
    sa.ForeignKeyConstraint(['tenant_id', 'exchange_id'], ['exchanges.tenant_id', 'exchanges.id'], name=op.f('fk_exchange_contacts_tenant_id_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_exchange_contacts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_contacts')),
    sa.UniqueConstraint('tenant_id', 'exchange_id', 'contact_id', name=op.f('uq_exchange_contacts_tenant_id_exchange_id_contact_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_exchange_contacts_tenant_id_id'))
    )
    with op.batch_alter_table('exchange_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_contacts_contact', ['tenant_id', 'contact_id', 'exchange_id'], unique=False)

    op.create_table('exchange_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'exchange_id'], ['exchanges.tenant_id', 'exchanges.id'], name=op.f('fk_exchange_products_tenant_id_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_exchange_products_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_exchange_products_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_products')),
    sa.UniqueConstraint('tenant_id', 'exchange_id', 'product_id', name=op.f('uq_exchange_products_tenant_id_exchange_id_product_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_exchange_products_tenant_id_id'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_exchanges_search_trgm ON exchanges "
            "USING gin (tenant_id, search_text gin_trgm_ops)"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_exchanges_search_trgm")
    op.drop_table('exchange_products')
    with op.batch_alter_table('exchange_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_contacts_contact')

    op.drop_table('exchange_contacts')
    with op.batch_alter_table('exchange_collaborators', schema=None) as batch_op:
        batch_op.drop_index('ix_exchange_collaborators_member')

    op.drop_table('exchange_collaborators')
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.drop_index('ix_exchanges_tenant_tiers_date')
        batch_op.drop_index('ix_exchanges_tenant_status_date')
        batch_op.drop_index('ix_exchanges_tenant_project')
        batch_op.drop_index('ix_exchanges_tenant_made_by_date')
        batch_op.drop_index('ix_exchanges_tenant_document')
        batch_op.drop_index('ix_exchanges_tenant_date')
        batch_op.drop_index('ix_exchanges_tenant_author_date')

    op.drop_table('exchanges')
    op.drop_table('tenant_settings')
