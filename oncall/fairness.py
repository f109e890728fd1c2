"""Fair share: how many duty points each physician should carry.

Every role of every duty earns the duty's points. Those points are shared among the physicians who
could take that role at all (their district, their role, not absent, not resting after the previous
period), in proportion to their declared share. A doctor whose expected duties would pass a personal
cap (duties, nights, holiday duties) has their weight scaled down until the expectation fits, and the
rest flows to the others who could take those duties. Points already carried in the fairness window
(history) then shift the targets, so a doctor who did 年末年始 last year is due less of it this year:

    target[p, c] = expected[p, c] + carried[c] * share[p] / sum(share) - carried[p, c]

for every category c (weekday, saturday, holiday, year_end) and for the total. The solver and the
checker both measure deviation from these targets; neither owns the definition.

Expected visits (``oncall.load``) are shared the same way, role by role, with the same cap-scaled
weights, each doctor's share scaled by how much of their pools' points they are due after carried
points: ``visit_targets``. The hospitals' fair standby is ``standby_targets``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from oncall.eligibility import Eligibility, compute_eligibility
from oncall.load import LoadModel, expected_load
from oncall.model import CATEGORIES, Category, Role, Scenario
from oncall.timeline import Duty, Timeline

__all__ = ["FairShare", "fair_share", "standby_days", "standby_targets", "visit_targets", "visit_unit"]

_CAP_ROUNDS = 30


@dataclass(frozen=True)
class FairShare:
    """Targets per physician, per category and in total (key ``"total"``)."""

    target: dict[str, dict[str, float]]
    points: dict[str, float]  # points to be handed out in the period, per category and total
    expected_duties: dict[str, float]  # duties each physician is expected to take in the period

    def deviation(self, pid: str, earned: dict[str, float]) -> dict[str, float]:
        """Earned minus target, per category and total."""
        return {k: earned.get(k, 0.0) - t for k, t in self.target[pid].items()}


def _classes(duty: Duty) -> tuple[str, ...]:
    return ("duties", *(("nights",) if duty.night else ()), *(("holiday_duties",) if duty.holiday else ()))


Pool = tuple[str, ...]


@dataclass(frozen=True)
class _Pools:
    """Every role of every duty with the physicians who could take it, and their cap-scaled weights.

    Roles with the same pool and the same cap classes share out alike, so the cap rounds work on those
    groups (``groups``: how many roles each has) rather than on every role.
    """

    slots: list[tuple[Duty, Role, Pool]]
    groups: dict[tuple[Pool, tuple[str, ...]], int]
    share: dict[str, float]
    factor: dict[tuple[str, str], float]

    def weight(self, pid: str, classes: tuple[str, ...]) -> float:
        w = self.share[pid]
        for k in classes:
            w *= self.factor.get((pid, k), 1.0)
        return w

    def parts(self, pool: Pool, classes: tuple[str, ...]) -> dict[str, float]:
        """Each physician's fraction of one role of a duty in these cap classes (empty when nobody has weight)."""
        weights = {q: self.weight(q, classes) for q in pool}
        total = sum(weights.values())
        return {q: w / total for q, w in weights.items()} if total > 0 else {}

    def expected(self) -> dict[tuple[str, str], float]:
        """Expected number of roles per physician and cap class."""
        expected: dict[tuple[str, str], float] = defaultdict(float)
        for (pool, classes), n in self.groups.items():
            for q, part in self.parts(pool, classes).items():
                for k in classes:
                    expected[(q, k)] += part * n
        return expected


def _pools(scenario: Scenario, timeline: Timeline, eligibility: Eligibility | None = None) -> _Pools:
    """Eligible pools per role, with weights scaled down until no expected count passes a personal cap."""
    eligibility = eligibility or compute_eligibility(scenario, timeline)
    share = {p.id: p.share for p in scenario.physicians}
    caps = {p.id: {k: getattr(p.caps, k) for k in ("duties", "nights", "holiday_duties")} for p in scenario.physicians}
    slots = [
        (duty, role, tuple(eligibility.physicians(duty.id, role)))
        for duty in timeline.duties
        for role in duty.block.roles
    ]
    groups: dict[tuple[Pool, tuple[str, ...]], int] = defaultdict(int)
    for duty, _, pool in slots:
        groups[(pool, _classes(duty))] += 1
    pools = _Pools(slots, dict(groups), share, defaultdict(lambda: 1.0))
    for _ in range(_CAP_ROUNDS):
        expected = pools.expected()
        over = [
            (key, cap / expected[key])
            for key in list(expected)
            if (cap := caps[key[0]][key[1]]) is not None and expected[key] > cap + 1e-9
        ]
        if not over:
            break
        for key, scale in over:
            pools.factor[key] *= scale
    return pools


def fair_share(scenario: Scenario, timeline: Timeline, eligibility: Eligibility | None = None) -> FairShare:
    """Targets of every physician for the period of ``timeline`` (``eligibility``: already computed for it)."""
    pools = _pools(scenario, timeline, eligibility)
    share = pools.share
    expected = pools.expected()
    points: dict[str, float] = dict.fromkeys((*CATEGORIES, "total"), 0.0)
    # Points per pool, cap classes and category: every role in such a group is shared out alike.
    grouped: dict[tuple[Pool, tuple[str, ...], str], float] = defaultdict(float)
    for duty, _, pool in pools.slots:
        points[duty.category] += duty.slot.points
        points["total"] += duty.slot.points
        grouped[(pool, _classes(duty), duty.category)] += duty.slot.points
    earned: dict[str, dict[str, float]] = {p.id: dict.fromkeys(points, 0.0) for p in scenario.physicians}
    for (pool, classes, category), amount in grouped.items():
        for q, part in pools.parts(pool, classes).items():
            earned[q][category] += amount * part
            earned[q]["total"] += amount * part

    total_share = sum(share.values()) or 1.0
    carried: dict[str, dict[str, float]] = {}
    for p in scenario.physicians:
        c: dict[str, float] = {k: float(p.history.points.get(k, 0.0)) for k in CATEGORIES}
        c["total"] = sum(c.values())
        carried[p.id] = c
    carried_sum = {k: sum(c[k] for c in carried.values()) for k in points}
    target = {
        pid: {k: earned[pid][k] + carried_sum[k] * share[pid] / total_share - carried[pid][k] for k in points}
        for pid in share
    }
    return FairShare(
        target=target,
        points=points,
        expected_duties={pid: expected.get((pid, "duties"), 0.0) for pid in share},
    )


def visit_targets(scenario: Scenario, timeline: Timeline, load: LoadModel | None = None) -> dict[str, float]:
    """Fair expected visits of each physician in the period.

    Shared like duty points: each role's expected visits (``LoadModel.role_visits``) go to the
    physicians who could take the role, in proportion to their cap-scaled share. Visits have no history
    of their own, so the carried duty points decide how much of that a doctor is due now: each share is
    scaled by the doctor's target of duty points over the points of the same pools (a doctor due fewer
    points for last period's load is due as many fewer visits), and the targets are scaled back to add up
    to all expected visits. Without carried points the scaling is 1.
    """
    load = load or expected_load(scenario, timeline)
    pools = _pools(scenario, timeline)
    visits = dict.fromkeys(pools.share, 0.0)
    points = dict.fromkeys(pools.share, 0.0)
    grouped: dict[tuple[Pool, tuple[str, ...]], tuple[float, float]] = defaultdict(lambda: (0.0, 0.0))
    for duty, role, pool in pools.slots:
        amount, pts = grouped[(pool, _classes(duty))]
        grouped[(pool, _classes(duty))] = (amount + load.role_visits(duty.id, role), pts + duty.slot.points)
    for (pool, classes), (amount, pts) in grouped.items():
        for q, part in pools.parts(pool, classes).items():
            visits[q] += amount * part
            points[q] += pts * part
    if not any(p.history.points for p in scenario.physicians):
        return visits
    due = fair_share(scenario, timeline).target
    raw = {q: visits[q] * max(0.0, due[q]["total"]) / points[q] if points[q] > 0 else 0.0 for q in visits}
    scale = sum(visits.values()) / sum(raw.values()) if sum(raw.values()) > 0 else 0.0
    return {q: v * scale for q, v in raw.items()}


def visit_unit(scenario: Scenario, timeline: Timeline, load: LoadModel | None = None) -> float:
    """The expected visits of an average duty role: the unit in which visit deviations are priced.

    Zero when the scenario lists no patients.
    """
    load = load or expected_load(scenario, timeline)
    roles = [(d.id, r) for d in timeline.duties for r in d.block.roles]
    return sum(load.role_visits(k, r) for k, r in roles) / len(roles) if roles else 0.0


def standby_days(duty_hours: float) -> float:
    """Standby measured in days: hours on standby over 24."""
    return duty_hours / 24


def standby_targets(scenario: Scenario, timeline: Timeline) -> dict[str, float]:
    """Fair standby of each hospital, in days.

    Each duty's standby is shared among the hospitals that could take it (they serve the district and
    are open that date) in proportion to their capacity, so no hospital is due standby it cannot give.
    """
    target = dict.fromkeys((h.id for h in scenario.hospitals), 0.0)
    for d in timeline.duties:
        able = [h for h in scenario.hospitals if d.district in h.districts and d.day not in h.closed_dates]
        total = sum(h.capacity_per_day for h in able)
        for h in able:
            target[h.id] += standby_days(d.slot.hours) * h.capacity_per_day / total
    return target


def category_of(key: str) -> Category | None:
    """The category named ``key``, or None for the total."""
    return key if key in CATEGORIES else None
