"""Third parties and their records: tiers, contacts, documents, products, projects,
tasks and agenda events.

On PostgreSQL, search as you type uses trigram indexes (pg_trgm) on the folded
search_text column, with the tenant in the same GIN index (btree_gin).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 07:42:00.503974

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('price', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_products_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_products_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'reference', name=op.f('uq_products_tenant_id_reference'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_tenant_label', ['tenant_id', 'label'], unique=False)

    op.create_table('tiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_prospect', sa.Boolean(), nullable=False),
    sa.Column('is_customer', sa.Boolean(), nullable=False),
    sa.Column('is_supplier', sa.Boolean(), nullable=False),
    sa.Column('customer_code', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('website', sa.String(length=255), nullable=True),
    sa.Column('street', sa.String(length=255), nullable=True),
    sa.Column('postcode', sa.String(length=20), nullable=True),
    sa.Column('town', sa.String(length=120), nullable=True),
    sa.Column('country', sa.String(length=80), nullable=True),
    sa.Column('sales_rep_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('sort_key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('name_key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_tiers_tenant_id_created_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'sales_rep_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_tiers_tenant_id_sales_rep_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tiers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tiers')),
    sa.UniqueConstraint('tenant_id', 'customer_code', name=op.f('uq_tiers_tenant_id_customer_code')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_tiers_tenant_id_id'))
    )
    with op.batch_alter_table('tiers', schema=None) as batch_op:
        batch_op.create_index('ix_tiers_tenant_email', ['tenant_id', 'email'], unique=False)
        batch_op.create_index('ix_tiers_tenant_name_key', ['tenant_id', 'name_key'], unique=False)
        batch_op.create_index('ix_tiers_tenant_sales_rep', ['tenant_id', 'sales_rep_id'], unique=False)
        batch_op.create_index('ix_tiers_tenant_sort', ['tenant_id', 'sort_key', 'id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=True),
    sa.Column('job_title', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('mobile', sa.String(length=40), nullable=True),
    sa.Column('tiers_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('sort_key', sa.String(length=201).with_variant(sa.String(length=201, collation='C'), 'postgresql'), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_contacts_tenant_id_created_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'tiers_id'], ['tiers.tenant_id', 'tiers.id'], name=op.f('fk_contacts_tenant_id_tiers_id_tiers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_contacts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_contacts_tenant_id_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_tenant_sort', ['tenant_id', 'sort_key', 'id'], unique=False)
        batch_op.create_index('ix_contacts_tenant_tiers', ['tenant_id', 'tiers_id', 'sort_key'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('tiers_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_documents_tenant_id_created_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'kind_id'], ['choices.tenant_id', 'choices.id'], name=op.f('fk_documents_tenant_id_kind_id_choices')),
    sa.ForeignKeyConstraint(['tenant_id', 'tiers_id'], ['tiers.tenant_id', 'tiers.id'], name=op.f('fk_documents_tenant_id_tiers_id_tiers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_documents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_documents_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'kind_id', 'reference', name=op.f('uq_documents_tenant_id_kind_id_reference'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_tenant_date', ['tenant_id', 'date', 'id'], unique=False)
        batch_op.create_index('ix_documents_tenant_tiers', ['tenant_id', 'tiers_id', 'date'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('tiers_id', sa.Integer(), nullable=True),
    sa.Column('reminder_minutes', sa.Integer(), nullable=True),
    sa.Column('reminder_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_events_tenant_id_created_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'tiers_id'], ['tiers.tenant_id', 'tiers.id'], name=op.f('fk_events_tenant_id_tiers_id_tiers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_events_tenant_id_id'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_reminder_due', ['reminder_sent_at', 'reminder_at'], unique=False)
        batch_op.create_index('ix_events_tenant_start', ['tenant_id', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_events_tenant_tiers', ['tenant_id', 'tiers_id', 'starts_at'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tiers_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_projects_tenant_id_created_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'tiers_id'], ['tiers.tenant_id', 'tiers.id'], name=op.f('fk_projects_tenant_id_tiers_id_tiers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_projects_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_projects_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'reference', name=op.f('uq_projects_tenant_id_reference'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index('ix_projects_tenant_status', ['tenant_id', 'status', 'reference'], unique=False)
        batch_op.create_index('ix_projects_tenant_tiers', ['tenant_id', 'tiers_id'], unique=False)

    op.create_table('event_assignees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_assignees_tenant_id_event_id_events')),
    sa.ForeignKeyConstraint(['tenant_id', 'membership_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_event_assignees_tenant_id_membership_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_assignees_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_assignees')),
    sa.UniqueConstraint('tenant_id', 'event_id', 'membership_id', name=op.f('uq_event_assignees_tenant_id_event_id_membership_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_assignees_tenant_id_id'))
    )
    with op.batch_alter_table('event_assignees', schema=None) as batch_op:
        batch_op.create_index('ix_event_assignees_member', ['tenant_id', 'membership_id'], unique=False)

    op.create_table('event_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'contact_id'], ['contacts.tenant_id', 'contacts.id'], name=op.f('fk_event_contacts_tenant_id_contact_id_contacts')),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['events.tenant_id', 'events.id'], name=op.f('fk_event_contacts_tenant_id_event_id_events')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_event_contacts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_contacts')),
    sa.UniqueConstraint('tenant_id', 'event_id', 'contact_id', name=op.f('uq_event_contacts_tenant_id_event_id_contact_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_event_contacts_tenant_id_id'))
    )
    with op.batch_alter_table('event_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_event_contacts_contact', ['tenant_id', 'contact_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assignee_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_tasks_tenant_id_assignee_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'created_by_id'], ['memberships.tenant_id', 'memberships.id'], name=op.f('fk_tasks_tenant_id_created_by_id_memberships')),
    sa.ForeignKeyConstraint(['tenant_id', 'project_id'], ['projects.tenant_id', 'projects.id'], name=op.f('fk_tasks_tenant_id_project_id_projects')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tasks_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_tasks_tenant_id_id'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_tenant_assignee_due', ['tenant_id', 'assignee_id', 'done', 'due_date'], unique=False)
        batch_op.create_index('ix_tasks_tenant_project', ['tenant_id', 'project_id'], unique=False)
    _search_indexes_up()
    _seed_document_kinds()


SEARCHABLE = ("tiers", "contacts")


def _search_indexes_up():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite (first run, tests) scans; fine at that size
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for table in SEARCHABLE:
        op.execute(
            f"CREATE INDEX ix_{table}_search_trgm ON {table} "
            f"USING gin (tenant_id, search_text gin_trgm_ops)"
        )


def _seed_document_kinds():
    """Companies created before documents existed get the default kinds too."""
    kinds = [
        ("quote", "Devis", "Quote"),
        ("order", "Commande", "Order"),
        ("invoice", "Facture", "Invoice"),
        ("contract", "Contrat", "Contract"),
        ("intervention", "Intervention", "Intervention"),
    ]
    bind = op.get_bind()
    tenant_ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM tenants"))]
    for tenant_id in tenant_ids:
        for position, (code, label, label_en) in enumerate(kinds):
            bind.execute(
                sa.text(
                    "INSERT INTO choices (tenant_id, kind, code, label, label_en, position, active) "
                    "VALUES (:t, 'document', :code, :label, :label_en, :pos, :active)"
                ),
                {"t": tenant_id, "code": code, "label": label, "label_en": label_en,
                 "pos": position, "active": True},
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in SEARCHABLE:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trgm")
    op.execute("DELETE FROM choices WHERE kind = 'document'")
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_tenant_project')
        batch_op.drop_index('ix_tasks_tenant_assignee_due')

    op.drop_table('tasks')
    with op.batch_alter_table('event_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_event_contacts_contact')

    op.drop_table('event_contacts')
    with op.batch_alter_table('event_assignees', schema=None) as batch_op:
        batch_op.drop_index('ix_event_assignees_member')

    op.drop_table('event_assignees')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index('ix_projects_tenant_tiers')
        batch_op.drop_index('ix_projects_tenant_status')

    op.drop_table('projects')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_tenant_tiers')
        batch_op.drop_index('ix_events_tenant_start')
        batch_op.drop_index('ix_events_reminder_due')

    op.drop_table('events')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_tenant_tiers')
        batch_op.drop_index('ix_documents_tenant_date')

    op.drop_table('documents')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_tenant_tiers')
        batch_op.drop_index('ix_contacts_tenant_sort')

    op.drop_table('contacts')
    with op.batch_alter_table('tiers', schema=None) as batch_op:
        batch_op.drop_index('ix_tiers_tenant_sort')
        batch_op.drop_index('ix_tiers_tenant_sales_rep')
        batch_op.drop_index('ix_tiers_tenant_name_key')
        batch_op.drop_index('ix_tiers_tenant_email')

    op.drop_table('tiers')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_tenant_label')

    op.drop_table('products')
