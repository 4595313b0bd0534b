"""Take-home messages and follow-up (issue 7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

Reserved in the chain so features can be built side by side; filled in by the feature.
"""

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import storage.types  # noqa: F401

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
