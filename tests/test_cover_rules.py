"""Rule-level tests of the cover model: each hard rule on the tiny cover scenario, without a full solve.

Filters are checked by the variables they leave out; encoders by fixing a few variables and asking
CP-SAT whether the rest can still be completed (feasibility only, no objective).
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from oncall.model import Absence
from oncall.rules import COVER_HARD
from solver.cover import ENCODERS, FILTERS, CoverModel, build_cover_model
from tests.factories import greedy_roster
from tests.test_cover import cover_scenario


def model(**cover: object) -> CoverModel:
    s = cover_scenario(**cover)
    return build_cover_model(s, greedy_roster(s))


def feasible(m: CoverModel, *fixed: tuple[cp_model.IntVar, int]) -> bool:
    for var, value in fixed:
        m.model.add(var == value)
    m.model.clear_objective()  # type: ignore[no-untyped-call]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(m.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_every_hard_rule_is_a_filter_or_an_encoder() -> None:
    assert {r.id for r in COVER_HARD} == set(FILTERS) | set(ENCODERS)


def test_other_clinic_filter() -> None:
    m = model(max_visit_km=None)
    assert ("n1a", "n1b") not in m.pair and ("n1a", "n2b") in m.pair


def test_distance_filter() -> None:
    m = model()
    assert ("n1a", "n2b") in m.pair and ("n1a", "s1a") not in m.pair  # 3 km and 20 km
    assert ("n1a", "s1a") in model(max_visit_km=25).pair


def test_group_filter() -> None:
    groups = [{"id": "g1", "name": "G1", "clinics": ["n1", "s1"]}, {"id": "g2", "name": "G2", "clinics": ["n2", "s2"]}]
    m = model(groups=groups, max_visit_km=None)
    assert ("n1a", "s1b") in m.pair and ("n1a", "n2b") not in m.pair


def test_capacity_filter_and_encoder() -> None:
    m = model(doctors=[{"physician": "n2b", "takes_cover": False}])
    assert ("n1a", "n2b") not in m.pair
    m = model(doctors=[{"physician": "n1b", "max_colleagues": 1}, {"physician": "n2b", "max_patients": 20}])
    assert feasible(m, (m.pair["n1a", "n2b"], 0))
    m = model(doctors=[{"physician": "n1b", "max_colleagues": 1}, {"physician": "n2b", "max_patients": 20}])
    assert not feasible(m, (m.pair["n1a", "n2b"], 1))  # n1a has 23 patients
    m = model(doctors=[{"physician": "n1b", "max_colleagues": 1}], max_visit_km=None)
    assert feasible(m, (m.pair["n2a", "n1b"], 1))
    m = model(doctors=[{"physician": "n1b", "max_colleagues": 1}], max_visit_km=None)
    assert not feasible(m, (m.pair["n2a", "n1b"], 1), (m.pair["s1a", "n1b"], 1))
    m = model(doctors=[{"physician": "n1b", "max_colleagues": 0}])
    assert not feasible(m, (m.pair["n2a", "n1b"], 1))


def test_deputies_encoder_counts_a_shortfall_as_a_gap() -> None:
    m = model()
    fixed = [(x, 0) for (p, _), x in m.pair.items() if p == "n1a"]
    assert feasible(m, *fixed, (m.missing["n1a"], 1))
    m = model()
    fixed = [(x, 0) for (p, _), x in m.pair.items() if p == "n1a"]
    assert not feasible(m, *fixed, (m.missing["n1a"], 0))


def test_available_filter() -> None:
    s = cover_scenario()
    s.physician("n2b").absences.append(Absence(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 5)))
    m = build_cover_model(s, greedy_roster(s))
    on_5th = next(g for g in m.segments if g.principal == "n1a" and g.start.astimezone(s.zone).day == 5)
    on_6th = next(g for g in m.segments if g.principal == "n1a" and g.start.astimezone(s.zone).day == 6)
    assert "n2b" not in m.second[on_5th.key] and "n2b" in m.second[on_6th.key]


def test_answered_encoder_names_exactly_one() -> None:
    m = model()
    g = next(g for g in m.segments if g.principal == "s1a")
    a, b = list(m.second[g.key].values())[:2]
    assert not feasible(m, (a, 1), (b, 1))
    m = model()
    assert not feasible(m, *[(x, 0) for x in m.answerers(g).values()], (m.gap[g.key], 0))


def test_deputy_first_encoder() -> None:
    m = model()
    g = next(g for g in m.segments if g.principal == "s1a")
    deputy = "s2b"
    other = next(c for c in m.second[g.key] if c != deputy)
    assert feasible(model(), (m.pair["s1a", deputy], 1))
    assert not feasible(m, (m.pair["s1a", deputy], 1), (m.second[g.key][other], 1))  # deputy free: deputy answers
    m = model()
    assert not feasible(m, (m.pair["s1a", deputy], 0), (m.deputy[g.key][deputy], 1))  # only a 副主治医 as deputy


def test_the_benchmark_runs_to_a_proven_optimum_on_a_small_network() -> None:
    from benchmarks.cover import instance, measure

    s = instance(12, seed=1)
    row = measure(s, greedy_roster(s), workers=1)
    assert row["doctors"] == 12 and row["principals"] == 12 and row["status"] == "optimal"
    assert row["pairs"] >= row["principals"] and row["variables"] > 0
