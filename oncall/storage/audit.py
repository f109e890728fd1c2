"""The audit log: who changed what, when and why, written in the transaction of the change itself.

Every write of the repository and of the re-planning store calls :func:`record` inside its own
transaction, so a change and its entry are committed together or not at all. Actions are
``<kind>.<verb>``: ``scenario.create``, ``scenario.update``, ``scenario.add_absence``, ``scenario.carry``,
``scenario.link``, ``solve.request``, ``solve.cancel``, ``revision.create``, ``publication.create``,
``repair.request``, ``swap.propose``, ``swap.approve``, ``swap.refuse``, ``swap.withdraw``, ``swap.undo``;
``api_key.create``, ``api_key.revoke``; other packages add their own (``feed_token.issue``,
``feed_token.update``, ``feed_token.revoke``, ``feed_token.rotate``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall.storage.database import Database
from oncall.storage.tables import AuditRow

__all__ = ["Actor", "AuditEntry", "first_actor", "list_audit", "record"]


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an API key (its id, prefix and name), the command line, or the system itself."""

    name: str
    key_id: int | None = None

    @classmethod
    def of_key(cls, key_id: int, prefix: str, name: str) -> Actor:
        """An API key, shown as ``ock_1a2b3c4d (office)``.

        >>> Actor.of_key(3, "ock_1a2b3c4d", "office").name
        'ock_1a2b3c4d (office)'
        """
        return cls(f"{prefix} ({name})" if name else prefix, key_id)

    @classmethod
    def cli(cls) -> Actor:
        """The ``oncall`` command line."""
        return cls("cli")

    @classmethod
    def system(cls) -> Actor:
        """The server itself (a solve worker), or a caller that named nobody."""
        return cls("system")


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change."""

    id: int
    at: dt.datetime
    actor: str
    key_id: int | None
    action: str
    kind: str
    target: str
    scenario_id: int | None
    detail: dict[str, Any]
    reason: str | None


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    target: object,
    detail: Mapping[str, Any] | None = None,
    reason: str | None = None,
    *,
    scenario_id: int | None = None,
) -> None:
    """Add an entry for ``action`` on ``target`` to ``session``: it commits with the change it describes.

    ``action`` is ``<kind>.<verb>`` (``swap.approve``); ``detail`` is plain JSON data; ``reason`` the
    words of whoever asked for the change.
    """
    actor = actor or Actor.system()
    session.add(
        AuditRow(
            at=dt.datetime.now(dt.UTC),
            actor=actor.name[:200],
            key_id=actor.key_id,
            action=action[:64],
            kind=action.split(".", 1)[0][:32],
            target=str(target)[:64],
            scenario_id=scenario_id,
            detail=json.dumps(dict(detail or {}), ensure_ascii=False, default=str),
            reason=reason,
        )
    )


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.id,
        row.at,
        row.actor,
        row.key_id,
        row.action,
        row.kind,
        row.target,
        row.scenario_id,
        json.loads(row.detail),
        row.reason,
    )


def list_audit(
    db: Database,
    *,
    scenario_id: int | None = None,
    kind: str | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEntry]:
    """Entries matching every filter given, newest first; ``since`` inclusive, ``until`` exclusive."""
    query = select(AuditRow)
    if scenario_id is not None:
        query = query.where(AuditRow.scenario_id == scenario_id)
    if kind is not None:
        query = query.where(AuditRow.kind == kind)
    if action is not None:
        query = query.where(AuditRow.action == action)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if until is not None:
        query = query.where(AuditRow.at < until)
    query = query.order_by(AuditRow.id.desc()).limit(limit).offset(offset)
    with db.transaction() as s:
        return [_entry(r) for r in s.scalars(query)]


def first_actor(session: Session, action: str, target: object) -> Actor | None:
    """Who recorded ``action`` on ``target`` first (e.g. who asked for a solve whose worker stores a revision)."""
    row = session.scalar(
        select(AuditRow).where(AuditRow.action == action, AuditRow.target == str(target)).order_by(AuditRow.id)
    )
    return None if row is None else Actor(row.actor, row.key_id)
