"""Each hard rule on its own, on the small network of ``tests.factories`` (one week, twenty duties).

For every rule a case corrupts a valid roster (or the scenario under it) so that it breaks this rule and
no other, then shows:

- the encoder alone forbids it: with every decision fixed to the corrupted roster the model is
  infeasible, and the same model without this rule's encoder accepts it. A rule that holds by
  construction (no variable exists for the assignment) shows that instead: the model cannot express it.
- the check alone flags it: the checker names this rule and no other.

An encoder that returns ``[]`` without adding its constraints fails its case.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

import pytest

from oncall.checker import check
from oncall.feasibility import Assignment
from oncall.model import Absence, Closure, PatientGroup, Pin, Scenario, SharedRole
from oncall.roster import Roster
from oncall.rules import HARD
from oncall.timeline import Duty, Timeline
from solver.model import build_model
from tests.factories import greedy_roster, make_scenario, roster_of
from tests.rules.harness import accepts, fixed_model

Plan = dict[str, Assignment]
Corruption = tuple[Scenario, Plan]


@dataclass(frozen=True)
class Case:
    """How a rule is broken, and how the model enforces it: constraints, or no variable at all."""

    corrupt: Callable[[Scenario, Plan, Timeline], Iterator[Corruption]]
    enforced: Literal["encoder", "construction"] = "encoder"


def _plan(roster: Roster) -> Plan:
    return {d.id: Assignment(d.primary, d.secondary, d.backup_hospital) for d in roster.duties}


def _copy(scenario: Scenario) -> Scenario:
    return Scenario.model_validate(scenario.model_dump())


def _held(plan: Plan, tl: Timeline, pid: str) -> list[Duty]:
    return [tl.by_id[i] for i, a in plan.items() if pid in (a.primary, a.secondary)]


def _doctors(plan: Plan) -> list[str]:
    return sorted({p for a in plan.values() for p in (a.primary, a.secondary) if p})


def _with(plan: Plan, duty: str, **change: str | None) -> Plan:
    return {**plan, duty: replace(plan[duty], **change)}


def _cap(
    field: str, counts: Callable[[Duty], bool], window: Callable[[Duty], object] = lambda d: None
) -> Callable[[Scenario, Plan, Timeline], Iterator[Corruption]]:
    """A doctor with two or more duties of the kind (in one window: the period, or a week) gets a cap one below
    their count."""

    def capped(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
        for pid in _doctors(plan):
            per = Counter(window(d) for d in _held(plan, tl, pid) if d.counts_against_caps and counts(d))
            n = max(per.values(), default=0)
            if n >= 2:
                out = _copy(sc)
                setattr(out.physician(pid).caps, field, n - 1)
                yield out, plan

    def corrupt(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
        yield from capped(sc, plan, tl)
        # Nobody holds two duties of the kind (a cap of 0 keeps a doctor off every such duty by
        # eligibility): someone takes a second one first, in a role they may hold.
        for duty, p in itertools.product(tl.duties, sc.physicians):
            if counts(duty) and duty.district in sc.districts_of(p):
                for role in set(duty.block.roles) & set(p.roles):
                    yield from capped(sc, _with(plan, duty.id, **{role: p.id}), tl)

    return corrupt


def _hours(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for pid in _doctors(plan):
        hours = sum(d.slot.hours for d in _held(plan, tl, pid))
        out = _copy(sc)
        out.physician(pid).caps.oncall_hours = round(hours - 0.5, 2)
        yield out, plan


def _minimum(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for pid in _doctors(plan):
        out = _copy(sc)
        out.physician(pid).caps.min_duties = sum(d.counts_against_caps for d in _held(plan, tl, pid)) + 1
        yield out, plan


def _consecutive_nights(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    """A doctor takes the nights of two consecutive dates (in a role they may hold), then a limit of one."""
    nights = [d for d in tl.duties if d.night]
    for a, b in itertools.product(nights, nights):
        if b.day - a.day != dt.timedelta(days=1):
            continue
        for p in sc.physicians:
            if "primary" in p.roles and {a.district, b.district} <= set(sc.districts_of(p)):
                changed = _with(_with(plan, a.id, primary=p.id), b.id, primary=p.id)
                out = _copy(sc)
                out.physician(p.id).caps.consecutive_nights = 1
                yield out, changed


def _partnered(field: str) -> Callable[[Scenario, Plan, Timeline], Iterator[Corruption]]:
    """On a duty held by a and b: a's mentors name someone else (``mentors``), or a is never to be paired with
    b (``never_with``)."""

    def corrupt(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
        for a in plan.values():
            if a.primary and a.secondary:
                out = _copy(sc)
                other = next(p.id for p in sc.physicians if p.id not in (a.primary, a.secondary))
                setattr(out.physician(a.primary), field, [other] if field == "mentors" else [a.secondary])
                yield _copy(out), plan

    return corrupt


def _too_far(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    """Clinic coordinates put the south 30 km from the north: s2c, who covers both, may no longer take the north."""
    out = _copy(sc)
    for c, lat in zip(out.clinics, (36.0, 36.01, 36.28, 36.29), strict=True):
        c.lat, c.lon = lat, 137.0
    out = _copy(out)
    for duty in tl.duties:
        if duty.district == "north":
            if "s2c" in (plan[duty.id].primary, plan[duty.id].secondary):
                yield out, plan
            for role in duty.block.roles:
                yield out, _with(plan, duty.id, **{role: "s2c"})


def _consecutive(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for pid in _doctors(plan):
        days = sorted({d.day for d in _held(plan, tl, pid) if d.counts_against_caps})
        if any(b - a == dt.timedelta(days=1) for a, b in itertools.pairwise(days)):
            out = _copy(sc)
            out.physician(pid).caps.consecutive_days = 1
            yield out, plan


def _min_rest(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for pid in _doctors(plan):
        held = sorted(_held(plan, tl, pid), key=lambda d: d.start)
        rests = [(b.start - a.end).total_seconds() / 3600 for a, b in itertools.pairwise(held)]
        if rests and min(rests) < 100:
            out = _copy(sc)
            out.physician(pid).caps.min_rest_hours = min(rests) + 1
            yield out, plan


def _coverage(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty in tl.duties:
        yield sc, _with(plan, duty.id, primary=None)


def _absence(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty in tl.duties:
        pid = plan[duty.id].primary
        assert pid is not None
        out = _copy(sc)
        out.physician(pid).absences.append(Absence(start=duty.start, end=duty.start + dt.timedelta(hours=1)))
        yield _copy(out), plan


def _someone_else(
    role: Literal["primary", "secondary"], who: Callable[[Scenario, str, Duty], bool]
) -> Callable[[Scenario, Plan, Timeline], Iterator[Corruption]]:
    """Someone ``who`` allows takes ``role`` on a duty instead of its holder."""

    def corrupt(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
        for duty, p in itertools.product(tl.duties, sc.physicians):
            if who(sc, p.id, duty):
                yield sc, _with(plan, duty.id, **{role: p.id})

    return corrupt


def _secondary_same_clinic(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty in tl.duties:
        primary = sc.physician(plan[duty.id].primary or "")
        for p in sc.physicians:
            if p.id != primary.id and p.clinic == primary.clinic:
                yield sc, _with(plan, duty.id, secondary=p.id)


def _both_roles(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    out = _copy(sc)
    out.rules.secondary_other_clinic = False  # on, its encoder forbids one person in both roles as well
    for duty in tl.duties:
        yield out, _with(plan, duty.id, secondary=plan[duty.id].primary)


def _hospital_elsewhere(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty, h in itertools.product(tl.duties, sc.hospitals):
        if duty.district not in h.districts:
            yield sc, _with(plan, duty.id, backup_hospital=h.id)


def _hospital_closed(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty in tl.duties:
        out = _copy(sc)
        hospital = next(h for h in out.hospitals if h.id == plan[duty.id].backup_hospital)
        hospital.closed_dates.append(duty.day)
        yield out, plan


def _hospital_closed_hours(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty in tl.duties:
        out = _copy(sc)
        hospital = next(h for h in out.hospitals if h.id == plan[duty.id].backup_hospital)
        hospital.closures.append(Closure(start=duty.start, end=duty.start + dt.timedelta(hours=1)))
        yield _copy(out), plan


def _hospital_day_blocks(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty in tl.duties:
        if not duty.block.night:
            out = _copy(sc)
            next(h for h in out.hospitals if h.id == plan[duty.id].backup_hospital).night_only = True
            yield out, plan


def _hospital_limit(
    field: str, value: Callable[[Plan, Timeline, str], int]
) -> Callable[[Scenario, Plan, Timeline], Iterator[Corruption]]:
    def corrupt(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
        for h in sc.hospitals:
            out = _copy(sc)
            setattr(next(x for x in out.hospitals if x.id == h.id), field, value(plan, tl, h.id))
            yield out, plan

    return corrupt


def _standby_days(plan: Plan, tl: Timeline, hid: str) -> int:
    return max(1, len({tl.by_id[i].day for i, a in plan.items() if a.backup_hospital == hid}) - 1)


def _admissions(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for others in (300, 1000, 3000):
        out = _copy(sc)
        out.patients = [PatientGroup(clinic="n1", other=others), PatientGroup(clinic="s1", other=others)]
        for h in out.hospitals:
            h.capacity_per_day = 1
        yield _copy(out), plan


def _two_hospitals_a_day(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    out = _copy(sc)
    out.rules.hospital_assignment = "day"
    days: dict[tuple[str, dt.date], list[Duty]] = {}
    for d in tl.duties:
        days.setdefault((d.district, d.day), []).append(d)
    for duties in days.values():
        if len(duties) > 1:
            hospitals = [h.id for h in sc.hospitals if duties[0].district in h.districts]
            for first, second in itertools.permutations(hospitals, 2):
                changed = dict(plan)
                for i, d in enumerate(duties):
                    changed[d.id] = replace(plan[d.id], backup_hospital=first if i == 0 else second)
                yield out, changed


def _pin_other(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    for duty in tl.duties:
        secondary = plan[duty.id].secondary
        if secondary is None or "primary" not in sc.physician(secondary).roles:
            continue
        out = _copy(sc)
        out.pinned = [
            Pin(district=duty.district, date=duty.day, block=duty.block.id, role="primary", assignee=secondary)
        ]
        yield _copy(out), plan


def _tiling(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    yield sc, plan  # the roster document drops a duty (see _document)


def _shared_apart(sc: Scenario, plan: Plan, tl: Timeline) -> Iterator[Corruption]:
    """The network shares one secondary on holiday nights, but the roster keeps a secondary per district."""
    out = _copy(sc)
    out.shared_roles = [SharedRole(id="night_backup", name="全域夜間副当番", role="secondary", blocks=["hol_night"])]
    yield _copy(out), plan


def _role_refused(sc: Scenario, pid: str, duty: Duty) -> bool:
    return "primary" not in sc.physician(pid).roles and duty.district in sc.districts_of(sc.physician(pid))


CASES: dict[str, Case] = {
    "coverage": Case(_coverage),
    "tiling": Case(_tiling, "construction"),
    "shared_role": Case(_shared_apart, "construction"),
    "absence": Case(_absence, "construction"),
    "eligibility": Case(_someone_else("primary", _role_refused), "construction"),
    "visit_distance": Case(_too_far, "construction"),
    "one_duty_at_a_time": Case(_both_roles),
    "secondary_other_clinic": Case(_secondary_same_clinic),
    "mentor": Case(_partnered("mentors")),
    "never_pair": Case(_partnered("never_with")),
    "duty_cap": Case(_cap("duties", lambda d: True)),
    "night_cap": Case(_cap("nights", lambda d: d.night)),
    "holiday_cap": Case(_cap("holiday_duties", lambda d: d.holiday)),
    "weekend_night_cap": Case(_cap("weekend_nights", lambda d: d.night and d.category != "weekday")),
    "weekend_cap": Case(_cap("weekend_duties", lambda d: d.category != "weekday")),
    "holiday_night_cap": Case(_cap("holiday_nights", lambda d: d.night and d.holiday)),
    "weekly_night_cap": Case(_cap("nights_per_week", lambda d: d.night, lambda d: d.day.isocalendar()[:2])),
    "hours_cap": Case(_hours),
    "duty_minimum": Case(_minimum),
    "consecutive_days": Case(_consecutive),
    "consecutive_nights": Case(_consecutive_nights),
    "min_rest": Case(_min_rest),
    "hospital_district": Case(_hospital_elsewhere, "construction"),
    "hospital_closed": Case(_hospital_closed, "construction"),
    "hospital_closed_hours": Case(_hospital_closed_hours),
    "hospital_blocks": Case(_hospital_day_blocks),
    "hospital_capacity": Case(_hospital_limit("max_districts", lambda plan, tl, hid: 1)),
    "hospital_admissions": Case(_admissions),
    "hospital_standby_cap": Case(_hospital_limit("max_standby_days", _standby_days)),
    "hospital_per_day": Case(_two_hospitals_a_day, "construction"),
    "pinned": Case(_pin_other),
}


@pytest.fixture(scope="module")
def base() -> tuple[Scenario, Plan, Timeline]:
    sc = make_scenario(days=14)  # Mon 2027-01-04 to Sun 1/17: two weekends, 1/11 a holiday (成人の日)
    return sc, _plan(greedy_roster(sc)), Timeline.build(sc)


def _document(rule_id: str, sc: Scenario, plan: Plan) -> Roster:
    roster = roster_of(sc, plan)
    if rule_id == "tiling":
        roster = roster.model_copy(update={"duties": roster.duties[1:]})
    return roster


def _breaking_only(rule_id: str, base: tuple[Scenario, Plan, Timeline]) -> tuple[Scenario, Plan, Roster]:
    """The first corruption of the case whose check flags ``rule_id`` and nothing else."""
    sc, plan, tl = base
    assert check(sc, roster_of(sc, plan), figures=False).ok
    seen: list[set[str]] = []
    for bad_sc, bad_plan in CASES[rule_id].corrupt(sc, plan, tl):
        roster = _document(rule_id, bad_sc, bad_plan)
        rules = {v.rule for v in check(bad_sc, roster, figures=False).violations}
        if rules == {rule_id}:
            return bad_sc, bad_plan, roster
        seen.append(rules)
    raise AssertionError(f"no corruption breaks {rule_id} alone: {seen[:5]}")


def test_every_hard_rule_has_a_case() -> None:
    assert list(CASES) == [r.id for r in HARD]


@pytest.mark.parametrize("rule_id", list(CASES))
def test_the_check_alone_flags_the_broken_rule(rule_id: str, base: tuple[Scenario, Plan, Timeline]) -> None:
    sc, _, roster = _breaking_only(rule_id, base)
    report = check(sc, roster, figures=False)
    assert report.violations and {v.rule for v in report.violations} == {rule_id}
    assert all(v.code.startswith("check.") for v in report.violations)


@pytest.mark.parametrize("rule_id", [r for r, c in CASES.items() if c.enforced == "encoder"])
def test_the_encoder_alone_forbids_the_broken_roster(rule_id: str, base: tuple[Scenario, Plan, Timeline]) -> None:
    sc, plan, _ = _breaking_only(rule_id, base)
    overrides = None
    if rule_id == "coverage":  # the emptied role is not declared a gap: the coverage encoder links them
        duty = next(i for i, a in plan.items() if a.primary is None)
        overrides = lambda m: {m.vars.gap[(duty, "primary")]: 0}  # noqa: E731
    assert not accepts(fixed_model(sc, plan, overrides=overrides))
    assert accepts(fixed_model(sc, plan, without=rule_id, overrides=overrides))
    _, valid, _ = base
    assert accepts(fixed_model(base[0], valid))


@pytest.mark.parametrize("rule_id", [r for r, c in CASES.items() if c.enforced == "construction"])
def test_a_rule_held_by_construction_has_no_variable_for_the_broken_roster(
    rule_id: str, base: tuple[Scenario, Plan, Timeline]
) -> None:
    sc, plan, _ = _breaking_only(rule_id, base)
    if rule_id == "tiling":  # the model's duties are the timeline's slots: no roster of it misses one
        model = build_model(sc)
        assert set(model.assignments(lambda x: False)) == {d.id for d in Timeline.build(sc).duties}
        return
    with pytest.raises(ValueError):
        fixed_model(sc, plan)
