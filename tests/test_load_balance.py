"""With the visit-balance goal on, expected visits per unit share are spread more evenly than with it off.

Slow: each case solves a month twice. ``pytest -m slow -s tests/test_load_balance.py`` prints the figures
(the spread of expected visits per unit share around each doctor's fair share, ``CheckReport.visit_spread``,
and the fairness spread of duty points) with the goal off and on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.checker import CheckReport, check
from oncall.generate import add_patients, generate
from oncall.io import load_scenario
from oncall.model import Scenario
from solver import SolveOptions, solve

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _both(scenario: Scenario, seconds: float) -> tuple[CheckReport, CheckReport]:
    reports = []
    for weight in (0.0, scenario.rules.weights.visit_balance or 2.0):
        s = scenario.model_copy(deep=True)
        s.rules.weights.visit_balance = weight
        result = solve(s, SolveOptions(time_limit=seconds, workers=2, seed=0, deterministic_time=seconds * 2))
        report = check(s, result.roster)
        assert not [v for v in report.violations if v.rule != "coverage"]
        reports.append(report)
    off, on = reports
    print(
        f"\n{scenario.name}: visit spread off {off.visit_spread:.4f} on {on.visit_spread:.4f}; "
        f"fairness spread off {off.fairness_spread:.2f} on {on.fairness_spread:.2f}"
    )
    return off, on


@pytest.mark.slow
def test_regional_sample() -> None:
    off, on = _both(load_scenario(SAMPLES / "regional.yaml"), 60)
    assert on.visit_spread < off.visit_spread


@pytest.mark.slow
@pytest.mark.parametrize(("doctors", "districts", "month", "seed"), [(24, 3, "2027-02", 11), (36, 4, "2027-06", 12)])
def test_generated_scenarios(doctors: int, districts: int, month: str, seed: int) -> None:
    scenario = add_patients(generate(doctors=doctors, districts=districts, month=month, seed=seed), seed=seed)
    off, on = _both(scenario, 40)
    assert on.visit_spread < off.visit_spread
