"""Repairs of a published roster after a change (an absence, a leave, a closed hospital, a cap), as the API
and the office's pages both start them: the changes as a new scenario version, a minimal-change repair job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from oncall.jobs import JobRunner
from oncall.replan import AbsenceChange, CapChange, HospitalClosedChange, LeaveChange
from oncall.storage.audit import Actor
from oncall.storage.replan import RepairRecord, ReplanStore

__all__ = ["freeze_instant", "start_repair"]

AnyChange = AbsenceChange | LeaveChange | HospitalClosedChange | CapChange


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


def start_repair(
    store: ReplanStore,
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
    repair = store.create_repair(scenario_id, base, changes, freeze, seconds, seed, reason, actor, lang)
    runner.wake()
    return repair
