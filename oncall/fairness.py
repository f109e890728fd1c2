"""Fair share: how many duty points each physician should carry.

A physician's weight is their declared share times the fraction of the period's rostered hours they
are not absent. Each role of a duty earns the duty's points. Points already carried in the fairness
window (history) count, so a doctor who did 年末年始 last year is due less of it this year:

    target[p, c] = (carried[c] + points[c]) * weight[p] / sum(weight) - carried[p, c]

for every category c (weekday, saturday, holiday, year_end) and for the total. The solver and the
checker both measure deviation from these targets; neither owns the definition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oncall.model import CATEGORIES, Category, Physician, Scenario
from oncall.timeline import Timeline, absence_interval

__all__ = ["FairShare", "available_fraction", "fair_share", "standby_days", "standby_targets"]


def _overlap(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> float:
    return max(0.0, (min(a[1], b[1]) - max(a[0], b[0])).total_seconds())


def available_fraction(physician: Physician, timeline: Timeline) -> float:
    """Fraction of the period's rostered hours in which the physician is not absent."""
    zone = timeline.scenario.zone
    absences = [absence_interval(a, zone) for a in physician.absences]
    total = absent = 0.0
    for s in timeline.slots:
        if not s.block.rostered:
            continue
        span = (s.start, s.end)
        length = (s.end - s.start).total_seconds()
        total += length
        absent += min(length, sum(_overlap(span, a) for a in absences))
    return 1.0 if total == 0 else max(0.0, 1.0 - absent / total)


@dataclass(frozen=True)
class FairShare:
    """Targets per physician, per category and in total (key ``"total"``)."""

    weight: dict[str, float]
    target: dict[str, dict[str, float]]
    points: dict[str, float]  # points to be handed out in the period, per category and total

    def deviation(self, pid: str, earned: dict[str, float]) -> dict[str, float]:
        """Earned minus target, per category and total."""
        return {k: earned.get(k, 0.0) - t for k, t in self.target[pid].items()}


def fair_share(scenario: Scenario, timeline: Timeline) -> FairShare:
    """Targets of every physician for the period of ``timeline``."""
    points: dict[str, float] = dict.fromkeys((*CATEGORIES, "total"), 0.0)
    for d in timeline.duties:
        earned = d.slot.points * len(d.block.roles)
        points[d.category] += earned
        points["total"] += earned
    weight = {p.id: p.share * available_fraction(p, timeline) for p in scenario.physicians}
    total_weight = sum(weight.values()) or 1.0
    carried: dict[str, dict[str, float]] = {}
    for p in scenario.physicians:
        c: dict[str, float] = {k: float(p.history.points.get(k, 0.0)) for k in CATEGORIES}
        c["total"] = sum(c.values())
        carried[p.id] = c
    carried_sum = {k: sum(c[k] for c in carried.values()) for k in points}
    target = {
        p.id: {k: (carried_sum[k] + points[k]) * weight[p.id] / total_weight - carried[p.id][k] for k in points}
        for p in scenario.physicians
    }
    return FairShare(weight=weight, target=target, points=points)


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
