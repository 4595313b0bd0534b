"""Imports every table module so ``SQLModel.metadata`` knows the whole schema (for migrations)."""

from sqlmodel import SQLModel

from storage import breakouts, clusters, facilitators, jobs, meetings

metadata = SQLModel.metadata

__all__ = ["breakouts", "clusters", "facilitators", "jobs", "meetings", "metadata"]
