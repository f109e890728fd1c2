"""Repairs of a published roster after a change (an absence, a leave, a closed hospital, a cap), as the API,
the office's pages and the job runner run them: the changes as a new scenario version and a minimal-change
repair job queued in one transaction; the job repairs the published revision (``oncall.services.solving``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from oncall.errors import Conflict
from oncall.replan import apply_changes
from oncall.storage import Store
from oncall.storage.audit import Actor, record
from oncall.storage.repairs import AnyChange, RepairRecord, RepairStore

if TYPE_CHECKING:
    from oncall.jobs import JobRunner

__all__ = ["create_repair", "freeze_instant", "get_repair", "list_repairs", "start_repair"]


def freeze_instant(now: dt.datetime | None, zone: dt.tzinfo) -> dt.datetime:
    """The freeze instant in UTC: ``now`` (naive: in the scenario's zone) or the server's clock.

    OverflowError or ValueError when ``now`` cannot be placed in UTC.

    >>> from zoneinfo import ZoneInfo
    >>> freeze_instant(dt.datetime(2027, 1, 4, 9), ZoneInfo("Asia/Tokyo")).isoformat()
    '2027-01-04T00:00:00+00:00'
    """
    if now is None:
        return dt.datetime.now(dt.UTC)
    return (now if now.tzinfo is not None else now.replace(tzinfo=zone)).astimezone(dt.UTC)


def create_repair(
    store: Store,
    scenario_id: int,
    base: int,
    changes: Sequence[AnyChange],
    freeze: dt.datetime,
    time_limit: float,
    seed: int = 0,
    reason: str | None = None,
    actor: Actor | None = None,
    lang: str = "ja",
) -> RepairRecord:
    """Apply ``changes`` as a new scenario version and queue a repair of the published revision ``base``.

    ``base`` must still be the published revision (else ``Conflict``); a change that cannot apply raises
    ``InvalidChange`` and nothing is stored.
    """
    with store.db.transaction() as s:
        row = store.scenario_row(s, scenario_id)
        if row.published_revision_id != base:
            now_published = "none" if row.published_revision_id is None else row.published_revision_id
            raise Conflict(
                f"base {base} is not the published revision of scenario {scenario_id} (it is {now_published}):"
                " repair the roster that is published",
                field="base",
            )
        _, roster = store.roster_in(s, base)
        current = store.scenario_in(s, scenario_id, row.version)
        applied = apply_changes(current, list(changes), roster, freeze, lang)
        applied_json = [c.model_dump(mode="json") for c in applied.changes]
        version = row.version
        if applied.scenario != current:
            version = store.store_version_in(s, scenario_id, row.version, applied.scenario).version
            detail = {"version": version, "changes": applied_json}
            record(s, actor, "scenario.update", scenario_id, detail, reason, scenario_id=scenario_id)
        job_id = store.queue_job_in(s, scenario_id, version, time_limit, seed)
        repair = RepairStore(store).add_in(
            s, scenario_id, job_id, base, version, freeze, applied_json, applied.notes, reason
        )
        detail = {"version": version, "time_limit": time_limit, "seed": seed, "repair": repair.id}
        record(s, actor, "solve.request", job_id, detail, scenario_id=scenario_id)
        detail = {"job": job_id, "base": base, "freeze": freeze.isoformat(), "changes": applied_json}
        record(s, actor, "repair.request", repair.id, detail, reason, scenario_id=scenario_id)
        return repair


def start_repair(
    store: Store,
    runner: JobRunner,
    scenario_id: int,
    base: int,
    changes: Sequence[AnyChange],
    freeze: dt.datetime,
    seconds: float,
    seed: int = 0,
    reason: str | None = None,
    actor: Actor | None = None,
    lang: str = "ja",
) -> RepairRecord:
    """Store the changes as the scenario's next version and queue the repair of the published ``base``.

    Conflict when ``base`` is no longer the published revision; InvalidChange when a change cannot apply.
    """
    repair = create_repair(store, scenario_id, base, changes, freeze, seconds, seed, reason, actor, lang)
    runner.wake()
    return repair


def get_repair(store: Store, repair_id: int) -> RepairRecord:
    """The repair with this id."""
    return RepairStore(store).get(repair_id)


def list_repairs(store: Store, scenario_id: int) -> list[RepairRecord]:
    """The scenario's repairs, newest first."""
    return RepairStore(store).list(scenario_id)
