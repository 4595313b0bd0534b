"""Imports every table module so ``SQLModel.metadata`` knows the whole schema (for migrations)."""

from sqlmodel import SQLModel

from storage import (
    breakouts,
    clusters,
    events,
    facilitators,
    home,
    jobs,
    meetings,
    polls,
    takeaways,
    votes,
)

metadata = SQLModel.metadata

__all__ = [
    "breakouts",
    "clusters",
    "events",
    "facilitators",
    "home",
    "jobs",
    "meetings",
    "metadata",
    "polls",
    "takeaways",
    "votes",
]
