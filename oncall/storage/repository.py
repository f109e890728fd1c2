"""The repository: every store of the oncall database behind one object, each method one transaction.

Each entity has its store (``apikeys``, ``scenarios``, ``jobs``, ``revisions``; ``links``, ``repairs``,
``swaps``, ``feeds``, ``web``, ``audit``); :class:`Store` joins the first four for the adapters and services
that use several. Callers get frozen records, never ORM rows. Concurrent writers are settled by
compare-and-set updates (``UPDATE … WHERE version = :seen``): a write based on a stale read changes no row and
raises :class:`~oncall.errors.Conflict`; nothing is locked while a person reviews a roster. Stores hold no
business rule: the services (``oncall.services``) decide, inside one transaction when they must.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from oncall.errors import StorageError
from oncall.storage.apikeys import KeyRecord, KeyStore
from oncall.storage.base import _changed, _now
from oncall.storage.database import Database
from oncall.storage.jobs import JOB_STATES, TERMINAL_STATES, JobRecord, JobState, JobStore
from oncall.storage.revisions import RevisionRecord, RevisionStore, revision_row
from oncall.storage.scenarios import EntryKind, ScenarioRecord, ScenarioStore

__all__ = [
    "JOB_STATES",
    "TERMINAL_STATES",
    "EntryKind",
    "JobRecord",
    "JobState",
    "KeyRecord",
    "RevisionRecord",
    "ScenarioRecord",
    "Store",
    "_changed",
    "_now",
    "revision_row",
]


class Store(KeyStore, ScenarioStore, JobStore, RevisionStore):
    """Reads and writes of the oncall database."""

    @classmethod
    def open(cls, url: str) -> Store:
        """A store on ``url``, its schema migrated to the newest version; StorageError when that fails."""
        try:
            db = Database(url)
            db.migrate()
        except (SQLAlchemyError, OSError) as exc:
            raise StorageError(f"cannot open the database: {' '.join(str(exc).split())[:300]}") from exc
        except ImportError as exc:  # a URL naming a driver that is not installed (postgresql+psycopg2://…)
            raise StorageError(f"cannot open the database: its driver is not installed ({exc})") from exc
        return cls(db)
