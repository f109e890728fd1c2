"""Time to proven optimum of the cover plan (pairing + absence cover), for generated networks.

    python -m benchmarks.cover [--doctors 40 150] [--seed 1] [--workers 2]

Each instance is the seeded generator's network (oncall.generate, with its absences and patients) plus
a cover section like samples/regional_cover.yaml's: every doctor with patients is a 主治医, a 副主治医
covers at most 2 colleagues and 60 patients, panels of 35 or more get two, 16 km. The rota comes from
the rota solver's first solution (not timed). Timed: building and solving the cover model, both phases,
to the proven optimum. One markdown row per size: doctors, pairs, stretches, variables, status, seconds.
Run it on a quiet machine (load average under 2): the figure is a wall-clock time.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from oncall.cover.document import CoverPlan
from oncall.generate import add_patients, default_districts, generate
from oncall.model import Scenario
from oncall.roster import Roster
from solver import SolveOptions, solve
from solver.cover import build_cover_model, solve_cover

__all__ = ["instance", "measure"]


def instance(doctors: int, seed: int) -> Scenario:
    """A generated network of ``doctors`` with a cover section."""
    s = add_patients(generate(doctors=doctors, districts=default_districts(doctors), month="2027-06", seed=seed), seed)
    with_patients = {g.clinic for g in s.patients if g.total}
    data = s.model_dump()
    data["cover"] = {
        "max_visit_km": 16,
        "two_deputies_from": 35,
        "panels": [{"physician": p.id} for p in s.physicians if p.clinic in with_patients],
        "doctors": [{"physician": p.id, "max_colleagues": 2, "max_patients": 60} for p in s.physicians],
    }
    return Scenario.model_validate(data)


def rota(s: Scenario, seed: int) -> Roster:
    """The rota solver's first solution: the cover plan only needs its duties as data."""
    options = SolveOptions(time_limit=300, workers=2, seed=seed, cp_sat={"stop_after_first_solution": True})
    return solve(s, options).roster


def measure(s: Scenario, roster: Roster, workers: int, seed: int = 0) -> dict[str, Any]:
    """Solve the cover plan to its proven optimum; figures of the model and the time."""
    m = build_cover_model(s, roster)
    variables = len(m.model.proto.variables)
    started = time.perf_counter()
    plan: CoverPlan = solve_cover(s, roster, workers=workers, seed=seed)
    seconds = time.perf_counter() - started
    return {
        "doctors": len(s.physicians),
        "principals": len(m.staffing),
        "pairs": len(plan.pairs),
        "stretches": len(plan.answers),
        "gaps": sum(u.missing for u in plan.unpaired) + sum(1 for a in plan.answers if a.answerer is None),
        "variables": variables,
        "status": plan.status,
        "seconds": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doctors", type=int, nargs="+", default=[40, 150])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    keys = ("doctors", "principals", "pairs", "stretches", "gaps", "variables", "status", "seconds")
    print("| " + " | ".join(keys) + " |")
    print("|" + " --- |" * len(keys))
    for n in args.doctors:
        s = instance(n, args.seed)
        row = measure(s, rota(s, args.seed), args.workers)
        print("| " + " | ".join(str(row[k]) for k in keys) + " |", flush=True)


if __name__ == "__main__":
    main()
