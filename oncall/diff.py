"""What changed between two rosters of a period: duty by duty, and person by person.

Duties are matched by id (district and start), so two rosters of the same period compare whatever
solve or edit produced them; a duty present in only one of them counts as held by nobody in the other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal, get_args

from pydantic import BaseModel, Field

from oncall.roster import GapRole, Roster, RosterDuty

__all__ = ["DutyChange", "Holding", "PersonChange", "RoleChange", "RosterDiff", "diff_rosters"]

_ROLES: tuple[GapRole, ...] = get_args(GapRole)


class RoleChange(BaseModel):
    """One role of one duty that changed hands."""

    role: GapRole
    before: str | None = Field(description="Physician or hospital id before; null for a gap or a new duty.")
    after: str | None = Field(description="Physician or hospital id after; null for a gap or a removed duty.")


class DutyChange(BaseModel):
    """A duty whose primary, secondary or backup hospital changed."""

    duty: str = Field(description="Duty id.")
    district: str
    block: str
    start: dt.datetime
    end: dt.datetime
    changes: list[RoleChange]


class Holding(BaseModel):
    """A duty and the role in it."""

    duty: str
    role: GapRole


class PersonChange(BaseModel):
    """What one physician or hospital gains and loses."""

    id: str
    kind: Literal["physician", "hospital"]
    gains: list[Holding] = Field(description="Roles held after but not before.")
    losses: list[Holding] = Field(description="Roles held before but not after.")
    net: int = Field(description="Gains minus losses.")


class RosterDiff(BaseModel):
    """The changes from one roster to another."""

    changes: list[DutyChange] = Field(description="Changed duties in time order.")
    people: list[PersonChange] = Field(description="Everyone who gains or loses a role, by id.")


def _holder(duty: RosterDuty | None, role: GapRole) -> str | None:
    return None if duty is None else getattr(duty, role)


def diff_rosters(before: Roster, after: Roster) -> RosterDiff:
    """The duties whose holders differ between ``before`` and ``after``, and who gains or loses what."""
    old = {d.id: d for d in before.duties}
    new = {d.id: d for d in after.duties}
    gains: dict[str, list[Holding]] = defaultdict(list)
    losses: dict[str, list[Holding]] = defaultdict(list)
    kinds: dict[str, Literal["physician", "hospital"]] = {}
    changes: list[DutyChange] = []
    for duty_id in sorted(old.keys() | new.keys(), key=lambda i: ((new.get(i) or old[i]).start, i)):
        a, b = old.get(duty_id), new.get(duty_id)
        moved = [RoleChange(role=r, before=_holder(a, r), after=_holder(b, r)) for r in _ROLES]
        moved = [m for m in moved if m.before != m.after]
        if not moved:
            continue
        shown = b or a
        assert shown is not None
        changes.append(
            DutyChange(
                duty=duty_id,
                district=shown.district,
                block=shown.block,
                start=shown.start,
                end=shown.end,
                changes=moved,
            )
        )
        for m in moved:
            kind: Literal["physician", "hospital"] = "hospital" if m.role == "backup_hospital" else "physician"
            if m.before is not None:
                losses[m.before].append(Holding(duty=duty_id, role=m.role))
                kinds[m.before] = kind
            if m.after is not None:
                gains[m.after].append(Holding(duty=duty_id, role=m.role))
                kinds[m.after] = kind
    people = [
        PersonChange(
            id=pid,
            kind=kinds[pid],
            gains=gains.get(pid, []),
            losses=losses.get(pid, []),
            net=len(gains.get(pid, [])) - len(losses.get(pid, [])),
        )
        for pid in sorted(kinds)
    ]
    return RosterDiff(changes=changes, people=people)
