"""Fair share of duty points, in total and per category (weekday, Saturday, holiday, 年末年始)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from oncall.model import CATEGORIES
from solver.terms import POINT_SCALE, Term, band_deviation, weight_coefficient
from solver.variables import Variables

__all__ = ["fairness", "fairness_category"]


def _deviation_terms(v: Variables, rule: str, keys: tuple[str, ...], weight: float) -> list[Term]:
    if weight <= 0:
        return []
    share = v.fair_share
    coefficient = weight_coefficient(weight, POINT_SCALE)
    terms: list[Term] = []
    factor = v.scenario.rules.role_points.factor
    for p in v.scenario.physicians:
        earned: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for duty, role, x in v.duties_of(p.id):
            pts = round(duty.slot.points * factor(role) * POINT_SCALE)
            earned[duty.category].append((pts, x))
            earned["total"].append((pts, x))
        for key in keys:
            parts = earned.get(key, [])
            target = round(share.target[p.id][key] * POINT_SCALE)
            if not parts and target <= 0:
                continue  # nothing to share and nothing due: no deviation possible
            # Duties come in whole blocks, so exact shares are rarely reachable. Per category a doctor
            # is on target with the duty count just below or just above the exact share (a band of one
            # duty); in total, within half of the largest duty. Beyond the band every 0.01 point costs.
            largest = max((n for n, _ in parts), default=0)
            half = largest // 2 if key == "total" else largest
            dev = band_deviation(v.model, f"{rule}[{p.id},{key}]", parts, target, half)
            terms.append(Term(rule, dev.name, dev, coefficient))
    return terms


def fairness(v: Variables) -> list[Term]:
    """Each doctor's duty points stay close to their fair share of all points, counting carried points."""
    return _deviation_terms(v, "fairness", ("total",), v.scenario.rules.weights.fairness)


def fairness_category(v: Variables) -> list[Term]:
    """Weekday, Saturday, holiday and 年末年始 points are each shared fairly."""
    return _deviation_terms(v, "fairness_category", CATEGORIES, v.scenario.rules.weights.fairness_category)
