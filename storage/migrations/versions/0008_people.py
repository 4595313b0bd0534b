"""Whether each Slack user is a person, checked about once a month (Slack as it really is)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('userkind',
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('is_person', sa.Boolean(), nullable=False),
    sa.Column('checked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('userkind', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_userkind_checked_at'), ['checked_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('userkind', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_userkind_checked_at'))
    op.drop_table('userkind')
