"""The year (årshjul): a cluster's theme for each calendar year

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29

Table: yeartheme (cluster, year, the theme's text, when it was set). Meetings belong to the
theme of the year they are held in; no link is stored.
"""

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('yeartheme',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('set_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id', 'year')
    )


def downgrade() -> None:
    op.drop_table('yeartheme')
