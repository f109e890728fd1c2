"""Swaps and give-aways of published duties: proposed (checked against the published roster), approved
(checked again on the roster published now, stored as a draft revision), refused, withdrawn, or undone
(another draft that swaps back). Nothing here publishes: a draft goes through ``publishing``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from oncall.errors import Conflict, InvalidChange
from oncall.i18n import Problem
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.storage import Store
from oncall.storage.audit import Actor, record
from oncall.storage.swaps import SwapRecord, SwapState, SwapStore, swap_record
from oncall.storage.tables import RevisionRow, ScenarioRow, SwapRow
from oncall.swaps import GiveAway, Proposal, Swap, check_proposal, inverse

__all__ = [
    "approve_swap",
    "get_swap",
    "list_swaps",
    "propose_swap",
    "refuse_swap",
    "undo_swap",
    "withdraw_swap",
]

_PROPOSAL: TypeAdapter[GiveAway | Swap] = TypeAdapter(Proposal)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _published(store: Store, s: Session, scenario_id: int) -> tuple[ScenarioRow, RevisionRow, Roster, Scenario]:
    row = store.scenario_row(s, scenario_id)
    if row.published_revision_id is None:
        raise Conflict(
            f"scenario {scenario_id} has no published roster: swaps change the published roster",
            field="scenario_id",
        )
    published, roster = store.roster_in(s, row.published_revision_id)
    return row, published, roster, store.scenario_in(s, scenario_id, row.version)


def _draft(
    store: Store,
    s: Session,
    row: ScenarioRow,
    scenario: Scenario,
    roster: Roster,
    actor: Actor | None,
    why: dict[str, Any],
) -> int:
    """Store ``roster`` as a draft revision of the scenario's newest version, checked by the checker."""
    from oncall.checker import check

    report = check(scenario, roster)
    return store.add_revision_in(s, row.id, row.version, roster, len(report.violations), actor, why)


def _expect_state(row: SwapRow, state: SwapState, verb: str) -> None:
    if row.state != state:
        done = {"withdraw": "withdrawn", "undo": "undone"}.get(verb, f"{verb.removesuffix('e')}ed")
        article = "an" if state[0] in "aeiou" else "a"
        raise Conflict(f"swap {row.id} is {row.state}: only {article} {state} swap can be {done}", field="swap_id")


def propose_swap(
    store: Store,
    scenario_id: int,
    proposal: GiveAway | Swap,
    requested_by: str | None = None,
    reason: str | None = None,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
    lang: str = "ja",
) -> SwapRecord:
    """Store a proposal that the checker accepts on the published roster (``RuleBroken`` otherwise)."""
    with store.db.transaction() as s:
        _, published, roster, scenario = _published(store, s, scenario_id)
        if requested_by is not None and requested_by not in {p.id for p in scenario.physicians}:
            raise InvalidChange(Problem("scenario.unknown_physician", "requested_by", id=repr(requested_by)))
        check_proposal(scenario, roster, proposal, now or _now(), lang)
        row = SwapStore(store).add_in(
            s, scenario_id, published.id, proposal.model_dump_json(), requested_by, reason, actor
        )
        detail = {"proposal": proposal.model_dump(mode="json"), "base": published.id, "requested_by": requested_by}
        record(s, actor, "swap.propose", row.id, detail, reason, scenario_id=scenario_id)
        return swap_record(row)


def get_swap(store: Store, swap_id: int) -> SwapRecord:
    """The swap with this id."""
    return SwapStore(store).get(swap_id)


def list_swaps(store: Store, scenario_id: int, state: SwapState | None = None) -> list[SwapRecord]:
    """The scenario's swaps, newest first, optionally in one state."""
    return SwapStore(store).list(scenario_id, state)


def approve_swap(
    store: Store,
    swap_id: int,
    note: str | None = None,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
    lang: str = "ja",
) -> SwapRecord:
    """Approve a proposed swap: checked again on the roster published now, stored as a new draft revision.

    Nothing is published: the draft goes through ``POST /revisions/{id}/publish`` like any other.
    """
    with store.db.transaction() as s:
        row = SwapStore.row_in(s, swap_id)
        _expect_state(row, "proposed", "approve")
        scenario_row, published, roster, scenario = _published(store, s, row.scenario_id)
        proposal = _PROPOSAL.validate_json(row.proposal)
        try:
            after = check_proposal(scenario, roster, proposal, now or _now(), lang)
        except InvalidChange as exc:
            if published.id == row.base_revision_id:
                raise
            raise Conflict(
                f"the published roster changed since the proposal (revision {row.base_revision_id} → "
                f"{published.id}): " + "; ".join(exc.problems),
                field="swap_id",
            ) from exc
        why = {"swap": swap_id, "from": published.id}
        revision = _draft(store, s, scenario_row, scenario, after, actor, why)
        decided = SwapStore.decide_in(s, row, "proposed", "approved", actor, note, revision_id=revision)
        record(
            s,
            actor,
            "swap.approve",
            swap_id,
            {"revision": revision, "from": published.id},
            note,
            scenario_id=row.scenario_id,
        )
        return decided


def refuse_swap(store: Store, swap_id: int, note: str | None = None, actor: Actor | None = None) -> SwapRecord:
    """Refuse a proposed swap."""
    return _close(store, swap_id, "refused", "refuse", note, actor)


def withdraw_swap(store: Store, swap_id: int, note: str | None = None, actor: Actor | None = None) -> SwapRecord:
    """Withdraw a proposed swap (the physician changed their mind)."""
    return _close(store, swap_id, "withdrawn", "withdraw", note, actor)


def undo_swap(
    store: Store,
    swap_id: int,
    note: str | None = None,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
    lang: str = "ja",
) -> SwapRecord:
    """Undo an approved swap that is in the published roster: a new draft revision that swaps back."""
    with store.db.transaction() as s:
        row = SwapStore.row_in(s, swap_id)
        _expect_state(row, "approved", "undo")
        scenario_row, published, roster, scenario = _published(store, s, row.scenario_id)
        back = inverse(_PROPOSAL.validate_json(row.proposal))
        try:
            after = check_proposal(scenario, roster, back, now or _now(), lang)
        except InvalidChange as exc:
            raise Conflict(
                f"swap {swap_id} is not in the published roster (revision {published.id}): " + "; ".join(exc.problems),
                field="swap_id",
            ) from exc
        why = {"undo_swap": swap_id, "from": published.id}
        revision = _draft(store, s, scenario_row, scenario, after, actor, why)
        undone = SwapStore.decide_in(s, row, "approved", "undone", actor, note, undo_revision_id=revision)
        record(
            s,
            actor,
            "swap.undo",
            swap_id,
            {"revision": revision, "from": published.id},
            note,
            scenario_id=row.scenario_id,
        )
        return undone


def _close(
    store: Store, swap_id: int, state: SwapState, verb: str, note: str | None, actor: Actor | None
) -> SwapRecord:
    with store.db.transaction() as s:
        row = SwapStore.row_in(s, swap_id)
        _expect_state(row, "proposed", verb)
        closed = SwapStore.decide_in(s, row, "proposed", state, actor, note)
        record(s, actor, f"swap.{verb}", swap_id, {}, note, scenario_id=row.scenario_id)
        return closed
