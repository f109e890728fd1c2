"""The office's month overview: every scenario with its state and its collection deadline.

A scenario is *solving* while a solve of it is queued or running, else *published* once a revision is
published, else *draft* when it has revisions, else *collecting* requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from oncall.storage import ScenarioRecord, Store
from oncall.storage.web import WebStore

__all__ = ["MonthState", "ScenarioState", "month_overview", "scenario_state"]

MonthState = Literal["collecting", "solving", "draft", "published"]


@dataclass(frozen=True)
class ScenarioState:
    """One line of the overview."""

    scenario: ScenarioRecord
    state: MonthState
    deadline: dt.datetime | None
    revisions: int


def scenario_state(store: Store, record: ScenarioRecord) -> tuple[MonthState, int]:
    """The scenario's state and its number of revisions."""
    jobs = store.list_jobs(record.id)
    revisions = len(store.list_revisions(record.id))
    if any(j.state in ("queued", "running") for j in jobs):
        return "solving", revisions
    if record.published_revision_id is not None:
        return "published", revisions
    return ("draft" if revisions else "collecting"), revisions


def month_overview(store: Store, web: WebStore, limit: int = 100) -> list[ScenarioState]:
    """Scenarios newest first, each with its state and deadline."""
    deadlines = web.deadlines()
    out = []
    for record in store.list_scenarios(limit):
        state, revisions = scenario_state(store, record)
        out.append(ScenarioState(record, state, deadlines.get(record.id), revisions))
    return out
