"""Golden scenarios: the checker's report (rule ids and codes, not texts) equals the checked-in one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncall.checker import check
from oncall.model import Scenario
from oncall.roster import Roster

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def test_the_golden_cases_are_there() -> None:
    assert CASES == ["absence_and_pin", "caps", "hospitals", "valid_week"]


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
