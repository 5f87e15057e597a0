"""Home page: each member's choice of widgets and their order.

Revision ID: home
Revises: 0008
Create Date: 2026-11-28 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'home'
down_revision = 'trash'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('home_layout', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('home_layout')
