"""Fair share: how many duty points each physician should carry.

Every role of every duty earns the duty's points, and those points go to the physicians who could take
that role at all (their district, their role, not absent, not resting after the previous period). They
are shared out so that everyone carries the same points per unit of weight, as far as who-can-take-what
allows (a levelling, or water-filling, allocation). A physician's weight is their declared share times
their availability: the fraction of their home district's rostered hours they are not absent for. So
a doctor who also covers a neighbouring district is due the same as a colleague who covers one, and a
doctor away for a week is due correspondingly less. Each category (weekday, saturday, holiday,
year_end) is levelled on its own; the total is their sum. No physician's expected number of duties,
nights or holiday duties passes their personal cap: the rest flows to the others who could take those
duties.

Across district borders the levelling stops at ``rules.neighbour_help_threshold``: a district's duties
are shared among its own doctors, and go to a doctor of another district who covers it only where the
district's own doctors would otherwise carry more than that many of those duties per unit of weight
above that doctor (by default one duty: a weekday night, a holiday day). Inside that margin the burden
stays where the duties are, as the home-district goal wants it; a district short of doctors still draws
on its neighbours. The fair share and the home-district goal thus ask for the same thing, and the
solver can prove its rosters optimal (benchmarks/README.md); with a threshold of 0 the levelling
crosses borders for any difference, and the two goals pull against each other.

Points already carried in the fairness window (history) count towards the level, so a doctor who did
年末年始 last year is due less of it this year, and one who is owed points is due more. Per category c,
over everyone who could share the same duties,

    (carried[p, c] + target[p, c]) / weight[p]  is as equal as it can be, with target[p, c] >= 0.

With a single pool and no cap that is ``target = expected + carried[c] * weight / sum(weight) -
carried[p, c]``, and nobody is due negative points. The allocation is the least-squares one: it
minimises sum((carried + target)^2 / weight) (its minimiser is exactly that levelling; a point handed
across a border adds twice the threshold's margin, so it moves only where it closes a larger one),
solved as a convex quadratic programme with OR-Tools' PDLP. The solver and the checker both measure deviation from
these targets; neither owns the definition.

Expected visits (``oncall.load``) are shared by the same allocation, role by role: ``visit_targets``.
The hospitals' fair standby is ``standby_targets``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oncall.eligibility import Eligibility, compute_eligibility, touched_by_absence
from oncall.load import LoadModel, expected_load
from oncall.model import CATEGORIES, Category, Hospital, Role, Scenario
from oncall.qp import Programme
from oncall.rules import CAPS
from oncall.timeline import Duty, Timeline, absence_interval

if TYPE_CHECKING:
    from ortools.math_opt.python import mathopt

__all__ = [
    "FAIR_SHARE_SECONDS",
    "FairShare",
    "availability",
    "fair_share",
    "standby_days",
    "standby_targets",
    "visit_targets",
    "visit_unit",
    "weights",
]

# The allocation is a small convex programme (seconds at most for the networks measured); this bounds it
# all the same, since it runs inside API requests (the checker) as well as in solves.
FAIR_SHARE_SECONDS = 30.0
# A role over a personal cap costs this much in the allocation's objective: far more than any levelling
# gains (a point moves the objective by twice a level, some tens), so caps hold whenever they can.
_OVER_CAP = 1e4

Pool = tuple[str, ...]
# Roles of one district with the same pool, cap classes and category are shared out alike.
GroupKey = tuple[Pool, tuple[str, ...], Category, str]


def _classes(duty: Duty) -> tuple[str, ...]:
    """The caps a duty counts against (none for the tail of a night begun before the period)."""
    return tuple(cap.field for cap in CAPS if cap.counts(duty))


def _group_key(duty: Duty, pool: Pool) -> GroupKey:
    return (pool, _classes(duty), duty.category, duty.district)


@dataclass
class _Group:
    roles: int = 0
    points: float = 0.0
    served: frozenset[str] = frozenset()  # the districts its roles serve (a shared role's whole group)
    parts: dict[str, float] = field(default_factory=dict)  # each physician's fraction of every role


@dataclass(frozen=True)
class _Allocation:
    """Every role of every duty with the physicians who could take it, and each group's fractions."""

    slots: list[tuple[Duty, Role, Pool]]
    groups: dict[GroupKey, _Group]

    def parts(self, duty: Duty, pool: Pool) -> dict[str, float]:
        """Each physician's fraction of one role of ``duty`` (empty when nobody in ``pool`` has weight)."""
        return self.groups[_group_key(duty, pool)].parts


@dataclass(frozen=True)
class FairShare:
    """Targets per physician, per category and in total (key ``"total"``)."""

    target: dict[str, dict[str, float]]
    points: dict[str, float]  # points to be handed out in the period, per category and total
    expected_duties: dict[str, float]  # duties each physician is expected to take, counted as the duty cap counts
    allocation: _Allocation = field(repr=False, compare=False)

    def deviation(self, pid: str, earned: dict[str, float]) -> dict[str, float]:
        """Earned minus target, per category and total."""
        return {k: earned.get(k, 0.0) - t for k, t in self.target[pid].items()}


def availability(scenario: Scenario, timeline: Timeline) -> dict[str, float]:
    """Each physician's fraction of their home district's rostered hours that no absence of theirs touches.

    A duty touched by an absence counts as unavailable, as eligibility judges it.
    """
    by_district: dict[str, list[Duty]] = defaultdict(list)
    for duty in timeline.duties:
        by_district[duty.district].append(duty)
    out: dict[str, float] = {}
    for p in scenario.physicians:
        duties = by_district.get(scenario.clinic_of(p).district, [])
        total = sum(d.slot.hours for d in duties)
        absent = [absence_interval(a, scenario.zone) for a in scenario.absences_of(p)]
        free = sum(d.slot.hours for d in duties if not touched_by_absence(d, absent))
        out[p.id] = free / total if total > 0 else 1.0
    return out


def weights(scenario: Scenario, timeline: Timeline) -> dict[str, float]:
    """Each physician's weight in the levelling: their declared share times their availability."""
    present = availability(scenario, timeline)
    return {p.id: p.share * present[p.id] for p in scenario.physicians}


def _allocate(scenario: Scenario, timeline: Timeline, eligibility: Eligibility) -> _Allocation:
    """The levelling allocation of every group of roles (see the module's docstring)."""
    weight = weights(scenario, timeline)
    carried = {p.id: {c: float(p.history.points.get(c, 0.0)) for c in CATEGORIES} for p in scenario.physicians}
    caps = {p.id: {cap.field: cap.limit(p) for cap in CAPS} for p in scenario.physicians}
    slots = [
        (duty, role, tuple(eligibility.physicians(duty.id, role)))
        for duty in timeline.duties
        for role in duty.own_roles
    ]
    groups: dict[GroupKey, _Group] = defaultdict(_Group)
    for duty, role, pool in slots:
        group = groups[_group_key(duty, pool)]
        group.served = group.served | timeline.districts_served(duty, role)
        group.roles += 1
        group.points += duty.slot.points * scenario.rules.role_points.factor(role)

    qp = Programme("fair share: the allocation")
    home = scenario.home_districts()
    threshold = scenario.rules.neighbour_help_threshold
    share_of: dict[tuple[GroupKey, str], int] = {}
    earned: dict[tuple[str, Category], list[int]] = defaultdict(list)
    counted: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    fixed: dict[tuple[str, str], float] = defaultdict(float)
    for key, group in groups.items():
        pool, classes, category, _ = key
        members = {q: weight[q] for q in pool if weight[q] > 0}
        if not members:
            continue  # nobody who could take these roles carries any weight: nobody is due them
        if group.points <= 0:
            # Roles without points are shared by weight; they still count towards caps and visits.
            total = sum(members.values())
            group.parts = {q: w / total for q, w in members.items()}
            for q, part in group.parts.items():
                for k in classes:
                    fixed[(q, k)] += part * group.roles
            continue
        # A point of this group moves to a doctor from another district only where the levels (points per
        # unit of weight) differ by more than ``threshold`` of the group's duties: the objective's slope is
        # twice a level, so the border costs twice that margin per point.
        border = 2 * threshold * group.points / group.roles
        xs = []
        for q in members:
            x = share_of[(key, q)] = qp.variable()
            xs.append(x)
            if border > 0 and home[q] not in group.served:
                qp.minimise_linear(x, border)
            earned[(q, category)].append(x)
            for k in classes:
                counted[(q, k)].append((x, group.roles / group.points))
        qp.constrain([(x, 1.0) for x in xs], group.points, group.points)
    for (q, category), xs in earned.items():
        # (carried + due)^2 / weight, less its constant, on one variable: PDLP takes a diagonal objective.
        due = qp.variable()
        qp.constrain([(due, 1.0), *((x, -1.0) for x in xs)], 0.0, 0.0)
        qp.minimise_square(due, 1.0 / weight[q])
        qp.minimise_linear(due, 2 * carried[q][category] * (1.0 / weight[q]))
    for (q, k), terms in counted.items():
        cap = caps[q][k]
        if cap is not None:
            over = qp.variable()
            qp.constrain([*terms, (over, -1.0)], -math.inf, cap - fixed[(q, k)])
            qp.minimise_linear(over, _OVER_CAP)
    if share_of:
        values = qp.solve(FAIR_SHARE_SECONDS)
        for (key, q), x in share_of.items():
            group = groups[key]
            part = max(0.0, values[x]) / group.points
            if part > 0:
                group.parts[q] = part
    return _Allocation(slots, dict(groups))


def fair_share(scenario: Scenario, timeline: Timeline, eligibility: Eligibility | None = None) -> FairShare:
    """Targets of every physician for the period of ``timeline`` (``eligibility``: already computed for it)."""
    allocation = _allocate(scenario, timeline, eligibility or compute_eligibility(scenario, timeline))
    points: dict[str, float] = dict.fromkeys((*CATEGORIES, "total"), 0.0)
    target: dict[str, dict[str, float]] = {p.id: dict.fromkeys(points, 0.0) for p in scenario.physicians}
    duties: dict[str, float] = {p.id: 0.0 for p in scenario.physicians}
    for (_, classes, category, _), group in allocation.groups.items():
        points[category] += group.points
        points["total"] += group.points
        for q, part in group.parts.items():
            target[q][category] += part * group.points
            target[q]["total"] += part * group.points
            if "duties" in classes:
                duties[q] += part * group.roles
    return FairShare(target=target, points=points, expected_duties=duties, allocation=allocation)


def visit_targets(
    scenario: Scenario, timeline: Timeline, load: LoadModel | None = None, share: FairShare | None = None
) -> dict[str, float]:
    """Fair expected visits of each physician in the period.

    Shared by the allocation of duty points (``share``, computed when not given): each role's expected
    visits (``LoadModel.role_visits``) go to the physicians who could take the role in the fractions that
    level their points. Carried points thus weigh here too: a doctor due fewer points for last period's
    load is due fewer visits, so the two goals pull the same way.
    """
    load = load or expected_load(scenario, timeline)
    allocation = (share or fair_share(scenario, timeline)).allocation
    visits = {p.id: 0.0 for p in scenario.physicians}
    for duty, role, pool in allocation.slots:
        amount = load.role_visits(duty.id, role)
        for q, part in allocation.parts(duty, pool).items():
            visits[q] += amount * part
    return visits


def visit_unit(scenario: Scenario, timeline: Timeline, load: LoadModel | None = None) -> float:
    """The expected visits of an average duty role: the unit in which visit deviations are priced.

    Zero when the scenario lists no patients.
    """
    load = load or expected_load(scenario, timeline)
    roles = [(d.id, r) for d in timeline.duties for r in d.own_roles]
    return sum(load.role_visits(k, r) for k, r in roles) / len(roles) if roles else 0.0


def standby_days(duty_hours: float) -> float:
    """Standby measured in days: hours on standby over 24."""
    return duty_hours / 24


def standby_targets(scenario: Scenario, timeline: Timeline, load: LoadModel | None = None) -> dict[str, float]:
    """Fair standby of each hospital, in days: levelled in proportion to capacity, within its limits.

    As the doctors' fair share levels points per unit of weight, standby is levelled per unit of
    ``capacity_per_day``: the hospitals' standby over capacity is as equal as their limits allow. A
    hospital is due standby only for hospital units it could take (it serves the district and is open
    that date), on no more dates than ``max_standby_days``, for no more districts at once than
    ``max_districts`` and within its daily admission limit, so every target is reachable up to fractions
    of units (the levelling hands out fractions; where a date's admission limit binds, a hospital may be
    due a fraction of a unit more that date than whole units fit). Units no hospital can take are due to
    nobody; covering comes before levelling, as in the solve.
    """
    targets = dict.fromkeys((h.id for h in scenario.hospitals), 0.0)
    load = load or expected_load(scenario, timeline)
    units = _standby_units(scenario, timeline, load)
    if not any(able for _, _, able in units):
        return targets
    from ortools.math_opt.python import mathopt  # a quarter-second import: only where shares are computed

    model = mathopt.Model(name="standby share")
    share: dict[tuple[str, str], mathopt.Variable] = {}
    uncovered: list[mathopt.LinearExpression] = []
    for key, _, able in units:
        xs = [share.setdefault((h.id, key), model.add_variable(lb=0.0, ub=1.0)) for h in able]
        if xs:
            gap = model.add_variable(lb=0.0, ub=1.0)
            model.add_linear_constraint(mathopt.fast_sum(xs) + gap == 1)
            uncovered.append(gap)
    _standby_limits(model, scenario, timeline, units, share, load)
    total = {h.id: model.add_variable(lb=0.0) for h in scenario.hospitals}
    length = {key: days for key, days, _ in units}
    for hid, var in total.items():
        model.add_linear_constraint(var == mathopt.fast_sum(length[k] * x for (h, k), x in share.items() if h == hid))
    # An uncovered unit costs more than covering it can: the objective's slope is at most twice all
    # standby over the least capacity, and a unit is at most a day. (A larger price only slows PDLP: ten
    # times this took five times as long at 600 doctors.)
    least = min(h.capacity_per_day for h in scenario.hospitals)
    cover = 1 + 2 * sum(length.values()) / least
    objective = [total[h.id] * total[h.id] * (1.0 / h.capacity_per_day) for h in scenario.hospitals]
    model.minimize(mathopt.fast_sum(objective) + cover * mathopt.fast_sum(uncovered))
    result = mathopt.solve(model, mathopt.SolverType.PDLP, params=mathopt.SolveParameters(threads=1))
    if not result.has_primal_feasible_solution():
        raise RuntimeError(f"standby share: the allocation found no solution ({result.termination.reason.name})")
    values = result.variable_values()
    for (hid, key), x in share.items():
        targets[hid] += length[key] * min(1.0, max(0.0, values[x]))
    return targets


def _standby_units(scenario: Scenario, timeline: Timeline, load: LoadModel) -> list[tuple[str, float, list[Hospital]]]:
    """Every hospital unit: its key, its length in standby days and the hospitals that could take it (they
    serve the district, are open that date and have room for the unit's expected admissions)."""
    out = []
    for key, duties in timeline.hospital_units().items():
        first = duties[0]
        admissions = sum(load.duties[d.id].admissions for d in duties)
        able = [
            h
            for h in scenario.hospitals
            if first.district in h.districts
            and first.day not in h.closed_dates
            and admissions <= load.limit[h.id] - load.registered_on(h.id, first.day) + 1e-9
        ]
        out.append((key, standby_days(sum(d.slot.hours for d in duties)), able))
    return out


def _standby_limits(
    model: mathopt.Model,
    scenario: Scenario,
    timeline: Timeline,
    units: list[tuple[str, float, list[Hospital]]],
    share: dict[tuple[str, str], mathopt.Variable],
    load: LoadModel,
) -> None:
    """Each hospital's limits on the shares of units it takes: ``max_districts`` at once (per date, or per
    start instant when hospitals are assigned per block, as the solver counts them), ``max_standby_days``
    (a date counts as far as its largest share), and its admission room on each date."""
    from ortools.math_opt.python import mathopt

    per_day = scenario.rules.hospital_assignment == "day"
    duties = timeline.hospital_units()
    admissions = {key: sum(load.duties[d.id].admissions for d in duties[key]) for key, _, _ in units}
    for h in scenario.hospitals:
        mine = [(duties[key][0], admissions[key], x) for (hid, key), x in share.items() if hid == h.id]
        at_once: dict[object, list[mathopt.Variable]] = defaultdict(list)
        by_day: dict[dt.date, list[tuple[float, mathopt.Variable]]] = defaultdict(list)
        for first, amount, x in mine:
            at_once[first.day if per_day else first.start].append(x)
            by_day[first.day].append((amount, x))
        if h.max_districts is not None:
            for xs in at_once.values():
                if len(xs) > h.max_districts:
                    model.add_linear_constraint(mathopt.fast_sum(xs) <= h.max_districts)
        if h.max_standby_days is not None and len(by_day) > h.max_standby_days:
            used = []
            for parts in by_day.values():
                day_used = model.add_variable(lb=0.0, ub=1.0)
                for _, x in parts:
                    model.add_linear_constraint(x <= day_used)
                used.append(day_used)
            model.add_linear_constraint(mathopt.fast_sum(used) <= h.max_standby_days)
        for day, parts in by_day.items():
            room = max(0.0, load.limit[h.id] - load.registered_on(h.id, day))
            if sum(a for a, _ in parts) > room + 1e-9:
                model.add_linear_constraint(mathopt.fast_sum(a * x for a, x in parts) <= room)


def category_of(key: str) -> Category | None:
    """The category named ``key``, or None for the total."""
    return key if key in CATEGORIES else None
