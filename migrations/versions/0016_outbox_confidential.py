"""Who may read an email holding a confidential comment.

An exchange notification sent to a reader of the confidential comment carries it in its
body. The email log shows bodies to administrators, who may not be that comment's
readers: the row now keeps the comment's audience when it was written (its author and
the group it was shared with), and the log shows the body only to that audience.

Revision ID: outbox_confidential
Revises: lists_version
Create Date: 2026-12-06 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'outbox_confidential'
down_revision = 'lists_version'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_emails') as batch:
        batch.add_column(sa.Column('confidential_author_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('confidential_group_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_emails') as batch:
        batch.drop_column('confidential_group_id')
        batch.drop_column('confidential_author_id')
