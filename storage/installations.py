"""Workspaces that installed the bot (many-workspace mode) and forgetting one that left.

The tables are slack-sdk's own (``AsyncSQLAlchemyInstallationStore`` and
``AsyncSQLAlchemyOAuthStateStore`` read and write them), declared here on the bot's metadata
from slack-sdk's table builders so that the migrations create them like every other table.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import desc
from sqlmodel import SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clusters import Cluster
from storage.home import HomeViewer
from storage.jobs import Job

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"

installations = SQLAlchemyInstallationStore.build_installations_table(
    SQLModel.metadata, INSTALLATIONS_TABLE
)
bots = SQLAlchemyInstallationStore.build_bots_table(SQLModel.metadata, BOTS_TABLE)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    SQLModel.metadata, OAUTH_STATES_TABLE
)


async def bot_token(session: AsyncSession, *, client_id: str, team_id: str) -> str | None:
    """The newest bot token the workspace ``team_id`` gave this app, if it is installed."""
    result = await session.exec(
        select(bots.c.bot_token)
        .where(
            bots.c.client_id == client_id,
            bots.c.team_id == team_id,
            bots.c.bot_token.is_not(None),
        )
        .order_by(desc(bots.c.installed_at))
        .limit(1)
    )
    token = result.first()
    return str(token) if token else None


async def forget_workspace(session: AsyncSession, *, team_id: str) -> int:
    """Delete everything kept about the workspace's clusters (their meetings, polls, take-homes
    … go with them), its scheduled jobs and its Home tab visits; returns how many clusters."""
    clusters = await session.exec(delete(Cluster).where(col(Cluster.team_id) == team_id))
    await session.exec(delete(Job).where(col(Job.team_id) == team_id))
    await session.exec(delete(HomeViewer).where(col(HomeViewer.team_id) == team_id))
    return int(clusters.rowcount)
