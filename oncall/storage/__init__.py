"""Persistence: SQLAlchemy tables, Alembic migrations, one store per entity, and the repository that joins
the core ones (``Store``) for the services. Stores read and write; they hold no business rule.

``Store.open(database_url(None, Path("oncall-data")))`` opens (creating and migrating) the embedded
SQLite database; ``Store.open("postgresql://…")`` a PostgreSQL one.
"""

from oncall.storage.apikeys import KeyStore
from oncall.storage.database import Database, alembic_config, database_url
from oncall.storage.jobs import JobStore
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
from oncall.storage.revisions import RevisionStore
from oncall.storage.scenarios import ScenarioStore

__all__ = [
    "JOB_STATES",
    "KEY_ROLES",
    "TERMINAL_STATES",
    "Database",
    "EntryKind",
    "JobRecord",
    "JobState",
    "JobStore",
    "KeyRecord",
    "KeyRole",
    "KeyStore",
    "RevisionRecord",
    "RevisionStore",
    "ScenarioRecord",
    "ScenarioStore",
    "Store",
    "alembic_config",
    "database_url",
]
