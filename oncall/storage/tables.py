"""The stored state: API keys, scenarios and their versions, solve jobs, roster revisions, publications.

Nothing is updated in place that a reader could need later: every scenario version and every roster
revision is kept; a scenario row only points at its newest version and at its published revision.
Documents (scenario, roster) are stored as the exact JSON text, so what was published is returned
byte for byte.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import Date, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from oncall.storage.database import UTCDateTime

__all__ = [
    "ApiKeyRow",
    "AuditRow",
    "Base",
    "CollectionDeadlineRow",
    "FeedTokenRow",
    "ImportPreviewRow",
    "JobRow",
    "NetworkRow",
    "PersonalLinkRow",
    "PublicationRow",
    "RepairRow",
    "RevisionRow",
    "ScenarioLinkRow",
    "ScenarioRow",
    "ScenarioVersionRow",
    "StaffUserRow",
    "SwapRow",
    "WebSessionRow",
]

# Named constraints, so that later migrations can address them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the naming convention and aware UTC timestamps."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, dt.date: Date, float: Float}


class NetworkRow(Base):
    """A network (tenant): one home-care network, whose scenarios, keys, accounts and links are its own.

    Everything else belongs to exactly one network: scenarios, API keys, office accounts, personal links,
    feed subscriptions and audit entries by a ``network_id`` column; versions, jobs, revisions,
    publications, repairs, swaps, links and deadlines through their scenario (migration v0005).
    """

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]


def _network() -> Mapped[int]:
    return mapped_column(ForeignKey("networks.id"), index=True)


class ApiKeyRow(Base):
    """An API key: only the sha256 of the token is kept; the prefix identifies it in listings."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = _network()
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class ScenarioRow(Base):
    """A network over one period; ``version`` is its newest document, bumped by every change."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = _network()
    name: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    version: Mapped[int] = mapped_column(Integer)
    # The published roster of the period; a foreign key added after `revisions` exists (a cycle).
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, name="fk_scenarios_published_revision_id_revisions")
    )
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class ScenarioVersionRow(Base):
    """One version of a scenario document, as normalised JSON."""

    __tablename__ = "scenario_versions"

    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class JobRow(Base):
    """A solve of one scenario version: queued, running, then succeeded, failed or cancelled."""

    __tablename__ = "solve_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    scenario_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), index=True)
    time_limit: Mapped[float]
    seed: Mapped[int] = mapped_column(Integer)
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    progress_seconds: Mapped[float | None]
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    workers: Mapped[int | None] = mapped_column(Integer)  # CP-SAT workers asked for; None: the runner's
    deterministic_time: Mapped[float | None]  # stop after this much deterministic work (reproducible)
    worker: Mapped[str | None] = mapped_column(String(200))  # the worker that claimed the job (host:pid)
    heartbeat_at: Mapped[dt.datetime | None]  # the claiming worker's last sign of life


class RevisionRow(Base):
    """A roster produced by one solve: a draft until published, and kept for ever."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    scenario_version: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("solve_jobs.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gaps: Mapped[int] = mapped_column(Integer)
    violations: Mapped[int] = mapped_column(Integer)
    roster: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class PublicationRow(Base):
    """One act of publishing: which revision replaced which, when, and by whose key."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    previous_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    published_at: Mapped[dt.datetime]


class FeedTokenRow(Base):
    """A calendar feed subscription: whose duties it shows, how, and the hash of its secret URL token."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = _network()
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str | None] = mapped_column(String(64))
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenarios.id"))
    lang: Mapped[str] = mapped_column(String(2))
    alarm_minutes: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    created_at: Mapped[dt.datetime]
    rotated_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]


# --- re-planning: audit log, links between periods, repairs, swaps (migration v0003) ------------------


class AuditRow(Base):
    """One recorded change: who (an API key, the CLI, the system), when, what, and why.

    Written in the transaction of the change it describes, so a change is never without its entry and an
    entry never without its change. ``kind`` is the first part of ``action`` (``scenario.update`` → scenario).
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = _network()
    at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    action: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(String(64))
    scenario_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)


class ScenarioLinkRow(Base):
    """The scenario of the previous period: its published roster carries over (oncall.boundary)."""

    __tablename__ = "scenario_links"

    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), primary_key=True)
    previous_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    updated_at: Mapped[dt.datetime]


class RepairRow(Base):
    """A minimal-change repair of a published revision after changes; run as a solve job."""

    __tablename__ = "repairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("solve_jobs.id"), unique=True)
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    scenario_version: Mapped[int] = mapped_column(Integer)
    freeze_at: Mapped[dt.datetime]
    changes: Mapped[str] = mapped_column(Text)  # the changes as applied, JSON
    notes: Mapped[str] = mapped_column(Text)  # JSON list of strings
    reason: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)  # oncall.replan.ReplanSummary JSON, once done
    created_at: Mapped[dt.datetime]


class SwapRow(Base):
    """A proposed give-away or swap of duties: proposed, then approved, refused or withdrawn; approved ones
    become a draft revision and may be undone by another."""

    __tablename__ = "swaps"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    proposal: Mapped[str] = mapped_column(Text)  # oncall.swaps.Proposal JSON
    requested_by: Mapped[str | None] = mapped_column(String(64))  # the physician on whose behalf
    reason: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[dt.datetime]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    undo_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))


# --- the web pages: staff accounts, browser sessions, personal links, deadlines (migration v0004) -------


class StaffUserRow(Base):
    """An office account of the web pages: only the argon2 hash of its password is kept."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = _network()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    disabled_at: Mapped[dt.datetime | None]


class PersonalLinkRow(Base):
    """A physician's or hospital's personal page link: the sha256 of its secret token, and whose it is."""

    __tablename__ = "personal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = _network()
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # physician | hospital
    subject: Mapped[str] = mapped_column(String(64))  # the physician's or hospital's id
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    rotated_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class WebSessionRow(Base):
    """A signed-in browser: the sha256 of its cookie, its CSRF token, and a staff account or a personal link."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("personal_links.id"), index=True)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]


class CollectionDeadlineRow(Base):
    """Until when physicians may enter their absences and wishes for a scenario on their own pages."""

    __tablename__ = "collection_deadlines"

    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), primary_key=True)
    deadline: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


# --- many API processes on one database: import previews awaiting apply (migration v0005) -------------


class ImportPreviewRow(Base):
    """A clean spreadsheet import preview awaiting apply: the file itself, read again on apply against
    the version previewed, so that any API process can apply what another previewed."""

    __tablename__ = "import_previews"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(index=True)
