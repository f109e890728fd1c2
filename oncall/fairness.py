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
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from oncall.eligibility import compute_eligibility
from oncall.model import CATEGORIES, Category, Scenario
from oncall.timeline import Duty, Timeline

__all__ = ["FairShare", "fair_share", "standby_days", "standby_targets"]

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


def fair_share(scenario: Scenario, timeline: Timeline) -> FairShare:
    """Targets of every physician for the period of ``timeline``."""
    eligibility = compute_eligibility(scenario, timeline)
    share = {p.id: p.share for p in scenario.physicians}
    caps = {p.id: {k: getattr(p.caps, k) for k in ("duties", "nights", "holiday_duties")} for p in scenario.physicians}
    slots = [(duty, eligibility.physicians(duty.id, role)) for duty in timeline.duties for role in duty.block.roles]
    factor: dict[tuple[str, str], float] = defaultdict(lambda: 1.0)

    def weight(pid: str, duty: Duty) -> float:
        w = share[pid]
        for k in _classes(duty):
            w *= factor[(pid, k)]
        return w

    expected: dict[tuple[str, str], float] = {}
    for _ in range(_CAP_ROUNDS):
        expected = defaultdict(float)
        for duty, pool in slots:
            total = sum(weight(q, duty) for q in pool)
            if total <= 0:
                continue
            for q in pool:
                part = weight(q, duty) / total
                for k in _classes(duty):
                    expected[(q, k)] += part
        over = [
            (key, cap / expected[key])
            for key in list(expected)
            if (cap := caps[key[0]][key[1]]) is not None and expected[key] > cap + 1e-9
        ]
        if not over:
            break
        for key, scale in over:
            factor[key] *= scale

    points: dict[str, float] = dict.fromkeys((*CATEGORIES, "total"), 0.0)
    earned: dict[str, dict[str, float]] = {p.id: dict.fromkeys(points, 0.0) for p in scenario.physicians}
    for duty, pool in slots:
        points[duty.category] += duty.slot.points
        points["total"] += duty.slot.points
        total = sum(weight(q, duty) for q in pool)
        for q in pool if total > 0 else []:
            part = duty.slot.points * weight(q, duty) / total
            earned[q][duty.category] += part
            earned[q]["total"] += part

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
