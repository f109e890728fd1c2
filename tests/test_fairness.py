"""Fair share: the levelling allocation of duty points (oncall.fairness)."""

from __future__ import annotations

import datetime as dt

import pytest

from oncall.fairness import availability, fair_share, visit_targets
from oncall.model import CATEGORIES, Absence, Physician, Scenario
from oncall.timeline import Timeline
from tests.factories import make_scenario

TWO_WEEKS = 14


def _share(s: Scenario) -> dict[str, dict[str, float]]:
    return fair_share(s, Timeline.build(s)).target


def _by_id(s: Scenario) -> dict[str, Physician]:
    return {p.id: p for p in s.physicians}


def test_targets_hand_out_every_point_of_the_period() -> None:
    s = make_scenario(days=TWO_WEEKS)
    share = fair_share(s, Timeline.build(s))
    for key, points in share.points.items():
        assert sum(t[key] for t in share.target.values()) == pytest.approx(points, abs=1e-4)
    assert all(t[key] >= 0 for t in share.target.values() for key in t)


def test_a_doctor_covering_a_second_district_is_due_what_a_colleague_is() -> None:
    s = make_scenario(days=TWO_WEEKS)
    assert s.districts_of(next(p for p in s.physicians if p.id == "s2c")) == ["south", "north"]
    target = _share(s)
    # Shared in proportion to eligibility, s2c would be due nearly twice s2a's points.
    assert target["s2c"]["total"] == pytest.approx(target["s2a"]["total"], abs=1e-3)


def test_a_short_district_draws_on_the_doctor_who_covers_both_until_everyone_is_level() -> None:
    s = make_scenario(days=TWO_WEEKS)
    s.physicians = [p for p in s.physicians if p.id not in ("n2b", "n2c")]  # north keeps four doctors
    tl = Timeline.build(s)
    share = fair_share(s, tl)
    everyone = [p.id for p in s.physicians if p.id != "s1c"]  # s1c takes secondary roles only
    for key in ("total", *CATEGORIES):
        levels = [share.target[q][key] for q in everyone]
        assert max(levels) - min(levels) == pytest.approx(0, abs=1e-3), key
    # The levelling moves north's surplus through s2c, the one doctor who covers both districts.
    north_points = sum(
        part * d.slot.points
        for d, role, pool in share.allocation.slots
        if d.district == "north"
        for q, part in share.allocation.parts(d, pool).items()
        if q == "s2c"
    )
    assert north_points > 1.0


def test_an_absence_lowers_the_target_by_the_share_of_hours_missed() -> None:
    s = make_scenario(days=TWO_WEEKS)
    by_id = _by_id(s)
    first = s.period.start
    by_id["n1a"].absences = [Absence(start=first, end=first + dt.timedelta(days=4))]
    present = availability(s, Timeline.build(s))
    assert 0.5 < present["n1a"] < 0.8
    assert present["n1b"] == 1.0
    target = _share(s)
    # The absence takes in the tail of the 1/3 年末年始 night, so that category is n1b's; the others are
    # levelled with n1a's weight cut to the hours they are there for.
    assert target["n1a"]["year_end"] == 0
    for key in ("weekday", "saturday", "holiday"):
        assert target["n1a"][key] == pytest.approx(present["n1a"] * target["n1b"][key], abs=1e-3), key


def test_carried_points_count_towards_the_level_and_nobody_is_due_less_than_nothing() -> None:
    s = make_scenario(days=TWO_WEEKS)
    by_id = _by_id(s)
    by_id["n1a"].history.points = {"weekday": 2.0}
    by_id["n1b"].history.points = {"weekday": -1.0}
    by_id["s1a"].history.points = {"weekday": 100.0}
    target = _share(s)
    plain = _share(make_scenario(days=TWO_WEEKS))
    # (carried + due) is level: n1a did 2 points more, so is due 3 fewer than n1b, who was owed one.
    assert target["n1b"]["weekday"] - target["n1a"]["weekday"] == pytest.approx(3.0, abs=1e-3)
    assert target["n1a"]["weekday"] < plain["n1a"]["weekday"] < target["n1b"]["weekday"]
    # Far above everyone's level: due nothing this period, not a negative amount.
    assert target["s1a"]["weekday"] == pytest.approx(0.0, abs=1e-4)
    assert target["s1a"]["holiday"] == pytest.approx(plain["s1a"]["holiday"], abs=1e-3)


def test_a_cap_holds_and_the_rest_goes_to_the_others() -> None:
    s = make_scenario(days=TWO_WEEKS)
    by_id = _by_id(s)
    by_id["n1a"].caps.duties = 1
    tl = Timeline.build(s)
    share = fair_share(s, tl)
    plain = fair_share(make_scenario(days=TWO_WEEKS), tl)
    assert plain.expected_duties["n1a"] > 2
    assert share.expected_duties["n1a"] == pytest.approx(1.0, abs=1e-3)
    assert share.target["n1b"]["total"] > plain.target["n1b"]["total"]


def test_visits_follow_the_same_allocation() -> None:
    from oncall.load import expected_load

    s = make_scenario(days=TWO_WEEKS)
    tl = Timeline.build(s)
    load = expected_load(s, tl)
    share = fair_share(s, tl)
    visits = visit_targets(s, tl, load, share)
    assert visits == visit_targets(s, tl, load)
    total = sum(load.role_visits(d.id, r) for d in tl.duties for r in d.block.roles)
    assert sum(visits.values()) == pytest.approx(total, rel=1e-6)
