"""Running CP-SAT on a roster model and turning its answer into a roster."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ortools.sat.python import cp_model

from oncall.diagnosis import Assignment, describe_overloads, gap_causes, unmet_minimums
from oncall.errors import InvalidScenario
from oncall.feasibility import Ledger
from oncall.i18n import Coded, Lang, Problem, render
from oncall.load import admission_overloads
from oncall.model import Role, Scenario
from oncall.roster import GapRole, Roster, RosterDuty, RosterGap, RosterPeriod, RosterRegularHours, Status
from oncall.timeline import Timeline
from solver.model import RosterModel, build_model
from solver.rules.pinned import pin_literals
from solver.terms import OBJECTIVE_SCALE, Term
from solver.warmstart import warm_starts

__all__ = [
    "DEFAULT_HINT_ABOVE",
    "DEFAULT_LINEARIZATION_LEVEL",
    "DEFAULT_LNS_FIRST_ABOVE",
    "DEFAULT_PRESOLVE_ITERATIONS",
    "DEFAULT_RESTARTS",
    "DEFAULT_SUBSOLVERS",
    "DEFAULT_WORKERS",
    "LNS_FIRST_SHARE",
    "Clock",
    "Phase",
    "Progress",
    "RestartWhen",
    "RosterSource",
    "SoftGoals",
    "SolveOptions",
    "SolveResult",
    "complete_solution",
    "evaluate",
    "phase_result",
    "run_lns_first",
    "run_phase",
    "run_soft_phase",
    "set_hint",
    "soft_objective",
    "solve",
]


@dataclass(frozen=True)
class Progress:
    """A new best roster found during the search; ``seconds`` counts from the start of the search."""

    objective: float
    bound: float
    seconds: float


# Measured on a 2-core machine (benchmarks/README.md): with two workers CP-SAT's default portfolio runs a
# single full-problem subsolver (default_lp) beside the LNS thread and proves weak bounds; eight
# time-sliced workers prove good bounds but starve LNS, so rosters stay poor. One full-problem worker running
# ``max_lp`` (the full linear relaxation with cuts) beside the LNS thread finds better rosters than either
# and proves bounds as good as eight workers. One presolve round instead of three cuts the presolve of a
# 600-doctor network from about 10 s to 4 s and costs the small ones nothing measurable.
DEFAULT_WORKERS = 2
DEFAULT_SUBSOLVERS: tuple[str, ...] = ("max_lp",)
DEFAULT_PRESOLVE_ITERATIONS = 1
# Linearization level 2 (the full LP, as max_lp has) for every worker, LNS included: the LNS sub-solves
# then use the LP too, which found better rosters at every size measured (e.g. 153 against 177 at 120
# doctors after 10 s, 137 against 153 at 600 doctors after 60 s).
DEFAULT_LINEARIZATION_LEVEL = 2
# A starting roster given to CP-SAT as a solution hint pulls its search towards that roster. On a regional
# network (40 doctors, about 4,000 assignment variables) max_lp's own LP-guided search finds far better
# rosters unhinted (about 160 against 190-250 at 10 s); from about 120 doctors (12,000 variables) on it
# no longer does in time, and the hint wins (190 against 300 at 10 s; at 600 doctors it is essential).
DEFAULT_HINT_ABOVE = 8000
# CP-SAT presolves once, knowing nothing of how cheap a roster can be. Once the search holds a roster much
# closer to the bound, a fresh presolve under "objective at most that roster's" fixes every variable whose
# cost alone would pass it: on a regional network every further duty away from home (3 points each), and
# the model falls apart into its districts, which the search then proves one by one. The soft-goal phase
# therefore starts again from its best roster (hinted) once the distance between roster and bound is below
# the price of the cheapest yes-or-no penalty (``RestartWhen``) and each time it has halved again since, up
# to this many times; only on models that are not hinted (at most ``hint_above`` assignment variables),
# where a presolve costs a fraction of a second (benchmarks/README.md, *Restarts of the soft-goal phase*).
DEFAULT_RESTARTS = 4
# On the widest networks (600 doctors in 25 districts: about 57,000 assignment variables) the LP worker spends most of a
# minute on the root relaxation of the presolved model, and in that month's runs its bound often stays at
# 0, while the search's rosters come mostly from the neighbourhood workers. There the soft-goal phase first
# gives both workers to large-neighbourhood search (CP-SAT's ``use_lns_only``) for ``LNS_FIRST_SHARE`` of
# its time, then starts again from the best roster under a fresh presolve with "objective at most this
# roster's" and the usual portfolio, whose LP worker then proves a bound (benchmarks/README.md, *LNS first
# on the widest networks*).
DEFAULT_LNS_FIRST_ABOVE = 30000
LNS_FIRST_SHARE = 0.7


@dataclass
class SolveOptions:
    """Search settings. With ``workers=1`` and a fixed ``seed`` a solve that ends before its time limit
    is reproducible; ``deterministic_time`` makes a time-limited solve reproducible too.

    ``subsolvers`` names CP-SAT's full-problem subsolvers when ``workers`` > 1 (empty: CP-SAT's own
    portfolio); ``presolve_iterations`` bounds CP-SAT's presolve rounds, ``linearization_level`` sets how
    much of the model its workers' LP relaxations hold; ``cp_sat`` sets any further
    CP-SAT parameter by name, for experiments. ``warm_start`` builds a heuristic roster first
    (``solver.warmstart``): when it covers every duty it settles the coverage phase at once, and on models
    with more than ``hint_above`` assignment variables the search starts from it (a solution hint).
    ``restarts``: how often the soft-goal phase of a model without a hint may start again from its best
    roster under a fresh presolve (``DEFAULT_RESTARTS``; 0: never). On models with more than
    ``lns_first_above`` assignment variables the soft-goal phase searches neighbourhoods only at first
    (``run_lns_first``).
    """

    time_limit: float = 60.0
    workers: int = DEFAULT_WORKERS
    subsolvers: tuple[str, ...] = DEFAULT_SUBSOLVERS
    presolve_iterations: int = DEFAULT_PRESOLVE_ITERATIONS
    linearization_level: int = DEFAULT_LINEARIZATION_LEVEL
    hint_above: int = DEFAULT_HINT_ABOVE
    restarts: int = DEFAULT_RESTARTS
    lns_first_above: int = DEFAULT_LNS_FIRST_ABOVE
    seed: int = 0
    deterministic_time: float | None = None
    warm_start: bool = True
    lang: str = "ja"
    log: bool = False
    on_progress: Callable[[Progress], None] | None = None
    cp_sat: dict[str, Any] = field(default_factory=dict)

    def parameters(self) -> cp_model.CpSolver:
        """A CP-SAT solver carrying these settings."""
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = self.time_limit
        p.num_workers = self.workers
        p.random_seed = self.seed
        p.log_search_progress = self.log
        p.max_presolve_iterations = self.presolve_iterations
        p.linearization_level = self.linearization_level
        if self.deterministic_time is not None:
            p.max_deterministic_time = self.deterministic_time
        if self.workers > 1 and self.subsolvers:
            p.subsolvers.extend(self.subsolvers)
        for name, value in self.cp_sat.items():
            if isinstance(value, list | tuple):
                getattr(p, name).extend(value)
            else:
                setattr(p, name, value)
        return solver

    def describe(self) -> str:
        """The settings in one line, for logs and benchmark tables."""
        portfolio = ",".join(self.subsolvers) if self.workers > 1 and self.subsolvers else "CP-SAT default"
        extra = "".join(f", {k}={v}" for k, v in sorted(self.cp_sat.items()))
        warm = "on" if self.warm_start else "off"
        work = "" if self.deterministic_time is None else f", max_deterministic_time={self.deterministic_time:g}"
        return (
            f"CP-SAT num_workers={self.workers}, subsolvers={portfolio}, max_presolve_iterations="
            f"{self.presolve_iterations}, linearization_level={self.linearization_level}, "
            f"random_seed={self.seed}{work}, warm start {warm} (hinted above {self.hint_above} assignment "
            f"variables), restarts {self.restarts}, LNS first above {self.lns_first_above}{extra}"
        )


# How far the soft goals (fairness, requests, spacing, …) were optimised in the roster returned:
# "optimal" proven; "best_found" the soft-goal phase's best roster when time ran out, ``bound`` below it;
# "not_optimised" time ran out before the soft-goal phase found any roster, so the roster is an earlier
# phase's or a heuristic's and no effort went into its fairness; "none" no roster at all.
SoftGoals = Literal["optimal", "best_found", "not_optimised", "none"]
# Where the roster returned comes from: the soft-goal phase, an earlier phase (coverage; in a repair also
# the fewest changes), a heuristic roster (a warm start, or in a repair the published roster), or nowhere.
RosterSource = Literal["soft_phase", "earlier_phase", "heuristic", "none"]


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
    # Why the scenario is infeasible beyond the listed gaps (e.g. a hospital whose registered patients
    # alone pass its admission limit), one sentence each, naming the hospital and the dates.
    problems: list[str] = field(default_factory=list)
    # Seconds from the start of the search (after the build) to the first roster with the least gaps,
    # and to the best roster returned.
    first_seconds: float | None = None
    best_seconds: float | None = None
    soft_goals: SoftGoals = "none"
    roster_from: RosterSource = "none"
    # CP-SAT's status of each phase that ran: "cover" (fewest gaps) and "soft" (the soft goals).
    phases: dict[str, str] = field(default_factory=dict)


class Clock:
    """Seconds since the search began."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self) -> float:
        return time.perf_counter() - self.started


class _Callback(cp_model.CpSolverSolutionCallback):
    """Records when each solution came, reports progress, and stops the search at objective 0.

    Every objective term is a non-negative variable with a positive coefficient, so 0 is optimal.
    CP-SAT's presolve rewrites the objective through the coverage equalities and loses that trivial
    bound, and would otherwise go on searching for a proof until the time limit.
    """

    def __init__(
        self, clock: Clock, report: Callable[[Progress], None] | None, restart: RestartWhen | None = None
    ) -> None:
        super().__init__()
        self._clock = clock
        self._report = report
        self.reached_zero = False
        self.found: list[tuple[float, float]] = []  # (seconds, objective) of each solution
        self._restart = restart
        self.restart = False  # stopped for a restart

    def on_solution_callback(self) -> None:
        seconds = self._clock()
        self.found.append((seconds, self.objective_value))
        if self._report is not None:
            self._report(
                Progress(
                    self.objective_value / OBJECTIVE_SCALE,
                    max(0.0, self.best_objective_bound) / OBJECTIVE_SCALE,
                    seconds,
                )
            )
        if self.objective_value <= 0:
            self.reached_zero = True
            self.stop_search()
        elif self._restart is not None and self._restart.due(self.objective_value - self.best_objective_bound):
            self.restart = True
            self.stop_search()


_CP_NAMES: dict[Any, str] = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


@dataclass(frozen=True)
class RestartWhen:
    """When a soft-goal phase stops to start again under a fresh presolve: once the distance between its
    best roster and its bound is below ``below`` (the price of the cheapest yes-or-no penalty: from there on,
    a presolve that knows the roster's objective can rule out every such penalty the roster does not pay)
    and at most half of ``last``, the distance at the previous presolve."""

    below: float
    last: float = math.inf

    def due(self, distance: float) -> bool:
        return distance < self.below and distance <= self.last / 2


@dataclass
class Phase:
    """One CP-SAT run of a solve (or a repair): the solver, its status and the improving solutions found."""

    solver: cp_model.CpSolver
    code: Any  # a CpSolverStatus
    found: list[tuple[float, float]]
    restart: bool = False  # stopped early to start again under a fresh presolve (``run_soft_phase``)

    @property
    def solved(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def run_phase(
    model: cp_model.CpModel,
    options: SolveOptions,
    time_limit: float,
    clock: Clock,
    report: Callable[[Progress], None] | None,
    restart: RestartWhen | None = None,
) -> Phase:
    """Solve ``model`` with ``options`` for at most ``time_limit`` seconds, reporting progress; stop early
    for a restart when ``restart`` says so."""
    solver = options.parameters()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    callback = _Callback(clock, report, restart)
    code = solver.solve(model, callback)
    if callback.reached_zero and code == cp_model.FEASIBLE:
        code = cp_model.OPTIMAL
    return Phase(solver, code, callback.found, restart=callback.restart and code == cp_model.FEASIBLE)


def run_soft_phase(
    model: cp_model.CpModel,
    terms: Sequence[Term],
    options: SolveOptions,
    time_limit: float,
    clock: Clock,
    report: Callable[[Progress], None] | None,
    restarts: int,
) -> Phase:
    """``run_phase`` on the soft goals ``terms`` (``model`` minimises their sum), started again up to
    ``restarts`` times from its best roster under a fresh presolve that knows the objective is at most that
    roster's (``DEFAULT_RESTARTS``, ``RestartWhen``).

    Each restart adds "objective at most the best roster's" to a copy of ``model`` and hints that roster
    whole; a bound proven under it holds for ``model`` too (only dearer rosters were cut). The phase returned
    is the last that holds a roster, with every roster found in all rounds; with ``deterministic_time`` the
    rounds share that work, so a one-worker solve stays reproducible.
    """
    deadline = clock() + time_limit
    work = options.deterministic_time
    found: list[tuple[float, float]] = []
    prices = [t.coefficient for t in terms if list(model.proto.variables[t.var.index].domain) == [0, 1]]
    when = RestartWhen(min(prices)) if restarts > 0 and prices else None
    last: Phase | None = None
    for round_ in range(restarts + 1):
        opts = options if round_ == 0 or work is None else replace(options, deterministic_time=work)
        phase = run_phase(model, opts, deadline - clock(), clock, report, None if round_ == restarts else when)
        found += phase.found
        if work is not None:
            work -= phase.solver.response_proto.deterministic_time
        if not phase.solved:
            break  # out of time before the hinted roster came back: the previous round holds it
        last = phase
        if when is None or not phase.restart or clock() >= deadline or (work is not None and work <= 0):
            break
        best = phase.solver.objective_value
        when = replace(when, last=best - phase.solver.best_objective_bound)
        model = _below(model, terms, phase)
    final = last or phase
    return replace(final, found=found, restart=False)


def run_lns_first(
    model: cp_model.CpModel,
    terms: Sequence[Term],
    options: SolveOptions,
    time_limit: float,
    clock: Clock,
    report: Callable[[Progress], None] | None,
) -> Phase:
    """``run_phase`` on the soft goals ``terms`` in two rounds: neighbourhood search only for
    ``LNS_FIRST_SHARE`` of the time, then the usual portfolio from its best roster (hinted whole) on a copy
    of ``model`` that knows the objective is at most that roster's (``LNS_FIRST_SHARE``).

    The second round's bound holds for ``model`` (only dearer rosters were cut). With
    ``deterministic_time`` the rounds share that work in the same proportion.
    """
    deadline = clock() + time_limit
    work = options.deterministic_time
    share = replace(options, cp_sat={**options.cp_sat, "use_lns_only": True})
    if work is not None:
        share = replace(share, deterministic_time=work * LNS_FIRST_SHARE)
    first = run_phase(model, share, time_limit * LNS_FIRST_SHARE, clock, report)
    if not first.solved:  # no roster yet: the portfolio takes what time is left
        return run_phase(model, options, deadline - clock(), clock, report)
    cut = _below(model, terms, first)
    rest = options
    if work is not None:
        rest = replace(options, deterministic_time=max(0.01, work - first.solver.response_proto.deterministic_time))
    second = run_phase(cut, rest, deadline - clock(), clock, report)
    if not second.solved:  # out of time before the hinted roster came back: the first round holds it
        return first
    return replace(second, found=first.found + second.found)


def _below(model: cp_model.CpModel, terms: Sequence[Term], phase: Phase) -> cp_model.CpModel:
    """A copy of ``model`` that knows the soft goals ``terms`` cost at most ``phase``'s best roster, with
    that roster as its whole hint."""
    objective = cp_model.LinearExpr.weighted_sum([t.var for t in terms], [t.coefficient for t in terms])
    cut = model.clone()
    cut.add(objective <= round(phase.solver.objective_value))
    set_hint(cut, list(phase.solver.response_proto.solution))
    return cut


def set_hint(model: cp_model.CpModel, values: dict[cp_model.IntVar, int] | list[int] | None) -> None:
    """Hint the search with ``values``: some variables, or a whole solution in variable order."""
    model.clear_hints()  # type: ignore[no-untyped-call]  # untyped in OR-Tools' stubs
    if isinstance(values, list):
        hint = model.proto.solution_hint
        hint.vars.extend(range(len(values)))
        hint.values.extend(values)
        return
    for var, value in (values or {}).items():
        model.add_hint(var, value)


def complete_solution(
    model: cp_model.CpModel, values: dict[cp_model.IntVar, int], options: SolveOptions, time_limit: float
) -> tuple[list[int], float] | None:
    """The whole solution a roster fixes: ``values`` of the decisions, every other variable at its least
    (so its objective is the roster's), and that objective; None if CP-SAT settles nothing in time.

    A complete hint lets the search start from the roster itself, not from a first solution of its own.
    """
    fixed = model.clone()
    variables = fixed.proto.variables
    for var, value in values.items():
        domain = variables[var.index].domain
        domain.clear()
        domain.extend([value, value])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = options.seed
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    code = solver.solve(fixed)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution), solver.objective_value


def solve(scenario: Scenario, options: SolveOptions | None = None) -> SolveResult:
    """Build and solve the roster of ``scenario``; gaps are listed with a diagnosis, never hidden.

    Heuristic rosters come first (``solver.warmstart``). Phase 1 minimises the number of gaps; when a
    heuristic roster has none it is skipped, zero being the least possible. Phase 2 fixes that number and
    minimises the soft goals, on large models starting from the best roster so far (a solution hint).
    """
    options = options or SolveOptions()
    budget = Clock()  # the time limit covers the model build too
    timeline = Timeline.build(scenario)
    rm = build_model(scenario, timeline)
    clock = Clock()
    model = rm.vars.model
    gap_sum = cp_model.LinearExpr.sum([t.var for t in rm.gap_terms])
    starts, covered_at = _warm_starts(scenario, timeline, rm, clock) if options.warm_start else ([], None)
    hinted = len(rm.vars.all_assignments()) > options.hint_above

    first: Phase | None = None
    hint: dict[cp_model.IntVar, int] | list[int] | None = starts[0] if starts and hinted else None
    warm: tuple[list[int], float] | None = None
    if covered_at is None:
        model.minimize(gap_sum)
        set_hint(model, hint)
        first = run_phase(model, options, (options.time_limit - budget()) / 2, clock, None)
        if first.code == cp_model.INFEASIBLE and scenario.pinned:
            _reject_contradicting_pins(scenario, timeline, max(1.0, options.time_limit - budget()))
        if not first.solved:
            return phase_result(scenario, timeline, rm, options, clock, first, None, cover=first)
        least = round(first.solver.objective_value)
        covered_at = next(t for t, gaps in first.found if round(gaps) == least) if first.found else clock()
        hint = list(first.solver.response_proto.solution) if hinted else None
        model.add(gap_sum == least if first.code == cp_model.OPTIMAL else gap_sum <= least)
        model.minimize(soft_objective(rm))
    else:
        model.add(gap_sum == 0)
        model.minimize(soft_objective(rm))
        if hinted:
            warm = _cheapest(model, starts, options, budget)
            if warm is not None:
                hint = warm[0]
                if options.on_progress is not None:
                    options.on_progress(Progress(warm[1] / OBJECTIVE_SCALE, 0.0, clock()))
    set_hint(model, hint)
    second = _soft_phase(model, rm, options, options.time_limit - budget(), clock, hinted)
    if second.code == cp_model.INFEASIBLE and first is None:
        # A heuristic roster covered every duty, yet no roster without gaps exists: that roster broke a hard
        # rule the heuristic does not see (pins that contradict each other or the history). Settle coverage
        # by the model alone, which then proves the scenario infeasible or lists the gaps.
        rest = max(0.1, options.time_limit - budget())
        return solve(scenario, replace(options, warm_start=False, time_limit=rest))
    if second.solved:
        return phase_result(scenario, timeline, rm, options, clock, second, covered_at, cover=first)
    if first is not None:
        return phase_result(
            scenario, timeline, rm, options, clock, first, covered_at, cover=first, soft=False, tried=second
        )
    # The search ran out of time before it settled on a roster: a warm start is valid and covers every duty.
    values = starts[0]
    objective = None
    if warm is not None:
        values = {var: warm[0][var.index] for var in rm.decisions()}
        objective = warm[1] / OBJECTIVE_SCALE
    return phase_result(
        scenario,
        timeline,
        rm,
        options,
        clock,
        second,
        covered_at,
        cover=None,
        values=values,
        objective=objective,
        tried=second,
    )


def _soft_phase(
    model: cp_model.CpModel, rm: RosterModel, options: SolveOptions, time_limit: float, clock: Clock, hinted: bool
) -> Phase:
    """The soft-goal phase: LNS first on the widest models, else with restarts unless hinted."""
    if len(rm.vars.all_assignments()) > options.lns_first_above:
        return run_lns_first(model, rm.soft_terms, options, time_limit, clock, options.on_progress)
    restarts = 0 if hinted else options.restarts
    return run_soft_phase(model, rm.soft_terms, options, time_limit, clock, options.on_progress, restarts)


def _reject_contradicting_pins(scenario: Scenario, timeline: Timeline, time_limit: float) -> None:
    """Raise ``InvalidScenario`` naming the pins that cannot all be kept, when the pins are why no roster,
    not even one with gaps, exists: each pin becomes an assumption, and CP-SAT names a set of them that
    the rules (one duty at a time, rest, consecutive days, caps, the history) cannot satisfy together."""
    rm = build_model(scenario.model_copy(update={"pinned": []}), timeline)
    kept = pin_literals(rm.vars, scenario.pinned)
    model = rm.vars.model
    model.add_assumptions(kept)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # the set of assumptions behind infeasibility needs a single worker
    solver.parameters.max_time_in_seconds = time_limit
    if solver.solve(model) != cp_model.INFEASIBLE:
        return
    core = set(solver.sufficient_assumptions_for_infeasibility())
    named = [f"pinned[{i}]" for i, x in enumerate(kept) if x.index in core] or ["pinned"]
    # A list of pins is no one field: they lead the line as its origin.
    if len(named) > 1:
        raise InvalidScenario(Problem("pins.cannot_all_be_kept", origin=", ".join(named)))
    raise InvalidScenario(Problem("pins.cannot_be_kept", named[0]))


def _warm_starts(
    scenario: Scenario, timeline: Timeline, rm: RosterModel, clock: Clock
) -> tuple[list[dict[cp_model.IntVar, int]], float | None]:
    """The heuristic rosters as decision values: those covering every duty, or else the one with the fewest
    gaps; and when the first covering one was ready (None if none covers)."""
    starts: list[dict[cp_model.IntVar, int]] = []
    covered_at: float | None = None
    v = rm.vars
    ledgers = warm_starts(scenario, timeline, v.eligibility, v.fair_share, v.standby_targets)
    for ledger in sorted(ledgers, key=Ledger.gaps):
        try:
            values = rm.decision_values(ledger.assignments)
        except ValueError:  # a pin the ledger could not place as the model does: no warm start
            continue
        if ledger.gaps() == 0 or not starts:
            starts.append(values)
            if ledger.gaps() == 0 and covered_at is None:
                covered_at = clock()
    return starts, covered_at


def _cheapest(
    model: cp_model.CpModel, starts: list[dict[cp_model.IntVar, int]], options: SolveOptions, clock: Clock
) -> tuple[list[int], float] | None:
    """The cheapest of the covering warm starts, completed to a whole solution, and its objective."""
    best: tuple[list[int], float] | None = None
    for values in starts:
        done = complete_solution(model, values, options, options.time_limit - clock())
        if done is not None and (best is None or done[1] < best[1]):
            best = done
    return best


def evaluate(
    scenario: Scenario, assignments: Mapping[str, Assignment], options: SolveOptions | None = None
) -> SolveResult:
    """Price a given roster (duty id -> who holds what) with the solver's own objective.

    Every assignment, standby and gap is fixed as given; each soft term then takes the least value the
    model allows, which is the value the solver reports for that roster. A roster from elsewhere (an
    office's spreadsheet, another solver) is thus scored exactly like the solver's. Raises ``ValueError``
    for an assignment no variable can express; a roster breaking a hard rule comes back ``infeasible``.
    """
    options = options or SolveOptions()
    budget = Clock()  # the time limit covers the model build too
    timeline = Timeline.build(scenario)
    rm = build_model(scenario, timeline)
    clock = Clock()
    model = rm.vars.model
    for var, value in rm.decision_values(assignments).items():
        model.add(var == value)
    model.minimize(soft_objective(rm))
    phase = run_phase(model, options, options.time_limit - budget(), clock, None)
    if not phase.solved:
        return phase_result(scenario, timeline, rm, options, clock, phase, None, cover=phase)
    return phase_result(scenario, timeline, rm, options, clock, phase, 0.0, cover=None)


def soft_objective(rm: RosterModel) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.weighted_sum([t.var for t in rm.soft_terms], [t.coefficient for t in rm.soft_terms])


def phase_result(
    scenario: Scenario,
    timeline: Timeline,
    rm: RosterModel,
    options: SolveOptions,
    clock: Clock,
    final: Phase,
    covered_at: float | None,
    *,
    cover: Phase | None,
    soft: bool = True,
    values: dict[cp_model.IntVar, int] | None = None,
    objective: float | None = None,
    tried: Phase | None = None,
) -> SolveResult:
    """The result of the last phase that found a roster (or of ``values``, a roster given outright).

    ``cover`` is the coverage phase, None when the warm start settled it; ``soft`` whether ``final``
    minimised the soft goals; ``objective`` that of ``values`` when known; ``tried`` the soft-goal phase
    that ran out of time before it found a roster (its proven bound is still reported).
    """
    wall = clock()
    solver = final.solver
    found = values is not None or final.solved
    value: Callable[[cp_model.IntVar], int] = (
        (lambda var: values[var]) if values is not None else (lambda var: int(solver.value(var)))
    )
    soft_phase = soft and final.solved and values is None
    assignments = rm.assignments(lambda var: bool(value(var))) if found else {}
    if soft_phase:
        objective = solver.objective_value / OBJECTIVE_SCALE
    bound = _bound(final) if soft_phase else _proven_bound(tried)
    gaps = _gaps(rm, value, timeline, assignments, options.lang) if found else _all_gaps(timeline)
    status = _status(cover, final, soft_phase, found, gaps)
    problems = describe_overloads(scenario, admission_overloads(scenario, timeline), options.lang)
    problems += unmet_minimums(scenario, timeline, rm.vars.eligibility, options.lang)
    if problems:
        status = "infeasible"  # no roster can keep these hospitals within their limit, or meet these minimums
    penalties: dict[str, float] = defaultdict(float)
    if soft_phase:
        for t in rm.soft_terms:
            v = solver.value(t.var)
            if v:
                penalties[t.rule] += t.coefficient * v / OBJECTIVE_SCALE
    rel_gap = None
    if objective is not None and bound is not None:
        rel_gap = max(0.0, objective - bound) / max(1.0, abs(objective))
    best = final.found[-1][0] if soft_phase and final.found else covered_at
    proto = rm.vars.model.proto
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
        problems=problems,
        first_seconds=covered_at,
        best_seconds=best,
        soft_goals=_soft_goals(final, soft_phase, found),
        roster_from=_source(soft_phase, values is not None, found),
        phases=_phases(cover, final if soft_phase else tried),
    )


def _bound(phase: Phase) -> float:
    """The proven lower bound; never below 0, the sum of non-negative terms."""
    if phase.code == cp_model.OPTIMAL:
        return phase.solver.objective_value / OBJECTIVE_SCALE
    return max(0.0, phase.solver.best_objective_bound) / OBJECTIVE_SCALE


def _proven_bound(phase: Phase | None) -> float | None:
    """What a soft-goal phase that found no roster still proved: no roster scores below this."""
    if phase is None or phase.code == cp_model.INFEASIBLE:
        return None
    bound = phase.solver.best_objective_bound
    return max(0.0, bound) / OBJECTIVE_SCALE if math.isfinite(bound) else None


def _soft_goals(final: Phase, soft_phase: bool, found: bool) -> SoftGoals:
    if not found:
        return "none"
    if not soft_phase:
        return "not_optimised"
    return "optimal" if final.code == cp_model.OPTIMAL else "best_found"


def _source(soft_phase: bool, given: bool, found: bool) -> RosterSource:
    if soft_phase:
        return "soft_phase"
    if given:
        return "heuristic"
    return "earlier_phase" if found else "none"


def _phases(cover: Phase | None, soft: Phase | None) -> dict[str, str]:
    """CP-SAT's status of the coverage and soft-goal phases that ran, by phase."""
    named = {"cover": cover, "soft": soft}
    return {k: _CP_NAMES.get(p.code, str(p.code)) for k, p in named.items() if p is not None}


def _status(cover: Phase | None, final: Phase, soft_phase: bool, found: bool, gaps: list[RosterGap]) -> Status:
    """``cover`` is the coverage phase, or None when the warm start covered every duty."""
    if cover is not None and cover.code == cp_model.INFEASIBLE:
        return "infeasible"  # contradictory pins or caps: not even a roster with gaps exists
    if not found:
        return "unknown"
    proven_cover = cover is None or cover.code == cp_model.OPTIMAL
    if gaps:
        # Every roster leaves a gap once phase 1 proved its minimum above zero.
        return "infeasible" if proven_cover else "unknown"
    if soft_phase and final.code == cp_model.OPTIMAL and proven_cover:
        return "optimal"
    return "feasible"


def _gaps(
    rm: RosterModel,
    value: Callable[[cp_model.IntVar], int],
    timeline: Timeline,
    assignments: dict[str, Assignment],
    lang: str,
) -> list[RosterGap]:
    v = rm.vars
    gaps: list[RosterGap] = []
    hospital_gap_units = {u.key for u in v.units if value(v.hospital_gap[u.key])}
    unit_of = {d.id: u.key for u in v.units for d in u.duties}
    causes_of: dict[tuple[str, Role], list[Coded]] = {}  # a shared role's gap is diagnosed once, on its lead
    for duty in timeline.duties:
        for role in duty.roles:
            lead = timeline.by_id[duty.lead(role)]
            if value(v.gap[(lead.id, role)]):
                key = (lead.id, role)
                if key not in causes_of:
                    causes_of[key] = gap_causes(v.scenario, timeline, v.eligibility, assignments, lead, role)
                gaps.append(_gap(duty.id, role, causes_of[key], lang))
        if unit_of[duty.id] in hospital_gap_units:
            causes = gap_causes(v.scenario, timeline, v.eligibility, assignments, duty, "backup_hospital")
            gaps.append(_gap(duty.id, "backup_hospital", causes, lang))
    return gaps


def _gap(duty: str, role: GapRole, causes: list[Coded], lang: str) -> RosterGap:
    """A gap with its reasons kept as codes, and as text in the language of the solve."""
    shown: Lang = "en" if lang == "en" else "ja"
    return RosterGap(duty=duty, role=role, reasons=[render(c, shown) for c in causes], causes=causes)


def _all_gaps(timeline: Timeline) -> list[RosterGap]:
    return [
        RosterGap(duty=d.id, role=role, reasons=[]) for d in timeline.duties for role in (*d.roles, "backup_hospital")
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
        held = {role: getattr(assignments.get(d.lead(role), Assignment()), role) for role in d.roles}
        duties.append(
            RosterDuty(
                id=d.id,
                district=d.district,
                block=d.block.id,
                start=local(d.start),
                end=local(d.end),
                primary=held.get("primary"),
                secondary=held.get("secondary"),
                backup_hospital=a.backup_hospital,
                shared=dict(d.shared),
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
