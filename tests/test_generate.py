"""The scenario generator: deterministic, valid, realistic in shape, and coverable by construction."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncall.checker import check
from oncall.generate import (
    MIN_DOCTORS_PER_DISTRICT,
    PATIENTS_PER_DOCTOR,
    USUAL_DOCTORS_PER_DISTRICT,
    default_districts,
    generate,
)
from oncall.io import load_scenario, save_scenario
from oncall.load import DAYS_PER_MONTH, admission_overloads
from oncall.model import RISK_CLASSES, Hospital, Scenario
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


def _large(scenario: Scenario) -> list[Hospital]:
    """The backup hospitals of 200 beds or more (在宅療養後方支援病院)."""
    return [h for h in scenario.hospitals if (h.beds or 0) >= 200]


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
    if districts <= 8:
        assert big, "one large backup hospital serves every district"
    else:  # issue 23: a wide area has several large hospitals, each for the districts near it
        assert not big and all(any(d.id in h.districts for h in _large(s)) for d in s.districts)
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


def test_large_network_has_a_hospital_open_for_every_district() -> None:
    # How long generation takes is measured by the benchmarks, not asserted here (a busy machine).
    s = generate(600, 25, "2027-01", seed=1)
    assert len(s.physicians) == 600 and len(s.districts) == 25
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


# --- the full model: patients and hospitals (issue 23) -----------------------------------------------


def test_patients_by_default_and_none_on_request() -> None:
    s = generate(40, 4, "2027-09", seed=3)
    with_patients = {g.clinic for g in s.patients}
    assert with_patients == {c.id for c in s.clinics}
    per_doctor = sum(g.total for g in s.patients) / len(s.physicians)
    assert PATIENTS_PER_DOCTOR[0] <= per_doctor <= PATIENTS_PER_DOCTOR[1]
    assert any(g.hospital is not None for g in s.patients) and any(g.hospital is None for g in s.patients)
    bare = generate(40, 4, "2027-09", seed=3, patients=False)
    assert bare.patients == []
    assert bare.model_dump() == s.model_copy(update={"patients": []}).model_dump()


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * 111.0
    dx = (a[1] - b[1]) * 111.0 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def _district_centres(s: Scenario) -> dict[str, tuple[float, float]]:
    """The mean position of each district's clinics."""
    out = {}
    for d in s.districts:
        points = [(c.lat, c.lon) for c in s.clinics if c.district == d.id and c.lat is not None and c.lon is not None]
        out[d.id] = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return out


@pytest.mark.parametrize(
    ("doctors", "districts", "month", "seed"),
    [(600, 25, "2027-01", 1), (600, 25, "2027-05", 4), (150, 12, "2026-09", 2), (40, 4, "2026-12", 5)],
)
def test_hospitals_match_the_network_and_stand_near_their_districts(
    doctors: int, districts: int, month: str, seed: int
) -> None:
    s = generate(doctors, districts, month, seed=seed)
    large = _large(s)
    assert len(large) >= (2 if districts > 8 else 1)
    assert all(200 <= (h.beds or 0) <= 700 for h in large)
    assert all(60 <= (h.beds or 0) < 200 for h in s.hospitals if h not in large)
    assert len(s.hospitals) > len(large), "community hospitals beside the large ones"
    # Every district has a large hospital, never closed, within reach of an ambulance.
    centres = _district_centres(s)
    for d in s.districts:
        assert any(d.id in h.districts and not h.closed_dates for h in large), d.id
    for h in s.hospitals:
        assert h.lat is not None and h.lon is not None
        reach = 35.0 if h in large else 15.0
        far = max(_km((h.lat, h.lon), centres[d]) for d in h.districts)
        assert far <= reach, (h.id, far)
    # Larger networks have larger hospitals: beds grow with the doctors a hospital's districts have.
    if districts > 8:
        assert sum(h.beds or 0 for h in large) >= doctors


def _admissions_a_day(s: Scenario) -> dict[str, float]:
    """Expected emergency admissions a day of each district's enrolled patients (registered or not)."""
    rates = s.load.rates
    district = {c.id: c.district for c in s.clinics}
    out = dict.fromkeys((d.id for d in s.districts), 0.0)
    for g in s.patients:
        out[district[g.clinic]] += sum(g.count(r) * rates.of(r).admissions for r in RISK_CLASSES) / 100 / DAYS_PER_MONTH
    return out


@given(
    size=st.sampled_from([(12, 2), (40, 4), (60, 5), (150, 12), (96, 16)]),
    month=st.integers(1, 12),
    seed=st.integers(0, 10_000),
)
def test_hospital_capacity_suffices_for_the_expected_admissions(size: tuple[int, int], month: int, seed: int) -> None:
    s = generate(*size, f"2027-{month:02d}", seed=seed)
    assert admission_overloads(s, Timeline.build(s)) == []
    # More than that: every district has a hospital, open every date, that could alone take the
    # admissions of all the districts it serves, within its margin.
    expected = _admissions_a_day(s)
    margin = 1 - s.load.capacity_margin
    for d in s.districts:
        alone = [
            h
            for h in s.hospitals
            if d.id in h.districts
            and not h.closed_dates
            and sum(expected[x] for x in h.districts) <= h.capacity_per_day * margin
        ]
        assert alone, d.id


@pytest.mark.parametrize(("doctors", "districts", "month", "seed"), [(12, 2, "2027-01", 1), (40, 4, "2027-05", 2)])
def test_the_full_model_solves_without_a_gap(doctors: int, districts: int, month: str, seed: int) -> None:
    """Patients, admissions and all: covered, and the checker (admission limits included) finds nothing.
    The soft goals are off, so the first covering roster is optimal: one worker, a fixed seed, no clock."""
    from solver import SolveOptions, solve

    s = generate(doctors, districts, month, seed=seed)
    assert s.patients
    weights = s.rules.weights.model_copy(update=dict.fromkeys(type(s.rules.weights).model_fields, 0))
    quiet = s.model_copy(update={"rules": s.rules.model_copy(update={"weights": weights})})
    result = solve(quiet, SolveOptions(time_limit=300, workers=1, seed=0))
    assert result.status == "optimal"
    assert result.roster.gaps == []
    assert check(s, result.roster).violations == []


@pytest.mark.parametrize(("doctors", "districts", "month", "seed"), [(12, 2, "2027-05", 1), (40, 4, "2026-09", 3)])
def test_shared_roles_and_office_caps_solve_without_a_gap(doctors: int, districts: int, month: str, seed: int) -> None:
    """``shared=True``: a network-wide night backup, shared holiday-day backups, no Saturday-afternoon
    secondary, and the office's weekend, consecutive-night and weekly-night caps; covered and checked."""
    from solver import solve
    from tests.solving import steady

    s = generate(doctors, districts, month, seed=seed, shared=True)
    plain = generate(doctors, districts, month, seed=seed)
    assert s.shared_roles[0].id == "night_backup" and not plain.shared_roles
    assert all(d.roles == {"sat_afternoon": ["primary"]} for d in s.districts)
    capped = [p for p in s.physicians if p.caps.weekend_duties == 3 or p.caps.consecutive_nights == 1]
    assert capped and len(capped) < len(s.physicians)
    assert all(p.caps.nights_per_week is not None and p.caps.nights_per_week <= 2 for p in s.physicians if p.share < 1)
    # The same duties as the network without shared roles, with fewer roles of their own to fill.
    duties, plain_duties = Timeline.build(s).duties, Timeline.build(plain).duties
    assert len(duties) == len(plain_duties)
    assert sum(len(d.own_roles) for d in duties) < sum(len(d.own_roles) for d in plain_duties)
    result = solve(s, steady(10))
    assert result.roster.gaps == []
    assert check(s, result.roster, figures=False).violations == []
    assert any(d.shared for d in result.roster.duties)


def test_a_wide_network_shares_each_night_backup_among_three_districts_someone_can_reach() -> None:
    from oncall.eligibility import compute_eligibility

    s = generate(150, 12, "2027-01", seed=1, shared=True)
    nights = [g for g in s.shared_roles if "wd_night" in g.blocks]
    assert [len(g.districts) for g in nights] == [3, 3, 3, 3]
    tl = Timeline.build(s)
    eligibility = compute_eligibility(s, tl)
    leads = [d for d in tl.duties if d.night and "secondary" in d.own_roles and len(tl.sharing(d, "secondary")) > 1]
    assert leads and all(eligibility.physicians(d.id, "secondary") for d in leads)
