"""The scenario generator: deterministic, valid, realistic in shape, and coverable by construction."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall.checker import check
from oncall.generate import MIN_DOCTORS_PER_DISTRICT, USUAL_DOCTORS_PER_DISTRICT, default_districts, generate
from oncall.io import load_scenario, save_scenario
from oncall.model import Scenario
from oncall.timeline import Timeline, absence_interval

SIZES = [
    (12, 2, "2027-01"),
    (14, 2, "2026-12"),
    (42, 4, "2027-01"),
    (60, 5, "2026-08"),
    (120, 10, "2027-05"),
    (4, 1, "2027-01"),
    (10, 2, "2026-09"),
    (16, 4, "2027-08"),
]


def _dates_off(scenario: Scenario) -> tuple[dict[dt.date, int], dict[str, set[dt.date]]]:
    """Doctor-duties needed per date (per district), and the dates each physician cannot take."""
    tl = Timeline.build(scenario)
    need: Counter[dt.date] = Counter()
    spans: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
    for slot in tl.slots:
        if slot.block.rostered:
            need[slot.day] += len(slot.block.roles)
            spans.setdefault(slot.day, []).append((slot.start, slot.end))
    off: dict[str, set[dt.date]] = {}
    for p in scenario.physicians:
        away = [absence_interval(a, scenario.zone) for a in p.absences]
        off[p.id] = {day for day, ss in spans.items() if any(a < e and s < b for a, b in away for s, e in ss)}
    return dict(need), off


def _assert_coverable_runs(scenario: Scenario) -> None:
    """Every run of 1-3 dates has enough doctor-dates in every district (a doctor: at most 2 of 3 dates)."""
    need, off = _dates_off(scenario)
    days = sorted(need)
    hol_cap = {p.id: p.caps.holiday_duties for p in scenario.physicians}
    tl = Timeline.build(scenario)
    holiday = {d.day for d in tl.duties if d.holiday}
    for district in scenario.districts:
        home = [p for p in scenario.physicians if scenario.clinic_of(p).district == district.id]
        for n in (1, 2, 3):
            for i in range(len(days) - n + 1):
                window = days[i : i + n]
                supply = 0
                for p in home:
                    free = [d for d in window if d not in off[p.id]]
                    on_holiday = sum(d in holiday for d in free)
                    cap = hol_cap[p.id]
                    dates = len(free) - on_holiday + (on_holiday if cap is None else min(on_holiday, cap))
                    supply += min(dates, n - n // (scenario.consecutive_cap(p) + 1))
                assert supply >= sum(need[d] for d in window), (district.id, window)


@pytest.mark.parametrize(("doctors", "districts", "month"), SIZES)
def test_valid_scenarios_of_several_sizes(doctors: int, districts: int, month: str) -> None:
    s = generate(doctors, districts, month, seed=1)
    assert len(s.physicians) == doctors
    assert len(s.districts) == districts
    assert s.period.start == dt.date.fromisoformat(f"{month}-01")
    assert (s.period.end + dt.timedelta(days=1)).day == 1 and s.period.end.month == s.period.start.month
    homes = Counter(s.clinic_of(p).district for p in s.physicians)
    assert min(homes[d.id] for d in s.districts) >= MIN_DOCTORS_PER_DISTRICT
    big = [h for h in s.hospitals if (h.beds or 0) >= 200 and set(h.districts) == {d.id for d in s.districts}]
    assert big, "one large backup hospital serves every district"
    assert all(2 <= h.capacity_per_day <= 8 for h in s.hospitals)
    _assert_coverable_runs(s)


def test_shape_follows_the_field() -> None:
    s = generate(200, 8, "2027-01", seed=11)
    per_clinic = Counter(p.clinic for p in s.physicians)
    solo = sum(1 for p in s.physicians if per_clinic[p.clinic] == 1)
    assert 0.55 <= solo / len(s.physicians) <= 0.85
    employed = sum(p.employment == "employed" for p in s.physicians) / len(s.physicians)
    assert 0.05 <= employed <= 0.3
    newer = sum(not p.experienced for p in s.physicians) / len(s.physicians)
    assert 0.1 <= newer <= 0.2
    assert {p.share for p in s.physicians} == {0.5, 1.0}
    assert any(p.caps.duties is not None for p in s.physicians)
    assert any(p.caps.holiday_duties == 0 for p in s.physicians)
    assert any(p.districts is not None and len(p.districts) == 2 for p in s.physicians)
    reasons = {a.reason for p in s.physicians for a in p.absences}
    assert "年末年始休暇" in reasons
    assert any(p.wishes for p in s.physicians) and any(p.unwishes for p in s.physicians)
    assert len({p.name for p in s.physicians}) == len(s.physicians)
    assert len({c.name for c in s.clinics}) == len(s.clinics)
    assert all(c.lat is not None and c.lon is not None for c in s.clinics)


def test_district_names() -> None:
    assert [d.name for d in generate(24, 4, "2027-02", seed=1).districts] == ["北部", "東部", "南部", "西部"]
    assert generate(30, 5, "2027-02", seed=1).districts[0].name == "中央"
    many = generate(72, 12, "2027-02", seed=1).districts
    assert many[11].name == "第12地区" and many[11].name_en == "District 12"
    assert set(many[0].neighbours) == {"d02", "d12"}  # a ring


def test_obon_peak_in_august() -> None:
    s = generate(60, 5, "2026-08", seed=4)
    obon = [a for p in s.physicians for a in p.absences if a.reason and "お盆" in a.reason]
    assert len(obon) >= 5
    starts = [a.start.date() if isinstance(a.start, dt.datetime) else a.start for a in obon]
    assert all(dt.date(2026, 8, 12) <= d <= dt.date(2026, 8, 16) for d in starts)


def test_deterministic_for_a_seed() -> None:
    a = generate(42, 4, "2027-01", seed=5)
    b = generate(42, 4, "2027-01", seed=5)
    assert a.model_dump() == b.model_dump()


def test_different_seeds_differ() -> None:
    a = generate(42, 4, "2027-01", seed=5)
    b = generate(42, 4, "2027-01", seed=6)
    assert [p.name for p in a.physicians] != [p.name for p in b.physicians]
    assert a.model_dump() != b.model_dump()


def test_large_network_is_fast() -> None:
    # CPU seconds of this process, not the clock: other processes on a busy machine do not count.
    t0 = time.process_time()
    s = generate(600, 25, "2027-01", seed=1)
    elapsed = time.process_time() - t0
    assert len(s.physicians) == 600 and len(s.districts) == 25
    # About 0.3 s on a laptop; the bound leaves room for a slow CI machine.
    assert elapsed < 3.0
    # Every district has a hospital open on every date, with room for all districts at once.
    for day in s.period.dates():
        open_ = [h for h in s.hospitals if day not in h.closed_dates]
        assert all(any(d.id in h.districts for h in open_) for d in s.districts)
        assert sum(h.capacity_per_day for h in open_) >= len(s.districts)


def test_round_trips_through_yaml(tmp_path: Path) -> None:
    s = generate(20, 3, "2026-12", seed=9)
    path = tmp_path / "generated.yaml"
    save_scenario(s, path)
    assert load_scenario(path).model_dump() == s.model_dump()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"doctors": 7, "districts": 2, "month": "2027-01"}, "doctors"),
        ({"doctors": 3, "districts": 1, "month": "2027-01"}, "doctors"),
        ({"doctors": 12, "districts": 0, "month": "2027-01"}, "districts"),
        ({"doctors": 12, "districts": 2, "month": "2027-13"}, "month"),
        ({"doctors": 12, "districts": 2, "month": "January"}, "month"),
        ({"doctors": 120, "districts": 20, "month": "2027-01", "hospitals": 2}, "hospitals"),
    ],
)
def test_rejects_impossible_requests(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        generate(seed=1, **kwargs)  # type: ignore[arg-type]


@given(
    per_district=st.integers(MIN_DOCTORS_PER_DISTRICT, 14),
    districts=st.integers(1, 6),
    month=st.integers(1, 12),
    seed=st.integers(0, 10_000),
)
def test_any_size_and_month_keeps_every_run_coverable(per_district: int, districts: int, month: int, seed: int) -> None:
    s = generate(per_district * districts, districts, f"2027-{month:02d}", seed=seed)
    _assert_coverable_runs(s)


def test_usual_networks_keep_two_consecutive_days() -> None:
    for doctors, districts, month in [(24, 4, "2027-01"), (12, 2, "2027-05"), (42, 4, "2026-09")]:
        assert generate(doctors, districts, month, seed=1).rules.max_consecutive_days == 2


@pytest.mark.parametrize(
    ("doctors", "districts", "month", "least"),
    [
        (8, 2, "2027-06", 3),  # weekends only: Friday night, Saturday and Sunday with four doctors
        (4, 1, "2027-01", 4),  # the clipped night of 12/31 and 1/1-1/3: four dates in a row
        (8, 2, "2026-09", 6),  # Silver Week 9/19-9/23 after a Friday night: six dates, four doctors
    ],
)
def test_thin_networks_allow_the_consecutive_days_they_need(
    doctors: int, districts: int, month: str, least: int
) -> None:
    s = generate(doctors, districts, month, seed=1)
    assert min(Counter(s.clinic_of(p).district for p in s.physicians).values()) < USUAL_DOCTORS_PER_DISTRICT
    assert s.rules.max_consecutive_days == least


@pytest.mark.parametrize(
    ("doctors", "districts", "month", "seed"),
    [(4, 1, "2027-01", 1), (10, 2, "2027-05", 2), (16, 4, "2027-08", 8), (5, 1, "2026-09", 3)],
)
def test_thin_networks_solve_without_a_gap(doctors: int, districts: int, month: str, seed: int) -> None:
    """Four or five doctors to a district: every duty covered and the checker finds nothing. (16 doctors in
    4 districts in August 2027, seed 8, once had a holiday cap the month's Sundays could not afford.)"""
    from solver import SolveOptions, solve

    s = generate(doctors, districts, month, seed=seed)
    # Coverage is the question: with the soft goals off the first covering roster is optimal at once.
    weights = s.rules.weights.model_copy(update=dict.fromkeys(type(s.rules.weights).model_fields, 0))
    quiet = s.model_copy(update={"rules": s.rules.model_copy(update={"weights": weights})})
    result = solve(quiet, SolveOptions(time_limit=60, workers=2, seed=0))
    assert result.roster.gaps == []
    assert check(s, result.roster).violations == []


def test_default_districts() -> None:
    assert [default_districts(n) for n in (4, 10, 12, 15, 40, 60, 600)] == [1, 1, 1, 2, 4, 6, 60]
    assert all(n // default_districts(n) >= MIN_DOCTORS_PER_DISTRICT for n in range(MIN_DOCTORS_PER_DISTRICT, 700))
