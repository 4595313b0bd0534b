"""Imports every table module so ``SQLModel.metadata`` knows the whole schema (for migrations)."""

from sqlmodel import SQLModel

from storage import breakouts, clusters, jobs, meetings, polls

metadata = SQLModel.metadata

__all__ = ["breakouts", "clusters", "jobs", "meetings", "metadata", "polls"]
