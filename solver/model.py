"""Building the CP-SAT model of a scenario: variables, every registered rule, the objective."""

from __future__ import annotations

import time
from dataclasses import dataclass

from oncall.eligibility import compute_eligibility
from oncall.model import Scenario
from oncall.rules import RULES
from oncall.timeline import Timeline
from solver.rules import ENCODERS
from solver.terms import Term
from solver.variables import Variables

__all__ = ["RosterModel", "build_model"]


@dataclass
class RosterModel:
    """A built model: its variables, its named objective terms and how long the build took.

    Coverage comes first: ``gap_terms`` count the roles and hospital units left empty, ``soft_terms``
    price the soft goals. The solve minimises gaps, then, with the gap count fixed, the soft goals:
    lexicographic without a big-M coefficient, which would ruin the LP bound.
    """

    vars: Variables
    gap_terms: list[Term]
    soft_terms: list[Term]
    build_seconds: float

    @property
    def terms(self) -> list[Term]:
        """All terms, gaps first."""
        return self.gap_terms + self.soft_terms


def build_model(scenario: Scenario, timeline: Timeline | None = None) -> RosterModel:
    """Encode every registered rule of ``scenario``; the objective is set by the solve, phase by phase."""
    started = time.perf_counter()
    timeline = timeline or Timeline.build(scenario)
    v = Variables.create(scenario, timeline, compute_eligibility(scenario, timeline))
    terms: list[Term] = []
    for rule_id in RULES:
        terms += ENCODERS[rule_id](v)
    gaps = [t for t in terms if t.rule == "coverage"]
    soft = [t for t in terms if t.rule != "coverage"]
    return RosterModel(v, gaps, soft, time.perf_counter() - started)
