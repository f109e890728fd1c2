"""The step-by-step feasibility check (``oncall.feasibility``) agrees with the checker.

Warm-start rosters, built step by step, break no rule the checker knows but the pins they were given and
coverage; every reason the gap diagnosis gives for an eligible doctor names a rule the checker confirms
broken once that doctor is put in the role, and a doctor it calls free breaks nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import event, given, settings
from hypothesis import strategies as st

from oncall.checker import Violation, check
from oncall.diagnosis import _REASON_OF_RULE, diagnose_gap
from oncall.eligibility import Eligibility, compute_eligibility
from oncall.fairness import fair_share
from oncall.feasibility import Assignment, Ledger
from oncall.model import Role, Scenario
from oncall.rules import CAPS, HARD
from oncall.timeline import Duty, Timeline
from solver.rules import ENCODERS
from solver.warmstart import warm_starts
from tests.factories import make_scenario, roster_of
from tests.strategies import scenarios

DETERMINISTIC = settings(derandomize=True, deadline=None)


def test_every_cap_is_a_registered_hard_rule_with_its_encoder_and_field() -> None:
    hard = {r.id for r in HARD}
    p = make_scenario().physicians[0]
    for cap in CAPS:
        assert cap.rule in hard and cap.rule in ENCODERS
        assert cap.field in type(p.caps).model_fields
    assert len({c.rule for c in CAPS}) == len(CAPS)


def _night(tl: Timeline, district: str, day: dt.date) -> Duty:
    return next(d for d in tl.duties if d.district == district and d.day == day and d.night)


def test_blocking_names_each_rule_a_step_would_break() -> None:
    s = make_scenario()
    s.physicians[0].caps.nights = 1  # n1a
    s.rules.max_consecutive_days = 2
    tl = Timeline.build(s)
    ledger = Ledger(s, tl, compute_eligibility(s, tl))
    day = dt.date(2027, 1, 5)
    first, second = _night(tl, "north", day), _night(tl, "north", day + dt.timedelta(days=1))
    ledger.take("n1a", first, "primary")
    assert ledger.blocking("n1a", first) == "one_duty_at_a_time"
    assert ledger.blocking("n1b", first) == "secondary_other_clinic"  # n1a's clinic
    assert ledger.blocking("n2a", first) is None and ledger.can_take("n2a", first, "secondary")
    assert ledger.blocking("n1a", second) == "night_cap"
    ledger.take("n2b", _night(tl, "south", day + dt.timedelta(days=2)), "primary")
    rest = ledger.doctors["n2b"].rest
    s.rules.min_rest_hours = 24.0
    assert ledger.blocking("n2b", second) is None  # the rest is read once, when the ledger starts
    ledger.doctors["n2b"].rest = dt.timedelta(hours=24)
    assert ledger.blocking("n2b", second) == "min_rest" and rest < dt.timedelta(hours=24)
    ledger.take("n2a", first, "secondary")
    ledger.take("n2a", _night(tl, "north", day - dt.timedelta(days=1)), "secondary")
    assert ledger.blocking("n2a", second) == "consecutive_days"


def _duty(tl: Timeline, district: str, block: str) -> Duty:
    return next(d for d in tl.duties if d.district == district and d.block.id == block)


def _capacity_broken(s: Scenario, assignments: dict[str, Assignment]) -> bool:
    report = check(s, roster_of(s, assignments), lang="en", figures=False)
    return any(v.rule == "hospital_capacity" for v in report.violations)


def test_districts_at_once_are_counted_as_the_checker_counts_them() -> None:
    s = make_scenario()
    s.rules.hospital_assignment = "block"
    s.hospitals[0].max_districts = 1  # central, serving north and south
    tl = Timeline.build(s)
    ledger = Ledger(s, tl, compute_eligibility(s, tl))
    sat_night = _duty(tl, "north", "sat_night")  # 2027-01-09 18:00 to 01-10 08:30
    ledger.stand_by("central", ledger.unit_key(sat_night))
    overlapping, afternoon = _duty(tl, "south", "sat_night"), _duty(tl, "south", "sat_afternoon")
    after = _duty(tl, "south", "hol_day")  # starts 08:30 on 01-10, as the night ends (half-open)
    assert ledger.districts_at_once("central", [overlapping]) == 2
    assert ledger.districts_at_once("central", [sat_night]) == 1  # a district held counts once
    assert ledger.districts_at_once("central", [afternoon]) == ledger.districts_at_once("central", [after]) == 1
    assert ledger.hospital_blocking("central", ledger.unit_key(overlapping)) == "hospital_capacity"
    for other in (afternoon, after):
        assert ledger.hospital_blocking("central", ledger.unit_key(other)) != "hospital_capacity"
    held = {sat_night.id: Assignment(backup_hospital="central")}
    assert _capacity_broken(s, {**held, overlapping.id: Assignment(backup_hospital="central")})
    for other in (afternoon, after):
        assert not _capacity_broken(s, {**held, other.id: Assignment(backup_hospital="central")})


def test_a_ledger_of_assignments_holds_their_hospitals() -> None:
    s = make_scenario()
    s.hospitals[0].max_districts = 1
    tl = Timeline.build(s)
    night = _duty(tl, "north", "sat_night")
    ledger = Ledger.of_assignments(s, tl, compute_eligibility(s, tl), {night.id: Assignment(backup_hospital="central")})
    assert ledger.standby_dates["central"] == {night.day}
    assert ledger.unit_hospital == {}  # per day: the north unit of 01-09 also has its afternoon, left open
    south = ledger.unit_key(_duty(tl, "south", "sat_night"))
    assert ledger.hospital_blocking("central", south) == "hospital_capacity"
    assert Ledger.of_doctors(s, tl, ledger.eligibility, {}).hospital_blocking("central", south) is None


def _rosters(scenario: Scenario) -> tuple[Timeline, Eligibility, list[Ledger]]:
    tl = Timeline.build(scenario)
    eligibility = compute_eligibility(scenario, tl)
    return tl, eligibility, warm_starts(scenario, tl, eligibility, fair_share(scenario, tl, eligibility))


def _broken(scenario: Scenario, assignments: dict[str, Assignment]) -> set[tuple[str, tuple[str, ...]]]:
    report = check(scenario, roster_of(scenario, assignments), lang="en", figures=False)
    return {(v.rule, v.people) for v in report.violations if v.rule != "coverage"}


def _pinned_rules(scenario: Scenario, violations: list[Violation]) -> list[Violation]:
    """Violations that name no pinned person: the ledger places pins as given and leaves those to the solver."""
    pinned = {p.assignee for p in scenario.pinned}
    return [v for v in violations if v.rule != "coverage" and not set(v.people) & pinned]


@DETERMINISTIC
@given(scenarios())
def test_warm_start_rosters_pass_the_checker(scenario: Scenario) -> None:
    _, _, ledgers = _rosters(scenario)
    for ledger in ledgers:
        report = check(scenario, roster_of(scenario, ledger.assignments), lang="en", figures=False)
        # Registered patients alone may pass a hospital's admission limit whatever the roster.
        broken = [v for v in _pinned_rules(scenario, report.violations) if v.rule != "hospital_admissions"]
        assert not broken, [f"[{v.rule}] {v.message}" for v in broken]


def _fill(assignments: dict[str, Assignment], duty: Duty, role: Role, pid: str) -> dict[str, Assignment]:
    out = {k: Assignment(a.primary, a.secondary, a.backup_hospital) for k, a in assignments.items()}
    setattr(out[duty.id], role, pid)
    return out


@DETERMINISTIC
@given(scenarios(), st.data())
def test_every_gap_reason_is_a_rule_the_checker_confirms(scenario: Scenario, data: st.DataObject) -> None:
    tl, eligibility, ledgers = _rosters(scenario)
    held = {k: Assignment(a.primary, a.secondary, a.backup_hospital) for k, a in ledgers[0].assignments.items()}
    pinned = {(d.id, r) for d in tl.duties for r in ("primary", "secondary") if (d.id, r) in ledgers[0].fixed}
    roles = [(d, r) for d in tl.duties for r in d.block.roles if (d.id, r) not in pinned]
    for i in data.draw(st.lists(st.integers(0, len(roles) - 1), min_size=1, max_size=3, unique=True)):
        duty, role = roles[i]
        setattr(held[duty.id], role, None)  # a gap: why can nobody else take it?
        before = _broken(scenario, held)
        ledger = Ledger.of_doctors(scenario, tl, eligibility, held)
        tally: Counter[str] = Counter()
        for pid in eligibility.physicians(duty.id, role):
            rule = ledger.blocking(pid, duty)
            after = _broken(scenario, _fill(held, duty, role, pid)) - before
            if rule is None:
                assert not after, (pid, duty.id, role, after)
            else:
                assert any(r == rule and pid in people for r, people in after), (pid, duty.id, role, rule, after)
            tally[_REASON_OF_RULE.get(rule or "free", rule or "free")] += 1
            event(rule or "free")
        (sentence,) = diagnose_gap(scenario, tl, eligibility, held, duty, role, "en")
        for reason, n in tally.items():
            assert _said(reason, n, sentence), (reason, n, sentence)


_WORDS = {
    "busy": "on another duty at that time or within their rest",
    "duty_cap": "at their monthly cap",
    "night_cap": "at their night cap",
    "holiday_cap": "at their holiday cap",
    "consecutive_days": "at their consecutive-day limit",
    "same_clinic": "from the partner's clinic",
    "free": "could still take it",
}


def _said(reason: str, n: int, sentence: str) -> bool:
    return f"{n} {_WORDS[reason]}" in sentence


_HOSPITAL_WORDS = {
    "hospital_closed": "closed that day",
    "hospital_standby_cap": "at their standby-day cap",
    "hospital_capacity": "already standing by for as many districts as their max_districts",
    "hospital_admissions": "over their admission limit",
    None: "could still take it",
}


def _said_by(scenario: Scenario, assignments: dict[str, Assignment]) -> set[tuple[str, tuple[str, ...], str]]:
    """Every violation but coverage with its message: a hospital's date or figures tell two apart."""
    report = check(scenario, roster_of(scenario, assignments), lang="en", figures=False)
    return {(v.rule, v.people, v.message) for v in report.violations if v.rule != "coverage"}


def _stand_by(assignments: dict[str, Assignment], duties: list[Duty], hid: str | None) -> dict[str, Assignment]:
    out = {k: Assignment(a.primary, a.secondary, a.backup_hospital) for k, a in assignments.items()}
    for d in duties:
        out[d.id].backup_hospital = hid
    return out


@DETERMINISTIC
@given(scenarios(), st.data())
def test_every_hospital_gap_reason_is_a_rule_the_checker_confirms(scenario: Scenario, data: st.DataObject) -> None:
    tl, eligibility, ledgers = _rosters(scenario)
    units = [
        duties
        for duties in ledgers[0].units.values()
        if not any((d.id, "backup_hospital") in ledgers[0].fixed for d in duties)
    ]
    held = _stand_by(ledgers[0].assignments, [], None)
    for i in data.draw(st.lists(st.integers(0, len(units) - 1), min_size=1, max_size=3, unique=True)):
        duties = units[i]
        held = _stand_by(held, duties, None)  # a gap: why can no hospital stand by for the unit?
        before = _said_by(scenario, held)
        ledger = Ledger.of_assignments(scenario, tl, eligibility, held)
        tally: Counter[str | None] = Counter()
        for h in (h for h in scenario.hospitals if duties[0].district in h.districts):
            rule = ledger.hospital_blocking(h.id, ledger.unit_key(duties[0]))
            after = _said_by(scenario, _stand_by(held, duties, h.id)) - before
            if rule is None:
                assert not after, (h.id, duties[0].id, after)
            else:
                assert any(r == rule and h.id in people for r, people, _ in after), (h.id, duties[0].id, rule, after)
            tally[rule] += 1
            event(rule or "free hospital")
        (sentence,) = diagnose_gap(scenario, tl, eligibility, held, duties[0], "backup_hospital", "en")
        for rule, n in tally.items():
            assert f"; {n} {_HOSPITAL_WORDS[rule]}" in sentence or f", {n} {_HOSPITAL_WORDS[rule]}" in sentence, (
                rule,
                n,
                sentence,
            )


def test_warm_starts_name_a_shared_role_on_every_duty_of_its_group() -> None:
    """A roster names a shared role's holder on every district's duty; the ledger's rosters do too, so the
    model takes them as warm starts (they were refused before, and shared networks solved without one)."""
    from oncall.generate import generate
    from solver import build_model
    from solver.warmstart import warm_starts

    sc = generate(12, 2, "2027-05", 1, shared=True)
    tl = Timeline.build(sc)
    rm = build_model(sc, tl)
    v = rm.vars
    ledgers = warm_starts(sc, tl, v.eligibility, v.fair_share, v.standby_targets)
    assert ledgers
    for ledger in ledgers:
        rm.decision_values(ledger.assignments)  # raises on a shared role named on its lead only
        night = next(d for d in tl.duties if d.night and len(tl.sharing(d, "secondary")) > 1)
        holders = {ledger.assignments[d.id].secondary for d in tl.sharing(night, "secondary")}
        assert len(holders) == 1


def test_a_models_roster_names_a_shared_role_on_every_duty_of_its_group() -> None:
    """``RosterModel.assignments`` reads a solution as a roster does: what a MIP peer's values give back is
    accepted again by ``decision_values`` (``solver.evaluate`` prices it)."""
    from oncall.generate import generate
    from solver import SolveOptions, build_model, evaluate
    from solver.warmstart import warm_starts

    sc = generate(12, 2, "2027-05", 1, shared=True)
    tl = Timeline.build(sc)
    rm = build_model(sc, tl)
    v = rm.vars
    values = rm.decision_values(warm_starts(sc, tl, v.eligibility, v.fair_share, v.standby_targets)[0].assignments)
    back = rm.assignments(lambda var: bool(values.get(var, 0)))
    assert rm.decision_values(back) == values
    assert evaluate(sc, back, SolveOptions(time_limit=60, workers=1)).roster.duties
