"""The 主治医・副主治医 cover plan: scenario validation, the CP-SAT pairing and cover, the independent check."""

from __future__ import annotations

import datetime as dt

from oncall.checker import check
from oncall.cover.check import CHECKS, MESSAGES, check_cover
from oncall.cover.document import CoverAnswer, CoverPair
from oncall.model import Absence, Scenario
from oncall.roster import Roster
from oncall.rules import COVER_HARD, COVER_RULES
from solver.cover import ENCODERS, FILTERS, solve_cover
from tests.factories import greedy_roster, make_scenario

# North clinics n1, n2 about 3 km apart; south clinics s1, s2 about 3 km apart; north to south about 20 km.
COORDS = {"n1": (36.200, 137.250), "n2": (36.210, 137.280), "s1": (36.020, 137.260), "s2": (36.030, 137.290)}


def cover_scenario(**cover: object) -> Scenario:
    """The factory network with coordinates, four 主治医 and two absences on weekdays."""
    s = make_scenario()
    for c in s.clinics:
        c.lat, c.lon = COORDS[c.id]
    s.physician("n1a").absences = [Absence(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 6))]
    s.physician("s1a").absences = [
        Absence(start=dt.datetime(2027, 1, 7, 13, 0), end=dt.datetime(2027, 1, 7, 17, 0), reason="学会")
    ]
    config = {
        "panels": [
            {"physician": "n1a", "cancer": 3, "other": 20},
            {"physician": "n2a", "other": 15},
            {"physician": "s1a", "home_oxygen": 2, "other": 18},
            {"physician": "s2a", "other": 12},
        ],
        **cover,
    }
    data = s.model_dump()
    data["cover"] = config
    return Scenario.model_validate(data)


def solved(s: Scenario) -> Roster:
    roster = greedy_roster(s)
    roster.cover = solve_cover(s, roster, workers=1, seed=0)
    return roster


def test_every_cover_rule_has_an_encoder_and_a_check() -> None:
    hard = {r.id for r in COVER_HARD}
    assert hard == set(CHECKS)
    assert hard == set(FILTERS) | set(ENCODERS)
    assert set(COVER_RULES) >= hard
    assert all(len(texts) == 2 and all(texts) for texts in MESSAGES.values())


def test_plan_pairs_within_distance_and_names_who_answers_each_absence() -> None:
    s = cover_scenario()
    roster = solved(s)
    plan = roster.cover
    assert plan is not None and plan.status == "optimal"
    assert not plan.unpaired
    clinic = {p.id: p.clinic for p in s.physicians}
    assert {p.principal for p in plan.pairs} == {"n1a", "n2a", "s1a", "s2a"}
    for pair in plan.pairs:  # 20 km apart: north covers north, south covers south, never the same clinic
        assert clinic[pair.principal][0] == clinic[pair.deputy][0]
        assert clinic[pair.principal] != clinic[pair.deputy]
    # n1a away two weekdays (regular hours only: the rota holds the nights), s1a one afternoon
    by_who = {(a.principal, a.start.date()) for a in plan.answers}
    assert by_who == {("n1a", dt.date(2027, 1, 5)), ("n1a", dt.date(2027, 1, 6)), ("s1a", dt.date(2027, 1, 7))}
    assert all(a.answerer and a.role == "deputy" for a in plan.answers)
    afternoon = next(a for a in plan.answers if a.principal == "s1a")
    assert (afternoon.start.hour, afternoon.end.hour) == (13, 17)
    assert check_cover(s, roster) == []
    assert check(s, roster).ok


def test_checker_rejects_a_pair_over_the_distance() -> None:
    s = cover_scenario()
    roster = solved(s)
    assert roster.cover is not None
    roster.cover.pairs[0] = CoverPair(principal=roster.cover.pairs[0].principal, deputy="s2b")
    rules = {v.rule for v in check(s, roster).violations}
    assert "cover_distance" in rules


def test_checker_rejects_a_deputy_absent_on_a_day_they_cover() -> None:
    s = cover_scenario()
    roster = solved(s)
    assert roster.cover is not None
    answer = next(a for a in roster.cover.answers if a.principal == "n1a")
    s.physician(str(answer.answerer)).absences.append(Absence(start=answer.start.date(), end=answer.start.date()))
    violations = check_cover(s, roster)
    assert "cover_available" in {v.rule for v in violations}
    assert any(answer.answerer in v.people for v in violations)
    # Kept as codes with ids: a violation found in Japanese reads as the English check words it.
    english = check_cover(s, roster, lang="en")
    assert [v.render("en") for v in violations] == [v.message for v in english]
    assert all(v.code.startswith("cover_check.") for v in violations)


def test_checker_rejects_a_pair_across_groups() -> None:
    groups = [
        {"id": "g1", "name": "北グループ", "clinics": ["n1", "n2"]},
        {"id": "g2", "name": "南グループ", "clinics": ["s1", "s2"]},
    ]
    s = cover_scenario(groups=groups, max_visit_km=None)
    roster = solved(s)
    assert roster.cover is not None and check_cover(s, roster) == []
    roster.cover.pairs.append(CoverPair(principal="n1a", deputy="s1b"))
    rules = {v.rule for v in check_cover(s, roster, lang="en")}
    assert "cover_group" in rules


def test_without_distance_or_groups_a_far_deputy_is_allowed() -> None:
    s = cover_scenario(max_visit_km=None)
    roster = solved(s)
    assert roster.cover is not None
    roster.cover.pairs[0] = CoverPair(principal=roster.cover.pairs[0].principal, deputy="s2b")
    assert "cover_distance" not in {v.rule for v in check_cover(s, roster)}


def test_second_cover_answers_when_the_deputy_is_also_away() -> None:
    s = cover_scenario(doctors=[{"physician": p.id, "max_colleagues": 1} for p in make_scenario().physicians])
    roster = solved(s)
    assert roster.cover is not None
    deputy = next(p.deputy for p in roster.cover.pairs if p.principal == "n1a")
    s.physician(deputy).absences.append(Absence(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 5)))
    roster = solved(s)
    assert roster.cover is not None
    kept = next(p.deputy for p in roster.cover.pairs if p.principal == "n1a")
    on_5th = next(a for a in roster.cover.answers if a.principal == "n1a" and a.start.day == 5)
    assert kept == deputy  # the pair holds; a second cover answers the day the deputy is away
    assert on_5th.role == "second" and on_5th.answerer not in (deputy, "n1a")
    assert check_cover(s, roster) == []


def test_a_second_cover_named_while_the_deputy_is_free_is_rejected() -> None:
    s = cover_scenario()
    roster = solved(s)
    assert roster.cover is not None
    i, a = next((i, a) for i, a in enumerate(roster.cover.answers) if a.principal == "n1a")
    other = next(p.id for p in s.physicians if p.clinic == "n2" and p.id != a.answerer)
    roster.cover.answers[i] = CoverAnswer(principal="n1a", start=a.start, end=a.end, answerer=other, role="second")
    assert "cover_deputy_first" in {v.rule for v in check_cover(s, roster)}


def test_nobody_in_reach_is_a_gap_with_reasons() -> None:
    s = cover_scenario(max_visit_km=1.0)
    roster = solved(s)
    plan = roster.cover
    assert plan is not None
    assert {u.principal for u in plan.unpaired} == {"n1a", "n2a", "s1a", "s2a"}
    assert all(any(r.startswith("cover_distance") for r in u.reasons) for u in plan.unpaired)
    gaps = [a for a in plan.answers if a.answerer is None]
    assert len(gaps) == 3 and all(a.reasons for a in gaps)
    assert check_cover(s, roster) == []  # declared gaps are honest


def test_capacity_limits_the_deputy() -> None:
    doctors = [{"physician": p.id, "takes_cover": p.id in ("n2b", "s2b")} for p in make_scenario().physicians]
    s = cover_scenario(doctors=doctors)
    plan = solved(s).cover
    assert plan is not None
    assert {p.deputy for p in plan.pairs} <= {"n2b", "s2b"}
    s2 = cover_scenario(doctors=[{"physician": "n2b", "max_patients": 10}, *doctors[:3]])
    plan2 = solved(s2).cover
    assert plan2 is not None
    assert all(not (p.deputy == "n2b" and p.principal == "n1a") for p in plan2.pairs)  # 23 patients > 10


def test_previous_pairs_are_kept_over_balance() -> None:
    s = cover_scenario()
    first = solved(s).cover
    assert first is not None
    # last period's pairs: n1b covers both north 主治医 (unbalanced, yet kept)
    previous = [{"principal": "n2a", "deputy": "n1b"}, {"principal": "n1a", "deputy": "n2b"}]
    s2 = cover_scenario(previous_pairs=previous)
    plan = solved(s2).cover
    assert plan is not None
    pairs = {(p.principal, p.deputy) for p in plan.pairs if p.kept}
    assert pairs == {("n2a", "n1b"), ("n1a", "n2b")}


def test_two_deputies_for_a_large_panel() -> None:
    s = cover_scenario(two_deputies_from=21)
    plan = solved(s).cover
    assert plan is not None
    count = {p: sum(1 for q in plan.pairs if q.principal == p) for p in ("n1a", "n2a", "s1a", "s2a")}
    assert count == {"n1a": 2, "n2a": 1, "s1a": 1, "s2a": 1}
