"""Solving, written once: the rota (a fresh solve or a minimal-change repair of a published roster), then the
cover plan when the scenario has 主治医 panels, then the independent checker. ``oncall solve``,
``oncall repair`` and the job runner (API solves and repairs) all go through :func:`solve_checked` or
:func:`repair_checked`; only where the result is kept differs (a file, or a draft revision stored in the
transaction that marks the job succeeded: :func:`store_result`).

Starting and cancelling jobs are here too: carry the previous period over (when linked), queue, wake the
runner; cancel stops the worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from oncall.errors import Conflict, InvalidChange, InvalidScenario
from oncall.services.cover import explain_replan, plan_cover
from oncall.storage import TERMINAL_STATES, JobRecord, RevisionRecord, Store
from oncall.storage.audit import Actor
from oncall.storage.repairs import RepairRecord, RepairStore

if TYPE_CHECKING:
    from oncall.checker import CheckReport
    from oncall.jobs import JobRunner
    from oncall.model import Scenario
    from oncall.replan import Applied, ReplanSummary
    from oncall.roster import Roster
    from solver import SolveOptions, SolveResult

__all__ = [
    "Solved",
    "cancel_solve",
    "prepare_stored_job",
    "repair_checked",
    "solve_checked",
    "start_solve",
    "store_result",
]


@dataclass(frozen=True)
class Solved:
    """A solved (or repaired) roster with its cover plan, the checker's verdict and, for a repair, its summary."""

    scenario: Scenario
    roster: Roster
    report: CheckReport
    result: SolveResult
    summary: ReplanSummary | None = None


def solve_checked(scenario: Scenario, options: SolveOptions) -> Solved:
    """Solve the rota, plan the cover, check both."""
    from oncall.checker import check
    from solver import solve

    result = solve(scenario, options)
    roster = plan_cover(scenario, result.roster, options, None)
    return Solved(scenario, roster, check(scenario, roster, lang=options.lang), result)


def repair_checked(
    applied: Applied, published: Roster, freeze: dt.datetime, options: SolveOptions, lang: str = "ja"
) -> Solved:
    """Repair ``published`` under the changed scenario with the fewest changes, re-plan its cover the same
    way (pairs change only when there is no other way), summarise, check.

    Raises ``InvalidChange`` when a change makes a started duty impossible to keep.
    """
    from oncall.checker import check
    from oncall.replan import summarize
    from solver.repair import repair

    scenario = applied.scenario
    try:
        result = repair(scenario, published, freeze, options)
    except InvalidScenario as exc:  # a pin the change made impossible
        raise InvalidChange([p.within("changes") for p in exc.structured]) from exc
    roster = plan_cover(scenario, result.roster, options, published.cover)
    summary = summarize(scenario, published, roster, applied, freeze, result.frozen, result.changes_proven, lang)
    if roster.cover is not None and published.cover is not None:
        summary = summary.model_copy(update={"cover": explain_replan(scenario, roster, published.cover)})
    return Solved(scenario, roster, check(scenario, roster, lang=lang), result.solve, summary)


def store_result(store: Store, job_id: int, solved: Solved) -> RevisionRecord | None:
    """Keep a job's result: the draft revision and (for a repair) its summary, with the job marked succeeded,
    in one transaction; None, storing nothing, when the job is no longer running."""
    summary = solved.summary

    def keep_summary(session: Session, _: int) -> None:
        if summary is not None:
            RepairStore.save_summary(session, job_id, summary.model_dump_json())

    return store.finish_job(job_id, solved.roster, len(solved.report.violations), also=keep_summary)


def prepare_stored_job(store: Store, job: JobRecord, options: SolveOptions) -> Solved:
    """Run one claimed job: a solve of its scenario version, or the repair it runs (keep it with
    :func:`store_result`)."""
    _, scenario = store.get_document(job.scenario_id, job.scenario_version)
    repair = RepairStore(store).for_job(job.id)
    if repair is None:
        return solve_checked(scenario, options)
    return _run_repair(store, scenario, repair, options)


def _run_repair(store: Store, scenario: Scenario, repair: RepairRecord, options: SolveOptions) -> Solved:
    from oncall.replan import Applied
    from oncall.roster import Roster

    _, text = store.get_roster(repair.base_revision_id)
    applied = Applied(scenario, repair.parsed_changes(), repair.notes)
    return repair_checked(applied, Roster.model_validate_json(text), repair.freeze_at, options, options.lang)


def start_solve(
    store: Store, runner: JobRunner, scenario_id: int, time_limit: float, seed: int, actor: Actor | None
) -> JobRecord:
    """Queue a solve of the scenario's newest version (after carrying its previous period over)."""
    from oncall.services.periods import carry_previous

    carry_previous(store, scenario_id, actor)
    job = store.create_job(scenario_id, time_limit, seed, actor)
    runner.wake()
    return job


def cancel_solve(
    store: Store, runner: JobRunner, job_id: int, actor: Actor | None, tries: int = 5, *, strict: bool = False
) -> JobRecord:
    """Cancel a queued or running solve and stop its worker; a job that moved from queued to running
    meanwhile is cancelled all the same, and a finished one is left as it is (``strict``: Conflict)."""
    for _ in range(tries):
        try:
            job = store.cancel_job(job_id, actor)
            break
        except Conflict:
            job = store.get_job(job_id)
            if job.state in TERMINAL_STATES:
                if strict and job.state != "cancelled":
                    raise
                return job
    runner.kill(job_id)
    return job
