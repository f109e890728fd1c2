"""Golden scenarios: the checker's report (rule ids and codes, not texts) equals the checked-in one, and a
solve's status, gaps, objective and proven bound equal the checked-in ones (``tests/golden/write_solves.py``
wrote them; every case is proven, so the figures are the optimum's, the same on any machine)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall.checker import check
from oncall.model import Scenario
from oncall.roster import Roster

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.json").exists())
SOLVES = sorted(p.name for p in GOLDEN.iterdir() if (p / "solve.json").exists())


def test_the_golden_cases_are_there() -> None:
    assert CASES == ["absence_and_pin", "caps", "hospitals", "valid_week"]
    assert SOLVES == ["absence_and_pin", "caps", "generated_month", "hospitals", "thin_week", "valid_week"]


@pytest.mark.parametrize("name", CASES)
def test_the_check_report_equals_the_golden_one(name: str) -> None:
    folder = GOLDEN / name
    scenario = Scenario.model_validate_json((folder / "scenario.json").read_text(encoding="utf-8"))
    roster = Roster.model_validate_json((folder / "roster.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    for lang in ("ja", "en"):
        report = check(scenario, roster, lang=lang, figures=False)
        got = [{"rule": v.rule, "code": v.code, "duty": v.duty, "people": list(v.people)} for v in report.violations]
        assert {"ok": report.ok, "violations": got} == expected


@pytest.mark.parametrize("name", SOLVES)
def test_a_solve_proves_the_golden_objective_and_bound(name: str) -> None:
    from solver import solve
    from tests.golden.write_solves import WORK
    from tests.solving import steady

    folder = GOLDEN / name
    scenario = Scenario.model_validate_json((folder / "scenario.json").read_text(encoding="utf-8"))
    expected = json.loads((folder / "solve.json").read_text(encoding="utf-8"))
    result = solve(scenario, steady(WORK))
    assert result.status == expected["status"]
    assert len(result.roster.gaps) == expected["gaps"]
    assert result.objective == pytest.approx(expected["objective"], abs=1e-6)
    assert result.bound == pytest.approx(expected["bound"], abs=1e-6)
    assert result.objective == pytest.approx(result.bound, abs=1e-6)  # proven: the figures are the optimum's
    report = check(scenario, result.roster, figures=False)
    assert {v.rule for v in report.violations} <= {"coverage"}
    assert sum(v.rule == "coverage" for v in report.violations) == expected["gaps"]
