"""Registered patients on their hospital's closed dates: admitted by the hospital standing by for their district."""

from __future__ import annotations

import datetime as dt

import pytest

from oncall.checker import check
from oncall.diagnosis import describe_overloads
from oncall.load import admission_overloads, expected_load, hospital_days
from oncall.model import Hospital, PatientGroup, Scenario
from oncall.timeline import Timeline
from solver import solve
from tests.factories import greedy_roster, make_scenario
from tests.solving import steady

CLOSED = dt.date(2027, 1, 5)


def _closing_minami(**central: object) -> Scenario:
    """The small network: Minami (south) closed on 1/5, with 1,200 registered patients of a south clinic."""
    s = make_scenario()
    s.hospitals[0] = s.hospitals[0].model_copy(update=central)
    s.hospitals[1].closed_dates = [CLOSED]
    s.patients = [PatientGroup(clinic="s1", hospital="minami", other=1200)]
    return Scenario.model_validate(s.model_dump())


def test_registered_admissions_of_a_closed_date_follow_the_standby_of_their_district() -> None:
    s = _closing_minami()
    tl = Timeline.build(s)
    load = expected_load(s, tl)
    daily = load.registered["minami"]
    assert daily == pytest.approx(1200 * 1.2 / 100 / (365.25 / 12))
    assert load.registered_on("minami", CLOSED) == 0
    assert load.registered_on("minami", CLOSED + dt.timedelta(days=1)) == daily
    # The south's duties of 1/5 carry that date's admissions; nothing is lost or counted twice.
    south = [d for d in tl.duties if d.district == "south" and d.day == CLOSED]
    assert sum(load.duties[d.id].rerouted for d in south) == pytest.approx(daily)
    assert sum(v.rerouted for v in load.duties.values()) == pytest.approx(daily)
    assert [(r.hospital, r.day, r.district) for r in load.rerouted] == [("minami", CLOSED, "south")]
    # A roster in which Central stands by for the south on 1/5 counts them at Central that date.
    roster = greedy_roster(s)
    standby = {d.id: d.backup_hospital for d in roster.duties}
    assert {standby[d.id] for d in south} == {"central"}
    days = {(h.hospital, h.day): h for h in hospital_days(s, tl, standby, load)}
    assert days[("minami", CLOSED)].expected == 0
    assert days[("central", CLOSED)].from_standby >= daily


def test_the_checker_and_the_solver_count_them_against_the_standing_hospital() -> None:
    # Central's limit is 0.8 admissions a day: Minami's registered patients (0.47 a day) fit, but not
    # with the north's unregistered ones (0.47 more) on the same date.
    s = _closing_minami(capacity_per_day=1)
    s.hospitals.append(Hospital(id="kita", name="北病院", districts=["north"], capacity_per_day=2))
    s.patients.append(PatientGroup(clinic="n1", other=1200))
    s = Scenario.model_validate(s.model_dump())
    tl = Timeline.build(s)
    roster = greedy_roster(s)
    for d in roster.duties:  # Central stands by for both districts on 1/5
        if tl.by_id[d.id].day == CLOSED:
            d.backup_hospital = "central"
    report = check(s, roster, lang="en")
    over = [v.message for v in report.violations if v.rule == "hospital_admissions"]
    assert len(over) == 1 and over[0].startswith("2027-01-05 Central Hospital:"), over
    result = solve(s, steady(20, seed=1))
    assert not result.roster.gaps and result.problems == []
    assert check(s, result.roster).ok
    on_closed = {
        tl.by_id[d.id].district: d.backup_hospital for d in result.roster.duties if tl.by_id[d.id].day == CLOSED
    }
    assert on_closed == {"south": "central", "north": "kita"}


def test_a_closed_date_with_no_hospital_for_the_district_is_flagged() -> None:
    s = _closing_minami(districts=["north"])  # Central no longer serves the south: nobody on 1/5
    tl = Timeline.build(s)
    overloads = admission_overloads(s, tl)
    stranded = [o for o in overloads if not o.hospitals]
    assert [(o.day, o.districts, o.closed) for o in stranded] == [(CLOSED, ("south",), "minami")]
    (text,) = [t for t in describe_overloads(s, stranded, "en")]
    assert text == (
        "2027-01-05: Minami Hospital is closed and no hospital can admit its registered patients from South "
        f"({stranded[0].expected:.2f} expected admissions)"
    )
    assert "南病院 が休止日" in describe_overloads(s, stranded)[0]
    result = solve(s, steady(20, seed=1, lang="en"))
    assert result.status == "infeasible" and text in result.problems
