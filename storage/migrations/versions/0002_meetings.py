"""Meetings, reminders, RSVPs and check-ins (issue 3)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cluster', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_defaults', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('starts_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('zoom_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('topic', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('agenda', sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=True),
    sa.Column('preparation', sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=True),
    sa.Column('reminders', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('facilitator_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('facilitator_subcluster_id', sa.Integer(), nullable=True),
    sa.Column('note_taker_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('agenda_ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_cluster_starts', ['cluster_id', 'starts_at'], unique=False)
        batch_op.create_index(
            'uq_meeting_one_running', ['cluster_id'], unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        )

    op.create_table('checkin',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('checked_in_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id')
    )
    op.create_table('rsvp',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('attending', sa.Boolean(), nullable=False),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id')
    )


def downgrade() -> None:
    op.drop_table('rsvp')
    op.drop_table('checkin')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_one_running')
        batch_op.drop_index('ix_meeting_cluster_starts')

    op.drop_table('meeting')
    with op.batch_alter_table('cluster', schema=None) as batch_op:
        batch_op.drop_column('reminder_defaults')
