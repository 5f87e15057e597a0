"""A trigram index on the company key of third parties, for the fuzzy duplicate check.

Creating a third party looks for names a letter or two apart ("Dupond Industries" beside
"Dupont Industries"): pg_trgm's "%" operator on name_key, which this index serves, so
the check reads a few rows of the company instead of all of them. PostgreSQL only;
SQLite compares names with the same similarity() in Python (ct/core/db_setup.py).

Revision ID: tiers_name_trgm
Revises: events_end
Create Date: 2026-12-07 04:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'tiers_name_trgm'
down_revision = 'events_end'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_tiers_name_trgm ON tiers "
               "USING gin (tenant_id, name_key gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_tiers_name_trgm")
