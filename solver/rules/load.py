"""Expected load: hospital admissions within capacity (hard), expected visits shared fairly (soft).

Both read the load model of ``oncall.load`` and the visit targets of ``oncall.fairness``, which the
checker reads too. Admissions are counted in thousandths; the solver rounds each unit's admissions up
and each hospital's room down, so a roster it accepts never passes a limit by a rounding crumb.
Visits are counted in hundredths of an average duty role's visits, so that the goal's price and
precision do not depend on the rates of the load model.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from ortools.sat.python import cp_model

from oncall.fairness import visit_targets, visit_unit
from oncall.load import expected_load
from solver.terms import Term, band_deviation, weight_coefficient
from solver.variables import Variables

__all__ = ["ADMISSION_SCALE", "VISIT_TICKS", "hospital_admissions", "visit_balance"]

ADMISSION_SCALE = 1000  # expected admissions in thousandths inside the model
VISIT_TICKS = 100  # an average duty role's expected visits, in the model's integer steps (as a point of fairness)


def hospital_admissions(v: Variables) -> list[Term]:
    """A backup hospital's expected admissions on each date stay within its daily capacity less the margin.

    Per hospital and date: the unregistered admissions of the units it stands by for, plus what its
    registered patients bring, stay within ``capacity_per_day × (1 − margin)``. A unit no hospital can
    absorb becomes a hospital gap; the gap diagnosis names the hospitals and their loads.
    """
    load = expected_load(v.scenario, v.timeline)
    if not load.any_admissions:
        return []
    parts: dict[tuple[str, dt.date], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for unit in v.units:
        amount = math.ceil(sum(load.duties[d.id].admissions for d in unit.duties) * ADMISSION_SCALE - 1e-6)
        if amount <= 0:
            continue
        for hid, y in v.unit_hospitals(unit.key):
            parts[(hid, unit.day)].append((amount, y))
    for (hid, day), ys in parts.items():
        room = max(0, math.floor((load.limit_on(hid, day) - load.registered_on(hid, day)) * ADMISSION_SCALE + 1e-6))
        if sum(n for n, _ in ys) > room:
            v.model.add(sum(n * y for n, y in ys) <= room)
    return []


def visit_balance(v: Variables) -> list[Term]:
    """Each doctor's expected visits stay close to their fair share of all expected visits.

    Targets come from ``oncall.fairness.visit_targets``. As for the total of duty points, half of the
    largest duty a doctor could take counts as on target; beyond that band every visit costs
    ``visit_balance`` per average duty role's visits (``oncall.fairness.visit_unit``).
    """
    weight = v.scenario.rules.weights.visit_balance
    if weight <= 0:
        return []
    load = expected_load(v.scenario, v.timeline)
    unit = visit_unit(v.scenario, v.timeline, load)
    if unit <= 0:
        return []
    targets = visit_targets(v.scenario, v.timeline, load, v.fair_share)
    scale = VISIT_TICKS / unit  # steps per expected visit
    coefficient = max(1, weight_coefficient(weight, VISIT_TICKS))
    terms: list[Term] = []
    for p in v.scenario.physicians:
        parts = [(round(load.role_visits(d.id, role) * scale), x) for d, role, x in v.duties_of(p.id)]
        parts = [(n, x) for n, x in parts if n > 0]
        target = round(targets[p.id] * scale)
        if not parts and target <= 0:
            continue
        half = max((n for n, _ in parts), default=0) // 2
        dev = band_deviation(v.model, f"visit_balance[{p.id}]", parts, target, half)
        terms.append(Term("visit_balance", dev.name, dev, coefficient))
    return terms
