"""Swaps and give-aways between doctors, judged by the independent checker.

A **give-away** hands one role of one duty from its holder to a colleague; a **swap** trades two
duty-roles between their two holders. ``check_proposal`` applies the proposal to the published roster
and runs the checker (``oncall.checker``) on the result: a proposal that breaks a hard rule the roster did
not already break (the colleague's rest, a monthly cap, their absence, a district they do not cover) is
refused with ``RuleBroken``, which names each rule id and the checker's message. Duties that have
started cannot move. ``inverse`` gives the proposal that undoes one. ``give_away_candidates`` is the quick
pre-check: the colleagues the step-by-step feasibility check (``oncall.feasibility``) lets take a role,
to offer before a proposal is made; the checker stays the final word.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from oncall.checker import Violation, check
from oncall.eligibility import compute_eligibility
from oncall.errors import InvalidChange, RuleBroken
from oncall.feasibility import Assignment, Ledger
from oncall.i18n import Problem, as_lang, coded, text
from oncall.model import Role, Scenario
from oncall.roster import Roster, RosterDuty
from oncall.rules import rule
from oncall.timeline import Timeline

__all__ = ["GiveAway", "Proposal", "Swap", "apply_proposal", "check_proposal", "give_away_candidates", "inverse"]

_Id = Annotated[str, Field(min_length=1, max_length=64)]
_DutyId = Annotated[str, Field(min_length=1, max_length=100, description="Duty id (docs/roster.md).")]


class _Proposal(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GiveAway(_Proposal):
    """``physician`` gives their ``role`` on ``duty`` to the colleague ``to``."""

    kind: Literal["give"] = "give"
    duty: _DutyId
    role: Role
    physician: _Id = Field(description="Who holds the role now and gives it away.")
    to: _Id = Field(description="The colleague who takes it.")


class Swap(_Proposal):
    """``physician`` and ``other_physician`` trade their roles: ``role`` on ``duty`` for ``other_role`` on
    ``other_duty``."""

    kind: Literal["swap"] = "swap"
    duty: _DutyId
    role: Role
    physician: _Id = Field(description="Who holds `role` on `duty` now.")
    other_duty: _DutyId
    other_role: Role
    other_physician: _Id = Field(description="Who holds `other_role` on `other_duty` now.")


Proposal = Annotated[GiveAway | Swap, Field(discriminator="kind")]


def inverse(proposal: GiveAway | Swap) -> GiveAway | Swap:
    """The proposal that undoes ``proposal`` once applied.

    >>> inverse(GiveAway(duty="d", role="primary", physician="a", to="b")).physician
    'b'
    """
    if isinstance(proposal, GiveAway):
        return proposal.model_copy(update={"physician": proposal.to, "to": proposal.physician})
    return proposal.model_copy(update={"physician": proposal.other_physician, "other_physician": proposal.physician})


def _holding(
    duties: dict[str, RosterDuty], duty_id: str, role: Role, pid: str, fields: tuple[str, str]
) -> list[Problem]:
    """A problem when ``pid`` does not hold ``role`` on ``duty_id``; ``fields`` name the duty and the physician."""
    duty = duties.get(duty_id)
    if duty is None:
        return [Problem("swap.no_duty", fields[0], duty=repr(duty_id))]
    holder = getattr(duty, role)
    if holder != pid:
        who = holder or coded("swap.nobody")
        return [Problem("swap.not_holder", fields[1], physician=repr(pid), role=role, duty=duty_id, holder=who)]
    return []


def _sharing(duties: dict[str, RosterDuty], duty_id: str, role: Role) -> list[str]:
    """The duties whose ``role`` is one with ``duty_id``'s: those the roster marks with the same shared role at
    the same time (docs/roster.md#shared-roles), or just ``duty_id``."""
    duty = duties[duty_id]
    group = duty.shared.get(role)
    if group is None:
        return [duty_id]
    return [k for k, d in duties.items() if d.shared.get(role) == group and d.start == duty.start]


def apply_proposal(roster: Roster, proposal: GiveAway | Swap) -> Roster:
    """The roster with the proposal applied; ``InvalidChange`` naming the field when it does not fit the roster.

    The result keeps the roster's gaps, has no objective or bound (no solve priced it) and is ``feasible``
    at best.
    """
    duties = {d.id: d for d in roster.duties}
    problems = _holding(
        duties, proposal.duty, proposal.role, proposal.physician, ("proposal.duty", "proposal.physician")
    )
    if isinstance(proposal, GiveAway):
        if proposal.to == proposal.physician:
            problems.append(Problem("swap.same_colleague", "proposal.to"))
    else:
        fields = ("proposal.other_duty", "proposal.other_physician")
        problems += _holding(duties, proposal.other_duty, proposal.other_role, proposal.other_physician, fields)
        if proposal.other_physician == proposal.physician:
            problems.append(Problem("swap.same_physicians", "proposal.other_physician"))
        if (proposal.duty, proposal.role) == (proposal.other_duty, proposal.other_role):
            problems.append(Problem("swap.same_duty_role", "proposal.other_role"))
    if problems:
        raise InvalidChange(problems)
    changed = dict(duties)
    if isinstance(proposal, GiveAway):
        moves = [(proposal.duty, proposal.role, proposal.to)]
    else:
        moves = [
            (proposal.duty, proposal.role, proposal.other_physician),
            (proposal.other_duty, proposal.other_role, proposal.physician),
        ]
    for duty_id, role, to in moves:
        for k in _sharing(duties, duty_id, role):  # a shared role moves on every district's duty at once
            changed[k] = changed[k].model_copy(update={role: to})
    status = roster.status if roster.status in ("infeasible", "unknown") else "feasible"
    return roster.model_copy(
        update={"duties": [changed[d.id] for d in roster.duties], "status": status, "objective": None, "bound": None}
    )


def _key(v: Violation) -> tuple[str, str | None, tuple[str, ...], str]:
    return (v.rule, v.duty, v.people, v.message)


def check_proposal(
    scenario: Scenario,
    roster: Roster,
    proposal: GiveAway | Swap,
    now: dt.datetime | None = None,
    lang: str = "ja",
) -> Roster:
    """The roster after ``proposal``, if it breaks no hard rule that ``roster`` does not already break.

    Raises ``InvalidChange`` when the proposal does not fit the roster or moves a duty that started before
    ``now``, and ``RuleBroken`` naming each broken rule with the checker's message.
    """
    moved = [proposal.duty] + ([proposal.other_duty] if isinstance(proposal, Swap) else [])
    if now is not None:
        duties = {d.id: d for d in roster.duties}
        for field, duty_id in zip(("duty", "other_duty"), moved, strict=False):
            d = duties.get(duty_id)
            if d is not None and d.start < now:
                raise InvalidChange(Problem("swap.started", f"proposal.{field}", duty=duty_id))
    after = apply_proposal(roster, proposal)
    seen = {_key(v) for v in check(scenario, roster, lang=lang).violations}
    new = [v for v in check(scenario, after, lang=lang).violations if _key(v) not in seen]
    if new:
        ids = ", ".join(dict.fromkeys(f"{v.rule} ({rule(v.rule).label(lang)})" for v in new))
        code = "swap.give_away_breaks" if isinstance(proposal, GiveAway) else "swap.breaks"
        message = text(code, as_lang(lang), rules=ids)
        raise RuleBroken(message, [(v.rule, v.message) for v in new])
    return after


def give_away_candidates(scenario: Scenario, roster: Roster, duty_id: str, role: Role) -> list[str]:
    """Colleagues who may take ``role`` on ``duty_id`` from its holder, by the step-by-step feasibility
    check on the roster without the holder in that role (scenario order). A quick pre-check to offer
    choices; ``check_proposal`` still judges the give-away with the checker."""
    tl = Timeline.build(scenario)
    duty = tl.by_id.get(duty_id)
    if duty is None:
        raise InvalidChange(Problem("swap.no_duty", "duty", duty=repr(duty_id)))
    duty = tl.by_id[duty.lead(role)]  # a shared role is held on its group's lead
    assignments = {d.id: Assignment(d.primary, d.secondary, d.backup_hospital) for d in roster.duties}
    holder = getattr(assignments[duty.id], role) if duty.id in assignments else None
    for k in (x.id for x in tl.sharing(duty, role)):
        if k in assignments:
            setattr(assignments[k], role, None)
    ledger = Ledger.of_doctors(scenario, tl, compute_eligibility(scenario, tl), assignments)
    return [p.id for p in scenario.physicians if p.id != holder and ledger.can_take(p.id, duty, role)]
