"""Building the CP-SAT model of a scenario: variables, every registered rule, the objective."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from oncall.diagnosis import Assignment
from oncall.eligibility import compute_eligibility
from oncall.model import Role, Scenario
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

    def decisions(self) -> list[cp_model.IntVar]:
        """The variables a roster fixes: assignments, standby and gaps (every other follows from them)."""
        v = self.vars
        return [*v.all_assignments().values(), *v.all_standby().values(), *(t.var for t in self.gap_terms)]

    def assignments(self, value: Callable[[cp_model.IntVar], bool]) -> dict[str, Assignment]:
        """The roster given by the truth ``value`` of each decision variable: duty id -> who holds what (a
        shared role's holder on every duty of its group, as a roster names them)."""
        v = self.vars
        out: dict[str, Assignment] = {d.id: Assignment() for d in v.timeline.duties}
        for (pid, duty_id, role), x in v.all_assignments().items():
            if value(x):
                for d in v.timeline.sharing(v.timeline.by_id[duty_id], role):
                    setattr(out[d.id], role, pid)
        for unit in v.units:
            for hid, y in v.unit_hospitals(unit.key):
                if value(y):
                    for d in unit.duties:
                        out[d.id].backup_hospital = hid
        return out

    def decision_values(self, assignments: Mapping[str, Assignment]) -> dict[cp_model.IntVar, int]:
        """The value of every decision variable in a given roster (duty id -> who holds what).

        Raises ``ValueError`` naming the duty when the roster holds an assignment no variable can express
        (an ineligible doctor, a hospital that cannot stand by, two hospitals for one per-day unit).
        """
        v = self.vars
        out: dict[cp_model.IntVar, int] = dict.fromkeys(v.all_assignments().values(), 0)
        out.update(dict.fromkeys(v.all_standby().values(), 0))
        for duty in v.timeline.duties:
            a = assignments.get(duty.id, Assignment())
            for role, lead in duty.leads:  # a shared role: one person for the group, held on its lead
                held = getattr(assignments.get(lead, Assignment()), role)
                if lead != duty.id and getattr(a, role) != held:
                    raise ValueError(f"{duty.id}: the shared {role} differs from {lead}'s ({held!r})")
            for role in duty.own_roles:
                pid = getattr(a, role)
                if pid is not None:
                    x = v.assign(pid, duty.id, role)
                    if x is None:
                        raise ValueError(f"{duty.id}: {pid!r} cannot take the {role} role")
                    out[x] = 1
                out[v.gap[(duty.id, role)]] = int(pid is None)
        for unit in v.units:
            held = {assignments.get(d.id, Assignment()).backup_hospital for d in unit.duties}
            if len(held) > 1:
                raise ValueError(f"{unit.key}: several backup hospitals in one unit ({sorted(map(str, held))})")
            hid = held.pop()
            if hid is not None:
                y = v.standby(hid, unit.key)
                if y is None:
                    raise ValueError(f"{unit.key}: hospital {hid!r} cannot stand by")
                out[y] = 1
            out[v.hospital_gap[unit.key]] = int(hid is None)
        return out


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a build allocates hundreds of thousands of long-lived
    objects (variables, expressions, names), and the collections they trigger cost a fifth of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_model(
    scenario: Scenario, timeline: Timeline | None = None, held: Mapping[tuple[str, Role], str] | None = None
) -> RosterModel:
    """Encode every registered rule of ``scenario``; the objective is set by the solve, phase by phase.
    ``held``: the holders of started duties a repair keeps (``compute_eligibility``)."""
    started = time.perf_counter()
    timeline = timeline or Timeline.build(scenario)
    with _gc_paused():
        v = Variables.create(scenario, timeline, compute_eligibility(scenario, timeline, held))
        terms: list[Term] = []
        for rule_id in RULES:
            terms += ENCODERS[rule_id](v)
    gaps = [t for t in terms if t.rule == "coverage"]
    soft = [t for t in terms if t.rule != "coverage"]
    return RosterModel(v, gaps, soft, time.perf_counter() - started)
