"""Captured emails logged with some of their people: the exchange made for each third
party (so an address classified later joins it), and the "partial" status.

Revision ID: capture_partial
Revises: attachments
Create Date: 2026-12-07 12:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'capture_partial'
down_revision = 'attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('inbound_emails', sa.Column('logged', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('inbound_emails', 'logged')
