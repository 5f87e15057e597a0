"""Exchange links to a contact of another tiers, flagged and indexed, kept by triggers.

A tiers' history also shows the exchanges its contacts had with other tiers (a contact
that moved, a contact of a group company). Finding them meant reading every link of its
contacts and leaving out the tiers' own exchanges: 13,000 index entries for a big tiers,
twice per tab. ``exchange_contacts.elsewhere`` says "the contact's tiers is not the
exchange's"; a partial index holds only those few links.

The database keeps the flag, so no write path can forget it: on each new or changed
link, and when an exchange or a contact changes tiers. (A later migration that rebuilds
one of these tables on SQLite, in batch mode, must create its triggers again.)

Revision ID: elsewhere
Revises: counters
Create Date: 2026-11-28 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'elsewhere'
down_revision = 'counters'
branch_labels = None
depends_on = None

ELSEWHERE = sa.text("elsewhere")

# The flag of every link, from scratch (ids are unique per table on both databases).
BACKFILL = """
UPDATE exchange_contacts SET elsewhere = true
WHERE (SELECT tiers_id FROM contacts WHERE contacts.id = exchange_contacts.contact_id)
   <> (SELECT tiers_id FROM exchanges WHERE exchanges.id = exchange_contacts.exchange_id)
"""

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION exchange_contact_elsewhere() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.elsewhere := COALESCE((SELECT c.tiers_id <> e.tiers_id FROM contacts c, exchanges e
                                 WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.contact_id
                                   AND e.tenant_id = NEW.tenant_id AND e.id = NEW.exchange_id),
                                false);
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER exchange_contacts_elsewhere
    BEFORE INSERT OR UPDATE OF exchange_id, contact_id ON exchange_contacts
    FOR EACH ROW EXECUTE FUNCTION exchange_contact_elsewhere()
    """,
    """
    CREATE OR REPLACE FUNCTION exchange_tiers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE exchange_contacts ec
      SET elsewhere = COALESCE((SELECT c.tiers_id <> NEW.tiers_id FROM contacts c
                                WHERE c.tenant_id = NEW.tenant_id AND c.id = ec.contact_id),
                               false)
      WHERE ec.tenant_id = NEW.tenant_id AND ec.exchange_id = NEW.id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER exchanges_tiers_changed AFTER UPDATE OF tiers_id ON exchanges
    FOR EACH ROW WHEN (OLD.tiers_id IS DISTINCT FROM NEW.tiers_id)
    EXECUTE FUNCTION exchange_tiers_changed()
    """,
    """
    CREATE OR REPLACE FUNCTION contact_tiers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE exchange_contacts ec
      SET elsewhere = COALESCE((SELECT NEW.tiers_id <> e.tiers_id FROM exchanges e
                                WHERE e.tenant_id = NEW.tenant_id AND e.id = ec.exchange_id),
                               false)
      WHERE ec.tenant_id = NEW.tenant_id AND ec.contact_id = NEW.id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER contacts_tiers_changed AFTER UPDATE OF tiers_id ON contacts
    FOR EACH ROW WHEN (OLD.tiers_id IS DISTINCT FROM NEW.tiers_id)
    EXECUTE FUNCTION contact_tiers_changed()
    """,
]

SQLITE_LINK = """
UPDATE exchange_contacts
SET elsewhere = COALESCE((SELECT c.tiers_id <> e.tiers_id FROM contacts c, exchanges e
                          WHERE c.id = NEW.contact_id AND e.id = NEW.exchange_id), 0)
WHERE id = NEW.id;
"""

SQLITE = [
    f"CREATE TRIGGER exchange_contacts_elsewhere AFTER INSERT ON exchange_contacts "
    f"BEGIN {SQLITE_LINK} END",
    f"CREATE TRIGGER exchange_contacts_elsewhere_changed "
    f"AFTER UPDATE OF exchange_id, contact_id ON exchange_contacts BEGIN {SQLITE_LINK} END",
    """
    CREATE TRIGGER exchanges_tiers_changed AFTER UPDATE OF tiers_id ON exchanges BEGIN
      UPDATE exchange_contacts
      SET elsewhere = COALESCE((SELECT c.tiers_id <> NEW.tiers_id FROM contacts c
                                WHERE c.id = exchange_contacts.contact_id), 0)
      WHERE exchange_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER contacts_tiers_changed AFTER UPDATE OF tiers_id ON contacts BEGIN
      UPDATE exchange_contacts
      SET elsewhere = COALESCE((SELECT NEW.tiers_id <> e.tiers_id FROM exchanges e
                                WHERE e.id = exchange_contacts.exchange_id), 0)
      WHERE contact_id = NEW.id;
    END
    """,
]

TRIGGERS = [("exchange_contacts", "exchange_contacts_elsewhere"),
            ("exchange_contacts", "exchange_contacts_elsewhere_changed"),
            ("exchanges", "exchanges_tiers_changed"), ("contacts", "contacts_tiers_changed")]
FUNCTIONS = ["exchange_contact_elsewhere", "exchange_tiers_changed", "contact_tiers_changed"]


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table('exchange_contacts') as batch:
        batch.add_column(sa.Column('elsewhere', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    if postgresql:
        # Row-level security is forced on the owner too: the backfill sees every tenant.
        op.execute("SELECT set_config('app.all_tenants', 'on', true)")
    op.execute(BACKFILL)
    op.create_index('ix_exchange_contacts_elsewhere', 'exchange_contacts',
                    ['tenant_id', 'contact_id', 'exchange_id'],
                    postgresql_where=ELSEWHERE, sqlite_where=ELSEWHERE)
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, trigger in TRIGGERS:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    if postgresql:
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_index('ix_exchange_contacts_elsewhere', table_name='exchange_contacts')
    with op.batch_alter_table('exchange_contacts') as batch:
        batch.drop_column('elsewhere')
