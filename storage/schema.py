"""Imports every table module so ``SQLModel.metadata`` knows the whole schema (for migrations)."""

from sqlmodel import SQLModel

from storage import (
    attendance,
    breakouts,
    clusters,
    events,
    facilitators,
    home,
    installations,
    jobs,
    meetings,
    outbox,
    people,
    polls,
    shape,
    takeaways,
    votes,
    year,
)

metadata = SQLModel.metadata

__all__ = [
    "attendance",
    "breakouts",
    "clusters",
    "events",
    "facilitators",
    "home",
    "installations",
    "jobs",
    "meetings",
    "metadata",
    "outbox",
    "people",
    "polls",
    "shape",
    "takeaways",
    "votes",
    "year",
]
