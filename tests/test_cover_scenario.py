"""The cover plan's part of the scenario: validation errors that name the field, panels from `patients`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from oncall.cover.facts import panels
from oncall.cover.model import CoverConfig, CoverDoctor, CoverGroup, Pair, Panel
from oncall.model import PatientGroup, Scenario
from oncall.rules import COVER_HARD, COVER_SOFT
from tests.factories import make_scenario


@pytest.mark.parametrize(
    ("cover", "where"),
    [
        ({"panels": [{"physician": "nobody"}]}, "cover.panels[0].physician: unknown physician 'nobody'"),
        ({"panels": [{"physician": "n1a", "district": "east"}]}, "cover.panels[0].district: unknown district"),
        ({"doctors": [{"physician": "x"}]}, "cover.doctors[0].physician: unknown physician 'x'"),
        ({"previous_pairs": [{"principal": "n1a", "deputy": "zz"}]}, "cover.previous_pairs[0].deputy"),
        ({"groups": [{"id": "g", "name": "G", "clinics": ["n1", "zz"]}]}, "cover.groups[0].clinics[1]"),
        (
            {
                "groups": [
                    {"id": "g", "name": "G", "clinics": ["n1", "n2"]},
                    {"id": "h", "name": "H", "clinics": ["n2", "s1"]},
                ]
            },
            "cover.groups[1].clinics[0]: clinic 'n2' is already in group 'g'",
        ),
        ({"max_visit_km": -3}, "cover.max_visit_km"),
    ],
)
def test_invalid_cover_names_the_field(cover: dict[str, object], where: str) -> None:
    data = make_scenario().model_dump()
    data["cover"] = cover
    with pytest.raises(ValidationError) as exc:
        Scenario.model_validate(data)
    assert where in str(exc.value)


def test_a_group_needs_three_full_time_doctors_and_fewer_than_ten_institutions() -> None:
    data = make_scenario().model_dump()
    part = [{"physician": p, "full_time": False} for p in ("n1a", "n1b", "n2a", "n2b")]
    data["cover"] = {"groups": [{"id": "g", "name": "G", "clinics": ["n1", "n2"]}], "doctors": part}
    with pytest.raises(ValidationError, match=r"cover.groups\[0\]: 2 full-time doctors"):
        Scenario.model_validate(data)
    assert CoverGroup(id="g", name="G", clinics=[f"c{i}" for i in range(10)])  # the model itself takes it
    s = make_scenario()
    clinics = [s.clinics[0].model_copy(update={"id": f"k{i}", "name": f"K{i}"}) for i in range(10)]
    data = s.model_dump()
    data["clinics"] += [c.model_dump() for c in clinics]
    data["cover"] = {"groups": [{"id": "g", "name": "G", "clinics": [f"k{i}" for i in range(9)] + ["n1"]}]}
    with pytest.raises(ValidationError, match="10 institutions; a 連携型 group has fewer than 10"):
        Scenario.model_validate(data)


def test_model_defaults() -> None:
    c = CoverConfig(
        panels=[Panel(physician="a")],
        doctors=[CoverDoctor(physician="a")],
        previous_pairs=[Pair(principal="a", deputy="b")],
    )
    assert c.max_visit_km == 16.0 and c.doctors[0].takes_cover and c.doctors[0].full_time


def test_panels_without_counts_share_their_clinics_patients() -> None:
    s = make_scenario()
    s.patients = [PatientGroup(clinic="n1", cancer=3, other=10), PatientGroup(clinic="n1", hospital="central", other=4)]
    data = s.model_dump()
    data["cover"] = {
        "panels": [{"physician": "n1a"}, {"physician": "n1b"}, {"physician": "n2a", "other": 5, "deputies": 2}],
        "two_deputies_from": 8,
    }
    got = panels(Scenario.model_validate(data))
    assert got["n1a"].counts == {"cancer": 2, "home_oxygen": 0, "care_level_4_5": 0, "other": 7}
    assert got["n1b"].counts == {"cancer": 1, "home_oxygen": 0, "care_level_4_5": 0, "other": 7}
    assert (got["n1a"].deputies, got["n2a"].deputies) == (2, 2)  # 9 patients >= 8; asked for two
    assert got["n1a"].districts == ("north",)
    assert "n1c" not in got


DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_schema_and_docs_show_every_cover_field() -> None:
    from oncall.cover import model as cover
    from oncall.roster import Roster

    schema = json.dumps(Scenario.model_json_schema())
    text = (DOCS / "scenario.md").read_text(encoding="utf-8")
    for m in (cover.CoverConfig, cover.Panel, cover.CoverDoctor, cover.CoverGroup, cover.Pair, cover.CoverWeights):
        assert f'"{m.__name__}"' in schema
        for name in m.model_fields:
            assert re.search(rf"^\| `{name}`", text, re.MULTILINE), f"{m.__name__}.{name}"
    assert '"CoverPlan"' in json.dumps(Roster.model_json_schema())


def test_rule_catalogue_lists_every_cover_rule() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for r in (*COVER_HARD, *COVER_SOFT):
        assert f"| `{r.id}` | {r.title} | {r.statement} |" in text, r.id
