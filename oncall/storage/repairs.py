"""Stored repairs: the changes, the published revision they repair, the job that runs them and the summary.

Reads and writes only; applying the changes and queuing the job is :mod:`oncall.services.repairs`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.errors import NotFound
from oncall.replan import AbsenceChange, CapChange, Change, HospitalClosedChange, LeaveChange
from oncall.storage.repository import JOB_STATES, JobState, Store, _now
from oncall.storage.tables import JobRow, RepairRow, RevisionRow

__all__ = ["AnyChange", "RepairRecord", "RepairStore"]

AnyChange = AbsenceChange | LeaveChange | HospitalClosedChange | CapChange
_CHANGES: TypeAdapter[list[AnyChange]] = TypeAdapter(list[Change])


@dataclass(frozen=True)
class RepairRecord:
    """A repair and the state of its job."""

    id: int
    scenario_id: int
    job_id: int
    base_revision_id: int
    scenario_version: int
    freeze_at: dt.datetime
    changes: list[dict[str, Any]]
    notes: list[str]
    reason: str | None
    created_at: dt.datetime
    state: JobState
    message: str | None
    revision_id: int | None
    summary: dict[str, Any] | None

    def parsed_changes(self) -> list[AnyChange]:
        """The changes as models."""
        return _CHANGES.validate_python(self.changes)


class RepairStore:
    """The ``repairs`` table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add_in(
        self,
        s: Session,
        scenario_id: int,
        job_id: int,
        base: int,
        version: int,
        freeze: dt.datetime,
        changes: list[dict[str, Any]],
        notes: list[str],
        reason: str | None,
    ) -> RepairRecord:
        """Store a repair whose job ``job_id`` is queued in the same unit of work."""
        row = RepairRow(
            scenario_id=scenario_id,
            job_id=job_id,
            base_revision_id=base,
            scenario_version=version,
            freeze_at=freeze,
            changes=json.dumps(changes, ensure_ascii=False),
            notes=json.dumps(notes, ensure_ascii=False),
            reason=reason,
            created_at=_now(),
        )
        s.add(row)
        s.flush()
        return self._repair(s, row)

    def get(self, repair_id: int) -> RepairRecord:
        """The repair with this id."""
        with self.db.transaction() as s:
            row = s.get(RepairRow, repair_id)
            if row is None:
                raise NotFound("repair", repair_id, field="repair_id")
            return self._repair(s, row)

    def list(self, scenario_id: int) -> list[RepairRecord]:
        """The scenario's repairs, newest first."""
        with self.db.transaction() as s:
            self.store.scenario_row(s, scenario_id)
            query = select(RepairRow).where(RepairRow.scenario_id == scenario_id).order_by(RepairRow.id.desc())
            return [self._repair(s, r) for r in s.scalars(query)]

    def for_job(self, job_id: int) -> RepairRecord | None:
        """The repair a solve job runs, if it runs one."""
        with self.db.transaction() as s:
            row = s.scalar(select(RepairRow).where(RepairRow.job_id == job_id))
            return None if row is None else self._repair(s, row)

    @staticmethod
    def save_summary(session: Session, job_id: int, summary_json: str) -> None:
        """Store a finished repair's summary (called inside the transaction that stores its revision)."""
        session.execute(update(RepairRow).where(RepairRow.job_id == job_id).values(summary=summary_json))

    @staticmethod
    def _repair(s: Session, row: RepairRow) -> RepairRecord:
        # One statement for the job's state, its revision and the summary: under PostgreSQL's READ COMMITTED
        # each statement sees the database as it is when it starts, so reading them one after another could
        # see a job that succeeded meanwhile without the summary stored in the same transaction.
        job_state, message, revision_id, summary = s.execute(
            select(JobRow.state, JobRow.message, RevisionRow.id, RepairRow.summary)
            .select_from(RepairRow)
            .join(JobRow, JobRow.id == RepairRow.job_id)
            .outerjoin(RevisionRow, RevisionRow.job_id == RepairRow.job_id)
            .where(RepairRow.id == row.id)
        ).one()
        state: JobState = next(x for x in JOB_STATES if x == job_state)
        return RepairRecord(
            row.id,
            row.scenario_id,
            row.job_id,
            row.base_revision_id,
            row.scenario_version,
            row.freeze_at,
            json.loads(row.changes),
            json.loads(row.notes),
            row.reason,
            row.created_at,
            state,
            message,
            revision_id,
            None if summary is None else json.loads(summary),
        )
