"""The database: where it lives, how to connect, how to migrate, and one transaction at a time.

SQLite in a data directory is the embedded default; any SQLAlchemy URL may replace it (PostgreSQL with
psycopg is the supported server). Migrations are Alembic scripts shipped in ``oncall/migrations`` and
configured here in code, so no ``alembic.ini`` is needed at run time.
"""

from __future__ import annotations

import copy
import datetime as dt
import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, Engine, create_engine, event, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from oncall.errors import InvalidInput, StorageError
from oncall.model import first_control

__all__ = ["SQLITE_FILE", "Database", "UTCDateTime", "alembic_config", "database_url", "storage_failure", "stored_text"]

SQLITE_FILE = "oncall.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def database_url(url: str | None, data_dir: Path) -> str:
    """The URL to connect to: ``url`` when given, else SQLite in ``data_dir`` (created if missing).

    A bare ``postgresql://`` URL gets the psycopg driver, the one the ``postgres`` extra installs.

    >>> database_url("postgresql://u@h/db", Path("x"))
    'postgresql+psycopg://u@h/db'
    """
    if url:
        for bare in ("postgresql://", "postgres://"):
            if url.startswith(bare):
                return "postgresql+psycopg://" + url.removeprefix(bare)
        return url
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"ONCALL_DATA_DIR: cannot use {data_dir} as the data directory: {exc.strerror}") from exc
    return f"sqlite:///{(data_dir / SQLITE_FILE).resolve()}"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime; SQLite keeps no offset, so values are stored as naive UTC there."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the API read while a solve worker writes its progress; the busy timeout makes a writer
    # wait for another instead of failing at once; SQLite enforces foreign keys only when asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# What the database says when it cannot write: SQLite's result codes, PostgreSQL's SQLSTATEs, errno.
_DISK_FULL = ("SQLITE_FULL", "53100", errno.ENOSPC, errno.EDQUOT)
_READ_ONLY = ("SQLITE_READONLY", "25006", errno.EROFS)


def storage_failure(exc: BaseException) -> StorageError | None:
    """A clear ``StorageError`` for a database that cannot write (disk full, read-only data directory or
    database), or None when ``exc`` is something else. Each backend says it in its own codes."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    codes = {
        getattr(orig, "sqlite_errorname", None),
        getattr(orig, "sqlstate", None),
        getattr(orig, "errno", None),
    } - {None}
    if isinstance(orig, Exception):
        # SQLite names its extended codes (SQLITE_READONLY_DBMOVED, …) after the primary one.
        name = str(getattr(orig, "sqlite_errorname", "") or "")
        codes |= {code for code in (*_DISK_FULL, *_READ_ONLY) if isinstance(code, str) and name.startswith(code)}
    if codes & set(_DISK_FULL):
        return StorageError("disk full: the database cannot store more; free some space on the server", "disk_full")
    if codes & set(_READ_ONLY):
        return StorageError(
            "read-only: the database (or its data directory) cannot be written; check its permissions and mount",
            "read_only",
        )
    return None


def stored_text(field: str, value: str, limit: int = 200) -> str:
    """``value`` if the database can store it as a text: no control character (PostgreSQL refuses NUL),
    at most ``limit`` characters; ``InvalidInput`` naming ``field`` otherwise."""
    if len(value) > limit:
        raise InvalidInput(field, f"at most {limit} characters (got {len(value)})")
    bad = first_control(value)
    if bad is not None:
        raise InvalidInput(field, f"contains a control character (U+{ord(value[bad]):04X})")
    return value


_MIGRATION_LOCK = 0x6F6E63616C6C  # "oncall": the advisory lock that lets one process migrate at a time


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` pointing at the shipped migrations (no ini file)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Database:
    """An engine and a session factory for one database URL."""

    def __init__(self, url: str, *, pool: bool = True) -> None:
        self.url = url
        kwargs: dict[str, Any] = {}
        if not pool:
            kwargs["poolclass"] = NullPool
        self.engine: Engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.network_id: int | None = None

    def for_network(self, network_id: int) -> Database:
        """This database as network ``network_id`` sees it: the same engine, sessions that read and write
        that network's rows only (``oncall.storage.networks``)."""
        scoped = copy.copy(self)
        scoped.network_id = network_id
        scoped._sessions = sessionmaker(self.engine, expire_on_commit=False, info={"network_id": network_id})
        return scoped

    @property
    def dialect(self) -> str:
        """The backend's name: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creating it on an empty database)."""
        self._alembic("upgrade", "head")

    def downgrade(self, revision: str) -> None:
        """Take the schema back to ``revision`` (an operator's way back from a release; migrations that
        would lose data refuse)."""
        self._alembic("downgrade", revision)

    def _alembic(self, direction: str, revision: str) -> None:
        """Run Alembic's upgrade or downgrade to ``revision`` in one transaction. On SQLite, foreign keys
        are off for the run and checked once at its end: SQLite changes a column by copying its table, and
        a table that others refer to (scenarios) cannot be dropped with them enforced; the pragma works only
        outside a transaction, so it cannot be left to each migration."""
        cfg = alembic_config(self.url)
        sqlite = self.dialect == "sqlite"
        with self.engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    if self.dialect == "postgresql":
                        # Several API and worker processes may start at once on a new release: one migrates,
                        # the others wait here for its transaction (PostgreSQL's DDL is transactional), then
                        # find the schema at head and do nothing.
                        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                    cfg.attributes["connection"] = connection
                    getattr(command, direction)(cfg, revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all() if sqlite else []
                connection.commit()
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
        if broken:
            raise StorageError(f"the migrated database breaks {len(broken)} foreign key(s), e.g. {tuple(broken[0])}")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any exception; a database that
        cannot write (disk full, read-only) raises ``StorageError`` saying so."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (DBAPIError, OSError) as exc:
            failure = storage_failure(exc)
            if failure is None:
                raise
            raise failure from exc

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"
