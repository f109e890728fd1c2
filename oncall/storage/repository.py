"""The repository: every read and write of the stored state, each method one transaction.

Callers get frozen records, never ORM rows, so nothing outside this module touches a session.
Concurrent writers are settled by compare-and-set updates (``UPDATE … WHERE version = :seen``): a write
based on a stale read changes no row and raises :class:`~oncall.errors.Conflict`; nothing is locked
while a person reviews a roster.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy import CursorResult, Select, func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from oncall.errors import Conflict, NotFound, StorageError
from oncall.io import parse_scenario
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.storage.audit import Actor, first_actor, record
from oncall.storage.database import Database, stored_text
from oncall.storage.keys import KeyRole, hash_token, new_token, token_matches, token_prefix
from oncall.storage.tables import ApiKeyRow, JobRow, PublicationRow, RevisionRow, ScenarioRow, ScenarioVersionRow

# The advisory lock (PostgreSQL) under which one publication at a time checks for clashes with others.
_PUBLISH_LOCK = 0x6F6E63616C6C

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
    "revision_row",
]

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
JOB_STATES: tuple[JobState, ...] = ("queued", "running", "succeeded", "failed", "cancelled")
TERMINAL_STATES: tuple[JobState, ...] = ("succeeded", "failed", "cancelled")
EntryKind = Literal["absences", "wishes", "unwishes"]
_T = TypeVar("_T")
# An unversioned edit re-applies itself this often when another writer got in between, after a short random
# pause that grows with each try (eight clerks adding absences at the same moment must all succeed).
_EDIT_TRIES = 20


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class KeyRecord:
    """An API key as listed: never the token."""

    id: int
    prefix: str
    role: KeyRole
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class ScenarioRecord:
    """A stored scenario without its document."""

    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    version: int
    published_revision_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class JobRecord:
    """A solve job and its last reported progress."""

    id: int
    scenario_id: int
    scenario_version: int
    state: JobState
    time_limit: float
    seed: int
    objective: float | None
    bound: float | None
    progress_seconds: float | None
    message: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    revision_id: int | None

    def elapsed(self, now: dt.datetime | None = None) -> float | None:
        """Seconds since the job started, up to its end; None while queued."""
        if self.started_at is None:
            return None
        end = self.finished_at or now or _now()
        return max(0.0, (end - self.started_at).total_seconds())


@dataclass(frozen=True)
class RevisionRecord:
    """A roster revision without its roster; ``published`` when it is its scenario's current roster."""

    id: int
    scenario_id: int
    scenario_version: int
    job_id: int | None
    status: str
    objective: float | None
    bound: float | None
    gaps: int
    violations: int
    created_at: dt.datetime
    published: bool
    published_at: dt.datetime | None  # when it was last made the current roster


def _key(row: ApiKeyRow) -> KeyRecord:
    role: KeyRole = "staff" if row.role == "staff" else "hospital"
    return KeyRecord(row.id, row.prefix, role, row.name, row.created_at, row.revoked_at)


def _scenario(row: ScenarioRow) -> ScenarioRecord:
    return ScenarioRecord(
        row.id,
        row.name,
        row.period_start,
        row.period_end,
        row.version,
        row.published_revision_id,
        row.created_at,
        row.updated_at,
    )


def _job(row: JobRow, revision_id: int | None) -> JobRecord:
    state: JobState = next(s for s in JOB_STATES if s == row.state)
    return JobRecord(
        row.id,
        row.scenario_id,
        row.scenario_version,
        state,
        row.time_limit,
        row.seed,
        row.objective,
        row.bound,
        row.progress_seconds,
        row.message,
        row.created_at,
        row.started_at,
        row.finished_at,
        revision_id,
    )


def _jobs_query() -> Select[JobRow, int]:
    return select(JobRow, RevisionRow.id).outerjoin(RevisionRow, RevisionRow.job_id == JobRow.id)


def _revisions_query() -> Select[RevisionRow, int | None, dt.datetime]:
    last_published = (
        select(func.max(PublicationRow.published_at))
        .where(PublicationRow.revision_id == RevisionRow.id)
        .scalar_subquery()
    )
    return select(RevisionRow, ScenarioRow.published_revision_id, last_published).join(
        ScenarioRow, ScenarioRow.id == RevisionRow.scenario_id
    )


def _revision(row: RevisionRow, published_id: int | None, published_at: dt.datetime | None) -> RevisionRecord:
    return RevisionRecord(
        row.id,
        row.scenario_id,
        row.scenario_version,
        row.job_id,
        row.status,
        row.objective,
        row.bound,
        row.gaps,
        row.violations,
        row.created_at,
        published_id == row.id,
        published_at,
    )


def revision_row(
    scenario_id: int,
    version: int,
    roster: Roster,
    violations: int,
    *,
    job_id: int | None = None,
    priced: bool = True,
    created_at: dt.datetime | None = None,
) -> RevisionRow:
    """A new revision row for ``roster``; ``priced`` False drops the solve's objective and bound (an edited
    roster is no longer the roster they were measured on)."""
    return RevisionRow(
        scenario_id=scenario_id,
        scenario_version=version,
        job_id=job_id,
        status=roster.status,
        objective=roster.objective if priced else None,
        bound=roster.bound if priced else None,
        gaps=len(roster.gaps),
        violations=violations,
        roster=roster.to_json(),
        created_at=created_at or _now(),
    )


def _changed(result: Any) -> int:
    """Rows an UPDATE changed (SQLAlchemy types ``execute`` as a plain Result)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


def _label(name: str) -> str:
    # The listing column is a label; PostgreSQL text refuses NUL, which JSON may carry as \u0000.
    return name.replace("\x00", "\ufffd")[:200]


class Store:
    """Reads and writes of the oncall database."""

    def __init__(self, db: Database) -> None:
        self.db = db

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

    # --- API keys -------------------------------------------------------------------------------

    def create_key(self, role: KeyRole, name: str = "", actor: Actor | None = None) -> tuple[KeyRecord, str]:
        """A new key and its token; the token is not stored and cannot be shown again."""
        name = stored_text("name", name)
        prefix, token = new_token()
        with self.db.transaction() as s:
            row = ApiKeyRow(prefix=prefix, token_hash=hash_token(token), role=role, name=name, created_at=_now())
            s.add(row)
            s.flush()
            record(s, actor, "api_key.create", prefix, {"role": role, "name": name})
            return _key(row), token

    def authenticate(self, token: str) -> KeyRecord | None:
        """The live key a bearer token belongs to, or None."""
        prefix = token_prefix(token)
        if prefix is None:
            return None
        with self.db.transaction() as s:
            row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
            if row is None or row.revoked_at is not None or not token_matches(token, row.token_hash):
                return None
            return _key(row)

    def list_keys(self) -> list[KeyRecord]:
        """Every key, oldest first."""
        with self.db.transaction() as s:
            return [_key(r) for r in s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke_key(self, prefix: str, actor: Actor | None = None) -> KeyRecord:
        """Revoke the key with ``prefix`` (idempotent)."""
        with self.db.transaction() as s:
            row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
            if row is None:
                raise NotFound("API key", prefix, field="prefix")
            if row.revoked_at is None:
                row.revoked_at = _now()
                record(s, actor, "api_key.revoke", prefix, {"role": row.role, "name": row.name})
            return _key(row)

    # --- scenarios ------------------------------------------------------------------------------

    def create_scenario(
        self, scenario: Scenario, actor: Actor | None = None, reason: str | None = None
    ) -> ScenarioRecord:
        """Store a new scenario as version 1."""
        now = _now()
        with self.db.transaction() as s:
            row = ScenarioRow(
                name=_label(scenario.name),
                period_start=scenario.period.start,
                period_end=scenario.period.end,
                version=1,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            s.add(
                ScenarioVersionRow(scenario_id=row.id, version=1, document=scenario.model_dump_json(), created_at=now)
            )
            record(s, actor, "scenario.create", row.id, {"version": 1, "name": row.name}, reason, scenario_id=row.id)
            return _scenario(row)

    def list_scenarios(self, limit: int = 100, offset: int = 0) -> list[ScenarioRecord]:
        """Scenarios, newest first."""
        with self.db.transaction() as s:
            rows = s.scalars(select(ScenarioRow).order_by(ScenarioRow.id.desc()).limit(limit).offset(offset))
            return [_scenario(r) for r in rows]

    def get_scenario(self, scenario_id: int) -> ScenarioRecord:
        """The scenario with this id."""
        with self.db.transaction() as s:
            return _scenario(self._scenario_row(s, scenario_id))

    def get_document(self, scenario_id: int, version: int | None = None) -> tuple[ScenarioRecord, Scenario]:
        """The scenario and its document at ``version`` (default: the newest)."""
        with self.db.transaction() as s:
            row = self._scenario_row(s, scenario_id)
            text = self._document(s, scenario_id, version or row.version)
            return _scenario(row), Scenario.model_validate_json(text)

    def replace_scenario(
        self,
        scenario_id: int,
        scenario: Scenario,
        expected_version: int,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> ScenarioRecord:
        """Store ``scenario`` as the next version, if the newest is still ``expected_version``."""
        with self.db.transaction() as s:
            row = self._scenario_row(s, scenario_id)
            self._expect_version(row, expected_version)
            stored = self._store_version(s, row.id, expected_version, scenario)
            record(s, actor, "scenario.update", row.id, {"version": stored.version}, reason, scenario_id=row.id)
            return stored

    def add_entry(
        self,
        scenario_id: int,
        physician_id: str,
        kind: EntryKind,
        entry: BaseModel,
        expected_version: int | None = None,
        actor: Actor | None = None,
    ) -> tuple[ScenarioRecord, int]:
        """Append an absence, wish or unwish to a physician; returns the new version and the entry's index."""

        def append(entries: list[Any]) -> int:
            entries.append(entry.model_dump(mode="json"))
            return len(entries) - 1

        reason = getattr(entry, "reason", None)
        return self._edit_physician(
            scenario_id, physician_id, kind, append, expected_version, actor, f"add_{kind[:-1]}", entry, reason
        )

    def remove_entry(
        self,
        scenario_id: int,
        physician_id: str,
        kind: EntryKind,
        index: int,
        expected_version: int | None = None,
        actor: Actor | None = None,
    ) -> ScenarioRecord:
        """Remove the entry at ``index`` of a physician's absences, wishes or unwishes."""

        def remove(entries: list[Any]) -> int:
            if not 0 <= index < len(entries):
                raise NotFound(f"{kind[:-1]} of physician {physician_id!r} at index", index, field="index")
            del entries[index]
            return index

        return self._edit_physician(
            scenario_id, physician_id, kind, remove, expected_version, actor, f"remove_{kind[:-1]}"
        )[0]

    def _edit_physician(
        self,
        scenario_id: int,
        physician_id: str,
        kind: EntryKind,
        change: Callable[[list[Any]], _T],
        expected_version: int | None,
        actor: Actor | None = None,
        verb: str = "edit",
        entry: BaseModel | None = None,
        reason: str | None = None,
    ) -> tuple[ScenarioRecord, _T]:
        for attempt in range(_EDIT_TRIES):
            try:
                with self.db.transaction() as s:
                    row = self._scenario_row(s, scenario_id)
                    if expected_version is not None:
                        self._expect_version(row, expected_version)
                    seen = row.version
                    doc = json.loads(self._document(s, scenario_id, seen))
                    physician = next((p for p in doc["physicians"] if p["id"] == physician_id), None)
                    if physician is None:
                        raise NotFound("physician", physician_id, field="physician_id")
                    outcome = change(physician[kind])
                    # The whole scenario is validated again: an absence may break a cross-reference.
                    scenario = parse_scenario(doc)
                    stored = self._store_version(s, scenario_id, seen, scenario)
                    detail: dict[str, Any] = {"version": stored.version, "physician": physician_id, "index": outcome}
                    if entry is not None:
                        detail["entry"] = entry.model_dump(mode="json")
                    record(s, actor, f"scenario.{verb}", scenario_id, detail, reason, scenario_id=scenario_id)
                    return stored, outcome
            except Conflict:
                if expected_version is not None or attempt == _EDIT_TRIES - 1:
                    raise
                time.sleep(random.uniform(0, 0.005 * (attempt + 1)))
        raise AssertionError("unreachable")

    # --- inside a service's unit of work -------------------------------------------------------
    # A service that must read and write together (carry the previous period over, queue a repair, approve
    # a swap) opens ``db.transaction()`` and calls these with its session; they hold no rule of their own.

    def scenario_row(self, s: Session, scenario_id: int) -> ScenarioRow:
        """The scenario's row in ``s`` (NotFound when there is none)."""
        return self._scenario_row(s, scenario_id)

    def scenario_in(self, s: Session, scenario_id: int, version: int) -> Scenario:
        """The scenario's document at ``version``, read in ``s``."""
        return Scenario.model_validate_json(self._document(s, scenario_id, version))

    def store_version_in(self, s: Session, scenario_id: int, seen: int, scenario: Scenario) -> ScenarioRecord:
        """Store ``scenario`` as the version after ``seen``, in ``s`` (Conflict when another writer got there)."""
        return self._store_version(s, scenario_id, seen, scenario)

    def queue_job_in(self, s: Session, scenario_id: int, version: int, time_limit: float, seed: int) -> int:
        """Queue a solve of ``version`` in ``s``; the job's id (the caller audits the request)."""
        job = JobRow(
            scenario_id=scenario_id,
            scenario_version=version,
            state="queued",
            time_limit=time_limit,
            seed=seed,
            created_at=_now(),
        )
        s.add(job)
        s.flush()
        return job.id

    def roster_in(self, s: Session, revision_id: int) -> tuple[RevisionRow, Roster]:
        """A revision's row and its roster, read in ``s``."""
        row = s.get(RevisionRow, revision_id)
        if row is None:
            raise NotFound("revision", revision_id, field="revision_id")
        return row, Roster.model_validate_json(row.roster)

    def add_revision_in(
        self,
        s: Session,
        scenario_id: int,
        version: int,
        roster: Roster,
        violations: int,
        actor: Actor | None,
        why: dict[str, Any],
    ) -> int:
        """Store ``roster`` (made outside a solve, unpriced) as a draft revision in ``s``; its id."""
        row = revision_row(scenario_id, version, roster, violations, priced=False)
        s.add(row)
        s.flush()
        detail = {**why, "status": row.status, "gaps": row.gaps, "violations": row.violations}
        record(s, actor, "revision.create", row.id, detail, scenario_id=scenario_id)
        return row.id

    def _scenario_row(self, s: Session, scenario_id: int) -> ScenarioRow:
        row = s.get(ScenarioRow, scenario_id)
        if row is None:
            raise NotFound("scenario", scenario_id, field="scenario_id")
        return row

    def _document(self, s: Session, scenario_id: int, version: int) -> str:
        text = s.scalar(
            select(ScenarioVersionRow.document).where(
                ScenarioVersionRow.scenario_id == scenario_id, ScenarioVersionRow.version == version
            )
        )
        if text is None:
            raise NotFound(f"version of scenario {scenario_id}", version, field="version")
        return text

    @staticmethod
    def _expect_version(row: ScenarioRow, expected: int) -> None:
        if row.version != expected:
            raise Conflict(
                f"scenario {row.id} is at version {row.version}, not {expected}: read it again", field="version"
            )

    def _store_version(self, s: Session, scenario_id: int, seen: int, scenario: Scenario) -> ScenarioRecord:
        now = _now()
        changed = s.execute(
            update(ScenarioRow)
            .where(ScenarioRow.id == scenario_id, ScenarioRow.version == seen)
            .values(
                version=seen + 1,
                name=_label(scenario.name),
                period_start=scenario.period.start,
                period_end=scenario.period.end,
                updated_at=now,
            )
        )
        if _changed(changed) != 1:
            raise Conflict(f"scenario {scenario_id} changed meanwhile: read it again", field="version")
        s.add(
            ScenarioVersionRow(
                scenario_id=scenario_id, version=seen + 1, document=scenario.model_dump_json(), created_at=now
            )
        )
        s.flush()
        return _scenario(self._scenario_row(s, scenario_id))

    # --- solve jobs -----------------------------------------------------------------------------

    def create_job(self, scenario_id: int, time_limit: float, seed: int, actor: Actor | None = None) -> JobRecord:
        """Queue a solve of the scenario's newest version."""
        with self.db.transaction() as s:
            scenario = self._scenario_row(s, scenario_id)
            row = JobRow(
                scenario_id=scenario_id,
                scenario_version=scenario.version,
                state="queued",
                time_limit=time_limit,
                seed=seed,
                created_at=_now(),
            )
            s.add(row)
            s.flush()
            detail = {"version": row.scenario_version, "time_limit": time_limit, "seed": seed}
            record(s, actor, "solve.request", row.id, detail, scenario_id=scenario_id)
            return _job(row, None)

    def get_job(self, job_id: int) -> JobRecord:
        """The job with this id."""
        with self.db.transaction() as s:
            found = s.execute(_jobs_query().where(JobRow.id == job_id)).first()
            if found is None:
                raise NotFound("solve job", job_id, field="job_id")
            return _job(found[0], found[1])

    def list_jobs(self, scenario_id: int) -> list[JobRecord]:
        """The scenario's jobs, newest first."""
        with self.db.transaction() as s:
            self._scenario_row(s, scenario_id)
            rows = s.execute(_jobs_query().where(JobRow.scenario_id == scenario_id).order_by(JobRow.id.desc()))
            return [_job(job, rid) for job, rid in rows]

    def claim_next_job(self) -> JobRecord | None:
        """Move the oldest queued job to running and return it; None when none is queued."""
        for _ in range(_EDIT_TRIES):
            with self.db.transaction() as s:
                job_id = s.scalar(select(JobRow.id).where(JobRow.state == "queued").order_by(JobRow.id).limit(1))
                if job_id is None:
                    return None
                claimed = s.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.state == "queued")
                    .values(state="running", started_at=_now())
                )
                if _changed(claimed) == 1:
                    return _job(s.get_one(JobRow, job_id), None)
        return None

    def record_progress(self, job_id: int, objective: float, bound: float, seconds: float) -> bool:
        """Store a running job's progress; False when the job is no longer running (cancelled, failed)."""
        with self.db.transaction() as s:
            done = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == "running")
                .values(objective=objective, bound=bound, progress_seconds=seconds)
            )
            return _changed(done) == 1

    def is_running(self, job_id: int) -> bool:
        """Whether the job is (still) in the running state."""
        with self.db.transaction() as s:
            return s.scalar(select(JobRow.state).where(JobRow.id == job_id)) == "running"

    def finish_job(
        self,
        job_id: int,
        roster: Roster,
        violations: int,
        also: Callable[[Session, int], None] | None = None,
    ) -> RevisionRecord | None:
        """Mark a running job succeeded and store its roster as a draft revision, in one transaction.

        ``also(session, revision_id)`` runs in that transaction (a repair stores its summary there). Returns
        None, storing nothing, when the job is no longer running (it was cancelled or failed).
        """
        now = _now()
        with self.db.transaction() as s:
            done = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state == "running")
                .values(state="succeeded", finished_at=now, objective=roster.objective, bound=roster.bound)
            )
            if _changed(done) != 1:
                return None
            job = s.get_one(JobRow, job_id)
            row = revision_row(job.scenario_id, job.scenario_version, roster, violations, job_id=job_id, created_at=now)
            s.add(row)
            s.flush()
            if also is not None:
                also(s, row.id)
            detail = {"job": job_id, "status": row.status, "gaps": row.gaps, "violations": violations}
            # The revision is the work of whoever asked for the solve.
            actor = first_actor(s, "solve.request", job_id)
            record(s, actor, "revision.create", row.id, detail, scenario_id=job.scenario_id)
            return _revision(row, None, None)

    def add_revision(
        self,
        scenario_id: int,
        version: int,
        roster: Roster,
        violations: int,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> RevisionRecord:
        """Store a roster made outside a solve (an edit, a swap) as a draft revision of that scenario version."""
        with self.db.transaction() as s:
            self._scenario_row(s, scenario_id)
            self._document(s, scenario_id, version)
            row = revision_row(scenario_id, version, roster, violations)
            s.add(row)
            s.flush()
            detail = {"source": "edit", "scenario_version": version, "gaps": len(roster.gaps)}
            record(s, actor, "revision.create", row.id, detail, reason, scenario_id=scenario_id)
            return self._revision(s, row.id)

    def fail_job(self, job_id: int, message: str, states: Sequence[JobState] = ("queued", "running")) -> bool:
        """Mark the job failed if it is in one of ``states``; False when it was not."""
        with self.db.transaction() as s:
            done = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state.in_(states))
                .values(state="failed", finished_at=_now(), message=message[:2000])
            )
            return _changed(done) == 1

    def fail_running_jobs(self, message: str) -> list[int]:
        """Mark every running job failed (after a crash no worker is left to finish them)."""
        with self.db.transaction() as s:
            ids = list(s.scalars(select(JobRow.id).where(JobRow.state == "running")))
            if ids:
                s.execute(
                    update(JobRow)
                    .where(JobRow.id.in_(ids), JobRow.state == "running")
                    .values(state="failed", finished_at=_now(), message=message)
                )
            return ids

    def cancel_job(self, job_id: int, actor: Actor | None = None) -> JobRecord:
        """Cancel a queued or running job (idempotent); a finished job cannot be cancelled."""
        with self.db.transaction() as s:
            found = s.execute(_jobs_query().where(JobRow.id == job_id)).first()
            if found is None:
                raise NotFound("solve job", job_id, field="job_id")
            job = found[0]
            if job.state in ("succeeded", "failed"):
                raise Conflict(f"solve job {job_id} has already {job.state}", field="job_id")
            if job.state != "cancelled":
                was = job.state  # the update below refreshes the loaded row
                done = s.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.state == job.state)
                    .values(state="cancelled", finished_at=_now())
                )
                if _changed(done) != 1:
                    raise Conflict(f"solve job {job_id} changed state meanwhile: read it again", field="job_id")
                record(s, actor, "solve.cancel", job_id, {"was": was}, scenario_id=job.scenario_id)
                s.refresh(job)
            return _job(job, found[1])

    # --- revisions ------------------------------------------------------------------------------

    def list_revisions(self, scenario_id: int) -> list[RevisionRecord]:
        """The scenario's revisions, newest first."""
        with self.db.transaction() as s:
            self._scenario_row(s, scenario_id)
            rows = s.execute(
                _revisions_query().where(RevisionRow.scenario_id == scenario_id).order_by(RevisionRow.id.desc())
            )
            return [_revision(row, pid, when) for row, pid, when in rows]

    def get_revision(self, revision_id: int) -> RevisionRecord:
        """The revision with this id."""
        with self.db.transaction() as s:
            return self._revision(s, revision_id)

    def get_roster(self, revision_id: int) -> tuple[RevisionRecord, str]:
        """A revision and its roster JSON, exactly as stored."""
        with self.db.transaction() as s:
            record = self._revision(s, revision_id)
            return record, s.get_one(RevisionRow, revision_id).roster

    def get_published(self, scenario_id: int) -> RevisionRecord:
        """The published revision of the scenario."""
        with self.db.transaction() as s:
            row = self._scenario_row(s, scenario_id)
            if row.published_revision_id is None:
                raise NotFound("published roster of scenario", scenario_id, field="scenario_id")
            return self._revision(s, row.published_revision_id)

    def publish(
        self,
        revision_id: int,
        base: int | None,
        key_id: int | None = None,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> RevisionRecord:
        """Make the revision its scenario's current roster, if the current one is still ``base`` and no
        other scenario has a published roster for one of its districts on one of its dates (``Conflict``).

        One transaction: the pointer moves and the publication is logged (and audited), or nothing happens.
        """
        with self.db.transaction() as s:
            revision = s.get(RevisionRow, revision_id)
            if revision is None:
                raise NotFound("revision", revision_id, field="revision_id")
            if self.db.dialect == "postgresql":
                # Publications of different scenarios are checked against each other below: one at a time.
                # (SQLite has one writer at a time already, and the update below makes this one the writer.)
                s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PUBLISH_LOCK})
            current = ScenarioRow.published_revision_id
            done = s.execute(
                update(ScenarioRow)
                .where(ScenarioRow.id == revision.scenario_id, current.is_(None) if base is None else current == base)
                .values(published_revision_id=revision_id)
            )
            if _changed(done) != 1:
                now_published = s.scalar(select(current).where(ScenarioRow.id == revision.scenario_id))
                shown = "none" if now_published is None else now_published
                raise Conflict(
                    f"base {'null' if base is None else base} is stale: the published revision is now {shown};"
                    " review it and publish again",
                    field="base",
                )
            clash = self._published_clash(s, revision.scenario_id)
            if clash is not None:
                raise Conflict(clash, field="revision_id")
            s.add(
                PublicationRow(
                    scenario_id=revision.scenario_id,
                    revision_id=revision_id,
                    previous_revision_id=base,
                    key_id=key_id,
                    published_at=_now(),
                )
            )
            s.flush()
            detail = {"revision": revision_id, "previous": base}
            actor = actor or (Actor(f"key {key_id}", key_id) if key_id is not None else None)
            record(s, actor, "publication.create", revision_id, detail, reason, scenario_id=revision.scenario_id)
            return self._revision(s, revision_id)

    def _published_clash(self, s: Session, scenario_id: int) -> str | None:
        """Why the scenario cannot be published: another scenario has a published roster for one of its
        districts on one of its dates (feeds would show both); None when nothing clashes."""
        row = self._scenario_row(s, scenario_id)
        others = s.scalars(
            select(ScenarioRow).where(
                ScenarioRow.id != scenario_id,
                ScenarioRow.published_revision_id.is_not(None),
                ScenarioRow.period_start <= row.period_end,
                ScenarioRow.period_end >= row.period_start,
            )
        )
        districts = self._districts(s, row)
        for other in others:
            shared = sorted(districts & self._districts(s, other))
            if shared:
                return (
                    f"scenario {other.id} ({other.name}) already has a published roster for {', '.join(shared)} "
                    f"between {max(other.period_start, row.period_start)} and "
                    f"{min(other.period_end, row.period_end)} (its revision {other.published_revision_id}): one "
                    "district and date has one published roster (change that scenario with a new version "
                    "instead of a copy)"
                )
        return None

    def _districts(self, s: Session, row: ScenarioRow) -> set[str]:
        """The district ids of the newest version of the scenario (its document, as stored)."""
        document = json.loads(self._document(s, row.id, row.version))
        return {str(d["id"]) for d in document["districts"]}

    def _revision(self, s: Session, revision_id: int) -> RevisionRecord:
        found = s.execute(_revisions_query().where(RevisionRow.id == revision_id)).first()
        if found is None:
            raise NotFound("revision", revision_id, field="revision_id")
        return _revision(found[0], found[1], found[2])
