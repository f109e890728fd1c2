"""Properties over random scenarios: what the solver returns passes the checker, gaps are exactly
the coverage violations, the period is tiled; broken scenario data is always rejected cleanly.

The tests at the end pin bugs these properties once found in existing code, so they stay fixed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Any

import pytest
from hypothesis import given, settings

from oncall.checker import check
from oncall.errors import InvalidScenario
from oncall.io import parse_scenario
from oncall.load import admission_overloads
from oncall.model import Caps, History, Pin, Scenario
from oncall.roster import Roster
from oncall.timeline import Timeline
from solver import solve
from tests.factories import greedy_roster, make_scenario
from tests.solving import steady
from tests.strategies import Broken, broken_scenario_dicts, scenarios

OPTIONS = steady(4, lang="en")
# The English coverage message ends with the role left empty: "2027-01-05 Weekday night North: no primary".
_GAP_ROLE = re.compile(r": no (primary|secondary|backup hospital)$")


def _gap_role(message: str) -> str:
    m = _GAP_ROLE.search(message)
    assert m, message
    return m[1].replace(" ", "_")


Span = tuple[dt.datetime, dt.datetime]


def assert_spans_tile(spans_by_district: dict[str, list[Span]], start: dt.datetime, end: dt.datetime) -> None:
    """Each district's spans follow each other without hole or overlap from ``start`` to ``end``.

    Instants are compared in UTC: two datetimes of one ZoneInfo compare and subtract by wall clock.
    """
    for district, spans in spans_by_district.items():
        cursor = start.astimezone(dt.UTC)
        for s, e in sorted((s.astimezone(dt.UTC), e.astimezone(dt.UTC)) for s, e in spans):
            assert s == cursor, (district, s, cursor)
            assert e > s, (district, s, e)
            cursor = e
        assert cursor == end, district


def assert_tiles(scenario: Scenario, roster: Roster) -> None:
    """Per district, the roster's duties and regular hours tile the scenario's period."""
    tl = Timeline.build(scenario)
    spans: dict[str, list[Span]] = defaultdict(list)
    for d in roster.duties:
        spans[d.district].append((d.start, d.end))
    for r in roster.regular_hours:
        spans[r.district].append((r.start, r.end))
    assert set(spans) == {d.id for d in scenario.districts}
    assert_spans_tile(spans, tl.start, tl.end)


def _unassigned(roster: Roster) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for d in roster.duties:
        for role in ("primary", "secondary", "backup_hospital"):
            if getattr(d, role) is None:
                out[(d.id, role)] += 1
    return out


def _coverable(scenario: Scenario) -> bool:
    """A complete roster exists: the greedy one fills every role and breaks no hard rule."""
    try:
        return check(scenario, greedy_roster(scenario)).ok
    except RuntimeError:
        return False


@given(scenarios())
def test_solved_roster_breaks_no_hard_rule_but_coverage(scenario: Scenario) -> None:
    result = solve(scenario, OPTIONS)
    roster = result.roster
    report = check(scenario, roster, lang="en")

    # A hospital whose registered patients alone pass its admission limit is over it on every date,
    # whatever the roster: the solve says so (status infeasible, problems) and the checker reports it.
    overloaded = {o.hospitals[0] for o in admission_overloads(scenario, Timeline.build(scenario)) if not o.districts}
    if overloaded:
        assert result.status == "infeasible" and result.problems
    unavoidable = {"hospital_admissions": overloaded}
    hard = [
        f"[{v.rule}] {v.message}"
        for v in report.violations
        if v.rule != "coverage" and not set(v.people) <= unavoidable.get(v.rule, set())
    ]
    assert not hard

    # Every coverage violation is a listed gap and every gap is an empty role, one for one.
    found = Counter((v.duty, _gap_role(v.message)) for v in report.violations if v.rule == "coverage")
    gaps = Counter((g.duty, g.role) for g in roster.gaps)
    assert found == gaps
    assert _unassigned(roster) == gaps
    assert all(g.reasons for g in roster.gaps) or result.solver_status == "INFEASIBLE"
    if result.status in ("optimal", "feasible"):
        assert not roster.gaps and not result.problems

    assert_tiles(scenario, roster)
    assert [d.id for d in roster.duties] == [d.id for d in Timeline.build(scenario).duties]

    # When a complete roster exists the solver finds one.
    if not overloaded and _coverable(scenario):
        assert not roster.gaps, roster.gaps[0]


# --- broken scenario data --------------------------------------------------------------------
TOP_FIELDS = set(Scenario.model_fields)


@settings(max_examples=8 * settings().max_examples)  # parsing is cheap: many more examples
@given(broken_scenario_dicts())
def test_broken_scenario_data_is_rejected_cleanly(broken: Broken) -> None:
    try:
        parse_scenario(broken.data)
    except InvalidScenario as exc:
        assert exc.problems
        for line in exc.problems:
            assert "\n" not in line
            # "scenario: physicians[0].clinic: …", "scenario: calendar.blocks.weekday[1] (wd_night): …"
            m = re.match(r"scenario: (\(document\)|[a-z_]+)(?:[.\[]|: | \()", line)
            assert m, line
            assert m[1] in TOP_FIELDS or m[1] == "(document)", line
            assert len(line) > m.end(), line


def test_every_top_level_field_is_named_when_wrong() -> None:
    data = make_scenario().model_dump(mode="json")
    for field in TOP_FIELDS:
        broken = {**data, field: 12345}
        with pytest.raises(InvalidScenario) as info:
            parse_scenario(broken, "s.yaml")
        assert any(line.startswith(f"s.yaml: {field}") for line in info.value.problems), (field, info.value.problems)


# --- bugs the properties above once found ---------------------------------------------------
def test_carried_points_do_not_make_the_model_infeasible() -> None:
    scenario = make_scenario(days=3)
    scenario.physician("n1a").history = History(points={"weekday": 20.0})
    result = solve(scenario, OPTIONS)
    assert result.solver_status != "INFEASIBLE"
    assert not result.roster.gaps


def test_history_run_over_the_limit_is_judged_alike() -> None:
    scenario = make_scenario(days=2)  # 2027-01-04..05; the 1/3 holiday night's tail opens the period
    doctor = scenario.physician("n1a")
    doctor.caps = Caps(consecutive_days=1)
    doctor.history = History(recent_duty_dates=[dt.date(2027, 1, 2), dt.date(2027, 1, 3)])
    scenario.pinned = [
        Pin(district="north", date=dt.date(2027, 1, 3), block="hol_night", role="primary", assignee="n1a")
    ]
    scenario = Scenario.model_validate(scenario.model_dump())
    result = solve(scenario, OPTIONS)  # the solver keeps the pin ...
    assert result.status in ("optimal", "feasible")
    report = check(scenario, result.roster, lang="en")
    assert report.ok, [v.message for v in report.violations]  # ... and the checker judges the run alike


def _with(**changes: Any) -> dict[str, Any]:
    return {**make_scenario().model_dump(mode="json"), **changes}


@pytest.mark.parametrize("zone", ["America", "Etc", "x" * 300], ids=["tzdata-dir", "tzdata-etc", "over-255-bytes"])
def test_zone_like_garbage_is_an_invalid_scenario(zone: str) -> None:
    with pytest.raises(InvalidScenario, match="timezone"):
        parse_scenario(_with(timezone=zone))


def test_first_representable_date_is_an_invalid_scenario_or_valid() -> None:
    data = _with(
        period={"start": "0001-01-01", "end": "0001-01-02"},
        pinned=[{"district": "north", "date": "0001-01-01", "block": "wd_night", "role": "primary", "assignee": "n1a"}],
    )
    try:
        parse_scenario(data)
    except InvalidScenario as exc:
        assert all(line.startswith("scenario: ") for line in exc.problems)


def test_duplicate_pin_message_names_the_field_on_every_line() -> None:
    pin = {"district": "north\nsouth", "date": "2027-01-05", "block": "wd_night", "role": "primary", "assignee": "n1a"}
    with pytest.raises(InvalidScenario) as info:
        parse_scenario(_with(pinned=[pin, dict(pin)]))
    assert all(line.startswith("scenario: pinned") for line in info.value.problems), info.value.problems
