"""Why a hospital unit has no backup hospital: the gap's reason names the real cause."""

from __future__ import annotations

import datetime as dt

from oncall.checker import check
from oncall.diagnosis import Assignment, diagnose_gap
from oncall.eligibility import compute_eligibility
from oncall.model import Pin, Scenario
from oncall.timeline import Duty, Timeline
from solver import SolveOptions, solve
from tests.factories import make_scenario, roster_of

DAY = dt.date(2027, 1, 5)


def _one_hospital(**limits: object) -> Scenario:
    """The small network with Central alone standing by for both districts."""
    s = make_scenario(days=3)
    s.hospitals = [s.hospitals[0].model_copy(update=limits)]
    return Scenario.model_validate(s.model_dump())


def _night(tl: Timeline, district: str, day: dt.date = DAY) -> Duty:
    return next(d for d in tl.duties if d.district == district and d.day == day)


def _reason(s: Scenario, assignments: dict[str, Assignment], duty: Duty) -> str:
    tl = Timeline.build(s)
    (reason,) = diagnose_gap(s, tl, compute_eligibility(s, tl), assignments, duty, "backup_hospital", "en")
    return reason


def test_a_hospital_at_its_max_districts_is_named() -> None:
    s = _one_hospital(max_districts=1)
    tl = Timeline.build(s)
    north, south = _night(tl, "north"), _night(tl, "south")
    reason = _reason(s, {north.id: Assignment(backup_hospital="central")}, south)
    assert reason.endswith(
        "1 hospitals serve South; 1 already standing by for as many districts as their max_districts"
    )
    ja = diagnose_gap(
        s, tl, compute_eligibility(s, tl), {north.id: Assignment(backup_hospital="central")}, south, "backup_hospital"
    )[0]
    assert "同時に受け持つ地区数の上限1施設" in ja


def test_each_cause_is_counted_once_and_a_free_hospital_is_named_as_such() -> None:
    s = _one_hospital(max_standby_days=1)
    tl = Timeline.build(s)
    earlier = _night(tl, "north", DAY - dt.timedelta(days=1))
    south = _night(tl, "south")
    assert _reason(s, {earlier.id: Assignment(backup_hospital="central")}, south).endswith(
        "; 1 at their standby-day cap"
    )
    # Nothing keeps Central from the unit: the search stopped before it found it.
    assert _reason(s, {}, south).endswith("; 1 could still take it (the search stopped first)")
    closed = _one_hospital(closed_dates=[DAY])
    assert _reason(closed, {}, _night(Timeline.build(closed), "south")).endswith("; 1 closed that day")


def test_a_solve_whose_only_hospital_takes_one_district_at_a_time_says_so() -> None:
    s = _one_hospital(max_districts=1)
    result = solve(s, SolveOptions(time_limit=60, workers=1, seed=1, lang="en"))
    gaps = [g for g in result.roster.gaps if g.role == "backup_hospital"]
    assert len(gaps) == len({d.day for d in Timeline.build(s).duties})  # one district of each date
    assert all("max_districts" in g.reasons[0] for g in gaps), gaps[0].reasons


def test_a_hospital_already_standing_by_that_date_is_not_counted_at_its_standby_cap() -> None:
    """Central already stands by on two dates against a cap of one: the unit adds no date, so the checker
    finds nothing new when Central takes it, and the diagnosis calls it free, as the feasibility check does."""
    s = _one_hospital(max_standby_days=1)
    tl = Timeline.build(s)
    held = {
        _night(tl, "north", DAY - dt.timedelta(days=1)).id: Assignment(backup_hospital="central"),
        _night(tl, "north").id: Assignment(backup_hospital="central"),
    }
    south = _night(tl, "south")
    assert _reason(s, held, south).endswith("; 1 could still take it (the search stopped first)")

    def standby_cap(assignments: dict[str, Assignment]) -> list[str]:
        report = check(s, roster_of(s, assignments), lang="en")
        return [v.message for v in report.violations if v.rule == "hospital_standby_cap"]

    before = standby_cap(held)
    assert len(before) == 1 and standby_cap({**held, south.id: Assignment(backup_hospital="central")}) == before


def test_a_cap_of_zero_excludes_every_duty_of_its_kind_but_its_holder_keeps_the_tail_of_the_previous_night() -> None:
    """The tail counts against no cap of the period, so whoever holds it (pinned by the carry-over, or started
    before a repair) keeps it under a cap of zero; nobody else with that cap is handed it."""
    s = make_scenario()
    s.physician("n1a").caps.duties = 0
    tl = Timeline.build(s)
    tail = next(d for d in tl.duties if d.district == "north" and not d.counts_against_caps)
    counted = next(d for d in tl.duties if d.district == "north" and d.counts_against_caps)
    elig = compute_eligibility(s, tl)
    assert "n1a" not in elig.physicians(tail.id, "primary")
    assert "n1a" in elig.excluded[(tail.id, "primary")]["cap_zero"]
    assert "n1a" not in elig.physicians(counted.id, "primary")
    assert "n1a" in elig.excluded[(counted.id, "primary")]["cap_zero"]

    held = compute_eligibility(s, tl, {(tail.id, "primary"): "n1a"})
    assert "n1a" in held.physicians(tail.id, "primary")
    assert "n1a" not in held.physicians(tail.id, "secondary") and "n1a" not in held.physicians(counted.id, "primary")
    s.pinned.append(Pin(district="north", date=tail.day, block=tail.block.id, role="primary", assignee="n1a"))
    assert "n1a" in compute_eligibility(s, tl).physicians(tail.id, "primary")
