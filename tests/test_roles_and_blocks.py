"""Roles per district, shared roles and district calendars (issue 19, items 1 and 2): the scenario fields,
their validation (CLI exit 2, API 422, the field named), the JSON Schema, a solved scenario of each, and
rosters the checker rejects naming the rule."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from oncall.boundary import carry_over
from oncall.checker import check
from oncall.cli import app
from oncall.errors import InvalidScenario
from oncall.feeds import FeedOptions, FeedTarget, Publication, ScenarioLedger, render_feed
from oncall.io import load_scenario, parse_scenario
from oncall.model import CATEGORIES, Absence, Scenario
from oncall.roster import Roster
from oncall.swaps import GiveAway, apply_proposal, give_away_candidates
from oncall.timeline import Timeline
from oncall.xlsx import write_xlsx
from solver import solve
from solver.repair import repair
from tests.factories import duties_of, make_scenario
from tests.solving import steady

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NIGHTS = ["wd_night", "sat_night", "hol_night"]
FREEZE = dt.datetime(2027, 1, 3, tzinfo=dt.UTC)  # before every duty of the week: nothing has started
T0 = dt.datetime(2026, 12, 20, 9, tzinfo=dt.UTC)
WEST_WEEKDAY = [  # the north's clinics close at 17:00 on weekdays
    {"id": "n_wd_regular", "name": "北部平日診療", "start": "08:30", "end": "17:00", "rostered": False, "points": 0},
    {"id": "n_wd_night", "name": "北部平日夜間", "start": "17:00", "end": "08:30", "night": True},
]


def _data(**changes: Any) -> dict[str, Any]:
    data = make_scenario().model_dump(mode="json")
    data.update(changes)
    return data


def _shared(**fields: Any) -> dict[str, Any]:
    return {"id": "night_backup", "name": "全域夜間副当番", "role": "secondary", "blocks": NIGHTS, **fields}


def _district_calendar() -> dict[str, Any]:
    data = _data()
    data["districts"][0]["calendar"] = {
        "blocks": {"weekday": WEST_WEEKDAY},
        "extra_days": [{"date": "2027-01-06", "name": "北部祭礼"}],  # a Wednesday off in the north only
    }
    return data


# --- validation -------------------------------------------------------------------------------------
BROKEN: list[tuple[str, Any, str]] = [
    ("districts.0.roles", {"weekday": []}, "districts[0].roles.weekday: a day type of a district needs at least one"),
    ("districts.0.roles", {"weekday": ["primary", "primary"]}, "districts[0].roles.weekday: a role is listed twice"),
    ("districts.0.roles", {"evening": ["primary"]}, "districts[0].roles.evening: 'evening' is neither a day type"),
    ("shared_roles", [_shared(districts=["east"])], "shared_roles[0].districts[0]: unknown district 'east'"),
    ("shared_roles", [_shared(blocks=["night"])], "shared_roles[0].blocks[0]: unknown block 'night'"),
    ("shared_roles", [_shared(blocks=["wd_regular"])], "shared_roles[0].blocks[0]: block 'wd_regular' is clinic"),
    ("shared_roles", [_shared(), _shared(id="b2")], "shared_roles[1]: the secondary of district 'north' in 'wd_night'"),
    ("shared_roles", [_shared(), _shared()], "shared_roles: duplicate id 'night_backup'"),
    ("shared_roles", [_shared(blocks=[])], "shared_roles[0].blocks: List should have at least 1 item"),
    (
        "districts.0.calendar",
        {"blocks": {"weekday": [WEST_WEEKDAY[0], {**WEST_WEEKDAY[1], "start": "17:30"}]}},
        "districts[0].calendar.blocks.weekday[1] (n_wd_night): hole before 17:30; blocks must tile the day from 08:30",
    ),
    (
        "districts.0.calendar",
        {"blocks": {"weekday": [{**WEST_WEEKDAY[0], "end": "18:00"}, WEST_WEEKDAY[1]]}},
        "districts[0].calendar.blocks.weekday[1] (n_wd_night): starts 17:00, overlapping the block before",
    ),
    (
        "districts.0.calendar",
        {"blocks": {"weekday": [{**WEST_WEEKDAY[0], "id": "wd_night"}, WEST_WEEKDAY[1]]}},
        "calendar.blocks: duplicate id 'wd_night'",
    ),
    (
        "districts.0.calendar",
        {"extra_days": [{"date": "2027-01-06"}, {"date": "2027-01-06"}]},
        "districts[0].calendar.extra_days[1].date: 2027-01-06 is already districts[0].calendar.extra_days[0]",
    ),
]


def _broken(path: str, value: Any) -> dict[str, Any]:
    data = _data()
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    node[last] = value
    return data


@pytest.mark.parametrize(("path", "value", "line"), BROKEN, ids=[b[2][:40] for b in BROKEN])
def test_nonsense_is_one_clear_line_naming_the_field(path: str, value: Any, line: str) -> None:
    with pytest.raises(InvalidScenario) as caught:
        parse_scenario(_broken(path, value))
    assert any(line in problem for problem in caught.value.lines("en")), caught.value.lines("en")


def test_the_cli_exits_2_naming_the_field(tmp_path: Path) -> None:
    path, value, line = BROKEN[9]  # a district's blocks that do not tile its day
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(_broken(path, value), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(scenario), str(tmp_path / "none.json"), "--lang", "en"])
    assert result.exit_code == 2 and line in result.output, result.output
    assert "Traceback" not in result.output


# --- schema -----------------------------------------------------------------------------------------
def test_the_schema_documents_the_fields_and_validates_the_samples() -> None:
    import jsonschema

    result = CliRunner().invoke(app, ["schema"])
    doc = json.loads(result.stdout)
    defs = doc["$defs"]
    assert "shared_roles" in doc["properties"] and doc["properties"]["shared_roles"]["description"]
    assert {"roles", "calendar"} <= defs["District"]["properties"].keys()
    assert all(f["description"] for f in defs["DistrictCalendar"]["properties"].values())
    assert all(defs["SharedRole"]["properties"][f]["description"] for f in ("role", "districts", "blocks"))
    for sample in sorted(SAMPLES.glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(sample.read_text(encoding="utf-8")), doc)
    shared = yaml.safe_load((SAMPLES / "regional_shared.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(_district_calendar(), doc)
    shared["shared_roles"][0]["role"] = "backup"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(shared, doc)


# --- solved scenarios and corrupted rosters -----------------------------------------------------------
def test_a_district_with_its_own_blocks_and_day_off_is_solved_and_tiled() -> None:
    sc = parse_scenario(_district_calendar())
    tl = Timeline.build(sc)
    result = solve(sc, steady(5, seed=1))
    report = check(sc, result.roster)
    assert report.ok and not result.roster.gaps
    monday = sorted((d.district, d.block.id, f"{tl.local(d.start):%H:%M}") for d in tl.duties if d.day.day == 4)
    assert monday == [("north", "n_wd_night", "17:00"), ("south", "wd_night", "18:00")]
    festival = {(d.district, d.block.id) for d in tl.duties if d.day == dt.date(2027, 1, 6)}
    assert festival == {("north", "hol_day"), ("north", "hol_night"), ("south", "wd_night")}
    assert {d.slot.points for d in tl.duties if d.day == dt.date(2027, 1, 6) and d.district == "north"} == {2.0}
    # The north's weekday duty moved by an hour no longer tiles its day: the checker names the rule.
    broken = result.roster.model_copy(deep=True)
    duty = next(d for d in broken.duties if d.block == "n_wd_night")
    duty.start += dt.timedelta(hours=1)
    assert {v.rule for v in check(sc, broken).violations} == {"tiling"}


def test_the_network_calendar_applies_where_a_district_names_nothing() -> None:
    sc = parse_scenario(_district_calendar())
    assert sc.calendar_of("south") is sc.calendar
    north = sc.calendar_of("north")
    assert [b.id for b in north.blocks["weekday"]] == ["n_wd_regular", "n_wd_night"]
    assert north.blocks["holiday"] == sc.calendar.blocks["holiday"]
    assert [e.date for e in north.extra_days] == [dt.date(2027, 1, 6)]


def test_a_shared_role_roster_is_corrupted_and_rejected_naming_the_rule() -> None:
    sc, roster = _shared_week()
    assert check(sc, roster).ok
    night = next(d for d in roster.duties if d.district == "south" and d.shared)
    assert night.shared == {"secondary": "night_backup"}
    others = [p.id for p in sc.physicians if p.id != night.secondary and p.id != night.primary]
    night.secondary = others[0]
    rules = {v.rule for v in check(sc, roster).violations}
    assert "shared_role" in rules


def test_the_regional_shared_sample_asks_at_most_five_and_a_half_duty_roles_per_doctor() -> None:
    def per_doctor(s: Scenario) -> float:
        # as `oncall report` counts them: every role held, the tail of the night before the period included
        return sum(len(d.own_roles) for d in Timeline.build(s).duties) / len(s.physicians)

    before, after = load_scenario(SAMPLES / "regional.yaml"), load_scenario(SAMPLES / "regional_shared.yaml")
    assert per_doctor(before) == pytest.approx(352 / 42)
    assert per_doctor(after) == pytest.approx(224 / 42) and per_doctor(after) <= 5.5


# --- the shared role through repairs, swaps and feeds -------------------------------------------------
def _shared_week() -> tuple[Scenario, Roster]:
    sc = parse_scenario(_data(shared_roles=[_shared()]))
    return sc, solve(sc, steady(5, seed=1)).roster


def test_a_repair_moves_a_shared_role_on_every_district_at_once() -> None:
    sc, roster = _shared_week()
    night = next(d for d in roster.duties if d.shared and d.start.date() == dt.date(2027, 1, 9))
    holder = night.secondary
    assert holder is not None
    sc.physician(holder).absences.append(Absence(start=dt.date(2027, 1, 9), end=dt.date(2027, 1, 9)))
    sc = Scenario.model_validate(sc.model_dump())
    result = repair(sc, roster, FREEZE, steady(5, seed=1))
    assert check(sc, result.roster).ok
    group = [d for d in result.roster.duties if d.start == night.start and d.shared]
    assert len(group) == 2 and len({d.secondary for d in group}) == 1 and group[0].secondary != holder
    assert result.changed >= 1 and result.changed < len(group) + 2 * 4  # the shared role counts once


def test_a_give_away_of_a_shared_role_moves_it_on_every_district() -> None:
    sc, roster = _shared_week()
    night = next(d for d in roster.duties if d.shared and d.district == "south" and d.start.day == 7)
    holder = night.secondary
    assert holder is not None
    candidates = give_away_candidates(sc, roster, night.id, "secondary")  # asked on the south's duty
    assert candidates and holder not in candidates
    changed = apply_proposal(roster, GiveAway(duty=night.id, role="secondary", physician=holder, to=candidates[0]))
    group = [d for d in changed.duties if d.start == night.start]
    assert {d.secondary for d in group} == {candidates[0]}
    assert check(sc, changed).ok


def test_a_shared_role_is_one_calendar_event() -> None:
    sc, roster = _shared_week()
    night = next(d for d in roster.duties if d.shared and d.start.day == 9)
    holder = night.secondary
    assert holder is not None
    ledger = ScenarioLedger(1).replay([Publication(1, 1, 1, T0, sc, roster)])
    body = render_feed(FeedTarget("physician", holder), [ledger], FeedOptions(lang="en"), T0).body
    events = body.decode().count("BEGIN:VEVENT")
    shared = {(d.start, d.block) for d in roster.duties if d.secondary == holder and d.shared}
    own = [d for d in roster.duties if d.primary == holder or (d.secondary == holder and not d.shared)]
    assert shared and events == len(shared) + len(own)
    assert events < len(duties_of(roster, holder))
    assert body.decode().count("SUMMARY:[Secondary] night_backup\\,") == len(shared)  # named by the shared role


def test_the_carried_points_count_a_shared_role_once() -> None:
    sc, roster = _shared_week()
    following = parse_scenario(
        {**_data(shared_roles=[_shared()]), "period": {"start": "2027-01-11", "end": "2027-01-14"}}
    )
    carried = carry_over(sc, roster, following).scenario
    # Points earned less the fair share, summed over the doctors: zero when every role counts once (a shared
    # night counted on each district would add its points again).
    total = sum(p.history.points.get(c, 0.0) for p in carried.physicians for c in CATEGORIES)
    assert total == pytest.approx(0.0, abs=1e-3)


def test_the_spreadsheet_marks_a_shared_role_and_counts_it_once(tmp_path: Path) -> None:
    import openpyxl

    sc, roster = _shared_week()
    path = tmp_path / "roster.xlsx"
    write_xlsx(sc, roster, path, lang="en")
    wb = openpyxl.load_workbook(path)
    cells = [str(c.value) for row in wb["Roster"].iter_rows() for c in row if c.value]
    assert any("(shared)" in c for c in cells)
    rows = list(wb["Per physician"].iter_rows(min_row=2, values_only=True))
    held = sum(len(d.own_roles) for d in Timeline.build(sc).duties)
    assert rows[-1][3] == held == sum(r[3] for r in rows[:-1])
