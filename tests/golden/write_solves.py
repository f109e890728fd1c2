"""Write the golden solves: the stored scenarios of the cases that have none yet, then ``solve.json`` of
every case (status, gaps, objective, bound of ``solver.solve`` with ``tests.solving.steady(WORK)``).

Run from the repository root, then review the diff: ``python -m tests.golden.write_solves``. A change of the
stored figures means the solver's model now prices a roster differently (or no longer proves the case).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from oncall.generate import generate
from oncall.model import Absence, Scenario
from solver import solve
from tests.factories import make_scenario
from tests.solving import steady

GOLDEN = Path(__file__).parent
WORK = 30.0


def thin_week() -> Scenario:
    """The week of the factories' network with every doctor who covers 北部 away on Wednesday 1/6: its
    duties of that date cannot be covered (gaps), the rest of the week must be."""
    scenario = make_scenario()
    day = dt.date(2027, 1, 6)
    for physician in scenario.physicians:
        if physician.clinic.startswith("n") or physician.id == "s2c":
            physician.absences.append(Absence(start=day, end=day, reason="golden"))
    return scenario


def generated_month() -> Scenario:
    """A generated network of 12 doctors in 2 districts for January 2027 (年末年始, 成人の日), with its
    patients, hospitals, absences, caps and wishes."""
    return generate(12, 2, "2027-01", 1)


# Cases whose scenario is written here; the others' scenario.json is the checker's golden case.
MADE: dict[str, Callable[[], Scenario]] = {"thin_week": thin_week, "generated_month": generated_month}


def main() -> None:
    for name, make in MADE.items():
        folder = GOLDEN / name
        folder.mkdir(exist_ok=True)
        path = folder / "scenario.json"
        if not path.exists():
            path.write_text(make().model_dump_json(indent=1, exclude_defaults=True) + "\n", encoding="utf-8")
    for folder in sorted(p for p in GOLDEN.iterdir() if (p / "scenario.json").exists()):
        scenario = Scenario.model_validate_json((folder / "scenario.json").read_text(encoding="utf-8"))
        result = solve(scenario, steady(WORK))
        figures = {
            "status": result.status,
            "gaps": len(result.roster.gaps),
            "objective": result.objective,
            "bound": result.bound,
        }
        (folder / "solve.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(folder.name, figures)


if __name__ == "__main__":
    main()
