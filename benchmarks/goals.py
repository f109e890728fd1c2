"""Which soft goals make optimality hard to prove: the same scenario solved with subsets of its goals.

    python -m benchmarks.goals                               # samples/regional.yaml, 30 s each, ~5 minutes
    python -m benchmarks.goals --scenario S --time-limit 60
    python -m benchmarks.goals --subsets home_district,fairness --solver highs --time-limit 120

Every goal left out gets weight 0; everything else (hard rules, settings) is as in ``oncall solve``.
The table shows, per subset, the status, objective, bound, gap and time: a subset proven optimal at
once has a tight relaxation, a subset that stays open names the interaction that limits the proof.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.machine import describe
from oncall.io import load_scenario
from oncall.model import Scenario
from solver import SolveOptions, solve

__all__ = ["SUBSETS", "main", "with_goals"]

GOALS = (
    "fairness",
    "fairness_category",
    "requests",
    "spacing",
    "pairing",
    "home_district",
    "hospital_spread",
    "visit_balance",
)
ALL = ",".join(GOALS)
SUBSETS: tuple[str, ...] = (
    "home_district",
    "spacing",
    "fairness,fairness_category",
    "home_district,fairness_category",
    "home_district,fairness",
    "spacing,fairness,fairness_category",
    ",".join(g for g in GOALS if g != "home_district"),
    ",".join(g for g in GOALS if g != "spacing"),
    ALL,
)
DEFAULT = Path(__file__).resolve().parent.parent / "samples" / "regional.yaml"


def with_goals(scenario: Scenario, goals: Sequence[str]) -> Scenario:
    """``scenario`` with every soft goal not in ``goals`` weighted 0."""
    weights = scenario.rules.weights
    off = {g: 0 for g in GOALS if g not in goals}
    rules = scenario.rules.model_copy(update={"weights": weights.model_copy(update=off)})
    return scenario.model_copy(update={"rules": rules})


def _label(goals: Sequence[str]) -> str:
    missing = [g for g in GOALS if g not in goals]
    if not missing:
        return "all"
    return f"all but {missing[0]}" if len(missing) == 1 else ", ".join(goals)


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _highs(scenario: Scenario, time_limit: float, seed: int) -> tuple[str, float | None, float | None]:
    """The same model solved by HiGHS (one thread): status, the roster priced by the solver's objective
    (``solver.evaluate``, as in the benchmark table), and HiGHS's bound."""
    from benchmarks.mip import from_cp_model, solve_highs
    from solver import build_model, evaluate
    from solver.terms import OBJECTIVE_SCALE

    rm = build_model(scenario)
    run = solve_highs(
        from_cp_model(rm.vars.model),
        [t.var.index for t in rm.gap_terms],
        [(t.var.index, t.coefficient) for t in rm.soft_terms],
        time_limit,
        threads=1,
        seed=seed,
    )
    bound = None if run.bound is None else max(0.0, run.bound) / OBJECTIVE_SCALE
    if run.values is None or run.objective is None:
        return run.status.lower(), None, bound
    values = run.values
    priced = evaluate(scenario, rm.assignments(lambda var: bool(values[var.index] > 0.5)))
    return run.status.lower(), priced.objective, bound


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.goals", description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--subsets", nargs="*", default=list(SUBSETS), help="comma-separated goal lists")
    parser.add_argument("--solver", choices=("cp-sat", "highs"), default="cp-sat", help="highs: one thread")
    args = parser.parse_args(argv)
    scenario = load_scenario(args.scenario)
    options = SolveOptions(time_limit=args.time_limit, seed=args.seed)
    print(f"{scenario.name}: {len(scenario.physicians)} doctors, {len(scenario.districts)} districts")
    print(f"Machine: {describe().line()}")
    if args.solver == "highs":
        print(f"Settings: HiGHS (highspy), the same model as a MIP, 1 thread; time limit {args.time_limit:g} s")
    else:
        print(f"Settings: {options.describe()}; time limit {args.time_limit:g} s")
    print()
    print("| goals on | status | objective | bound | gap | seconds |")
    print("|---|---|---:|---:|---:|---:|")
    for subset in args.subsets:
        goals = subset.split(",")
        unknown = [g for g in goals if g not in GOALS]
        if unknown:
            parser.error(f"unknown goal(s) {', '.join(unknown)}; known: {ALL}")
        started = time.perf_counter()
        if args.solver == "highs":
            status, objective, bound = _highs(with_goals(scenario, goals), args.time_limit, args.seed)
        else:
            r = solve(with_goals(scenario, goals), options)
            status, objective, bound = r.status, r.objective, r.bound
        seconds = time.perf_counter() - started
        gap = None if objective is None or bound is None or objective <= 0 else (objective - bound) / objective
        cells = [_label(goals), status, _num(objective), _num(bound), _pct(gap), f"{seconds:.1f}"]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
