"""Running CP-SAT on a roster model and turning its answer into a roster."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from oncall.diagnosis import Assignment, diagnose_gap
from oncall.model import Scenario
from oncall.roster import Roster, RosterDuty, RosterGap, RosterPeriod, RosterRegularHours, Status
from oncall.timeline import Timeline
from solver.model import RosterModel, build_model
from solver.terms import OBJECTIVE_SCALE

__all__ = ["Progress", "SolveOptions", "SolveResult", "solve"]


@dataclass(frozen=True)
class Progress:
    """A new best roster found during the search."""

    objective: float
    bound: float
    seconds: float


@dataclass
class SolveOptions:
    """Search settings. With ``workers=1`` and a fixed ``seed`` a solve that ends before its time limit
    is reproducible; ``deterministic_time`` makes a time-limited solve reproducible too."""

    time_limit: float = 60.0
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    seed: int = 0
    deterministic_time: float | None = None
    lang: str = "ja"
    log: bool = False
    on_progress: Callable[[Progress], None] | None = None

    def parameters(self) -> cp_model.CpSolver:
        """A CP-SAT solver carrying these settings."""
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = self.time_limit
        p.num_workers = self.workers
        p.random_seed = self.seed
        p.log_search_progress = self.log
        if self.deterministic_time is not None:
            p.max_deterministic_time = self.deterministic_time
        return solver


@dataclass
class SolveResult:
    """A roster and how the search went."""

    roster: Roster
    status: Status
    solver_status: str
    objective: float | None
    bound: float | None
    gap: float | None  # relative distance between objective and bound
    wall_seconds: float
    build_seconds: float
    penalties: dict[str, float]  # objective by rule id (weight x points)
    variables: int
    constraints: int


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports progress, and stops the search at objective 0.

    Every objective term is a non-negative variable with a positive coefficient, so 0 is optimal.
    CP-SAT's presolve rewrites the objective through the coverage equalities and loses that trivial
    bound, and would otherwise go on searching for a proof until the time limit.
    """

    def __init__(self, report: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self._report = report
        self.reached_zero = False

    def on_solution_callback(self) -> None:
        if self._report is not None:
            self._report(
                Progress(
                    self.objective_value / OBJECTIVE_SCALE,
                    max(0.0, self.best_objective_bound) / OBJECTIVE_SCALE,
                    self.wall_time,
                )
            )
        if self.objective_value <= 0:
            self.reached_zero = True
            self.stop_search()


_CP_NAMES: dict[Any, str] = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


@dataclass
class _Phase:
    solver: cp_model.CpSolver
    code: Any  # a CpSolverStatus

    @property
    def solved(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _run(
    model: cp_model.CpModel, options: SolveOptions, time_limit: float, report: Callable[[Progress], None] | None
) -> _Phase:
    solver = options.parameters()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    callback = _Callback(report)
    code = solver.solve(model, callback)
    if callback.reached_zero and code == cp_model.FEASIBLE:
        code = cp_model.OPTIMAL
    return _Phase(solver, code)


def solve(scenario: Scenario, options: SolveOptions | None = None) -> SolveResult:
    """Build and solve the roster of ``scenario``; gaps are listed with a diagnosis, never hidden.

    Phase 1 minimises the number of gaps (usually proving zero at once); phase 2 fixes that number,
    starts from phase 1's roster and minimises the soft goals.
    """
    options = options or SolveOptions()
    timeline = Timeline.build(scenario)
    rm = build_model(scenario, timeline)
    started = time.perf_counter()
    model = rm.vars.model
    gap_vars = [t.var for t in rm.gap_terms]

    coverage_model = model.clone()
    coverage_model.minimize(sum(gap_vars))
    first = _run(coverage_model, options, options.time_limit / 2, None)
    final = first
    proven = first.code == cp_model.OPTIMAL
    if first.solved:
        least = round(first.solver.objective_value)
        fair_model = model.clone()
        if proven:
            fair_model.add(sum(gap_vars) == least)
        else:
            fair_model.add(sum(gap_vars) <= least)
        for var in _all_vars(rm):
            fair_model.add_hint(var, first.solver.value(var))
        fair_model.minimize(sum(t.coefficient * t.var for t in rm.soft_terms))
        remaining = options.time_limit - (time.perf_counter() - started)
        second = _run(fair_model, options, remaining, options.on_progress)
        if second.solved:
            final = second
    wall = time.perf_counter() - started
    solver = final.solver
    assignments = _assignments(rm, solver) if final.solved else {}
    soft_phase = final.solved and final is not first
    objective = solver.objective_value / OBJECTIVE_SCALE if soft_phase else None
    bound = _bound(final) if soft_phase else None
    gaps = _gaps(rm, solver, timeline, assignments, options.lang) if final.solved else _all_gaps(timeline)
    status = _status(first, final, soft_phase, gaps)
    penalties: dict[str, float] = defaultdict(float)
    if soft_phase:
        for t in rm.soft_terms:
            value = solver.value(t.var)
            if value:
                penalties[t.rule] += t.coefficient * value / OBJECTIVE_SCALE
    rel_gap = None
    if objective is not None and bound is not None:
        rel_gap = max(0.0, objective - bound) / max(1.0, abs(objective))
    proto = model.proto
    return SolveResult(
        roster=_roster(scenario, timeline, assignments, status, objective, bound, gaps),
        status=status,
        solver_status=_CP_NAMES.get(final.code, str(final.code)),
        objective=objective,
        bound=bound,
        gap=rel_gap,
        wall_seconds=wall,
        build_seconds=rm.build_seconds,
        penalties=dict(penalties),
        variables=len(proto.variables),
        constraints=len(proto.constraints),
    )


def _bound(phase: _Phase) -> float:
    """The proven lower bound; never below 0, the sum of non-negative terms."""
    if phase.code == cp_model.OPTIMAL:
        return phase.solver.objective_value / OBJECTIVE_SCALE
    return max(0.0, phase.solver.best_objective_bound) / OBJECTIVE_SCALE


def _all_vars(rm: RosterModel) -> list[cp_model.IntVar]:
    v = rm.vars
    return [*v.all_assignments().values(), *v.all_standby().values(), *(t.var for t in rm.gap_terms)]


def _status(first: _Phase, final: _Phase, soft_phase: bool, gaps: list[RosterGap]) -> Status:
    if first.code == cp_model.INFEASIBLE:
        return "infeasible"  # contradictory pins or caps: not even a roster with gaps exists
    if not final.solved:
        return "unknown"
    proven_cover = first.code == cp_model.OPTIMAL
    if gaps:
        # Every roster leaves a gap once phase 1 proved its minimum above zero.
        return "infeasible" if proven_cover else "unknown"
    if soft_phase and final.code == cp_model.OPTIMAL and proven_cover:
        return "optimal"
    return "feasible"


def _assignments(rm: RosterModel, solver: cp_model.CpSolver) -> dict[str, Assignment]:
    v = rm.vars
    out: dict[str, Assignment] = {d.id: Assignment() for d in v.timeline.duties}
    for (pid, duty_id, role), x in v.all_assignments().items():
        if solver.boolean_value(x):
            setattr(out[duty_id], role, pid)
    for unit in v.units:
        for hid, y in v.unit_hospitals(unit.key):
            if solver.boolean_value(y):
                for d in unit.duties:
                    out[d.id].backup_hospital = hid
    return out


def _gaps(
    rm: RosterModel,
    solver: cp_model.CpSolver,
    timeline: Timeline,
    assignments: dict[str, Assignment],
    lang: str,
) -> list[RosterGap]:
    v = rm.vars
    gaps: list[RosterGap] = []
    hospital_gap_units = {u.key for u in v.units if solver.boolean_value(v.hospital_gap[u.key])}
    unit_of = {d.id: u.key for u in v.units for d in u.duties}
    for duty in timeline.duties:
        for role in duty.block.roles:
            if solver.boolean_value(v.gap[(duty.id, role)]):
                reasons = diagnose_gap(v.scenario, timeline, v.eligibility, assignments, duty, role, lang)
                gaps.append(RosterGap(duty=duty.id, role=role, reasons=reasons))
        if unit_of[duty.id] in hospital_gap_units:
            reasons = diagnose_gap(v.scenario, timeline, v.eligibility, assignments, duty, "backup_hospital", lang)
            gaps.append(RosterGap(duty=duty.id, role="backup_hospital", reasons=reasons))
    return gaps


def _all_gaps(timeline: Timeline) -> list[RosterGap]:
    return [
        RosterGap(duty=d.id, role=role, reasons=[])
        for d in timeline.duties
        for role in (*d.block.roles, "backup_hospital")
    ]


def _roster(
    scenario: Scenario,
    timeline: Timeline,
    assignments: dict[str, Assignment],
    status: Status,
    objective: float | None,
    bound: float | None,
    gaps: list[RosterGap],
) -> Roster:
    local = timeline.local
    duties = []
    for d in timeline.duties:
        a = assignments.get(d.id, Assignment())
        duties.append(
            RosterDuty(
                id=d.id,
                district=d.district,
                block=d.block.id,
                start=local(d.start),
                end=local(d.end),
                primary=a.primary,
                secondary=a.secondary,
                backup_hospital=a.backup_hospital,
            )
        )
    regular = [
        RosterRegularHours(district=district, start=local(s.start), end=local(s.end))
        for district, s in timeline.regular_hours()
    ]
    return Roster(
        scenario=scenario.name,
        timezone=scenario.timezone,
        period=RosterPeriod(start=local(timeline.start), end=local(timeline.end)),
        status=status,
        objective=objective,
        bound=bound,
        duties=duties,
        regular_hours=regular,
        gaps=gaps,
    )
