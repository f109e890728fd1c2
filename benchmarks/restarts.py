"""What restarting the soft-goal phase under a fresh presolve buys (``SolveOptions.restarts``).

    python -m benchmarks.restarts                                     # the samples, 60 s, restarts 4 and 0
    python -m benchmarks.restarts --instances 40d4:2027-05:3 --restarts 4 0 --repeat 3 --time-limit 20

CP-SAT presolves a model once. ``solver.solve`` starts the soft-goal phase of a model without a hint
again from its best roster, under "objective at most that roster's", each time the distance between
roster and bound has halved (``DEFAULT_RESTARTS`` times at most). Each instance is solved with each
setting as ``oncall solve`` would (two workers, which do not repeat a run exactly: ``--repeat`` runs each
setting again), every roster checked by the independent checker. "best at" is the second of the search
(after the build) at which the roster returned was found.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.instances import Instance
from benchmarks.machine import describe
from benchmarks.peers import verify
from benchmarks.report import fmt_num, fmt_pct
from oncall.io import load_scenario
from oncall.model import Scenario
from solver import SolveOptions, solve

__all__ = ["main", "scenario_named"]

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
INSTANCES = ("regional_shared", "regional")


def scenario_named(name: str) -> Scenario:
    """A sample by name (``regional_shared``), a scenario file, or a generated instance ``40d4:2027-05:3``."""
    if ":" in name:
        size, month, seed = name.split(":")
        doctors, districts = size.split("d")
        return Instance(int(doctors), int(districts), int(seed), month).scenario()
    path = Path(name) if name.endswith((".yaml", ".json")) else SAMPLES / f"{name}.yaml"
    return load_scenario(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.restarts", description=__doc__.split("\n")[0])
    parser.add_argument("--instances", nargs="*", default=list(INSTANCES), help="a sample, a file or NdD:MONTH:SEED")
    parser.add_argument("--restarts", nargs="*", type=int, default=[4, 0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    options = SolveOptions(time_limit=args.time_limit, seed=args.seed)
    print(f"Machine: {describe().line()}")
    print(f"Settings: {options.describe()}; time limit {args.time_limit:g} s (restarts as in each row)")
    print()
    print("| scenario | restarts | run | status | objective | bound | gap | seconds | best at |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for name in args.instances:
        scenario = scenario_named(name)
        for restarts in args.restarts:
            for run in range(1, args.repeat + 1):
                started = time.perf_counter()
                result = solve(scenario, SolveOptions(time_limit=args.time_limit, seed=args.seed, restarts=restarts))
                seconds = time.perf_counter() - started
                verify(scenario, result.roster, "cp-sat")
                cells = [name, str(restarts), str(run), result.status, fmt_num(result.objective)]
                cells += [fmt_num(result.bound), fmt_pct(result.gap), fmt_num(seconds, 1)]
                cells.append(fmt_num(result.best_seconds, 1))
                print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
