"""The monthly collection: a physician's absences, wishes and unwishes, entered by the office or by the
physician until the scenario's collection deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ValidationError

from oncall.errors import Conflict, InvalidScenario
from oncall.io import messages_of
from oncall.model import Absence, Request
from oncall.services import scenarios
from oncall.storage import EntryKind, ScenarioRecord, Store
from oncall.storage.audit import Actor
from oncall.storage.web import WebStore

__all__ = ["ENTRY_MODELS", "CollectionClosed", "add_entry", "collection_open"]

ENTRY_MODELS: dict[EntryKind, type[BaseModel]] = {"absences": Absence, "wishes": Request, "unwishes": Request}


class CollectionClosed(Conflict):
    """The scenario's collection deadline has passed (or none is set): physicians may only read."""


def collection_open(web: WebStore, scenario_id: int, now: dt.datetime | None = None) -> bool:
    """Whether physicians may still enter requests for the scenario: a deadline is set and not passed."""
    deadline = web.deadline(scenario_id)
    return deadline is not None and (now or dt.datetime.now(dt.UTC)) < deadline


def add_entry(
    store: Store,
    scenario_id: int,
    physician_id: str,
    kind: EntryKind,
    fields: dict[str, Any],
    actor: Actor | None,
    version: int | None = None,
) -> tuple[ScenarioRecord, int]:
    """Validate one entry as the API does (its fields, then the whole scenario) and store it."""
    clean = {k: v for k, v in fields.items() if v not in (None, "")}
    try:
        entry = ENTRY_MODELS[kind].model_validate(clean)
    except ValidationError as exc:
        raise InvalidScenario([m.source(kind) for m in messages_of(exc.errors())]) from None
    return scenarios.add_entry(store, scenario_id, physician_id, kind, entry, version, actor)
