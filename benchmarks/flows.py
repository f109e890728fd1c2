"""What keeps the bound open: the duties worked outside the home district, fixed step by step.

    python -m benchmarks.flows                                # samples/regional.yaml, 60 s per row
    python -m benchmarks.flows --scenario S --time-limit 30
    python -m benchmarks.flows --scenario S --workers 1 --deterministic-time 5   # the same rows every run

The scenario is solved once with every goal on (coverage settled first, as in ``oncall solve``). Then
the same model is solved again, from that roster, with more and more of its *flows* held as found:
the total number of duty-roles worked away from home, each physician's number, each physician's away
dates, and finally every away assignment (who, which duty, which role). Everything else stays free.
A bound that closes only in the last row says that the relaxation cannot price which duties cross a
district border, and that a proof must search over those choices.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from ortools.sat.python import cp_model

from benchmarks.machine import describe
from benchmarks.peers import steady_options, steady_settings
from benchmarks.report import fmt_num, fmt_pct
from oncall.io import load_scenario
from oncall.timeline import Timeline
from solver import SolveOptions
from solver.model import RosterModel, build_model
from solver.solve import Clock, Phase, run_phase, set_hint, soft_objective
from solver.terms import OBJECTIVE_SCALE

__all__ = ["HOLDS", "away_assignments", "main"]

DEFAULT = Path(__file__).resolve().parent.parent / "samples" / "regional.yaml"

# (physician, duty id, role, date) of an away assignment -> the key whose count is held.
AwayKey = tuple[str, str, str, dt.date]
HOLDS: dict[str, Callable[[AwayKey], Hashable]] = {
    "away duty-roles in total": lambda k: "all",
    "away duty-roles per physician": lambda k: k[0],
    "away dates per physician": lambda k: (k[0], k[3]),
    "every away assignment": lambda k: k,
}


def away_assignments(rm: RosterModel) -> dict[AwayKey, cp_model.IntVar]:
    """Every assignment of a physician to a duty outside the district of their own clinic."""
    v = rm.vars
    home = v.scenario.home_districts()
    out: dict[AwayKey, cp_model.IntVar] = {}
    for (pid, duty_id, role), x in v.all_assignments().items():
        duty = v.timeline.by_id[duty_id]
        if duty.district != home[pid]:
            out[(pid, duty_id, role, duty.day)] = x
    return out


def _row(label: str, phase: Phase, seconds: float) -> str:
    solver = phase.solver
    if not phase.solved:
        return f"| {label} | {solver.status_name(phase.code).lower()} | – | – | – | {seconds:.1f} |"
    objective = solver.objective_value / OBJECTIVE_SCALE
    bound = objective if phase.code == cp_model.OPTIMAL else solver.best_objective_bound / OBJECTIVE_SCALE
    gap = max(0.0, objective - bound) / max(1.0, abs(objective))
    status = "optimal" if phase.code == cp_model.OPTIMAL else "feasible"
    cells = [label, status, fmt_num(objective), fmt_num(bound), fmt_pct(gap), fmt_num(seconds, 1)]
    return "| " + " | ".join(cells) + " |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.flows", description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per row")
    parser.add_argument("--seed", type=int, default=0)
    steady_options(parser)
    args = parser.parse_args(argv)
    scenario = load_scenario(args.scenario)
    options = SolveOptions(time_limit=args.time_limit, seed=args.seed, warm_start=False, **steady_settings(args))
    rm = build_model(scenario, Timeline.build(scenario))
    model = rm.vars.model
    model.add(cp_model.LinearExpr.sum([t.var for t in rm.gap_terms]) == 0)
    model.minimize(soft_objective(rm))
    away = away_assignments(rm)

    print(f"{scenario.name}: {len(scenario.physicians)} doctors, {len(scenario.districts)} districts")
    print(f"Machine: {describe().line()}")
    print(f"Settings: {options.describe()}; time limit {args.time_limit:g} s per row, every goal on")
    print(f"Away assignments possible: {len(away)}")
    print()
    print("| held as in the first row's roster | status | objective | bound | gap | seconds |")
    print("|---|---|---:|---:|---:|---:|")
    clock = Clock()
    first = run_phase(model, options, args.time_limit, clock, None)
    print(_row("nothing (the plain solve)", first, clock()), flush=True)
    if not first.solved:
        print("No roster covers every duty within the time limit: nothing to hold.")
        return 1
    solution = list(first.solver.response_proto.solution)
    for label, key in HOLDS.items():
        counts: dict[Hashable, list[cp_model.IntVar]] = defaultdict(list)
        for k, x in away.items():
            counts[key(k)].append(x)
        held = model.clone()
        for xs in counts.values():
            found = sum(solution[x.index] for x in xs)
            held.add(cp_model.LinearExpr.sum([held.get_bool_var_from_proto_index(x.index) for x in xs]) == found)
        set_hint(held, solution)
        clock = Clock()
        phase = run_phase(held, options, args.time_limit, clock, None)
        print(_row(label, phase, clock()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
