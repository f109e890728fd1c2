"""Pinned duties: assignments the office fixed by hand stay as given."""

from __future__ import annotations

from oncall.errors import InvalidScenario
from solver.terms import Term
from solver.variables import Variables

__all__ = ["pinned"]


def pinned(v: Variables) -> list[Term]:
    """Pinned duties stay exactly as given.

    A pin that no variable can honour (the doctor is absent, covers another district, the hospital is
    closed) is an error in the scenario, named by its index, never a silently dropped pin.
    """
    duties = {(d.district, d.day, d.block.id): d for d in v.timeline.duties}
    unit_of = {d.id: u.key for u in v.units for d in u.duties}
    for i, pin in enumerate(v.scenario.pinned):
        duty = duties.get((pin.district, pin.date, pin.block))
        where = f"pinned[{i}]"
        if duty is None:
            raise InvalidScenario(f"{where}: no duty of block {pin.block!r} in {pin.district!r} on {pin.date}")
        if pin.role == "backup_hospital":
            y = v.standby(pin.assignee, unit_of[duty.id])
            if y is None:
                raise InvalidScenario(
                    f"{where}: hospital {pin.assignee!r} cannot stand by for {pin.district!r} on {pin.date} "
                    "(district not served or hospital closed)"
                )
            v.model.add(y == 1)
            continue
        x = v.assign(pin.assignee, duty.id, pin.role)
        if x is None:
            excluded = v.eligibility.excluded.get((duty.id, pin.role), {})
            why = next((reason for reason, ids in excluded.items() if pin.assignee in ids), "district")
            raise InvalidScenario(
                f"{where}: physician {pin.assignee!r} cannot take {pin.role} on {pin.date} {pin.block} "
                f"in {pin.district!r} ({why})"
            )
        v.model.add(x == 1)
    return []
