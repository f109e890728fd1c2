"""Pinned duties: assignments the office fixed by hand stay as given."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from oncall.errors import InvalidScenario
from oncall.i18n import Problem
from oncall.model import Pin
from solver.terms import Term
from solver.variables import Variables

__all__ = ["pin_literals", "pinned"]


def pin_literals(v: Variables, pins: Sequence[Pin]) -> list[cp_model.IntVar]:
    """The variable that is 1 when each pin is kept, in the order of ``pins``.

    A pin that no variable can honour (the doctor is absent, covers another district, the hospital is
    closed) is an error in the scenario, named by its index, never a silently dropped pin.
    """
    duties = {(d.district, d.day, d.block.id): d for d in v.timeline.duties}
    unit_of = {d.id: u.key for u in v.units for d in u.duties}
    out: list[cp_model.IntVar] = []
    for i, pin in enumerate(pins):
        duty = duties.get((pin.district, pin.date, pin.block))
        where = f"pinned[{i}]"
        if duty is None:
            raise InvalidScenario(
                Problem("pin.no_duty", where, block=repr(pin.block), district=repr(pin.district), date=pin.date)
            )
        if pin.role == "backup_hospital":
            y = v.standby(pin.assignee, unit_of[duty.id])
            if y is None:
                raise InvalidScenario(
                    Problem(
                        "pin.hospital_cannot",
                        where,
                        hospital=repr(pin.assignee),
                        district=repr(pin.district),
                        date=pin.date,
                    )
                )
            out.append(y)
            continue
        held_on = duty.lead(pin.role)  # a shared role is held on its group's lead duty
        x = v.assign(pin.assignee, held_on, pin.role)
        if x is None:
            excluded = v.eligibility.excluded.get((held_on, pin.role), {})
            why = next((reason for reason, ids in excluded.items() if pin.assignee in ids), "district")
            raise InvalidScenario(
                Problem(
                    "pin.physician_cannot",
                    where,
                    physician=repr(pin.assignee),
                    role=pin.role,
                    date=pin.date,
                    block=pin.block,
                    district=repr(pin.district),
                    why=why,
                )
            )
        out.append(x)
    return out


def pinned(v: Variables) -> list[Term]:
    """Pinned duties stay exactly as given (see ``pin_literals`` for pins that cannot be kept)."""
    for x in pin_literals(v, v.scenario.pinned):
        v.model.add(x == 1)
    return []
