"""One error type: problems carry their field, code and parameters from where they are found to the CLI's
lines and the API's JSON details, and nothing parses a message back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncall.errors import InvalidChange, InvalidScenario
from oncall.feasibility import Assignment
from oncall.i18n import Problem, coded
from oncall.roster import Roster
from oncall.swaps import GiveAway, apply_proposal
from oncall.timeline import Timeline
from tests.factories import make_scenario, roster_of

ROOT = Path(__file__).parents[1]


def test_a_problem_keeps_its_place_apart_from_its_text() -> None:
    p = Problem("scenario.blocks_overlap", "weekday[1]", label="night", time="18:00").within("blocks")
    assert p.text("en") == "blocks.weekday[1] (night): starts 18:00, overlapping the block before"
    assert p.detail("en") == ("blocks.weekday[1]", "(night): starts 18:00, overlapping the block before")
    shown = p.source("scenario.yaml")
    assert shown.text("en") == f"scenario.yaml: blocks.weekday[1] (night): {p.body('en')}"
    # Through the API the body is the document: its name is left out, other places lead the problem.
    assert shown.detail("en", document="scenario.yaml") == p.detail("en")
    at_line = Problem("input.long_number", origin="line 3", digits=5001, limit=100).source("scenario")
    assert at_line.detail("en", document="scenario") == ("(document)", "line 3: a number has 5001 digits (at most 100)")
    assert at_line.text("ja") == "scenario: line 3: 数値が 5001 桁あります（100 桁まで）"


def test_an_error_gives_its_problems_structured_in_either_language() -> None:
    exc = InvalidChange(
        [Problem("swap.not_holder", "proposal.physician", physician="'x'", role="primary", duty="d1", holder="y")]
    )
    (p,) = exc.structured
    assert (p.field, p.code) == ("proposal.physician", "swap.not_holder")
    assert exc.lines("en") == ["proposal.physician: 'x' is not the primary of d1 (it is y)"]
    assert exc.lines("ja") == ["proposal.physician: 'x' は d1 の primary ではありません（担当: y）"]
    assert str(exc) == "proposal.physician: 'x' is not the primary of d1 (it is y)"
    nobody = Problem("swap.not_holder", "f", physician="'x'", role="primary", duty="d1", holder=coded("swap.nobody"))
    assert nobody.body("en").endswith("(it is nobody)") and nobody.body("ja").endswith("（担当: なし）")


def test_a_give_away_that_does_not_fit_names_each_field() -> None:
    scenario = make_scenario(days=2)
    first = Timeline.build(scenario).duties[0]
    roster: Roster = roster_of(scenario, {first.id: Assignment(primary="n1a")})
    duty = next(d for d in roster.duties if d.id == first.id)
    holder = duty.primary
    assert holder == "n1a"
    proposal = GiveAway(duty=duty.id, role="primary", physician=holder, to=holder)
    with pytest.raises(InvalidChange) as caught:
        apply_proposal(roster, proposal)
    assert [(p.field, p.code) for p in caught.value.structured] == [("proposal.to", "swap.same_colleague")]
    wrong = GiveAway(duty="nowhere", role="primary", physician=holder, to="n1b")
    with pytest.raises(InvalidChange) as caught:
        apply_proposal(roster, wrong)
    assert [(p.field, p.code) for p in caught.value.structured] == [("proposal.duty", "swap.no_duty")]


def test_a_cover_problem_is_structured_from_where_it_is_found() -> None:
    data = make_scenario().model_dump()
    data["cover"] = {"panels": [{"physician": "nobody"}]}
    from oncall.io import parse_scenario

    with pytest.raises(InvalidScenario) as caught:
        parse_scenario(data)
    fields = [(p.field, p.code) for p in caught.value.structured]
    assert ("cover.panels[0].physician", "scenario.unknown_physician") in fields


def test_the_api_builds_error_details_without_parsing_messages() -> None:
    source = (ROOT / "api" / "errors.py").read_text(encoding="utf-8")
    assert not re.search(r"re\.(match|search|compile)", source)
    assert "split_problem" not in source
