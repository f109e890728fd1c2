"""A rule on a tiny model: fix every decision to a given roster and ask CP-SAT whether the rules allow it.

No search happens: with every decision fixed, propagation alone decides, and the solve stops on CP-SAT's
deterministic work (one worker, a fixed seed), never on the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from ortools.sat.python import cp_model

from oncall.feasibility import Assignment
from oncall.model import Scenario
from solver.model import RosterModel, build_model
from solver.rules import ENCODERS
from solver.terms import Term
from solver.variables import Variables

__all__ = ["accepts", "fixed_model"]


def _nothing(v: Variables) -> list[Term]:
    return []


def fixed_model(
    scenario: Scenario,
    assignments: Mapping[str, Assignment],
    without: str | None = None,
    overrides: Callable[[RosterModel], dict[cp_model.IntVar, int]] | None = None,
) -> RosterModel:
    """The model of ``scenario`` (without the encoder of ``without``) with every decision fixed to
    ``assignments``; ``overrides`` change some fixed values. Raises ``ValueError`` when the model has no
    variable for an assignment (the rule holds by construction)."""
    with pytest.MonkeyPatch.context() as mp:
        if without is not None:
            mp.setitem(ENCODERS, without, _nothing)
        model = build_model(scenario)
    values = model.decision_values(assignments)
    if overrides is not None:
        values.update(overrides(model))
    for var, value in values.items():
        model.vars.model.add(var == value)
    return model


def accepts(model: RosterModel) -> bool:
    """Whether the fixed model is feasible (propagation decides; a deterministic stop)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = 30
    status = solver.solve(model.vars.model)
    assert status != cp_model.UNKNOWN, "the fixed model was not decided within its deterministic work"
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
