"""Breakout rounds, sub-clusters and clinics (issue 4)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('memberclinic',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('clinic', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id', 'user_id')
    )
    op.create_table('subcluster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cluster_id', 'name', name='uq_subcluster_name')
    )
    op.create_table('breakoutround',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('message_ts', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_breakoutround_cluster_created', 'breakoutround', ['cluster_id', 'created_at'], unique=False)
    op.create_table('subclustermember',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('subcluster_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subcluster_id'], ['subcluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id', 'user_id')
    )
    op.create_table('breakoutseat',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('group_number', sa.Integer(), nullable=False),
    sa.Column('convener', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['breakoutround.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'user_id')
    )


def downgrade() -> None:
    op.drop_table('breakoutseat')
    op.drop_table('subclustermember')
    op.drop_index('ix_breakoutround_cluster_created', table_name='breakoutround')
    op.drop_table('breakoutround')
    op.drop_table('subcluster')
    op.drop_table('memberclinic')
