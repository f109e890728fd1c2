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
from collections.abc import Sequence
from pathlib import Path

from benchmarks.machine import describe
from benchmarks.peers import run_scenario, steady_options, steady_settings
from benchmarks.report import fmt_num, fmt_pct
from oncall.io import load_scenario
from oncall.model import Scenario
from solver import SolveOptions

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.goals", description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--subsets", nargs="*", default=list(SUBSETS), help="comma-separated goal lists")
    parser.add_argument("--solver", choices=("cp-sat", "highs"), default="cp-sat")
    # HiGHS fixes its thread count for the life of a process: one process keeps to one value.
    parser.add_argument("--threads", type=int, default=1, help="HiGHS threads (default 1)")
    steady_options(parser)
    args = parser.parse_args(argv)
    scenario = load_scenario(args.scenario)
    options = SolveOptions(time_limit=args.time_limit, seed=args.seed, **steady_settings(args))
    print(f"{scenario.name}: {len(scenario.physicians)} doctors, {len(scenario.districts)} districts")
    print(f"Machine: {describe().line()}")
    if args.solver == "highs":
        limit = f"time limit {args.time_limit:g} s"
        print(f"Settings: HiGHS (highspy), the same model as a MIP, {args.threads} thread(s); {limit}")
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
        # The benchmark runner's own run: the roster is checked, HiGHS's priced by the solver's objective.
        workers = args.threads if args.solver == "highs" else None
        settings = {"seed": args.seed, **steady_settings(args)} if args.solver == "cp-sat" else None
        r = run_scenario(with_goals(scenario, goals), subset, args.solver, args.time_limit, workers, settings)
        cells = [_label(goals), r.status, fmt_num(r.objective), fmt_num(r.bound), fmt_pct(r.gap)]
        cells.append(fmt_num(r.total_seconds, 1))
        print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
