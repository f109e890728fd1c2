"""Periods in a row: naming a scenario's previous period, and carrying that period's published roster over.

Carrying stores the derived history (rest, consecutive days, fairness points, the pins continuing the night
across the boundary; ``oncall.boundary``) and the previous cover plan's pairs (``oncall.cover.continuity``)
as a new scenario version when it differs from the newest. Each is one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oncall.boundary import carry_over
from oncall.cover.continuity import carry_pairs
from oncall.errors import InvalidChange, NotFound
from oncall.i18n import Problem
from oncall.storage import Store
from oncall.storage.audit import Actor, record
from oncall.storage.links import LinkRecord, LinkStore
from oncall.storage.tables import ScenarioLinkRow, ScenarioRow

__all__ = ["CarryRecord", "carry_previous", "get_link", "link_previous"]


@dataclass(frozen=True)
class CarryRecord:
    """What ``carry_previous`` did: the version it stored (None when the history was already carried)."""

    previous_id: int
    revision_id: int
    version: int | None
    pins: int
    notes: list[str]


def get_link(store: Store, scenario_id: int) -> LinkRecord:
    """The scenario's previous period, if it names one."""
    return LinkStore(store).get(scenario_id)


def link_previous(store: Store, scenario_id: int, previous_id: int | None, actor: Actor | None = None) -> LinkRecord:
    """Name the scenario of the previous period (None removes the link); it must end the day before, in the
    same time zone (``InvalidChange`` otherwise)."""
    links = LinkStore(store)
    with store.db.transaction() as s:
        row = store.scenario_row(s, scenario_id)
        if previous_id is None:
            return links.remove_in(s, scenario_id, actor)
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
        zones = {store.scenario_in(s, r.id, r.version).timezone for r in (row, previous)}
        if len(zones) > 1:
            raise InvalidChange(Problem("link.zones", "previous", zones=", ".join(sorted(zones))))
        return links.set_in(s, scenario_id, previous, actor)


def carry_previous(store: Store, scenario_id: int, actor: Actor | None = None, lang: str = "ja") -> CarryRecord | None:
    """Carry the previous period's published roster into the scenario's newest version.

    Stores the derived history (and the pins continuing the night across the boundary, and the cover plan's
    pairs) as a new version when it differs from the newest; None when the scenario names no previous period
    or that one has no published roster yet.
    """
    with store.db.transaction() as s:
        row = store.scenario_row(s, scenario_id)
        link = s.get(ScenarioLinkRow, scenario_id)
        if link is None:
            return None
        previous = s.get_one(ScenarioRow, link.previous_id)
        if previous.published_revision_id is None:
            return None
        published, roster = store.roster_in(s, previous.published_revision_id)
        before = store.scenario_in(s, previous.id, published.scenario_version)
        current = store.scenario_in(s, scenario_id, row.version)
        carry = carry_over(before, roster, current)
        carried = carry_pairs(roster, carry.scenario)
        notes = [n.text(lang) for n in carry.notes]
        version = None
        if carried != current:
            version = store.store_version_in(s, scenario_id, row.version, carried).version
            detail = {
                "version": version,
                "previous": previous.id,
                "revision": published.id,
                "pins": len(carry.pins),
                "notes": notes,
            }
            record(s, actor, "scenario.carry", scenario_id, detail, scenario_id=scenario_id)
        return CarryRecord(previous.id, published.id, version, len(carry.pins), notes)
