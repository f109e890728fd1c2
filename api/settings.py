"""Server settings, read once from ``ONCALL_*`` environment variables."""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.proxy import parse_trusted
from oncall.errors import OncallError
from oncall.services.feeds import FeedSettings
from oncall.storage import database_url

__all__ = ["PUBLIC_URL_PATTERN", "InvalidSettings", "Settings", "get_settings"]


# An address calendar apps can reach: http(s), a host, an optional path (ONCALL_PUBLIC_URL, --base-url).
PUBLIC_URL_PATTERN = r"^https?://[^\s/?#]+(/[^\s?#]*)?$"


def _solver_workers() -> int:
    # Every core: workers run at a lower priority (nice), so requests are still answered first.
    return max(1, os.cpu_count() or 1)


class Settings(BaseSettings):
    """Where the data lives and the bounds the server keeps."""

    model_config = SettingsConfigDict(env_prefix="ONCALL_", extra="ignore", allow_inf_nan=False)

    data_dir: Path = Field(Path("oncall-data"), description="Directory of the embedded SQLite database.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of the database, e.g. postgresql://user@host/db; default: SQLite."
    )
    max_request_bytes: int = Field(
        5 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024, description="Largest request body accepted."
    )
    max_solve_seconds: float = Field(600.0, gt=0, description="Longest time limit a solve may ask for.")
    default_solve_seconds: float = Field(60.0, gt=0, description="Time limit of a solve that names none.")
    max_parallel_solves: int = Field(1, ge=1, le=64, description="Solves run at the same time; others queue.")
    solver_workers: int = Field(default_factory=_solver_workers, ge=1, description="CP-SAT workers per solve.")
    job_poll_seconds: float = Field(0.5, gt=0, description="How often the job runner looks for work.")
    public_url: str | None = Field(
        None,
        pattern=PUBLIC_URL_PATTERN,
        description="Base URL calendar apps reach the server at, e.g. https://oncall.example.org; "
        "feed URLs are built on it (default: the scheme and host the request came to).",
    )
    forwarded_allow_ips: str = Field(
        "",
        description="Reverse proxies (IP addresses or networks, comma-separated, or *) whose X-Forwarded-Proto, "
        "-Host and -For headers are trusted; default: none.",
    )
    feed_refresh_minutes: int = Field(60, ge=5, le=1440, description="Feeds ask calendar apps to refresh this often.")
    feed_retention_days: int = Field(
        30, ge=0, le=366, description="A cancelled duty stays in its former holder's feed this long past its end."
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str) -> str:
        parse_trusted(value)
        return value

    def resolved_database_url(self) -> str:
        """The URL to connect to (SQLite in ``data_dir`` unless ``database_url`` is set)."""
        return database_url(self.database_url, self.data_dir)

    def feed_settings(self) -> FeedSettings:
        """How the calendar feeds are rendered."""
        return FeedSettings(
            refresh=dt.timedelta(minutes=self.feed_refresh_minutes),
            retention=dt.timedelta(days=self.feed_retention_days),
        )


class InvalidSettings(OncallError, ValueError):
    """An ``ONCALL_*`` variable holds a value the server cannot use; one line per variable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once; ``InvalidSettings`` names each bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = "ONCALL_" + str(err["loc"][0]).upper() if err["loc"] else "ONCALL_*"
            problems.append(f"{name}: {str(err['msg']).removeprefix('Value error, ')} (got {err.get('input')!r})")
        raise InvalidSettings(problems) from exc
