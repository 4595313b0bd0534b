"""The meeting's fixed shape and follow-up that lands (babyklynger in charge)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29

Tables: clusteragenda (a cluster's default agenda), checkinquestion (its own check-in
questions), ritualuse (the check-in questions and energisers it used); takeaway gets
followup_again_sent_at (the second question, half a year on).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checkinquestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('added_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('added_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('clusteragenda',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('set_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('set_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id')
    )
    op.create_table('ritualuse',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('used_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('cluster_id', 'kind', 'key')
    )
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_again_sent_at', storage.types.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.drop_column('followup_again_sent_at')

    op.drop_table('ritualuse')
    op.drop_table('clusteragenda')
    op.drop_table('checkinquestion')
