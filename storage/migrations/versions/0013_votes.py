"""Votes in the order of the clicks: the click log; RSVPs and check-ins keep their click's time

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29

pollclick: every click on a poll option with Slack's action_ts (votes are derived from it).
rsvp.action_ts, checkin.action_ts: the time of the click an answer or check-in came from.
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pollclick',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voter', sa.String(length=64), nullable=False),
    sa.Column('action_ts', sa.String(length=24), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('subcluster_id', sa.Integer(), nullable=True),
    sa.Column('folded', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['polloption.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'voter', 'action_ts', 'option_id')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_ts', sa.String(length=24), server_default='', nullable=False))

    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_ts', sa.String(length=24), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.drop_column('action_ts')

    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('action_ts')

    op.drop_table('pollclick')
