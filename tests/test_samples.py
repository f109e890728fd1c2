"""The sample scenarios: they load, they are what their README says, and they match their script."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from oncall.io import load_scenario
from oncall.load import admission_overloads, expected_load
from oncall.model import Scenario
from oncall.timeline import Timeline, absence_interval

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NAMES = ("small", "regional", "uncoverable", "overloaded_hospitals", "regional_shared")


def _load(name: str) -> Scenario:
    return load_scenario(SAMPLES / f"{name}.yaml")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _available(s: Scenario, district: str, start: dt.datetime, end: dt.datetime) -> set[str]:
    """Physicians who cover ``district`` and are not absent in [start, end)."""
    return {
        p.id
        for p in s.physicians
        if district in s.districts_of(p)
        and not any(a < end and start < b for a, b in (absence_interval(x, s.zone) for x in p.absences))
    }


@pytest.mark.parametrize("name", NAMES)
def test_sample_loads_and_validates(name: str) -> None:
    s = _load(name)
    assert s.physicians and s.districts and s.hospitals
    assert (SAMPLES / f"{name}.yaml").read_text(encoding="utf-8").startswith("#"), "a human header on top"


@pytest.mark.parametrize("name", NAMES)
def test_sample_files_match_their_script(name: str) -> None:
    made = getattr(_script(), name)()
    assert made.model_dump() == _load(name).model_dump(), (
        f"samples/{name}.yaml differs from samples/make_samples.py: rerun the script or update it"
    )


def test_small_network() -> None:
    s = _load("small")
    assert 10 <= len(s.physicians) <= 15
    assert len(s.districts) == 2
    assert 1 <= len(s.hospitals) <= 3
    assert (s.period.start, s.period.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def test_regional_network() -> None:
    s = _load("regional")
    assert 35 <= len(s.physicians) <= 45
    assert [d.name for d in s.districts] == ["やまなみ市部", "北部", "西部", "西南部"]
    assert 2 <= len(s.hospitals) <= 3
    assert (s.period.start, s.period.end) == (dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    big = [h for h in s.hospitals if (h.beds or 0) >= 200]
    assert any(set(h.districts) == {d.id for d in s.districts} for h in big)
    assert any(set(h.districts) != {d.id for d in s.districts} for h in s.hospitals)
    assert any(p.employment == "employed" for p in s.physicians)
    assert any(not p.experienced for p in s.physicians)
    assert any(p.caps.duties is not None for p in s.physicians)
    assert any(p.wishes for p in s.physicians) and any(p.unwishes for p in s.physicians)
    assert any(a.reason == "年末年始休暇" for p in s.physicians for a in p.absences)
    assert {pin.date for pin in s.pinned} == {dt.date(2026, 12, 31), dt.date(2027, 1, 1)}
    assert all(p.history.points for p in s.physicians)
    ends = [p.history.last_duty_end for p in s.physicians if p.history.last_duty_end is not None]
    assert any(e.date() == dt.date(2026, 12, 31) for e in ends)
    assert any(p.history.recent_duty_dates for p in s.physicians)
    tl = Timeline.build(s)
    names = {tl.calendar.holiday_name(d) for d in s.period.dates()}
    assert {"元日", "成人の日", "年末年始"} <= names


def test_regional_has_room_on_every_date() -> None:
    """Each date, every district has at least twice as many doctors free as it has roles to fill."""
    s = _load("regional")
    tl = Timeline.build(s)
    need: Counter[tuple[str, dt.date]] = Counter()
    span: dict[tuple[str, dt.date], tuple[dt.datetime, dt.datetime]] = {}
    for d in tl.duties:
        need[d.district, d.day] += len(d.block.roles)
        first, last = span.get((d.district, d.day), (d.start, d.end))
        span[d.district, d.day] = (min(first, d.start), max(last, d.end))
    for (district, day), n in need.items():
        free = _available(s, district, *span[district, day])
        assert len(free) >= 2 * n, (district, day, len(free), n)


def test_uncoverable_for_the_stated_reason() -> None:
    """From the 2/17 night to the 2/20 night only two 北部 doctors are free, one of them capped."""
    s = _load("uncoverable")
    north = next(d.id for d in s.districts if d.name == "北部")
    tl = Timeline.build(s)
    window = [d for d in tl.duties if d.district == north and dt.date(2027, 2, 17) <= d.day <= dt.date(2027, 2, 20)]
    assert [d.block.id for d in window] == ["wd_night", "wd_night", "wd_night", "sat_afternoon", "sat_night"]
    free = set.union(*(_available(s, north, d.start, d.end) for d in window))
    assert len(free) == 2
    consecutive = sorted(s.consecutive_cap(s.physician(pid)) for pid in free)
    assert consecutive == [1, 2]
    # One duty per date at most (day and night blocks touch, so the rest rule splits them); over four
    # dates the uncapped doctor takes at most 3 (two in a row, a rest, one more) and the other 2.
    dates = len({d.day for d in window})
    most = sum(dates - dates // (c + 1) for c in consecutive)
    assert (dates, most) == (4, 5)
    assert most < 2 * len(window)
    south = next(d.id for d in s.districts if d.name == "南部")
    assert all(s.districts_of(p) == [south] for p in s.physicians if s.clinic_of(p).district == south)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["small", "regional"])
def test_solver_covers_the_coverable_samples(name: str) -> None:
    solver = pytest.importorskip("solver")
    result = solver.solve(_load(name), solver.SolveOptions(time_limit=30))
    assert result.roster.gaps == []


@pytest.mark.slow
def test_the_regional_sample_is_proven_optimal_on_the_defaults_of_oncall_solve() -> None:
    solver = pytest.importorskip("solver")
    result = solver.solve(_load("regional"), solver.SolveOptions())
    assert result.status == "optimal" and result.roster.gaps == []
    assert result.bound == result.objective


@pytest.mark.slow
def test_solver_leaves_gaps_only_where_the_conference_is() -> None:
    solver = pytest.importorskip("solver")
    s = _load("uncoverable")
    result = solver.solve(s, solver.SolveOptions(time_limit=30))
    tl = Timeline.build(s)
    gaps = [tl.by_id[g.duty] for g in result.roster.gaps]
    assert len(gaps) >= 5
    assert all(d.district == "d01" and dt.date(2027, 2, 17) <= d.day <= dt.date(2027, 2, 20) for d in gaps)


@pytest.mark.parametrize("name", NAMES)
def test_every_sample_lists_enrolled_patients(name: str) -> None:
    s = _load(name)
    clinics = {c.id for c in s.clinics}
    assert s.patients and {g.clinic for g in s.patients} <= clinics
    assert any(g.hospital for g in s.patients) and any(g.hospital is None for g in s.patients)


@pytest.mark.parametrize("name", ["small", "regional", "uncoverable"])
def test_hospitals_can_absorb_the_expected_admissions(name: str) -> None:
    s = _load(name)
    assert admission_overloads(s, Timeline.build(s)) == []


def test_overloaded_hospitals_for_the_stated_reason() -> None:
    """The city hospital closes 3/19–3/22 and its registered patients go to the small one, which cannot take
    both districts on Saturday 3/20, nor the south alone on the two holidays."""
    s = _load("overloaded_hospitals")
    tl = Timeline.build(s)
    city, small = s.hospitals
    assert city.closed_dates == [dt.date(2027, 3, d) for d in (19, 20, 21, 22)] and small.capacity_per_day == 1
    overloads = admission_overloads(s, tl)
    # Routing the city hospital's registered patients to the hospital standing by (issue 17, item 5) adds
    # 3/20 and raises the holidays' figures: before, they were left with the closed hospital.
    assert [(o.day, o.hospitals) for o in overloads] == [(dt.date(2027, 3, d), (small.id,)) for d in (20, 21, 22)]
    assert all(o.districts == tuple(d.id for d in s.districts) for o in overloads)
    expected = [o.expected for o in overloads]
    assert expected == pytest.approx([0.93, 1.13, 1.13], abs=0.01) and all(
        o.limit == pytest.approx(0.8) for o in overloads
    )
    load = expected_load(s, tl)
    per_district: dict[tuple[str, dt.date], float] = {}
    for d in tl.duties:
        per_district[d.district, d.day] = per_district.get((d.district, d.day), 0.0) + load.duties[d.id].admissions
    north, south = (d.id for d in s.districts)
    for day in (20, 21, 22):  # the north alone always fits: one gap a date, not two
        room = small.capacity_per_day * 0.8 - load.registered_on(small.id, dt.date(2027, 3, day))
        assert per_district[north, dt.date(2027, 3, day)] < room
        assert (per_district[south, dt.date(2027, 3, day)] < room) == (day == 20)


@pytest.mark.slow
def test_solver_names_the_dates_and_the_hospital_of_the_overloaded_sample() -> None:
    solver = pytest.importorskip("solver")
    s = _load("overloaded_hospitals")
    result = solver.solve(s, solver.SolveOptions(time_limit=30))
    assert result.status == "infeasible"
    assert [p[:16] for p in result.problems] == ["2027-03-20: 川辺病院", "2027-03-21: 川辺病院", "2027-03-22: 川辺病院"]
    tl = Timeline.build(s)
    gaps = result.roster.gaps
    assert gaps and {g.role for g in gaps} == {"backup_hospital"}
    assert {tl.by_id[g.duty].day for g in gaps} == {dt.date(2027, 3, d) for d in (20, 21, 22)}
    assert all("川辺病院" in g.reasons[0] for g in gaps)
