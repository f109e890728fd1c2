"""Minimal-change repair: a published roster made valid again after a change, touching as little as possible.

The model is the solve's own (``solver.model.build_model`` on the changed scenario), with three additions:

- **frozen duties**: every duty that started before ``freeze`` keeps its published primary, secondary and
  hospital (a hospital unit with one started duty keeps its hospital); the past is never rewritten;
- **changed duty-roles**, an explicit named term per role of a later duty that had a holder in the
  published roster: ``changed[duty,role]`` is 1 when the holder differs (a hospital unit's term counts
  its duties). A role whose holder can no longer hold it at all (absent now, gone) is a forced change;
- **the published roster as the starting point**: a complete solution hint.

The objective is lexicographic, as in the solve, without a big-M weight: phase 1 minimises gaps, phase 2
fixes that and minimises the changed duty-roles, phase 3 fixes that too and minimises the usual soft
goals. Each phase stops as soon as it proves its optimum, which for a repair is usually at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ortools.sat.python import cp_model

from oncall.diagnosis import Assignment
from oncall.errors import InvalidChange, InvalidRoster
from oncall.i18n import Problem, coded
from oncall.model import Scenario
from oncall.roster import GapRole, Roster
from oncall.timeline import Timeline
from solver.model import RosterModel, build_model
from solver.solve import (
    Clock,
    Phase,
    SolveOptions,
    SolveResult,
    complete_solution,
    phase_result,
    run_phase,
    set_hint,
    soft_objective,
)
from solver.terms import Term

__all__ = ["CHANGES_RULE", "RepairResult", "frozen_duty_ids", "repair"]

CHANGES_RULE = "changes"
_ROLES: tuple[GapRole, ...] = ("primary", "secondary", "backup_hospital")


@dataclass
class RepairResult:
    """A repaired roster and what it changed."""

    solve: SolveResult
    changed: int  # duty-roles of later duties whose holder differs from the published roster
    forced: int  # of those, roles whose published holder can no longer hold them at all
    frozen: int  # duties kept as published because they started before the freeze
    changes_proven: bool  # CP-SAT proved that no roster covering as much changes fewer duty-roles
    phase_seconds: tuple[float, float, float]  # wall time of the coverage, changes and soft phases

    @property
    def roster(self) -> Roster:
        """The repaired roster."""
        return self.solve.roster


def frozen_duty_ids(timeline: Timeline, freeze: dt.datetime) -> set[str]:
    """Ids of the duties that started before ``freeze`` (an aware instant): the past and what is under way."""
    if freeze.tzinfo is None:
        raise ValueError(f"freeze instant {freeze.isoformat()} has no UTC offset")
    return {d.id for d in timeline.duties if d.start < freeze}


def _published(timeline: Timeline, roster: Roster) -> dict[str, Assignment]:
    ids = [d.id for d in timeline.duties]
    given = {d.id: d for d in roster.duties}
    missing = [i for i in ids if i not in given]
    unknown = [d.id for d in roster.duties if d.id not in timeline.by_id]
    if missing or unknown:
        what = (
            coded("repair.missing_duty", duty=missing[0]) if missing else coded("repair.foreign_duty", duty=unknown[0])
        )
        raise InvalidRoster(Problem("repair.not_this_period", origin="published roster", what=what))
    return {
        i: Assignment(primary=given[i].primary, secondary=given[i].secondary, backup_hospital=given[i].backup_hospital)
        for i in ids
    }


@dataclass
class _Repair:
    """The model of one repair: frozen decisions fixed, change terms made, the published hint."""

    rm: RosterModel
    terms: list[Term]
    forced: int
    hint: dict[cp_model.IntVar, int]


def _build(scenario: Scenario, timeline: Timeline, published: dict[str, Assignment], frozen: set[str]) -> _Repair:
    held = {
        (duty.id, role): holder
        for duty in timeline.duties
        if duty.id in frozen
        for role in duty.own_roles  # a shared role is held on its group's lead
        if (holder := getattr(published[duty.id], role)) is not None
    }
    rm = build_model(scenario, timeline, held)
    v = rm.vars
    m = v.model
    problems: list[Problem] = []
    terms: list[Term] = []
    forced = 0
    hint: dict[cp_model.IntVar, int] = dict.fromkeys(v.all_assignments().values(), 0)
    hint.update(dict.fromkeys(v.all_standby().values(), 0))
    for duty in timeline.duties:
        a = published[duty.id]
        for role in duty.own_roles:
            holder = getattr(a, role)
            x = None if holder is None else v.assign(holder, duty.id, role)
            if x is not None:
                hint[x] = 1
            hint[v.gap[(duty.id, role)]] = int(x is None)
            if duty.id in frozen:
                for _, r, y in v.candidates(duty.id):
                    if r == role and y is not x:
                        m.add(y == 0)
                if x is not None:
                    m.add(x == 1)
                elif holder is not None:
                    problems.append(Problem("repair.holder_gone", origin=f"{duty.id} {role}", holder=holder))
                m.add(v.gap[(duty.id, role)] == int(holder is None))
            elif holder is not None:
                if x is None:
                    forced += 1
                    continue
                changed = m.new_bool_var(f"changed[{duty.id},{role}]")
                m.add(changed + x == 1)
                terms.append(Term(CHANGES_RULE, changed.name, changed, 1))
    for unit in v.units:
        started = [d for d in unit.duties if d.id in frozen]
        holders = [published[d.id].backup_hospital for d in unit.duties]
        # A unit shares one hospital; the published one is that of its first duty that names one.
        hid = next((h for h in holders if h is not None), None)
        standby = None if hid is None else v.standby(hid, unit.key)
        if standby is not None:
            hint[standby] = 1
        hint[v.hospital_gap[unit.key]] = int(standby is None)
        if started:
            kept = published[started[0].id].backup_hospital
            for h, z in v.unit_hospitals(unit.key):
                m.add(z == int(h == kept))
            if kept is not None and v.standby(kept, unit.key) is None:
                where = f"{unit.key} backup_hospital"
                problems.append(Problem("repair.hospital_gone", origin=where, hospital=kept))
            m.add(v.hospital_gap[unit.key] == int(kept is None))
            continue
        count = sum(1 for h in holders if h is not None)
        if hid is None:
            continue
        if standby is None:
            forced += count
            continue
        changed = m.new_bool_var(f"changed[{unit.key},backup_hospital]")
        m.add(changed + standby == 1)
        terms.append(Term(CHANGES_RULE, changed.name, changed, count))
    if problems:
        raise InvalidChange(problems)
    return _Repair(rm, terms, forced, hint)


def _count_changes(
    timeline: Timeline, published: dict[str, Assignment], after: dict[str, Assignment], frozen: set[str]
) -> int:
    n = 0
    for duty in timeline.duties:
        if duty.id in frozen:
            continue
        a, b = published[duty.id], after.get(duty.id, Assignment())
        held = (*duty.own_roles, "backup_hospital")  # a shared role counts once, on its group's lead
        n += sum(1 for r in _ROLES if r in held and getattr(a, r) is not None and getattr(a, r) != getattr(b, r))
    return n


def repair(
    scenario: Scenario, published: Roster, freeze: dt.datetime, options: SolveOptions | None = None
) -> RepairResult:
    """Repair ``published`` under the (changed) ``scenario``: duties started before ``freeze`` stay as they
    are, every duty is covered again if it can be, with the fewest changed duty-roles, then the best soft goals.

    Raises ``InvalidRoster`` when ``published`` is not a roster of the scenario's period, and ``InvalidChange``
    when a started duty's published holder can no longer hold it (the change must spare the past).
    """
    options = options or SolveOptions(time_limit=20.0)
    budget = Clock()  # the time limit covers the model build too
    timeline = Timeline.build(scenario)
    before = _published(timeline, published)
    frozen = frozen_duty_ids(timeline, freeze)
    built = _build(scenario, timeline, before, frozen)
    rm = built.rm
    model = rm.vars.model
    clock = Clock()
    gap_sum = cp_model.LinearExpr.sum([t.var for t in rm.gap_terms])
    changes = cp_model.LinearExpr.weighted_sum([t.var for t in built.terms], [t.coefficient for t in built.terms])
    published_hint = built.hint

    def remaining(share: float) -> float:
        return max(0.1, (options.time_limit - budget()) * share)

    # Phase 1: coverage, from the published roster (its vacated roles are gaps in the hint).
    model.minimize(gap_sum)
    done = complete_solution(model, published_hint, options, remaining(0.1))
    set_hint(model, done[0] if done is not None else published_hint)
    cover = run_phase(model, options, remaining(1 / 3), clock, None)
    t1 = clock()
    if not cover.solved:
        # Nothing better found in time: the published roster with its vacated roles left empty.
        return _finish(scenario, timeline, rm, options, clock, cover, before, frozen, built, published_hint, (t1, 0, 0))
    least = round(cover.solver.objective_value)
    model.add(gap_sum == least if cover.code == cp_model.OPTIMAL else gap_sum <= least)

    # Phase 2: the fewest changed duty-roles.
    set_hint(model, list(cover.solver.response_proto.solution))
    model.minimize(changes)
    fewest = run_phase(model, options, remaining(1 / 2), clock, None)
    t2 = clock() - t1
    if not fewest.solved:
        result = phase_result(scenario, timeline, rm, options, clock, cover, t1, cover=cover, soft=False)
        return _done(result, timeline, before, frozen, built, False, (t1, t2, 0.0))
    most = round(fewest.solver.objective_value)
    model.add(changes == most if fewest.code == cp_model.OPTIMAL else changes <= most)

    # Phase 3: the soft goals, with coverage and changes held.
    set_hint(model, list(fewest.solver.response_proto.solution))
    model.minimize(soft_objective(rm))
    soft = run_phase(model, options, remaining(1.0), clock, options.on_progress)
    t3 = clock() - t1 - t2
    proven = fewest.code == cp_model.OPTIMAL
    if soft.solved:
        result = phase_result(scenario, timeline, rm, options, clock, soft, t1, cover=cover)
    else:
        result = phase_result(scenario, timeline, rm, options, clock, fewest, t1, cover=cover, soft=False, tried=soft)
    if result.status == "optimal" and not proven:
        result.status = "feasible"
        result.roster.status = "feasible"
    return _done(result, timeline, before, frozen, built, proven, (t1, t2, t3))


def _finish(
    scenario: Scenario,
    timeline: Timeline,
    rm: RosterModel,
    options: SolveOptions,
    clock: Clock,
    phase: Phase,
    before: dict[str, Assignment],
    frozen: set[str],
    built: _Repair,
    values: dict[cp_model.IntVar, int],
    seconds: tuple[float, float, float],
) -> RepairResult:
    """The result when the coverage phase found nothing: the published roster minus what it can no longer hold
    (or, when CP-SAT proved even that impossible, every role a gap)."""
    if phase.code == cp_model.INFEASIBLE:
        result = phase_result(scenario, timeline, rm, options, clock, phase, None, cover=phase)
    else:
        result = phase_result(scenario, timeline, rm, options, clock, phase, None, cover=phase, values=values)
    return _done(result, timeline, before, frozen, built, False, seconds)


def _done(
    result: SolveResult,
    timeline: Timeline,
    before: dict[str, Assignment],
    frozen: set[str],
    built: _Repair,
    proven: bool,
    seconds: tuple[float, float, float],
) -> RepairResult:
    after = {
        d.id: Assignment(primary=d.primary, secondary=d.secondary, backup_hospital=d.backup_hospital)
        for d in result.roster.duties
    }
    changed = _count_changes(timeline, before, after, frozen)
    return RepairResult(result, changed, built.forced, len(frozen), proven, seconds)
