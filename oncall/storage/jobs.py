"""Solve jobs: queued, claimed, progress, finished with their draft revision in one transaction, failed,
cancelled. Every state change is a compare-and-set on the job's state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from oncall.errors import Conflict, NotFound
from oncall.roster import Roster
from oncall.storage.audit import Actor, first_actor, record
from oncall.storage.base import Table, _changed, _now
from oncall.storage.revisions import RevisionRecord, revision_record, revision_row
from oncall.storage.scenarios import scenario_row
from oncall.storage.tables import JobRow, RevisionRow

__all__ = ["JOB_STATES", "TERMINAL_STATES", "JobRecord", "JobState", "JobStore"]

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
JOB_STATES: tuple[JobState, ...] = ("queued", "running", "succeeded", "failed", "cancelled")
TERMINAL_STATES: tuple[JobState, ...] = ("succeeded", "failed", "cancelled")
# A claim that another runner took first looks again this often.
_CLAIM_TRIES = 20


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


class JobStore(Table):
    """The ``jobs`` table."""

    def create_job(self, scenario_id: int, time_limit: float, seed: int, actor: Actor | None = None) -> JobRecord:
        """Queue a solve of the scenario's newest version."""
        with self.db.transaction() as s:
            scenario = scenario_row(s, scenario_id)
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
            scenario_row(s, scenario_id)
            rows = s.execute(_jobs_query().where(JobRow.scenario_id == scenario_id).order_by(JobRow.id.desc()))
            return [_job(job, rid) for job, rid in rows]

    def claim_next_job(self) -> JobRecord | None:
        """Move the oldest queued job to running and return it; None when none is queued."""
        for _ in range(_CLAIM_TRIES):
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
            return revision_record(row, None, None)

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
