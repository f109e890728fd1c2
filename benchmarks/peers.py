"""One benchmark run: an instance, a solver, a time limit -> a record of what happened.

Three solvers see the same scenario and, where they search, the same time limit:

- ``cp-sat``: ``solver.solve`` with its defaults (the tuned portfolio and the warm start);
- ``greedy``: the office's round-robin rota (``benchmarks.greedy``), priced with the solver's objective
  by ``solver.evaluate``;
- ``highs``: the very CP-SAT model translated to a MIP (``benchmarks.mip``) and solved by HiGHS in the
  same two phases; its roster is priced by ``solver.evaluate`` as well, which must agree with HiGHS's
  own objective (a check of the translation).

Every roster is verified by the independent checker (``oncall.checker.check``): no hard rule may be broken;
the only violations allowed are the gaps a solver itself reports.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from benchmarks.greedy import greedy_roster
from benchmarks.instances import Instance
from oncall.checker import CheckReport, check
from oncall.model import Scenario
from oncall.roster import Roster
from solver import SolveOptions, build_model, evaluate, solve
from solver.terms import OBJECTIVE_SCALE

__all__ = ["SOLVERS", "Record", "SolverName", "run_one", "run_scenario", "steady_options", "steady_settings"]

SolverName = Literal["cp-sat", "greedy", "highs"]
SOLVERS: tuple[SolverName, ...] = ("cp-sat", "greedy", "highs")


@dataclass
class Record:
    """What one solver did on one instance."""

    instance: str
    doctors: int
    districts: int
    seed: int
    solver: SolverName
    time_limit: float
    status: str
    gaps: int | None = None  # roles and hospital units left empty
    objective: float | None = None  # the solver's soft objective (weight x points), the same for all
    bound: float | None = None
    gap: float | None = None  # (objective - bound) / objective
    first_seconds: float | None = None  # to the first roster with the least gaps, after the model build
    best_seconds: float | None = None  # to the best roster returned, after the model build
    total_seconds: float | None = None  # build + search
    build_seconds: float | None = None
    peak_mb: float | None = None  # peak resident memory of the process that ran it
    spread: float | None = None  # checker's fairness spread (points between most over and most under share)
    variables: int | None = None
    constraints: int | None = None
    settings: str = ""  # the solver's settings, when they are not the defaults of the table header
    note: str = ""
    trajectory: list[tuple[float, float, float | None]] = field(default_factory=list)  # (s, objective, bound)


class InvalidRoster(AssertionError):
    """A solver returned a roster that breaks a hard rule."""


def verify(scenario: Scenario, roster: Roster, solver: str) -> CheckReport:
    """The checker's report; raises when a hard rule is broken beyond the gaps the roster lists."""
    report = check(scenario, roster, lang="en")
    hard = [v for v in report.violations if v.rule != "coverage"]
    if hard:
        raise InvalidRoster(f"{solver}: {len(hard)} hard violations, e.g. {hard[0].message}")
    return report


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None:
        return None
    return max(0.0, objective - bound) / max(1e-9, abs(objective)) if objective else 0.0


def run_one(
    instance: Instance,
    solver: SolverName,
    time_limit: float,
    workers: int | None = None,
    settings: dict[str, Any] | None = None,
) -> Record:
    """Run ``solver`` on ``instance`` and check its roster; ``settings`` override ``SolveOptions`` fields."""
    return run_scenario(
        instance.scenario(),
        instance.name,
        solver,
        time_limit,
        workers,
        settings,
        doctors=instance.doctors,
        districts=instance.districts,
        seed=instance.seed,
    )


def run_scenario(
    scenario: Scenario,
    name: str,
    solver: SolverName,
    time_limit: float,
    workers: int | None = None,
    settings: dict[str, Any] | None = None,
    *,
    doctors: int | None = None,
    districts: int | None = None,
    seed: int = 0,
) -> Record:
    """Run ``solver`` on any scenario (a sample, a variant of one) and check its roster, as ``run_one`` does."""
    rec = Record(
        name,
        len(scenario.physicians) if doctors is None else doctors,
        len(scenario.districts) if districts is None else districts,
        seed,
        solver,
        time_limit,
        "unknown",
    )
    if solver == "cp-sat":
        _cp_sat(scenario, rec, time_limit, workers, settings or {})
    elif solver == "greedy":
        _greedy(scenario, rec)
    else:
        _highs(scenario, rec, time_limit, workers)
    rec.peak_mb = _peak_mb()
    return rec


def steady_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--workers`` and ``--deterministic-time`` (CP-SAT) to a study's command line: with one worker,
    a stop on deterministic work gives the same rows however busy the machine is."""
    parser.add_argument("--workers", type=int, help="CP-SAT workers (default: the solver's)")
    parser.add_argument(
        "--deterministic-time", type=float, help="also stop each CP-SAT phase after this much deterministic work"
    )


def steady_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The ``SolveOptions`` fields the options of ``steady_options`` set."""
    settings: dict[str, Any] = {}
    if args.workers is not None:
        settings["workers"] = args.workers
    if args.deterministic_time is not None:
        settings["deterministic_time"] = args.deterministic_time
    return settings


def _cp_sat(scenario: Scenario, rec: Record, time_limit: float, workers: int | None, settings: dict[str, Any]) -> None:
    options = SolveOptions(time_limit=time_limit, lang="en")
    if workers is not None:
        options.workers = workers
    options = dataclasses.replace(options, **settings)
    rec.settings = options.describe()
    options.on_progress = lambda p: rec.trajectory.append((p.seconds, p.objective, p.bound))
    started = time.perf_counter()
    result = solve(scenario, options)
    rec.total_seconds = time.perf_counter() - started
    report = verify(scenario, result.roster, "cp-sat")
    rec.status = result.status
    rec.gaps = len(result.roster.gaps)
    rec.objective, rec.bound, rec.gap = result.objective, result.bound, result.gap
    rec.first_seconds, rec.best_seconds = result.first_seconds, result.best_seconds
    rec.build_seconds = result.build_seconds
    rec.spread = report.fairness_spread
    rec.variables, rec.constraints = result.variables, result.constraints
    if result.soft_goals == "not_optimised":
        rec.note = "time ran out before the soft-goal phase found a roster: the soft goals were not optimised"


def _greedy(scenario: Scenario, rec: Record) -> None:
    started = time.perf_counter()
    assignments = greedy_roster(scenario)
    seconds = time.perf_counter() - started
    priced = evaluate(scenario, assignments, SolveOptions(time_limit=600, lang="en"))
    report = verify(scenario, priced.roster, "greedy")
    rec.gaps = len(priced.roster.gaps)
    rec.status = "complete" if rec.gaps == 0 else "gaps"
    rec.objective = priced.objective
    rec.first_seconds = seconds if rec.gaps == 0 else None
    rec.best_seconds = rec.total_seconds = seconds
    rec.build_seconds = 0.0
    rec.spread = report.fairness_spread
    if rec.objective is not None:
        rec.trajectory.append((seconds, rec.objective, None))


def _highs(scenario: Scenario, rec: Record, time_limit: float, workers: int | None) -> None:
    try:
        from benchmarks.mip import from_cp_model, solve_highs
    except ImportError:  # pragma: no cover - highspy is an optional extra
        rec.status, rec.note = "not run", "highspy not installed (pip install -e '.[bench]')"
        return
    started = time.perf_counter()
    rm = build_model(scenario)
    mip = from_cp_model(rm.vars.model)
    rec.build_seconds = time.perf_counter() - started
    rec.variables, rec.constraints = mip.num_cols, mip.num_rows
    gap_cols = [t.var.index for t in rm.gap_terms]
    soft = [(t.var.index, t.coefficient) for t in rm.soft_terms]
    run = solve_highs(mip, gap_cols, soft, time_limit, threads=workers or 1)
    rec.total_seconds = rec.build_seconds + run.seconds
    rec.status = run.status.lower()
    rec.first_seconds, rec.best_seconds = run.first_seconds, run.best_seconds
    rec.trajectory = [(s, obj / OBJECTIVE_SCALE, None) for s, obj in run.trajectory]
    if run.values is None:
        rec.note = "no roster within the time limit"
        return
    values = run.values
    assignments = rm.assignments(lambda var: bool(values[var.index] > 0.5))
    priced = evaluate(scenario, assignments, SolveOptions(time_limit=600, lang="en"))
    report = verify(scenario, priced.roster, "highs")
    rec.gaps = len(priced.roster.gaps)
    rec.spread = report.fairness_spread
    if run.objective is None:
        rec.note = "only the coverage phase finished"
        return
    # The roster's price in the CP-SAT model is the least the auxiliary terms allow; an incumbent HiGHS
    # stopped on may carry slack in them, never less: the two agree or the MIP's is higher.
    highs_objective = run.objective / OBJECTIVE_SCALE
    if priced.objective is None or priced.objective > highs_objective + 1e-6 * max(1.0, highs_objective):
        raise InvalidRoster(f"highs: objective {highs_objective}, the CP-SAT model prices it {priced.objective}")
    rec.objective = priced.objective
    rec.bound = None if run.bound is None else max(0.0, run.bound) / OBJECTIVE_SCALE
    rec.gap = _relative_gap(rec.objective, rec.bound)
    if priced.objective < highs_objective - 1e-6 * max(1.0, highs_objective):
        rec.note = f"HiGHS reported {highs_objective:.2f} (slack in auxiliary terms)"
