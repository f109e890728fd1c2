"""The audit log: every change to scenarios, solves, revisions, publications, repairs and swaps (staff only)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from api.deps import StaffKey, StoreDep
from api.errors import ERROR_RESPONSES, InvalidRequest
from api.replan_schemas import AuditEntryView
from oncall.model import Scenario
from oncall.storage.audit import list_audit

router = APIRouter(tags=["audit"], responses=ERROR_RESPONSES)


# Kinds and actions are words and dots (`swap.approve`): nothing else can match, and a NUL would reach the database.
_WORD = r"^[A-Za-z0-9_.\-]*$"
# A time without an offset is office time: the networks are Japanese, like the scenarios' default zone.
OFFICE_ZONE = ZoneInfo(Scenario.model_fields["timezone"].default)


def _utc(name: str, value: dt.datetime | None) -> dt.datetime | None:
    """An instant in UTC; a value without an offset is read in Asia/Tokyo."""
    if value is None:
        return None
    try:
        return (value if value.tzinfo is not None else value.replace(tzinfo=OFFICE_ZONE)).astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise InvalidRequest(f"{name} is out of range", [(name, f"{value.isoformat()} is out of range")]) from None


@router.get("/audit", response_model=list[AuditEntryView])
def read_audit(
    _: StaffKey,
    store: StoreDep,
    scenario_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Only this scenario.")] = None,
    kind: Annotated[
        str | None,
        Query(max_length=32, pattern=_WORD, description="Only this kind: scenario, revision, publication, swap, …"),
    ] = None,
    action: Annotated[
        str | None, Query(max_length=64, pattern=_WORD, description="Only this action, e.g. `swap.approve`.")
    ] = None,
    since: Annotated[
        dt.datetime | None, Query(description="From this instant (inclusive; no offset: Asia/Tokyo).")
    ] = None,
    until: Annotated[dt.datetime | None, Query(description="Before this instant (no offset: Asia/Tokyo).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most entries to list.")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Entries to skip (newest first).")] = 0,
) -> list[AuditEntryView]:
    """Who changed what, when and why, newest first; every filter given must match."""
    entries = list_audit(
        store.db,
        scenario_id=scenario_id,
        kind=kind,
        action=action,
        since=_utc("since", since),
        until=_utc("until", until),
        limit=limit,
        offset=offset,
    )
    return [AuditEntryView.of(e) for e in entries]
