"""Backup hospitals: districts, closed dates, capacity, standby caps, and the spread of standby."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from oncall.fairness import standby_days
from oncall.timeline import to_utc
from solver.terms import Term, band_deviation, weight_coefficient
from solver.variables import Variables

__all__ = [
    "hospital_blocks",
    "hospital_capacity",
    "hospital_closed",
    "hospital_closed_hours",
    "hospital_district",
    "hospital_per_day",
    "hospital_spread",
    "hospital_standby_cap",
]


def hospital_district(v: Variables) -> list[Term]:
    """A backup hospital stands by only for districts it accepts (no variable exists otherwise)."""
    return []


def hospital_closed(v: Variables) -> list[Term]:
    """A backup hospital never stands by on a date it declared closed (no variable exists then)."""
    return []


def hospital_closed_hours(v: Variables) -> list[Term]:
    """A backup hospital never stands by for a duty that overlaps a time it declared closed."""
    zone = v.scenario.zone
    for h in v.scenario.hospitals:
        closed = [(to_utc(c.start, zone), to_utc(c.end, zone)) for c in h.closures]
        for unit in v.units:
            y = v.standby(h.id, unit.key)
            if y is not None and any(d.start < e and s < d.end for d in unit.duties for s, e in closed):
                v.model.add(y == 0)
    return []


def hospital_blocks(v: Variables) -> list[Term]:
    """A backup hospital stands by only in the blocks it accepts (night blocks, or the blocks it names)."""
    for h in v.scenario.hospitals:
        for unit in v.units:
            y = v.standby(h.id, unit.key)
            if y is not None and not all(h.takes_block(d.block) for d in unit.duties):
                v.model.add(y == 0)
    return []


def hospital_per_day(v: Variables) -> list[Term]:
    """When hospitals are assigned per day, a district keeps one backup hospital for all blocks of a date.

    Encoded by the hospital units: in per-day mode one standby variable covers all of a district's date.
    """
    return []


def hospital_capacity(v: Variables) -> list[Term]:
    """A backup hospital stands by for no more districts at once than it can take."""
    per_day = v.scenario.rules.hospital_assignment == "day"
    for h in v.scenario.hospitals:
        if h.max_districts is None:
            continue
        groups: dict[object, list[cp_model.IntVar]] = defaultdict(list)
        for unit in v.units:
            y = v.standby(h.id, unit.key)
            if y is not None:
                groups[unit.day if per_day else unit.duties[0].start].append(y)
        for ys in groups.values():
            if len(ys) > h.max_districts:
                v.model.add(sum(ys) <= h.max_districts)
    return []


def hospital_standby_cap(v: Variables) -> list[Term]:
    """A backup hospital stands by on no more days than its cap."""
    for h in v.scenario.hospitals:
        if h.max_standby_days is None:
            continue
        per_day: dict[object, list[cp_model.IntVar]] = defaultdict(list)
        for unit in v.units:
            y = v.standby(h.id, unit.key)
            if y is not None:
                per_day[unit.day].append(y)
        if len(per_day) <= h.max_standby_days:
            continue
        days = []
        for day, ys in per_day.items():
            on = v.model.new_bool_var(f"standby_day[{h.id},{day}]")
            for y in ys:
                v.model.add_implication(y, on)
            days.append(on)
        v.model.add(sum(days) <= h.max_standby_days)
    return []


def hospital_spread(v: Variables) -> list[Term]:
    """Backup standby is spread among hospitals in proportion to their capacity.

    Targets come from ``oncall.fairness.standby_targets`` (in days; here in hundredths of a day).
    Within half a unit of the target counts as on target, as units come whole.
    """
    weight = v.scenario.rules.weights.hospital_spread
    if weight <= 0 or len(v.scenario.hospitals) < 2:
        return []
    targets = v.standby_targets
    load: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for unit in v.units:
        length = round(standby_days(sum(d.slot.hours for d in unit.duties)) * 100)
        for h, y in v.unit_hospitals(unit.key):
            load[h].append((length, y))
    terms = []
    coefficient = weight_coefficient(weight, 100)  # a standby day weighs like a duty point
    for h, parts in load.items():
        half = max(n for n, _ in parts) // 2
        dev = band_deviation(v.model, f"hospital_spread[{h}]", parts, round(targets[h] * 100), half)
        terms.append(Term("hospital_spread", dev.name, dev, coefficient))
    return terms
