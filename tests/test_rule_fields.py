"""The scenario fields of the rules issue 19 added: in the JSON Schema and the docs, and refused when nonsense."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from oncall.model import (
    CapacityOverride,
    Caps,
    Closure,
    District,
    Hospital,
    Physician,
    RecurringAbsence,
    RolePoints,
    Rules,
)
from tests.rule_fields import INVALID
from tests.test_cli import FAST, invoke, scenario_data, write_yaml

ROOT = Path(__file__).resolve().parent.parent
NEW_FIELDS = {
    Rules: ["max_visit_km", "role_points"],
    RolePoints: ["primary", "secondary"],
    Physician: ["recurring_absences", "mentors", "never_with"],
    Hospital: ["capacity_overrides", "closures", "night_only", "standby_blocks"],
    CapacityOverride: ["start", "end", "capacity_per_day"],
    Closure: ["start", "end"],
    RecurringAbsence: list(RecurringAbsence.model_fields),
    District: ["lat", "lon"],
    Caps: [
        "weekend_duties",
        "holiday_nights",
        "nights_per_week",
        "oncall_hours",
        "min_duties",
        "consecutive_nights",
    ],
}


def _schema() -> dict[str, Any]:
    result = invoke("schema")
    assert result.exit_code == 0
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_the_schema_and_the_docs_describe_every_new_field() -> None:
    defs = _schema()["$defs"]
    text = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    for model, names in NEW_FIELDS.items():
        for name in names:
            assert defs[model.__name__]["properties"][name]["description"], f"{model.__name__}.{name}"
            assert re.search(rf"^\| `{name}`|^\| `lat`, `lon`", text, re.MULTILINE), name


@pytest.mark.parametrize("sample", sorted(p.name for p in (ROOT / "samples").glob("*.yaml")))
def test_the_schema_validates_every_sample(sample: str) -> None:
    import jsonschema

    doc = _schema()
    data = yaml.safe_load((ROOT / "samples" / sample).read_text(encoding="utf-8"))
    jsonschema.validate(data, doc)
    data["rules"] = {**data.get("rules", {}), "max_visit_km": -1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, doc)


def test_the_regional_sample_gives_every_district_a_centre_within_reach() -> None:
    from oncall.geo import visit_km
    from oncall.io import load_scenario

    s = load_scenario(ROOT / "samples" / "regional.yaml")
    assert all(d.lat is not None and d.lon is not None for d in s.districts)
    km = [visit_km(s, p, d) for p in s.physicians for d in s.districts_of(p)]
    assert all(k is not None and k <= s.rules.max_visit_km for k in km if s.rules.max_visit_km)
    assert s.rules.max_visit_km == 16


@pytest.mark.parametrize(("edit", "field", "words"), INVALID, ids=[f for _, f, _ in INVALID])
def test_a_nonsense_value_is_one_line_naming_the_field(tmp_path: Path, edit: Any, field: str, words: str) -> None:
    data = scenario_data()
    edit(data)
    path = write_yaml(tmp_path / "bad.yaml", data)
    result = invoke("solve", path, *FAST, "--lang", "en")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: {field}: "), lines
    assert words in lines[0]
