"""Networks (tenants) and the isolation of their data, enforced once for every store.

A store opened on ``db.for_network(id)`` sees only that network: every ORM statement its sessions run
(SELECT, UPDATE, DELETE, ``Session.get``) is given the criterion of its network, on the tables that name
their network (``network_id``) and on those that belong to one through their scenario. A row of another
network is then simply absent, so a service asked for it raises ``NotFound`` (404), exactly as for an id
that does not exist. New rows take the network of the session; a store that is not scoped (the job
runner, the CLI's admin commands) gives a new row the network of its scenario, of the other new row it
belongs with, or of the only network there is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from oncall.errors import Conflict, InvalidInput, NotFound
from oncall.storage.base import Table, _now
from oncall.storage.database import stored_text
from oncall.storage.tables import (
    ApiKeyRow,
    AuditRow,
    CollectionDeadlineRow,
    FeedTokenRow,
    ImportPreviewRow,
    JobRow,
    NetworkRow,
    PersonalLinkRow,
    PublicationRow,
    RepairRow,
    RevisionRow,
    ScenarioLinkRow,
    ScenarioRow,
    ScenarioVersionRow,
    StaffUserRow,
    SwapRow,
    WebSessionRow,
)

__all__ = ["BY_SCENARIO", "NETWORK_KEY", "OWNED", "NetworkRecord", "NetworkStore", "network_of"]

NETWORK_KEY = "network_id"  # the key of a scoped session's ``info``
OWNED: tuple[Any, ...] = (ScenarioRow, ApiKeyRow, FeedTokenRow, AuditRow, StaffUserRow, PersonalLinkRow)
BY_SCENARIO: tuple[Any, ...] = (
    ScenarioVersionRow,
    JobRow,
    RevisionRow,
    PublicationRow,
    RepairRow,
    SwapRow,
    ScenarioLinkRow,
    CollectionDeadlineRow,
    ImportPreviewRow,
)
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


@dataclass(frozen=True)
class NetworkRecord:
    """A network as listed."""

    id: int
    slug: str
    name: str
    created_at: dt.datetime


def _network(row: NetworkRow) -> NetworkRecord:
    return NetworkRecord(row.id, row.slug, row.name, row.created_at)


class NetworkStore(Table):
    """The ``networks`` table (an administrator's: never scoped)."""

    def create_network(self, slug: str, name: str) -> NetworkRecord:
        """A new network; InvalidInput for a malformed slug, Conflict for one already taken."""
        if not SLUG.fullmatch(slug):
            raise InvalidInput("slug", "1–64 lower-case letters, digits and '-', starting with a letter or digit")
        name = stored_text("name", name.strip() or slug)
        with self.db.transaction() as s:
            if s.scalar(select(NetworkRow.id).where(NetworkRow.slug == slug)) is not None:
                raise Conflict(f"a network with the slug {slug!r} exists already", "slug")
            row = NetworkRow(slug=slug, name=name, created_at=_now())
            s.add(row)
            s.flush()
            return _network(row)

    def list_networks(self) -> list[NetworkRecord]:
        """Every network, oldest first."""
        with self.db.transaction() as s:
            return [_network(r) for r in s.scalars(select(NetworkRow).order_by(NetworkRow.id))]

    def get_network(self, network_id: int) -> NetworkRecord:
        """The network with this id; NotFound otherwise."""
        with self.db.transaction() as s:
            row = s.get(NetworkRow, network_id)
            if row is None:
                raise NotFound("network", network_id)
            return _network(row)

    def resolve_network(self, slug: str | None, field: str = "--network") -> NetworkRecord:
        """The network named by ``slug``; without one, the only network (InvalidInput when there are
        several, naming them, or when ``slug`` is unknown)."""
        networks = self.list_networks()
        if slug is None:
            if len(networks) == 1:
                return networks[0]
            known = ", ".join(n.slug for n in networks) or "none"
            raise InvalidInput(field, f"name the network: this database holds several ({known})")
        for network in networks:
            if network.slug == slug:
                return network
        known = ", ".join(n.slug for n in networks) or "none"
        raise InvalidInput(field, f"no network with the slug {slug!r} (known: {known})")


def network_of(session: Session) -> int | None:
    """The network a session is scoped to, or None."""
    value = session.info.get(NETWORK_KEY)
    return int(value) if value is not None else None


def _criteria(network_id: int) -> list[Any]:
    scenarios = select(ScenarioRow.id).where(ScenarioRow.network_id == network_id)
    users = select(StaffUserRow.id).where(StaffUserRow.network_id == network_id)
    links = select(PersonalLinkRow.id).where(PersonalLinkRow.network_id == network_id)
    options: list[Any] = [
        with_loader_criteria(cls, cls.network_id == network_id, include_aliases=True) for cls in OWNED
    ]
    options += [with_loader_criteria(cls, cls.scenario_id.in_(scenarios), include_aliases=True) for cls in BY_SCENARIO]
    options.append(
        with_loader_criteria(
            WebSessionRow,
            or_(WebSessionRow.user_id.in_(users), WebSessionRow.link_id.in_(links)),
            include_aliases=True,
        )
    )
    return options


@event.listens_for(Session, "do_orm_execute")
def _only_the_network(state: ORMExecuteState) -> None:
    network_id = network_of(state.session)
    if network_id is None or state.is_column_load or state.is_relationship_load:
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*_criteria(network_id))


def _owner(session: Session, row: Any, new: list[Any]) -> int:
    scoped = network_of(session)
    if scoped is not None:
        return scoped
    scenario_id = getattr(row, "scenario_id", None)
    if scenario_id is not None:
        found = session.scalar(select(ScenarioRow.network_id).where(ScenarioRow.id == scenario_id))
        if found is not None:
            return int(found)
    # An audit entry written with the key, account or link it describes belongs where that row does.
    for other in new:
        if other is not row and isinstance(other, OWNED) and getattr(other, "network_id", None) is not None:
            return int(other.network_id)
    if isinstance(row, AuditRow) and row.key_id is not None:
        found = session.scalar(select(ApiKeyRow.network_id).where(ApiKeyRow.id == row.key_id))
        if found is not None:
            return int(found)
    ids = list(session.scalars(select(NetworkRow.id).order_by(NetworkRow.id).limit(2)))
    if len(ids) == 1:
        return int(ids[0])
    count = session.scalar(select(func.count(NetworkRow.id)))
    raise InvalidInput("network", f"name the network: this database holds {count} networks")


@event.listens_for(Session, "before_flush")
def _new_rows_join_a_network(session: Session, _context: Any, _instances: Any) -> None:
    new = list(session.new)
    # Rows that name their network explicitly first, so that their audit entries can follow them.
    for row in sorted(new, key=lambda r: isinstance(r, AuditRow)):
        if isinstance(row, OWNED) and getattr(row, "network_id", None) is None:
            row.network_id = _owner(session, row, new)
        elif isinstance(row, ScenarioRow | ApiKeyRow | StaffUserRow | PersonalLinkRow | FeedTokenRow):
            scoped = network_of(session)
            if scoped is not None and row.network_id != scoped:
                raise InvalidInput("network", "a row cannot be written into another network")
