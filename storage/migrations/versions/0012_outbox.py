"""Messages posted for outcomes that must go out exactly once (poll results, minutes, the
closing post): retried until Slack takes them, never posted twice

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sentmessage',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('sentmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sentmessage_sent_at'), ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sentmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sentmessage_sent_at'))
    op.drop_table('sentmessage')
