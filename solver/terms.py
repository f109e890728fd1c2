"""Penalty terms: what each soft goal (and each gap) costs, under a readable name.

Rules return terms; the objective sums them. A term's name says what it penalises
(``fairness[dr07,total]``), so a result can be explained term by term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

__all__ = ["OBJECTIVE_SCALE", "POINT_SCALE", "Term", "band_deviation", "weight_coefficient"]

# Duty points are fractional (a night clipped at the period boundary, x1.5 for 年末年始); the model
# counts them in hundredths. The objective counts weight x points in thousandths, so a weight of 0.5
# or a request weight of 0.1 still has an integer coefficient.
POINT_SCALE = 100
OBJECTIVE_SCALE = 1000


@dataclass(frozen=True)
class Term:
    """``coefficient * var`` in the objective, for rule ``rule``."""

    rule: str
    name: str
    var: cp_model.IntVar
    coefficient: int


def weight_coefficient(weight: float, per_unit: float) -> int:
    """Integer objective coefficient of a weight applied to a variable counted in ``per_unit`` units.

    >>> weight_coefficient(10, POINT_SCALE)  # a weight-10 goal measured in hundredths of a point
    100
    >>> weight_coefficient(20, 1)  # a weight-20 goal measured in whole counts
    20000
    """
    return round(weight * OBJECTIVE_SCALE / per_unit)


def band_deviation(
    model: cp_model.CpModel, name: str, parts: Sequence[tuple[int, cp_model.IntVar]], target: int, half: int
) -> cp_model.IntVar:
    """A new variable: how far ``sum(n * x)`` lies outside the band ``target ± half`` (0 inside it).

    Fair share of points, of standby and of visits all price a deviation this way: whole duties rarely
    hit a share exactly, so a band around the target counts as on target and only the excess costs.
    The target may be negative (carried points can push a share below zero).
    """
    most = sum(n for n, _ in parts)
    dev = model.new_int_var(0, max(0, most - target - half, target - half), name)
    total = cp_model.LinearExpr.weighted_sum([x for _, x in parts], [n for n, _ in parts])
    model.add(dev >= total - target - half)
    model.add(dev >= target - half - total)
    return dev
