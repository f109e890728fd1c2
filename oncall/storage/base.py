"""What every store shares: the database it works on, the clock, the compare-and-set count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CursorResult

from oncall.storage.database import Database

__all__ = ["Table"]


class Table:
    """A store of one entity on a database: reads and writes, no business rule."""

    def __init__(self, db: Database) -> None:
        self.db = db


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _changed(result: Any) -> int:
    """Rows an UPDATE changed (SQLAlchemy types ``execute`` as a plain Result)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def _label(name: str) -> str:
    # The listing column is a label; PostgreSQL text refuses NUL, which JSON may carry as \u0000.
    return name.replace("\x00", "\ufffd")[:200]
