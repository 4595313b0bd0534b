"""What a take-home row is: a take-home, a decision or a staff instruction; the cluster's
attendance rule (issue 18)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attendancerule',
    sa.Column('cluster_id', sa.Integer(), nullable=False),
    sa.Column('required', sa.Integer(), nullable=False),
    sa.Column('out_of', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['cluster.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cluster_id')
    )
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'kind',
                sqlmodel.sql.sqltypes.AutoString(length=16),
                server_default='takeaway',
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('takeaway', schema=None) as batch_op:
        batch_op.drop_column('kind')
    op.drop_table('attendancerule')
