"""Roster revisions and publications: drafts stored, read, and published by moving the scenario's pointer
(compare-and-set on the base) and logging the publication, in one transaction. The rules of publishing (the
re-check, one published roster per district and date) are the publishing service's."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text, update
from sqlalchemy.orm import Session

from oncall.errors import Conflict, NotFound
from oncall.roster import Roster
from oncall.storage.audit import Actor, record
from oncall.storage.base import Table, _changed, _now
from oncall.storage.scenarios import read_document, scenario_row
from oncall.storage.tables import PublicationRow, RevisionRow, ScenarioRow

__all__ = ["RevisionRecord", "RevisionStore", "districts_in", "revision_in", "revision_record", "revision_row"]

# The advisory lock (PostgreSQL) under which one publication at a time is checked against the others.
_PUBLISH_LOCK = 0x6F6E63616C6C


@dataclass(frozen=True)
class RevisionRecord:
    """A roster revision without its roster; ``published`` when it is its scenario's current roster."""

    id: int
    scenario_id: int
    scenario_version: int
    job_id: int | None
    status: str
    objective: float | None
    bound: float | None
    gaps: int
    violations: int
    created_at: dt.datetime
    published: bool
    published_at: dt.datetime | None  # when it was last made the current roster


def _revisions_query() -> Select[RevisionRow, int | None, dt.datetime]:
    last_published = (
        select(func.max(PublicationRow.published_at))
        .where(PublicationRow.revision_id == RevisionRow.id)
        .scalar_subquery()
    )
    return select(RevisionRow, ScenarioRow.published_revision_id, last_published).join(
        ScenarioRow, ScenarioRow.id == RevisionRow.scenario_id
    )


def revision_record(row: RevisionRow, published_id: int | None, published_at: dt.datetime | None) -> RevisionRecord:
    """The record of a row."""
    return RevisionRecord(
        row.id,
        row.scenario_id,
        row.scenario_version,
        row.job_id,
        row.status,
        row.objective,
        row.bound,
        row.gaps,
        row.violations,
        row.created_at,
        published_id == row.id,
        published_at,
    )


def revision_row(
    scenario_id: int,
    version: int,
    roster: Roster,
    violations: int,
    *,
    job_id: int | None = None,
    priced: bool = True,
    created_at: dt.datetime | None = None,
) -> RevisionRow:
    """A new revision row for ``roster``; ``priced`` False drops the solve's objective and bound (an edited
    roster is no longer the roster they were measured on)."""
    return RevisionRow(
        scenario_id=scenario_id,
        scenario_version=version,
        job_id=job_id,
        status=roster.status,
        objective=roster.objective if priced else None,
        bound=roster.bound if priced else None,
        gaps=len(roster.gaps),
        violations=violations,
        roster=roster.to_json(),
        created_at=created_at or _now(),
    )


def districts_in(s: Session, row: ScenarioRow) -> set[str]:
    """The district ids of the newest version of the scenario (its document, as stored)."""
    document = json.loads(read_document(s, row.id, row.version))
    return {str(d["id"]) for d in document["districts"]}


def revision_in(s: Session, revision_id: int) -> RevisionRecord:
    """The revision's record, read in ``s``."""
    found = s.execute(_revisions_query().where(RevisionRow.id == revision_id)).first()
    if found is None:
        raise NotFound("revision", revision_id, field="revision_id")
    return revision_record(found[0], found[1], found[2])


class RevisionStore(Table):
    """The ``revisions`` and ``publications`` tables."""

    def list_revisions(self, scenario_id: int) -> list[RevisionRecord]:
        """The scenario's revisions, newest first."""
        with self.db.transaction() as s:
            scenario_row(s, scenario_id)
            rows = s.execute(
                _revisions_query().where(RevisionRow.scenario_id == scenario_id).order_by(RevisionRow.id.desc())
            )
            return [revision_record(row, pid, when) for row, pid, when in rows]

    def get_revision(self, revision_id: int) -> RevisionRecord:
        """The revision with this id."""
        with self.db.transaction() as s:
            return revision_in(s, revision_id)

    def get_roster(self, revision_id: int) -> tuple[RevisionRecord, str]:
        """A revision and its roster JSON, exactly as stored."""
        with self.db.transaction() as s:
            record = revision_in(s, revision_id)
            return record, s.get_one(RevisionRow, revision_id).roster

    def get_published(self, scenario_id: int) -> RevisionRecord:
        """The published revision of the scenario."""
        with self.db.transaction() as s:
            row = scenario_row(s, scenario_id)
            if row.published_revision_id is None:
                raise NotFound("published roster of scenario", scenario_id, field="scenario_id")
            return revision_in(s, row.published_revision_id)

    def publish(
        self,
        revision_id: int,
        base: int | None,
        key_id: int | None = None,
        actor: Actor | None = None,
        reason: str | None = None,
        also: Callable[[Session, int], None] | None = None,
    ) -> RevisionRecord:
        """Make the revision its scenario's current roster, if the current one is still ``base`` (``Conflict``).

        One transaction: the pointer moves, ``also(session, scenario_id)`` runs (the publishing service's rules,
        which may raise), and the publication is logged (and audited), or nothing happens. Adapters publish
        through :func:`oncall.services.publishing.publish_revision`, never here.
        """
        with self.db.transaction() as s:
            revision = s.get(RevisionRow, revision_id)
            if revision is None:
                raise NotFound("revision", revision_id, field="revision_id")
            if self.db.dialect == "postgresql":
                # Publications of different scenarios are checked against each other in ``also``: one at a
                # time. (SQLite has one writer at a time already, and the update below makes this one the writer.)
                s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PUBLISH_LOCK})
            current = ScenarioRow.published_revision_id
            done = s.execute(
                update(ScenarioRow)
                .where(ScenarioRow.id == revision.scenario_id, current.is_(None) if base is None else current == base)
                .values(published_revision_id=revision_id)
            )
            if _changed(done) != 1:
                now_published = s.scalar(select(current).where(ScenarioRow.id == revision.scenario_id))
                shown = "none" if now_published is None else now_published
                raise Conflict(
                    f"base {'null' if base is None else base} is stale: the published revision is now {shown};"
                    " review it and publish again",
                    field="base",
                )
            if also is not None:
                also(s, revision.scenario_id)
            s.add(
                PublicationRow(
                    scenario_id=revision.scenario_id,
                    revision_id=revision_id,
                    previous_revision_id=base,
                    key_id=key_id,
                    published_at=_now(),
                )
            )
            s.flush()
            detail = {"revision": revision_id, "previous": base}
            actor = actor or (Actor(f"key {key_id}", key_id) if key_id is not None else None)
            record(s, actor, "publication.create", revision_id, detail, reason, scenario_id=revision.scenario_id)
            return revision_in(s, revision_id)

    @staticmethod
    def published_overlapping_in(s: Session, scenario_id: int) -> list[tuple[ScenarioRow, set[str]]]:
        """The other scenarios with a published roster whose periods overlap this one's, each with the district
        ids of its newest version; read in ``s``."""
        row = scenario_row(s, scenario_id)
        others = s.scalars(
            select(ScenarioRow).where(
                ScenarioRow.id != scenario_id,
                ScenarioRow.published_revision_id.is_not(None),
                ScenarioRow.period_start <= row.period_end,
                ScenarioRow.period_end >= row.period_start,
            )
        )
        return [(other, districts_in(s, other)) for other in others]

    def add_revision(
        self,
        scenario_id: int,
        version: int,
        roster: Roster,
        violations: int,
        actor: Actor | None = None,
        reason: str | None = None,
    ) -> RevisionRecord:
        """Store a roster made outside a solve (an edit, a swap) as a draft revision of that scenario version."""
        with self.db.transaction() as s:
            scenario_row(s, scenario_id)
            read_document(s, scenario_id, version)
            row = revision_row(scenario_id, version, roster, violations)
            s.add(row)
            s.flush()
            detail = {"source": "edit", "scenario_version": version, "gaps": len(roster.gaps)}
            record(s, actor, "revision.create", row.id, detail, reason, scenario_id=scenario_id)
            return revision_in(s, row.id)

    def roster_in(self, s: Session, revision_id: int) -> tuple[RevisionRow, Roster]:
        """A revision's row and its roster, read in ``s``."""
        row = s.get(RevisionRow, revision_id)
        if row is None:
            raise NotFound("revision", revision_id, field="revision_id")
        return row, Roster.model_validate_json(row.roster)

    def add_revision_in(
        self,
        s: Session,
        scenario_id: int,
        version: int,
        roster: Roster,
        violations: int,
        actor: Actor | None,
        why: dict[str, Any],
    ) -> int:
        """Store ``roster`` (made outside a solve, unpriced) as a draft revision in ``s``; its id."""
        row = revision_row(scenario_id, version, roster, violations, priced=False)
        s.add(row)
        s.flush()
        detail = {**why, "status": row.status, "gaps": row.gaps, "violations": row.violations}
        record(s, actor, "revision.create", row.id, detail, scenario_id=scenario_id)
        return row.id
