"""What the neighbour-help threshold of the fair share buys and costs: proof, travel and burden.

    python -m benchmarks.threshold                        # the regional sample and 40d4 seeds 1-3, 60 s each
    python -m benchmarks.threshold --thresholds 0 1 --instances regional --time-limit 30

``rules.neighbour_help_threshold`` (docs/rules.md, *Fair share*) decides how far the fair share levels
the burden across district borders. Each scenario is solved with each threshold, everything else as in
``oncall solve``. Per run the table shows the solver's status, objective, bound and time, the duty-roles
worked outside the holder's home district, and two measures of the burden that do not depend on the
targets (which the threshold itself changes): the range of the districts' levels, each district's
carried plus earned points over its doctors' weight (share × availability), and the same range over
single doctors. Every roster is checked by the independent checker first (the run stops at a broken hard rule).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.instances import Instance
from benchmarks.machine import describe
from benchmarks.peers import verify
from benchmarks.report import fmt_num, fmt_pct
from oncall.fairness import weights
from oncall.io import load_scenario
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.timeline import Timeline
from solver import SolveOptions, solve

__all__ = ["Burden", "burden", "main", "with_threshold"]

REGIONAL = Path(__file__).resolve().parent.parent / "samples" / "regional.yaml"
INSTANCES = ("regional", "40d4s1", "40d4s2", "40d4s3")


@dataclass(frozen=True)
class Burden:
    """Duty-roles away from home, and how evenly carried plus earned points lie per unit of weight."""

    away: int
    district_range: float  # between the districts' levels
    doctor_range: float  # between single doctors' levels


def burden(scenario: Scenario, roster: Roster) -> Burden:
    """The burden figures of a roster (see the module's docstring)."""
    timeline = Timeline.build(scenario)
    weight = weights(scenario, timeline)
    home = scenario.home_districts()
    carried = {p.id: sum(p.history.points.values()) for p in scenario.physicians}
    points: dict[str, float] = defaultdict(float)
    away = 0
    for duty in roster.duties:
        worth = timeline.by_id[duty.id].slot.points
        for pid in (duty.primary, duty.secondary):
            if pid is not None:
                points[pid] += worth
                away += home[pid] != duty.district
    load: dict[str, float] = defaultdict(float)
    district_weight: dict[str, float] = defaultdict(float)
    levels = []
    for p in scenario.physicians:
        if weight[p.id] > 0:
            load[home[p.id]] += carried[p.id] + points[p.id]
            district_weight[home[p.id]] += weight[p.id]
            levels.append((carried[p.id] + points[p.id]) / weight[p.id])
    districts = [load[d] / district_weight[d] for d in load if district_weight[d] > 0]
    return Burden(away, max(districts) - min(districts), max(levels) - min(levels))


def with_threshold(scenario: Scenario, threshold: float) -> Scenario:
    """``scenario`` with ``rules.neighbour_help_threshold`` set to ``threshold``."""
    rules = scenario.rules.model_copy(update={"neighbour_help_threshold": threshold})
    return scenario.model_copy(update={"rules": rules})


def _scenario(name: str) -> Scenario:
    if name == "regional":
        return load_scenario(REGIONAL)
    if name.endswith(".yaml") or name.endswith(".json"):
        return load_scenario(Path(name))
    size, seed = name.split("s")
    doctors, districts = size.split("d")
    return Instance(int(doctors), int(districts), int(seed)).scenario()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.threshold", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--instances", nargs="*", default=list(INSTANCES), help="regional, NdDsS (generated), or a scenario file"
    )
    parser.add_argument("--thresholds", nargs="*", type=float, default=[0.0, 0.5, 1.0, 2.0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    options = SolveOptions(time_limit=args.time_limit, seed=args.seed)
    print(f"Machine: {describe().line()}")
    print(f"Settings: {options.describe()}; time limit {args.time_limit:g} s")
    print()
    print(
        "| scenario | threshold | status | objective | bound | gap | seconds | away duty-roles "
        "| district range | doctor range |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.instances:
        base = _scenario(name)
        for threshold in args.thresholds:
            scenario = with_threshold(base, threshold)
            started = time.perf_counter()
            result = solve(scenario, options)
            seconds = time.perf_counter() - started
            verify(scenario, result.roster, "cp-sat")
            b = burden(scenario, result.roster)
            cells = [name, f"{threshold:g}", result.status, fmt_num(result.objective), fmt_num(result.bound)]
            cells += [fmt_pct(result.gap), fmt_num(seconds, 1), str(b.away)]
            cells += [fmt_num(b.district_range), fmt_num(b.doctor_range)]
            print("| " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
