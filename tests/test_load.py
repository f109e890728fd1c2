"""The load model: patients in the scenario, expected calls, visits and admissions, provable overloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oncall.diagnosis import describe_overloads
from oncall.errors import InvalidScenario
from oncall.fairness import visit_targets, visit_unit
from oncall.io import parse_scenario
from oncall.load import DAYS_PER_MONTH, admission_overloads, expected_load, hospital_days
from oncall.model import History, PatientGroup, RiskClass, Scenario
from oncall.timeline import Timeline
from tests.factories import make_scenario


def _with(scenario: Scenario, **changes: Any) -> Scenario:
    data = scenario.model_dump(mode="json")
    data.update(changes)
    return parse_scenario(data)


def test_old_scenarios_stay_valid_and_carry_no_load() -> None:
    s = make_scenario()
    assert s.patients == [] and s.load.capacity_margin == 0.2
    load = expected_load(s, Timeline.build(s))
    assert not load.any_admissions
    assert all(d.calls == d.visits == d.admissions == 0 for d in load.duties.values())


@pytest.mark.parametrize(
    ("patients", "message"),
    [
        ([{"clinic": "n9", "other": 3}], "patients[0].clinic: unknown clinic 'n9'"),
        ([{"clinic": "n1", "hospital": "kita", "other": 3}], "patients[0].hospital: unknown hospital 'kita'"),
        ([{"clinic": "n1", "cancer": -2}], "patients[0].cancer: Input should be greater than or equal to 0 (got -2)"),
        (
            [{"clinic": "n1", "other": 1}, {"clinic": "n1", "other": 2}],
            "patients[1]: clinic 'n1' with no hospital is already listed in patients[0]",
        ),
    ],
)
def test_patient_errors_name_the_field_and_the_value(patients: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(InvalidScenario) as err:
        _with(make_scenario(), patients=patients)
    assert any(line.endswith(message) for line in err.value.problems), err.value.problems


def test_load_settings_are_validated() -> None:
    with pytest.raises(InvalidScenario, match=r"load\.capacity_margin"):
        _with(make_scenario(), load={"capacity_margin": 1.0})
    with pytest.raises(InvalidScenario, match=r"load\.rates\.cancer\.visit_fraction"):
        _with(make_scenario(), load={"rates": {"cancer": {"calls": 6, "visit_fraction": 1.5, "admissions": 2}}})
    custom = _with(make_scenario(), load={"rates": {"cancer": {"calls": 8, "visit_fraction": 0.3, "admissions": 3}}})
    assert custom.load.rates.cancer.calls == 8 and custom.load.rates.other.calls == 20.0  # others keep defaults


REFERENCE_MIX: dict[RiskClass, float] = {"cancer": 0.15, "home_oxygen": 0.08, "care_level_4_5": 0.35, "other": 0.42}


def test_defaults_reproduce_the_field_averages_on_the_reference_mix() -> None:
    """15% cancer, 8% home oxygen, 35% care level 4–5: ~25 calls, ~3.8 call-outs (visits) and ~1.5
    admissions per 100 a month. The field's 3.6–4.1 counts call-outs, not calls: 85% of calls are
    settled by phone (docs/load.md)."""
    rates = make_scenario().load.rates
    calls = sum(share * rates.of(risk).calls for risk, share in REFERENCE_MIX.items())
    visits = sum(share * rates.of(risk).calls * rates.of(risk).visit_fraction for risk, share in REFERENCE_MIX.items())
    admissions = sum(share * rates.of(risk).admissions for risk, share in REFERENCE_MIX.items())
    assert 24 <= calls <= 27
    assert 3.6 <= visits <= 4.1
    assert 1.0 <= admissions <= 2.0
    assert all(rates.of(r).visit_fraction == 0.15 for r in REFERENCE_MIX)


def test_a_month_of_the_reference_mix_brings_the_field_figures_in_absolute_numbers() -> None:
    """What the roster carries, added up over a month of duties: 1,000 patients of the reference mix
    make ~255 calls, ~38 visits (call-outs) and ~15 admissions (every figure from the load model)."""
    s = make_scenario(start=dt.date(2027, 3, 1), days=31)
    counts = {risk: round(1000 * share) for risk, share in REFERENCE_MIX.items()}
    s.patients = [PatientGroup(clinic="n1", **counts)]
    load = expected_load(s, Timeline.build(s))
    per_100_a_month = 100 / 1000 / (31 / DAYS_PER_MONTH)
    calls = sum(d.calls for d in load.duties.values()) * per_100_a_month
    visits = sum(d.visits for d in load.duties.values()) * per_100_a_month
    admissions = sum(d.admissions for d in load.duties.values()) * per_100_a_month
    assert 24 <= calls <= 27 and 3.6 <= visits <= 4.1 and 1.0 <= admissions <= 2.0
    assert visits == pytest.approx(0.15 * calls)


def test_expected_calls_follow_hours_times_factor() -> None:
    # One week from Monday 1/4: the 1/3 night's tail, five weekday nights, Saturday afternoon and night,
    # Sunday day and night. North has 100 'other' patients: 20 calls per 100 a month.
    s = make_scenario()
    s.patients = [PatientGroup(clinic="n1", other=100)]
    tl = Timeline.build(s)
    load = expected_load(s, tl)
    north = [d for d in tl.duties if d.district == "north"]
    total = 100 * 20.0 / 100 * 7 / DAYS_PER_MONTH
    assert sum(load.duties[d.id].calls for d in north) == pytest.approx(total)
    assert all(load.duties[d.id].calls == 0 for d in tl.duties if d.district == "south")
    weight = {d.id: d.slot.hours * (1.0 if d.night else 1.5) for d in north}
    for d in north:
        assert load.duties[d.id].calls == pytest.approx(total * weight[d.id] / sum(weight.values()))
        assert load.duties[d.id].visits == pytest.approx(0.15 * load.duties[d.id].calls)
    night = next(d for d in north if d.block.id == "wd_night")
    assert load.role_visits(night.id, "primary") == pytest.approx(0.9 * load.duties[night.id].visits)
    assert load.role_visits(night.id, "secondary") == pytest.approx(0.1 * load.duties[night.id].visits)


def test_registered_patients_go_to_their_hospital_every_date() -> None:
    s = make_scenario()
    s.patients = [
        PatientGroup(clinic="s1", hospital="minami", cancer=50),
        PatientGroup(clinic="s1", care_level_4_5=200),
    ]
    tl = Timeline.build(s)
    load = expected_load(s, tl)
    assert load.registered == {"central": 0.0, "minami": pytest.approx(50 * 2.4 / 100 / DAYS_PER_MONTH)}
    unregistered = sum(d.admissions for d in load.duties.values())
    assert unregistered == pytest.approx(200 * 1.5 / 100 * 7 / DAYS_PER_MONTH)
    standby = {d.id: "central" for d in tl.duties}
    days = hospital_days(s, tl, standby, load)
    minami = [d for d in days if d.hospital == "minami"]
    assert all(
        d.registered == load.registered["minami"] and d.from_standby == 0 for d in minami if d.day >= s.period.start
    )
    central = [d for d in days if d.hospital == "central"]
    assert sum(d.from_standby for d in central) == pytest.approx(unregistered)
    assert {d.districts for d in central if d.from_standby} == {("north", "south")}


def test_registered_patients_alone_over_the_limit_are_named_on_every_date() -> None:
    s = make_scenario(days=3)
    s.patients = [PatientGroup(clinic="s1", hospital="minami", cancer=4000)]  # 3.15 a day, limit 2.4
    tl = Timeline.build(s)
    overloads = admission_overloads(s, tl)
    assert [(o.day, o.hospitals, o.districts) for o in overloads] == [
        (dt.date(2027, 1, d), ("minami",), ()) for d in (4, 5, 6)
    ]
    (ja,) = describe_overloads(s, overloads)
    assert ja.startswith("南病院: 登録患者だけで予想入院 3.15件/日が受入上限 2.40件/日")
    assert ja.endswith("(2027-01-04〜2027-01-06)")
    (en,) = describe_overloads(s, overloads, "en")
    assert "Minami Hospital" in en and "2027-01-04–2027-01-06" in en


def test_a_date_whose_admissions_no_set_of_hospitals_can_absorb_is_named() -> None:
    s = make_scenario(days=3)
    s.patients = [PatientGroup(clinic="n1", other=1500), PatientGroup(clinic="s1", other=1500)]
    s.hospitals[0].capacity_per_day = 1
    tl = Timeline.build(s)
    assert admission_overloads(s, tl) == []  # minami takes the south on any date
    s.hospitals[1].closed_dates = [dt.date(2027, 1, 5)]
    (o,) = admission_overloads(s, tl)
    assert (o.day, o.hospitals, o.districts) == (dt.date(2027, 1, 5), ("central",), ("north", "south"))
    assert o.limit == pytest.approx(0.8) and o.expected > 1.1
    (msg,) = describe_overloads(s, [o])
    assert msg.startswith("2027-01-05: 中央病院 が予想入院を受け切れない: 北部・南部から")


def test_visit_targets_follow_the_fair_share_of_points_and_carried_points() -> None:
    s = make_scenario()
    s.patients = [PatientGroup(clinic="n1", cancer=30, other=120), PatientGroup(clinic="s1", other=90)]
    tl = Timeline.build(s)
    load = expected_load(s, tl)
    total = sum(load.role_visits(d.id, r) for d in tl.duties for r in d.block.roles)
    plain = visit_targets(s, tl)
    assert sum(plain.values()) == pytest.approx(total)
    assert plain["n1a"] == pytest.approx(plain["n1b"])  # same pools, same share
    assert plain["n1a"] > plain["s1a"]  # the north carries more patients
    assert visit_unit(s, tl) == pytest.approx(total / sum(len(d.block.roles) for d in tl.duties))
    s.physician("n1b").history = History(points={"weekday": 3.0})
    carried = visit_targets(s, tl)
    assert carried["n1b"] < carried["n1a"]  # due fewer points now, so fewer visits
    assert sum(carried.values()) == pytest.approx(total)
    s.physician("n1a").share = 0.5
    assert visit_targets(s, tl)["n1a"] < carried["n1a"]
