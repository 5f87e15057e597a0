"""One statement to enter a company; its settings join the versioned lists.

Every page of a company needs the user, the company and the user's membership in it,
and must tell row-level security the company before reading any of its rows. That took
four statements (user, tenant, set_config, membership). ``ct_enter_tenant(user, slug)``
sets ``app.tenant_id`` to the company of ``slug`` and returns the user's active
membership in it, read under the policy it just set; when there is none it puts the
setting back to empty, so a refused request leaves no company behind. The page's one
statement joins it to the user and the company (ct/current.py).

The company's settings change as rarely as its lists and are read by every page: the
database now bumps ``tenants.lists_version`` when they change too, so a web worker keeps
them under the same rule (ct/session_cache.py).

Revision ID: enter_tenant
Revises: outbox_confidential
Create Date: 2026-12-07 00:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'enter_tenant'
down_revision = 'outbox_confidential'
branch_labels = None
depends_on = None

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION ct_enter_tenant(member_user integer, tenant_slug text)
    RETURNS SETOF memberships LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
      entered integer;
    BEGIN
      SELECT id INTO entered FROM tenants WHERE slug = tenant_slug;
      IF entered IS NULL THEN
        RETURN;
      END IF;
      PERFORM set_config('app.tenant_id', entered::text, true);
      RETURN QUERY SELECT * FROM memberships
        WHERE tenant_id = entered AND user_id = member_user AND active;
      IF NOT FOUND THEN
        PERFORM set_config('app.tenant_id', '', true);
      END IF;
    END $$
    """,
    """
    CREATE TRIGGER tenant_settings_lists_version AFTER INSERT OR UPDATE OR DELETE
    ON tenant_settings FOR EACH ROW EXECUTE FUNCTION bump_lists_version()
    """,
]


def _sqlite_bump(*rows: str) -> str:
    tenants = ", ".join(f"{row}.tenant_id" for row in rows)
    return f"UPDATE tenants SET lists_version = lists_version + 1 WHERE id IN ({tenants});"


SQLITE = [
    f"CREATE TRIGGER tenant_settings_lists_version_insert AFTER INSERT ON tenant_settings "
    f"BEGIN {_sqlite_bump('NEW')} END",
    f"CREATE TRIGGER tenant_settings_lists_version_update AFTER UPDATE ON tenant_settings "
    f"BEGIN {_sqlite_bump('NEW', 'OLD')} END",
    f"CREATE TRIGGER tenant_settings_lists_version_delete AFTER DELETE ON tenant_settings "
    f"BEGIN {_sqlite_bump('OLD')} END",
]


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL if postgresql else SQLITE:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tenant_settings_lists_version ON tenant_settings")
        op.execute("DROP FUNCTION IF EXISTS ct_enter_tenant(integer, text)")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS tenant_settings_lists_version_{event}")
