"""Coverage: every duty gets its doctors and its hospital, or a gap that the objective pays for."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.terms import Term
from solver.variables import Variables

__all__ = ["coverage", "shared_role"]


def coverage(v: Variables) -> list[Term]:
    """Every block of every district has the roles the district asks for there and a backup hospital.

    A role nobody can fill becomes a named gap variable; the solve minimises gaps before anything else,
    so a gap appears only where covering is impossible (or the search ran out of time).
    """
    terms: list[Term] = []
    for duty in v.timeline.duties:
        for role in duty.own_roles:
            xs = [x for _, r, x in v.candidates(duty.id) if r == role]
            gap = v.gap[(duty.id, role)]
            v.model.add(cp_model.LinearExpr.sum([*xs, gap]) == 1)
            terms.append(Term("coverage", gap.name, gap, 1))
    for unit in v.units:
        hs = [y for _, y in v.unit_hospitals(unit.key)]
        gap = v.hospital_gap[unit.key]
        v.model.add(cp_model.LinearExpr.sum([*hs, gap]) == 1)
        terms.append(Term("coverage", gap.name, gap, 1))
    return terms


def shared_role(v: Variables) -> list[Term]:
    """A shared role names one person on the duty of every district it serves in each of its blocks.

    Holds by construction: the role has its variables on the group's lead duty only (``Duty.own_roles``), and
    the roster names their holder on every duty of the group.
    """
    return []
