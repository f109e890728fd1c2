"""Stored re-planning: links between periods, repairs and swaps, each write one audited transaction.

``ReplanStore`` extends the repository (:class:`~oncall.storage.repository.Store`) on the same database:

- **links**: a scenario names the scenario of its previous period; solving it carries that period's
  published roster over (``carry_previous``, ``oncall.boundary``), storing the derived history as a new
  scenario version;
- **repairs**: the changes go into a new scenario version and a solve job is queued that repairs the
  published revision with the fewest changes (``oncall.jobs`` runs it, ``solver.repair``); the summary is
  stored with the draft revision, in the same transaction;
- **swaps**: proposals checked by the checker against the published roster (``oncall.swaps``), then
  approved (a new draft revision, published through the usual path), refused or withdrawn; an approved
  swap is undone by another draft revision.

Nothing here touches the published pointer: only ``Store.publish`` moves it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from oncall.boundary import carry_over
from oncall.checker import check
from oncall.errors import Conflict, InvalidChange, NotFound
from oncall.i18n import Problem
from oncall.model import Scenario
from oncall.replan import AbsenceChange, CapChange, Change, HospitalClosedChange, LeaveChange, apply_changes
from oncall.roster import Roster
from oncall.storage.audit import Actor, record
from oncall.storage.repository import JobState, Store, _changed, _now, revision_row
from oncall.storage.tables import JobRow, RepairRow, RevisionRow, ScenarioLinkRow, ScenarioRow, SwapRow
from oncall.swaps import GiveAway, Proposal, Swap, check_proposal, inverse

__all__ = [
    "SWAP_STATES",
    "CarryRecord",
    "LinkRecord",
    "RepairRecord",
    "ReplanStore",
    "SwapRecord",
    "SwapState",
]

SwapState = Literal["proposed", "approved", "refused", "withdrawn", "undone"]
SWAP_STATES: tuple[SwapState, ...] = ("proposed", "approved", "refused", "withdrawn", "undone")
AnyChange = AbsenceChange | LeaveChange | HospitalClosedChange | CapChange
_CHANGES: TypeAdapter[list[AnyChange]] = TypeAdapter(list[Change])
_PROPOSAL: TypeAdapter[GiveAway | Swap] = TypeAdapter(Proposal)


@dataclass(frozen=True)
class LinkRecord:
    """A scenario and the scenario of its previous period (with that one's published revision)."""

    scenario_id: int
    previous_id: int | None
    previous_published_revision_id: int | None


@dataclass(frozen=True)
class CarryRecord:
    """What ``carry_previous`` did: the version it stored (None when the history was already carried)."""

    previous_id: int
    revision_id: int
    version: int | None
    pins: int
    notes: list[str]


@dataclass(frozen=True)
class RepairRecord:
    """A repair and the state of its job."""

    id: int
    scenario_id: int
    job_id: int
    base_revision_id: int
    scenario_version: int
    freeze_at: dt.datetime
    changes: list[dict[str, Any]]
    notes: list[str]
    reason: str | None
    created_at: dt.datetime
    state: JobState
    message: str | None
    revision_id: int | None
    summary: dict[str, Any] | None

    def parsed_changes(self) -> list[AnyChange]:
        """The changes as models."""
        return _CHANGES.validate_python(self.changes)


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


def _swap(row: SwapRow) -> SwapRecord:
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


class ReplanStore(Store):
    """The repository plus links, repairs and swaps."""

    # --- links between periods -------------------------------------------------------------------

    def link_previous(self, scenario_id: int, previous_id: int | None, actor: Actor | None = None) -> LinkRecord:
        """Name the scenario of the previous period (None removes the link); it must end the day before."""
        with self.db.transaction() as s:
            row = self._scenario_row(s, scenario_id)
            if previous_id is None:
                s.execute(delete(ScenarioLinkRow).where(ScenarioLinkRow.scenario_id == scenario_id))
                record(s, actor, "scenario.unlink", scenario_id, {}, scenario_id=scenario_id)
                return LinkRecord(scenario_id, None, None)
            previous = s.get(ScenarioRow, previous_id)
            if previous is None:
                raise NotFound("scenario", previous_id, field="previous")
            if previous.period_end + dt.timedelta(days=1) != row.period_start:
                raise InvalidChange(
                    Problem(
                        "link.not_next_day",
                        "previous",
                        previous=previous_id,
                        previous_end=previous.period_end,
                        scenario=scenario_id,
                        start=row.period_start,
                    )
                )
            zones = {Scenario.model_validate_json(self._document(s, r.id, r.version)).timezone for r in (row, previous)}
            if len(zones) > 1:
                shown = ", ".join(sorted(zones))
                raise InvalidChange(Problem("link.zones", "previous", zones=shown))
            link = s.get(ScenarioLinkRow, scenario_id)
            if link is None:
                s.add(ScenarioLinkRow(scenario_id=scenario_id, previous_id=previous_id, updated_at=_now()))
            else:
                link.previous_id, link.updated_at = previous_id, _now()
            record(s, actor, "scenario.link", scenario_id, {"previous": previous_id}, scenario_id=scenario_id)
            return LinkRecord(scenario_id, previous_id, previous.published_revision_id)

    def get_link(self, scenario_id: int) -> LinkRecord:
        """The scenario's previous period, if it names one."""
        with self.db.transaction() as s:
            self._scenario_row(s, scenario_id)
            link = s.get(ScenarioLinkRow, scenario_id)
            if link is None:
                return LinkRecord(scenario_id, None, None)
            previous = s.get_one(ScenarioRow, link.previous_id)
            return LinkRecord(scenario_id, link.previous_id, previous.published_revision_id)

    def carry_previous(self, scenario_id: int, actor: Actor | None = None, lang: str = "ja") -> CarryRecord | None:
        """Carry the previous period's published roster into the scenario's newest version.

        Stores the derived history (and the pins continuing the night across the boundary) as a new version
        when it differs from the newest; None when the scenario names no previous period or that one has
        no published roster yet.
        """
        with self.db.transaction() as s:
            row = self._scenario_row(s, scenario_id)
            link = s.get(ScenarioLinkRow, scenario_id)
            if link is None:
                return None
            previous = s.get_one(ScenarioRow, link.previous_id)
            if previous.published_revision_id is None:
                return None
            published = s.get_one(RevisionRow, previous.published_revision_id)
            before = Scenario.model_validate_json(self._document(s, previous.id, published.scenario_version))
            roster = Roster.model_validate_json(published.roster)
            current = Scenario.model_validate_json(self._document(s, scenario_id, row.version))
            carry = carry_over(before, roster, current)
            notes = [n.text(lang) for n in carry.notes]
            version = None
            if carry.scenario != current:
                version = self._store_version(s, scenario_id, row.version, carry.scenario).version
                detail = {
                    "version": version,
                    "previous": previous.id,
                    "revision": published.id,
                    "pins": len(carry.pins),
                    "notes": notes,
                }
                record(s, actor, "scenario.carry", scenario_id, detail, scenario_id=scenario_id)
            return CarryRecord(previous.id, published.id, version, len(carry.pins), notes)

    # --- repairs ---------------------------------------------------------------------------------

    def create_repair(
        self,
        scenario_id: int,
        base: int,
        changes: Sequence[AnyChange],
        freeze: dt.datetime,
        time_limit: float,
        seed: int = 0,
        reason: str | None = None,
        actor: Actor | None = None,
        lang: str = "ja",
    ) -> RepairRecord:
        """Apply ``changes`` as a new scenario version and queue a repair of the published revision ``base``.

        ``base`` must still be the published revision (else ``Conflict``); a change that cannot apply raises
        ``InvalidChange`` and nothing is stored.
        """
        with self.db.transaction() as s:
            row = self._scenario_row(s, scenario_id)
            if row.published_revision_id != base:
                now_published = "none" if row.published_revision_id is None else row.published_revision_id
                raise Conflict(
                    f"base {base} is not the published revision of scenario {scenario_id} (it is {now_published}):"
                    " repair the roster that is published",
                    field="base",
                )
            published = s.get_one(RevisionRow, base)
            roster = Roster.model_validate_json(published.roster)
            current = Scenario.model_validate_json(self._document(s, scenario_id, row.version))
            applied = apply_changes(current, list(changes), roster, freeze, lang)
            applied_json = [c.model_dump(mode="json") for c in applied.changes]
            version = row.version
            if applied.scenario != current:
                version = self._store_version(s, scenario_id, row.version, applied.scenario).version
                detail = {"version": version, "changes": applied_json}
                record(s, actor, "scenario.update", scenario_id, detail, reason, scenario_id=scenario_id)
            job = JobRow(
                scenario_id=scenario_id,
                scenario_version=version,
                state="queued",
                time_limit=time_limit,
                seed=seed,
                created_at=_now(),
            )
            s.add(job)
            s.flush()
            repair = RepairRow(
                scenario_id=scenario_id,
                job_id=job.id,
                base_revision_id=base,
                scenario_version=version,
                freeze_at=freeze,
                changes=json.dumps(applied_json, ensure_ascii=False),
                notes=json.dumps(applied.notes, ensure_ascii=False),
                reason=reason,
                created_at=_now(),
            )
            s.add(repair)
            s.flush()
            detail = {"version": version, "time_limit": time_limit, "seed": seed, "repair": repair.id}
            record(s, actor, "solve.request", job.id, detail, scenario_id=scenario_id)
            detail = {"job": job.id, "base": base, "freeze": freeze.isoformat(), "changes": applied_json}
            record(s, actor, "repair.request", repair.id, detail, reason, scenario_id=scenario_id)
            return self._repair(s, repair)

    def get_repair(self, repair_id: int) -> RepairRecord:
        """The repair with this id."""
        with self.db.transaction() as s:
            row = s.get(RepairRow, repair_id)
            if row is None:
                raise NotFound("repair", repair_id, field="repair_id")
            return self._repair(s, row)

    def list_repairs(self, scenario_id: int) -> list[RepairRecord]:
        """The scenario's repairs, newest first."""
        with self.db.transaction() as s:
            self._scenario_row(s, scenario_id)
            query = select(RepairRow).where(RepairRow.scenario_id == scenario_id).order_by(RepairRow.id.desc())
            rows = s.scalars(query)
            return [self._repair(s, r) for r in rows]

    def repair_for_job(self, job_id: int) -> RepairRecord | None:
        """The repair a solve job runs, if it runs one."""
        with self.db.transaction() as s:
            row = s.scalar(select(RepairRow).where(RepairRow.job_id == job_id))
            return None if row is None else self._repair(s, row)

    @staticmethod
    def save_summary(session: Session, job_id: int, summary_json: str) -> None:
        """Store a finished repair's summary (called inside the transaction that stores its revision)."""
        session.execute(update(RepairRow).where(RepairRow.job_id == job_id).values(summary=summary_json))

    def _repair(self, s: Session, row: RepairRow) -> RepairRecord:
        # One statement for the job's state, its revision and the summary: under PostgreSQL's READ COMMITTED
        # each statement sees the database as it is when it starts, so reading them one after another could
        # see a job that succeeded meanwhile without the summary stored in the same transaction.
        job_state, message, revision_id, summary = s.execute(
            select(JobRow.state, JobRow.message, RevisionRow.id, RepairRow.summary)
            .select_from(RepairRow)
            .join(JobRow, JobRow.id == RepairRow.job_id)
            .outerjoin(RevisionRow, RevisionRow.job_id == RepairRow.job_id)
            .where(RepairRow.id == row.id)
        ).one()
        state: JobState = next(x for x in ("queued", "running", "succeeded", "failed", "cancelled") if x == job_state)
        return RepairRecord(
            row.id,
            row.scenario_id,
            row.job_id,
            row.base_revision_id,
            row.scenario_version,
            row.freeze_at,
            json.loads(row.changes),
            json.loads(row.notes),
            row.reason,
            row.created_at,
            state,
            message,
            revision_id,
            None if summary is None else json.loads(summary),
        )

    # --- swaps -----------------------------------------------------------------------------------

    def _published(self, s: Session, scenario_id: int) -> tuple[ScenarioRow, RevisionRow, Roster, Scenario]:
        row = self._scenario_row(s, scenario_id)
        if row.published_revision_id is None:
            raise Conflict(
                f"scenario {scenario_id} has no published roster: swaps change the published roster",
                field="scenario_id",
            )
        published = s.get_one(RevisionRow, row.published_revision_id)
        scenario = Scenario.model_validate_json(self._document(s, scenario_id, row.version))
        return row, published, Roster.model_validate_json(published.roster), scenario

    def propose_swap(
        self,
        scenario_id: int,
        proposal: GiveAway | Swap,
        requested_by: str | None = None,
        reason: str | None = None,
        actor: Actor | None = None,
        now: dt.datetime | None = None,
        lang: str = "ja",
    ) -> SwapRecord:
        """Store a proposal that the checker accepts on the published roster (``RuleBroken`` otherwise)."""
        with self.db.transaction() as s:
            _, published, roster, scenario = self._published(s, scenario_id)
            if requested_by is not None and requested_by not in {p.id for p in scenario.physicians}:
                raise InvalidChange(Problem("scenario.unknown_physician", "requested_by", id=repr(requested_by)))
            check_proposal(scenario, roster, proposal, now or _now(), lang)
            row = SwapRow(
                scenario_id=scenario_id,
                base_revision_id=published.id,
                proposal=proposal.model_dump_json(),
                requested_by=requested_by,
                reason=reason,
                state="proposed",
                proposed_by=(actor or Actor.system()).name[:200],
                proposed_at=_now(),
            )
            s.add(row)
            s.flush()
            detail = {"proposal": proposal.model_dump(mode="json"), "base": published.id, "requested_by": requested_by}
            record(s, actor, "swap.propose", row.id, detail, reason, scenario_id=scenario_id)
            return _swap(row)

    def get_swap(self, swap_id: int) -> SwapRecord:
        """The swap with this id."""
        with self.db.transaction() as s:
            return _swap(self._swap_row(s, swap_id))

    def list_swaps(self, scenario_id: int, state: SwapState | None = None) -> list[SwapRecord]:
        """The scenario's swaps, newest first, optionally in one state."""
        with self.db.transaction() as s:
            self._scenario_row(s, scenario_id)
            query = select(SwapRow).where(SwapRow.scenario_id == scenario_id)
            if state is not None:
                query = query.where(SwapRow.state == state)
            return [_swap(r) for r in s.scalars(query.order_by(SwapRow.id.desc()))]

    def approve_swap(
        self,
        swap_id: int,
        note: str | None = None,
        actor: Actor | None = None,
        now: dt.datetime | None = None,
        lang: str = "ja",
    ) -> SwapRecord:
        """Approve a proposed swap: checked again on the roster published now, stored as a new draft revision.

        Nothing is published: the draft goes through ``POST /revisions/{id}/publish`` like any other.
        """
        with self.db.transaction() as s:
            row = self._swap_row(s, swap_id)
            self._expect_state(row, "proposed", "approve")
            scenario_row, published, roster, scenario = self._published(s, row.scenario_id)
            proposal = _PROPOSAL.validate_json(row.proposal)
            after = self._recheck(scenario, roster, proposal, now, lang, published.id, row.base_revision_id)
            revision = self._draft(s, scenario_row, scenario, after, actor, {"swap": swap_id, "from": published.id})
            self._decide(s, row, "proposed", "approved", actor, note, revision_id=revision)
            detail = {"revision": revision, "from": published.id}
            record(s, actor, "swap.approve", swap_id, detail, note, scenario_id=row.scenario_id)
            return _swap(s.get_one(SwapRow, swap_id))

    def refuse_swap(self, swap_id: int, note: str | None = None, actor: Actor | None = None) -> SwapRecord:
        """Refuse a proposed swap."""
        return self._close(swap_id, "refused", "refuse", note, actor)

    def withdraw_swap(self, swap_id: int, note: str | None = None, actor: Actor | None = None) -> SwapRecord:
        """Withdraw a proposed swap (the physician changed their mind)."""
        return self._close(swap_id, "withdrawn", "withdraw", note, actor)

    def undo_swap(
        self,
        swap_id: int,
        note: str | None = None,
        actor: Actor | None = None,
        now: dt.datetime | None = None,
        lang: str = "ja",
    ) -> SwapRecord:
        """Undo an approved swap that is in the published roster: a new draft revision that swaps back."""
        with self.db.transaction() as s:
            row = self._swap_row(s, swap_id)
            self._expect_state(row, "approved", "undo")
            scenario_row, published, roster, scenario = self._published(s, row.scenario_id)
            back = inverse(_PROPOSAL.validate_json(row.proposal))
            try:
                after = check_proposal(scenario, roster, back, now or _now(), lang)
            except InvalidChange as exc:
                raise Conflict(
                    f"swap {swap_id} is not in the published roster (revision {published.id}): "
                    + "; ".join(exc.problems),
                    field="swap_id",
                ) from exc
            why = {"undo_swap": swap_id, "from": published.id}
            revision = self._draft(s, scenario_row, scenario, after, actor, why)
            self._decide(s, row, "approved", "undone", actor, note, undo_revision_id=revision)
            detail = {"revision": revision, "from": published.id}
            record(s, actor, "swap.undo", swap_id, detail, note, scenario_id=row.scenario_id)
            return _swap(s.get_one(SwapRow, swap_id))

    @staticmethod
    def _recheck(
        scenario: Scenario,
        roster: Roster,
        proposal: GiveAway | Swap,
        now: dt.datetime | None,
        lang: str,
        published_id: int,
        base_id: int,
    ) -> Roster:
        try:
            return check_proposal(scenario, roster, proposal, now or _now(), lang)
        except InvalidChange as exc:
            if published_id == base_id:
                raise
            raise Conflict(
                f"the published roster changed since the proposal (revision {base_id} → {published_id}): "
                + "; ".join(exc.problems),
                field="swap_id",
            ) from exc

    @staticmethod
    def _draft(
        s: Session,
        scenario_row: ScenarioRow,
        scenario: Scenario,
        roster: Roster,
        actor: Actor | None,
        why: dict[str, Any],
    ) -> int:
        """Store ``roster`` as a draft revision of the scenario's newest version, checked by the checker."""
        report = check(scenario, roster)
        row = revision_row(scenario_row.id, scenario_row.version, roster, len(report.violations), priced=False)
        s.add(row)
        s.flush()
        detail = {**why, "status": row.status, "gaps": row.gaps, "violations": row.violations}
        record(s, actor, "revision.create", row.id, detail, scenario_id=scenario_row.id)
        return row.id

    def _close(self, swap_id: int, state: SwapState, verb: str, note: str | None, actor: Actor | None) -> SwapRecord:
        with self.db.transaction() as s:
            row = self._swap_row(s, swap_id)
            self._expect_state(row, "proposed", verb)
            self._decide(s, row, "proposed", state, actor, note)
            record(s, actor, f"swap.{verb}", swap_id, {}, note, scenario_id=row.scenario_id)
            return _swap(s.get_one(SwapRow, swap_id))

    @staticmethod
    def _expect_state(row: SwapRow, state: SwapState, verb: str) -> None:
        if row.state != state:
            done = {"withdraw": "withdrawn", "undo": "undone"}.get(verb, f"{verb.removesuffix('e')}ed")
            article = "an" if state[0] in "aeiou" else "a"
            raise Conflict(f"swap {row.id} is {row.state}: only {article} {state} swap can be {done}", field="swap_id")

    @staticmethod
    def _decide(
        s: Session,
        row: SwapRow,
        seen: SwapState,
        state: SwapState,
        actor: Actor | None,
        note: str | None,
        **values: Any,
    ) -> None:
        """Move the swap from ``seen`` to ``state`` by compare-and-set: a concurrent decision wins once.

        The decision (who, when, the note) is the approval, refusal or withdrawal; an undo keeps it.
        """
        if state != "undone":
            values.update(decided_by=(actor or Actor.system()).name[:200], decided_at=_now(), note=note)
        query = update(SwapRow).where(SwapRow.id == row.id, SwapRow.state == seen)
        done = s.execute(query.values(state=state, **values))
        if _changed(done) != 1:
            raise Conflict(f"swap {row.id} changed meanwhile: read it again", field="swap_id")

    @staticmethod
    def _swap_row(s: Session, swap_id: int) -> SwapRow:
        row = s.get(SwapRow, swap_id)
        if row is None:
            raise NotFound("swap", swap_id, field="swap_id")
        return row
