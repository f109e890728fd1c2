"""Links between periods: which scenario is the previous period of which. Reads and writes only; the rules
(the previous period ends the day before, one time zone) and the carry-over live in
:mod:`oncall.services.periods`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from oncall.storage.audit import Actor, record
from oncall.storage.repository import Store, _now
from oncall.storage.tables import ScenarioLinkRow, ScenarioRow

__all__ = ["LinkRecord", "LinkStore"]


@dataclass(frozen=True)
class LinkRecord:
    """A scenario and the scenario of its previous period (with that one's published revision)."""

    scenario_id: int
    previous_id: int | None
    previous_published_revision_id: int | None


class LinkStore:
    """The ``scenario_links`` table."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    def get(self, scenario_id: int) -> LinkRecord:
        """The scenario's previous period, if it names one."""
        with self.db.transaction() as s:
            return self.get_in(s, scenario_id)

    def get_in(self, s: Session, scenario_id: int) -> LinkRecord:
        """:meth:`get` inside a unit of work."""
        self.store.scenario_row(s, scenario_id)
        link = s.get(ScenarioLinkRow, scenario_id)
        if link is None:
            return LinkRecord(scenario_id, None, None)
        previous = s.get_one(ScenarioRow, link.previous_id)
        return LinkRecord(scenario_id, link.previous_id, previous.published_revision_id)

    def remove_in(self, s: Session, scenario_id: int, actor: Actor | None) -> LinkRecord:
        """Remove the scenario's link (audited)."""
        s.execute(delete(ScenarioLinkRow).where(ScenarioLinkRow.scenario_id == scenario_id))
        record(s, actor, "scenario.unlink", scenario_id, {}, scenario_id=scenario_id)
        return LinkRecord(scenario_id, None, None)

    def set_in(self, s: Session, scenario_id: int, previous: ScenarioRow, actor: Actor | None) -> LinkRecord:
        """Name ``previous`` as the scenario's previous period (audited)."""
        link = s.get(ScenarioLinkRow, scenario_id)
        if link is None:
            s.add(ScenarioLinkRow(scenario_id=scenario_id, previous_id=previous.id, updated_at=_now()))
        else:
            link.previous_id, link.updated_at = previous.id, _now()
        record(s, actor, "scenario.link", scenario_id, {"previous": previous.id}, scenario_id=scenario_id)
        return LinkRecord(scenario_id, previous.id, previous.published_revision_id)
