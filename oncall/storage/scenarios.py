"""Scenarios and their versions: create, read, replace, edit a physician's entries. Each write stores a new
version by compare-and-set on the version number (``Conflict`` when another writer got there)."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.errors import Conflict, NotFound
from oncall.model import Scenario
from oncall.storage.audit import Actor, record
from oncall.storage.base import Table, _changed, _label, _now
from oncall.storage.tables import ScenarioRow, ScenarioVersionRow

__all__ = [
    "EntryKind",
    "ScenarioRecord",
    "ScenarioStore",
    "expect_version",
    "read_document",
    "scenario_record",
    "scenario_row",
    "store_version",
]

EntryKind = Literal["absences", "wishes", "unwishes"]
_T = TypeVar("_T")
# An unversioned edit re-applies itself this often when another writer got in between, after a short random
# pause that grows with each try (eight clerks adding absences at the same moment must all succeed).
_EDIT_TRIES = 20


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


def scenario_record(row: ScenarioRow) -> ScenarioRecord:
    """The record of a row."""
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


def scenario_row(s: Session, scenario_id: int) -> ScenarioRow:
    """The scenario's row in ``s`` (NotFound when there is none)."""
    row = s.get(ScenarioRow, scenario_id)
    if row is None:
        raise NotFound("scenario", scenario_id, field="scenario_id")
    return row


def read_document(s: Session, scenario_id: int, version: int) -> str:
    """The scenario's document at ``version``, as stored."""
    text = s.scalar(
        select(ScenarioVersionRow.document).where(
            ScenarioVersionRow.scenario_id == scenario_id, ScenarioVersionRow.version == version
        )
    )
    if text is None:
        raise NotFound(f"version of scenario {scenario_id}", version, field="version")
    return text


def expect_version(row: ScenarioRow, expected: int) -> None:
    """Conflict unless the scenario is at version ``expected``."""
    if row.version != expected:
        raise Conflict(f"scenario {row.id} is at version {row.version}, not {expected}: read it again", field="version")


def store_version(s: Session, scenario_id: int, seen: int, scenario: Scenario) -> ScenarioRecord:
    """Store ``scenario`` as the version after ``seen`` (Conflict when another writer got there)."""
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
    return scenario_record(scenario_row(s, scenario_id))


class ScenarioStore(Table):
    """The ``scenarios`` and ``scenario_versions`` tables."""

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
            return scenario_record(row)

    def list_scenarios(self, limit: int = 100, offset: int = 0) -> list[ScenarioRecord]:
        """Scenarios, newest first."""
        with self.db.transaction() as s:
            rows = s.scalars(select(ScenarioRow).order_by(ScenarioRow.id.desc()).limit(limit).offset(offset))
            return [scenario_record(r) for r in rows]

    def get_scenario(self, scenario_id: int) -> ScenarioRecord:
        """The scenario with this id."""
        with self.db.transaction() as s:
            return scenario_record(scenario_row(s, scenario_id))

    def get_document(self, scenario_id: int, version: int | None = None) -> tuple[ScenarioRecord, Scenario]:
        """The scenario and its document at ``version`` (default: the newest)."""
        with self.db.transaction() as s:
            row = scenario_row(s, scenario_id)
            text = read_document(s, scenario_id, version or row.version)
            return scenario_record(row), Scenario.model_validate_json(text)

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
            row = scenario_row(s, scenario_id)
            expect_version(row, expected_version)
            stored = store_version(s, row.id, expected_version, scenario)
            record(s, actor, "scenario.update", row.id, {"version": stored.version}, reason, scenario_id=row.id)
            return stored

    def edit_document(
        self,
        scenario_id: int,
        edit: Callable[[dict[str, Any]], tuple[Scenario, _T, dict[str, Any]]],
        expected_version: int | None,
        actor: Actor | None,
        verb: str,
        reason: str | None = None,
    ) -> tuple[ScenarioRecord, _T]:
        """Store ``edit(document)``'s scenario as the next version (``edit`` changes the newest document, a
        plain dict, and returns the validated scenario, its outcome and the audit detail).

        With ``expected_version`` a stale newest version is a Conflict; without, the edit re-applies itself
        on the newer version when another writer got in between (``_EDIT_TRIES`` times, after a short pause).
        """
        for attempt in range(_EDIT_TRIES):
            try:
                with self.db.transaction() as s:
                    row = scenario_row(s, scenario_id)
                    if expected_version is not None:
                        expect_version(row, expected_version)
                    seen = row.version
                    scenario, outcome, extra = edit(json.loads(read_document(s, scenario_id, seen)))
                    stored = store_version(s, scenario_id, seen, scenario)
                    detail: dict[str, Any] = {"version": stored.version, **extra}
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
        return scenario_row(s, scenario_id)

    def scenario_in(self, s: Session, scenario_id: int, version: int) -> Scenario:
        """The scenario's document at ``version``, read in ``s``."""
        return Scenario.model_validate_json(read_document(s, scenario_id, version))

    def store_version_in(self, s: Session, scenario_id: int, seen: int, scenario: Scenario) -> ScenarioRecord:
        """Store ``scenario`` as the version after ``seen``, in ``s`` (Conflict when another writer got there)."""
        return store_version(s, scenario_id, seen, scenario)
