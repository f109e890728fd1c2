"""Stored swaps and give-aways: proposed, then approved, refused, withdrawn or undone.

Reads and writes only; checking a proposal against the published roster is :mod:`oncall.services.swaps`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.errors import Conflict, NotFound
from oncall.storage.audit import Actor
from oncall.storage.repository import Store, _changed, _now
from oncall.storage.tables import SwapRow

__all__ = ["SWAP_STATES", "SwapRecord", "SwapState", "SwapStore"]

SwapState = Literal["proposed", "approved", "refused", "withdrawn", "undone"]
SWAP_STATES: tuple[SwapState, ...] = ("proposed", "approved", "refused", "withdrawn", "undone")


@dataclass(frozen=True)
class SwapRecord:
    """A proposed swap or give-away and what became of it."""

    id: int
    scenario_id: int
    base_revision_id: int
    proposal: dict[str, Any]
    requested_by: str | None
    reason: str | None
    state: SwapState
    proposed_by: str
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str | None
    revision_id: int | None
    undo_revision_id: int | None


def swap_record(row: SwapRow) -> SwapRecord:
    """The record of a row."""
    state: SwapState = next(s for s in SWAP_STATES if s == row.state)
    return SwapRecord(
        row.id,
        row.scenario_id,
        row.base_revision_id,
        json.loads(row.proposal),
        row.requested_by,
        row.reason,
        state,
        row.proposed_by,
        row.proposed_at,
        row.decided_by,
        row.decided_at,
        row.note,
        row.revision_id,
        row.undo_revision_id,
    )


class SwapStore:
    """The ``swaps`` table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def add_in(
        self,
        s: Session,
        scenario_id: int,
        base: int,
        proposal_json: str,
        requested_by: str | None,
        reason: str | None,
        actor: Actor | None,
    ) -> SwapRow:
        """Store a proposal on the published revision ``base``."""
        row = SwapRow(
            scenario_id=scenario_id,
            base_revision_id=base,
            proposal=proposal_json,
            requested_by=requested_by,
            reason=reason,
            state="proposed",
            proposed_by=(actor or Actor.system()).name[:200],
            proposed_at=_now(),
        )
        s.add(row)
        s.flush()
        return row

    def get(self, swap_id: int) -> SwapRecord:
        """The swap with this id."""
        with self.db.transaction() as s:
            return swap_record(self.row_in(s, swap_id))

    def list(self, scenario_id: int, state: SwapState | None = None) -> list[SwapRecord]:
        """The scenario's swaps, newest first, optionally in one state."""
        with self.db.transaction() as s:
            self.store.scenario_row(s, scenario_id)
            query = select(SwapRow).where(SwapRow.scenario_id == scenario_id)
            if state is not None:
                query = query.where(SwapRow.state == state)
            return [swap_record(r) for r in s.scalars(query.order_by(SwapRow.id.desc()))]

    @staticmethod
    def row_in(s: Session, swap_id: int) -> SwapRow:
        """The swap's row in ``s`` (NotFound when there is none)."""
        row = s.get(SwapRow, swap_id)
        if row is None:
            raise NotFound("swap", swap_id, field="swap_id")
        return row

    @staticmethod
    def decide_in(
        s: Session,
        row: SwapRow,
        seen: SwapState,
        state: SwapState,
        actor: Actor | None,
        note: str | None,
        **values: Any,
    ) -> SwapRecord:
        """Move the swap from ``seen`` to ``state`` by compare-and-set: a concurrent decision wins once.

        The decision (who, when, the note) is the approval, refusal or withdrawal; an undo keeps it.
        """
        if state != "undone":
            values.update(decided_by=(actor or Actor.system()).name[:200], decided_at=_now(), note=note)
        query = update(SwapRow).where(SwapRow.id == row.id, SwapRow.state == seen)
        done = s.execute(query.values(state=state, **values))
        if _changed(done) != 1:
            raise Conflict(f"swap {row.id} changed meanwhile: read it again", field="swap_id")
        return swap_record(s.get_one(SwapRow, row.id))
