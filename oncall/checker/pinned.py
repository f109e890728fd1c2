"""Pinned duties stay exactly as given."""

from __future__ import annotations

from oncall.checker.context import Context, assignee
from oncall.checker.report import Violation
from oncall.i18n import both

__all__ = ["CHECKS", "pinned"]


def pinned(c: Context) -> list[Violation]:
    """Pinned duties stay exactly as given: every pin's duty has the pinned assignee in the pinned role.

    A pin that matches no duty of the timeline cannot be kept, so it breaks the rule too.
    """
    out: list[Violation] = []
    index = {(d.district, d.day, d.block.id): d for d in c.tl.duties}
    for pin in c.s.pinned:
        duty = index.get((pin.district, pin.date, pin.block))
        if duty is None:
            found = c.blocks.get(pin.block)
            block = both(found.label("ja"), found.label("en")) if found else pin.block
            out.append(
                c.v(
                    "pinned",
                    None,
                    (pin.assignee,),
                    "check.pinned.no_duty",
                    day=pin.date.isoformat(),
                    block=block,
                    district=c.district(pin.district),
                )
            )
            continue
        rd = c.roster_duty.get(duty.id)
        got = None if rd is None else assignee(rd, pin.role)
        if got == pin.assignee:
            continue
        name = c.hospital if pin.role == "backup_hospital" else c.who
        people = (pin.assignee,) if got is None else (pin.assignee, got)
        out.append(
            c.v(
                "pinned",
                duty.id,
                people,
                "check.pinned.changed",
                where=c.where(duty),
                role=c.role(pin.role),
                want=name(pin.assignee),
                got=c.say("check.word.nobody") if got is None else name(got),
            )
        )
    return out


CHECKS = {"pinned": pinned}
