"""With the visit-balance goal on, expected visits per unit share are spread more evenly than with it off.

The solves are slow: each case solves a month twice. ``pytest -m slow -s tests/test_load_balance.py`` prints the figures
(the spread of expected visits per unit share around each doctor's fair share, ``CheckReport.visit_spread``,
and the fairness spread of duty points) with the goal off and on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.checker import CheckReport, check
from oncall.generate import add_patients, generate
from oncall.io import load_scenario
from oncall.model import RISK_CLASSES, PatientGroup, Scenario
from solver import SolveOptions, solve
from solver.model import build_model
from solver.rules.load import VISIT_TICKS
from solver.terms import OBJECTIVE_SCALE
from tests.factories import make_scenario

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


def test_the_goal_prices_visits_the_same_whatever_the_rates() -> None:
    """The weight prices one average duty role's expected visits, whatever the rates: scaling every
    class's calls (as the fix of the rates, 3.83 → 25.5 calls per 100 a month, did) leaves the model as it was."""
    s = make_scenario(days=4)
    s.patients = [PatientGroup(clinic="n1", cancer=40, other=160), PatientGroup(clinic="s1", care_level_4_5=90)]
    s.rules.weights.visit_balance = 2
    models = []
    for factor in (1.0, 0.15):  # the field's calls, and the call-outs once read as calls
        scaled = s.model_copy(deep=True)
        for risk in RISK_CLASSES:
            scaled.load.rates.of(risk).calls *= factor
        models.append(build_model(scaled))
    field, low = ([(t.name, t.coefficient) for t in m.soft_terms if t.rule == "visit_balance"] for m in models)
    assert field and field == low
    assert all(c * VISIT_TICKS == 2 * OBJECTIVE_SCALE for _, c in field)
    assert str(models[0].vars.model.Proto()) == str(models[1].vars.model.Proto())


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
