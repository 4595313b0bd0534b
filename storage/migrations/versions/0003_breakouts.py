"""Breakout rounds, sub-clusters and clinics (issue 4)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Reserved in the chain so features can be built side by side; filled in by the feature.
"""

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import storage.types  # noqa: F401

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
