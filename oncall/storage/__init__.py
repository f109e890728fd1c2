"""Persistence: SQLAlchemy tables, Alembic migrations and the repository the API and the CLI use.

``Store.open(database_url(None, Path("oncall-data")))`` opens (creating and migrating) the embedded
SQLite database; ``Store.open("postgresql://…")`` a PostgreSQL one.
"""

from oncall.storage.database import Database, alembic_config, database_url
from oncall.storage.keys import KEY_ROLES, KeyRole
from oncall.storage.repository import (
    JOB_STATES,
    TERMINAL_STATES,
    EntryKind,
    JobRecord,
    JobState,
    KeyRecord,
    RevisionRecord,
    ScenarioRecord,
    Store,
)

__all__ = [
    "JOB_STATES",
    "KEY_ROLES",
    "TERMINAL_STATES",
    "Database",
    "EntryKind",
    "JobRecord",
    "JobState",
    "KeyRecord",
    "KeyRole",
    "RevisionRecord",
    "ScenarioRecord",
    "Store",
    "alembic_config",
    "database_url",
]
