"""Hospital standby targets against what a roster can reach: the least hospital part of the objective.

    python -m benchmarks.standby samples/regional.yaml [--time-limit 60]
    oncall generate --doctors 150 --month 2027-01 --seed 1 -o g150.yaml && python -m benchmarks.standby g150.yaml

The backup-hospital half of a roster depends on no doctor: the solver's model restricted to the hospital
rules (every hospital unit covered or a gap, districts, closed dates, ``max_districts``, expected
admissions, ``max_standby_days``) and priced by the ``hospital_spread`` goal alone is solved, fewest
hospital gaps first, with one worker and a fixed seed, to proven optimality or to the time limit. Its
optimum is the least ``hospital_spread`` part of the objective that any roster of the scenario can have:
a target a hospital cannot reach shows as a cost no search removes. Per hospital the table shows its
capacity and limits, its target (``oncall.fairness.standby_targets``), its standby in that best roster,
and the deviation.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ortools.sat.python import cp_model

from oncall.eligibility import compute_eligibility
from oncall.fairness import standby_days, standby_targets
from oncall.io import load_scenario
from oncall.model import Scenario
from oncall.timeline import Timeline
from solver.rules.hospitals import hospital_capacity, hospital_spread, hospital_standby_cap
from solver.rules.load import hospital_admissions
from solver.terms import OBJECTIVE_SCALE
from solver.variables import Variables

__all__ = ["HospitalPart", "least_hospital_part", "main"]


@dataclass(frozen=True)
class HospitalPart:
    """The best hospital half of any roster: its gaps, its hospital_spread cost, each hospital's standby."""

    proven: bool
    gaps: int
    objective: float  # the hospital_spread part of the objective, in the solver's plain units
    targets: dict[str, float]
    standby: dict[str, float]  # days on standby in that roster


def _solve(model: cp_model.CpModel, time_limit: float) -> tuple[cp_model.CpSolver, bool]:
    """Solve with one worker and a fixed seed; the solver and whether it proved optimality."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = time_limit
    code = solver.solve(model)
    return solver, code == cp_model.OPTIMAL


def least_hospital_part(scenario: Scenario, time_limit: float = 60.0) -> HospitalPart:
    """The least ``hospital_spread`` cost any roster of ``scenario`` can have, fewest hospital gaps first
    (each of the two steps stops at ``time_limit`` seconds; ``proven`` says whether both finished)."""
    timeline = Timeline.build(scenario)
    v = Variables.create(scenario, timeline, compute_eligibility(scenario, timeline))
    for unit in v.units:
        v.model.add(sum(y for _, y in v.unit_hospitals(unit.key)) + v.hospital_gap[unit.key] == 1)
    for encode in (hospital_capacity, hospital_standby_cap, hospital_admissions):
        encode(v)
    terms = hospital_spread(v)
    gaps = list(v.hospital_gap.values())
    v.model.minimize(sum(gaps))
    first, proven_first = _solve(v.model, time_limit)
    least = round(first.objective_value)
    v.model.add(sum(gaps) <= least)
    v.model.minimize(sum(t.coefficient * t.var for t in terms))
    best, proven_best = _solve(v.model, time_limit)
    standby = dict.fromkeys((h.id for h in scenario.hospitals), 0.0)
    for unit in v.units:
        for hid, y in v.unit_hospitals(unit.key):
            if best.value(y):
                standby[hid] += standby_days(sum(d.slot.hours for d in unit.duties))
    return HospitalPart(
        proven=proven_first and proven_best,
        gaps=least,
        objective=best.objective_value / OBJECTIVE_SCALE,
        targets=standby_targets(scenario, timeline),
        standby=standby,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print the table for each scenario named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="+", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for each of the two steps")
    args = parser.parse_args(argv)
    for path in args.scenarios:
        scenario = load_scenario(path)
        part = least_hospital_part(scenario, args.time_limit)
        state = "proven optimal" if part.proven else f"best found in {args.time_limit:g} s, not proven"
        print(f"{path}: least hospital_spread part {part.objective:.2f} ({state}), hospital gaps {part.gaps}")
        print("| hospital | capacity/day | max_standby_days | max_districts | target | best standby | deviation |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for h in scenario.hospitals:
            target, held = part.targets[h.id], part.standby[h.id]
            limits = ["–" if x is None else str(x) for x in (h.max_standby_days, h.max_districts)]
            print(
                f"| {h.id} | {h.capacity_per_day} | {limits[0]} | {limits[1]} | {target:.2f} | {held:.2f} | "
                f"{held - target:+.2f} |"
            )


if __name__ == "__main__":
    main()
