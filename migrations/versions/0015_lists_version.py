"""A version of each company's lists, bumped by the database whenever they change.

Every list page, tiers tab and exchange form reads the company's contact modes, objects
and statuses and its members' names: two statements per page for lists that change a
few times a year. ``tenants.lists_version`` lets a web worker keep them between requests
(ct/session_cache.py): the tenant row, read by every request anyway, says whether what
the worker holds is still current.

The database bumps the version, so no write path can forget it: any change to the
choices; a member added, removed or given another user; a user's name changed (in every
company the user is a member of).

Revision ID: lists_version
Revises: elsewhere
Create Date: 2026-11-28 21:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'lists_version'
down_revision = 'elsewhere'
branch_labels = None
depends_on = None

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION bump_lists_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE tenants SET lists_version = lists_version + 1
      WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
      IF TG_OP = 'UPDATE' AND OLD.tenant_id IS DISTINCT FROM NEW.tenant_id THEN
        UPDATE tenants SET lists_version = lists_version + 1 WHERE id = OLD.tenant_id;
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER choices_lists_version AFTER INSERT OR UPDATE OR DELETE ON choices
    FOR EACH ROW EXECUTE FUNCTION bump_lists_version()
    """,
    # The members' names list holds former members too: only who is a member matters.
    """
    CREATE TRIGGER memberships_lists_version
    AFTER INSERT OR DELETE OR UPDATE OF user_id, tenant_id ON memberships
    FOR EACH ROW EXECUTE FUNCTION bump_lists_version()
    """,
    # A user belongs to no tenant: every company of theirs is bumped, which the
    # row-level security of memberships would hide but for the bound one; the policy is
    # lifted for this one statement and put back as it was.
    """
    CREATE OR REPLACE FUNCTION bump_lists_version_of_user() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      was text := COALESCE(current_setting('app.all_tenants', true), '');
    BEGIN
      PERFORM set_config('app.all_tenants', 'on', true);
      UPDATE tenants SET lists_version = lists_version + 1
      WHERE id IN (SELECT tenant_id FROM memberships WHERE user_id = NEW.id);
      PERFORM set_config('app.all_tenants', was, true);
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER users_lists_version AFTER UPDATE OF display_name ON users
    FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name)
    EXECUTE FUNCTION bump_lists_version_of_user()
    """,
]


def _sqlite_bump(*rows: str) -> str:
    tenants = ", ".join(f"{row}.tenant_id" for row in rows)
    return f"UPDATE tenants SET lists_version = lists_version + 1 WHERE id IN ({tenants});"


SQLITE = [
    f"CREATE TRIGGER choices_lists_version_insert AFTER INSERT ON choices "
    f"BEGIN {_sqlite_bump('NEW')} END",
    f"CREATE TRIGGER choices_lists_version_update AFTER UPDATE ON choices "
    f"BEGIN {_sqlite_bump('NEW', 'OLD')} END",
    f"CREATE TRIGGER choices_lists_version_delete AFTER DELETE ON choices "
    f"BEGIN {_sqlite_bump('OLD')} END",
    f"CREATE TRIGGER memberships_lists_version_insert AFTER INSERT ON memberships "
    f"BEGIN {_sqlite_bump('NEW')} END",
    f"CREATE TRIGGER memberships_lists_version_update AFTER UPDATE OF user_id, tenant_id "
    f"ON memberships BEGIN {_sqlite_bump('NEW', 'OLD')} END",
    f"CREATE TRIGGER memberships_lists_version_delete AFTER DELETE ON memberships "
    f"BEGIN {_sqlite_bump('OLD')} END",
    """
    CREATE TRIGGER users_lists_version AFTER UPDATE OF display_name ON users
    WHEN OLD.display_name IS NOT NEW.display_name BEGIN
      UPDATE tenants SET lists_version = lists_version + 1
      WHERE id IN (SELECT tenant_id FROM memberships WHERE user_id = NEW.id);
    END
    """,
]

TRIGGERS = [("choices", "choices_lists_version"), ("memberships", "memberships_lists_version"),
            ("users", "users_lists_version")]
SQLITE_TRIGGERS = [f"{name}_{event}" for _table, name in TRIGGERS[:2]
                   for event in ("insert", "update", "delete")] + ["users_lists_version"]
FUNCTIONS = ["bump_lists_version", "bump_lists_version_of_user"]


def upgrade():
    with op.batch_alter_table('tenants') as batch:
        batch.add_column(sa.Column('lists_version', sa.Integer(), nullable=False,
                                   server_default='0'))
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    with op.batch_alter_table('tenants') as batch:
        batch.drop_column('lists_version')
