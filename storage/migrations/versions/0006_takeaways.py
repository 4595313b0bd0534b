"""Take-home messages and follow-up (issue 7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

Tables: takeaway, takeawaysettings (emoji, follow-up delay).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('takeawaysettings',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('emoji', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('followup_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id')
    )
    op.create_table('takeaway',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('group_number', sa.Integer(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('prompt', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('message_ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('followup_sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('followup_answer', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cluster_id', 'channel_id', 'message_ts', 'author_id', name='uq_takeaway_message')
    )
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.create_index('ix_takeaway_cluster_meeting', ['cluster_id', 'meeting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.drop_index('ix_takeaway_cluster_meeting')

    op.drop_table('takeaway')
    op.drop_table('takeawaysettings')
