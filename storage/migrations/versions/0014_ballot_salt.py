"""Anonymous polls keyed by a random salt of their own, erased at close

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

poll.ballot_salt: the HMAC key of an anonymous poll's voter keys (NULL once it is closed).

Anonymous polls made before this revision were keyed with the deployment's signing secret (or
KLYNGE_SECRET), which anyone holding the environment and a database copy could use to link
their ballots to members. So this revision
- gives every open anonymous poll a random salt of its own;
- replaces the voter key of every ballot of every anonymous poll, open or closed, with a random
  token (the same in its votes and clicks), so no secret links those ballots to anyone any more;
- seals the closed ones as a close does now: their click log is deleted and their ballots all
  get the poll's closing time.
The price, in polls open during the upgrade only: a member who had voted before cannot change or
withdraw that vote any more, and a click of theirs counts as a new ballot.
Downgrading drops the salts; the old keys cannot come back (that is the point).
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ballot_salt', sa.LargeBinary(length=32), nullable=True))

    bind = op.get_bind()
    polls = bind.execute(
        sa.text("SELECT id, status, closed_at FROM poll WHERE anonymous = :yes"), {"yes": True}
    ).all()
    for poll_id, status, closed_at in polls:
        if status == 'open':
            bind.execute(
                sa.text("UPDATE poll SET ballot_salt = :salt WHERE id = :id"),
                {"salt": secrets.token_bytes(32), "id": poll_id},
            )
        else:
            bind.execute(sa.text("DELETE FROM pollclick WHERE poll_id = :id"), {"id": poll_id})
            if closed_at is not None:
                bind.execute(
                    sa.text("UPDATE pollballot SET voted_at = :at WHERE poll_id = :id"),
                    {"at": closed_at, "id": poll_id},
                )
        keys = bind.execute(
            sa.text(
                "SELECT voter FROM pollballot WHERE poll_id = :id"
                " UNION SELECT voter FROM pollvote WHERE poll_id = :id"
                " UNION SELECT voter FROM pollclick WHERE poll_id = :id"
            ),
            {"id": poll_id},
        ).scalars().all()
        renamed = [{"id": poll_id, "old": key, "new": secrets.token_hex(32)} for key in keys]
        if not renamed:
            continue
        for table in ('pollballot', 'pollvote', 'pollclick'):
            bind.execute(
                sa.text(f"UPDATE {table} SET voter = :new WHERE poll_id = :id AND voter = :old"),
                renamed,
            )


def downgrade() -> None:
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_column('ballot_salt')
