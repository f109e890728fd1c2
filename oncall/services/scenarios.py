"""Scenarios: create, read (a hospital key reads them without the doctors' personal data), replace, and edit
a physician's absences, wishes and unwishes. Every edit is a new version, validated as a whole scenario."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from oncall.errors import NotFound
from oncall.io import parse_scenario
from oncall.model import Physician, Scenario
from oncall.storage import EntryKind, ScenarioRecord, Store
from oncall.storage.audit import Actor

__all__ = [
    "add_entry",
    "change_scenario",
    "create_scenario",
    "read_physician",
    "read_scenario",
    "remove_entry",
    "replace_scenario",
]


def create_scenario(store: Store, scenario: Scenario, actor: Actor | None, reason: str | None = None) -> ScenarioRecord:
    """Store a new scenario as version 1."""
    return store.create_scenario(scenario, actor, reason)


def replace_scenario(
    store: Store, scenario_id: int, scenario: Scenario, version: int, actor: Actor | None, reason: str | None = None
) -> ScenarioRecord:
    """Store ``scenario`` as the next version; Conflict when ``version`` is no longer the newest."""
    return store.replace_scenario(scenario_id, scenario, version, actor, reason)


def change_scenario(
    store: Store,
    scenario_id: int,
    change: Callable[[dict[str, Any]], object],
    actor: Actor | None,
    reason: str | None = None,
) -> ScenarioRecord:
    """Apply ``change`` to the newest version's document (a plain dict), validate the whole scenario and store
    it as the next version; Conflict when another writer got in between, InvalidScenario when it is invalid."""
    record, scenario = store.get_document(scenario_id)
    document = scenario.model_dump(mode="json")
    change(document)
    return store.replace_scenario(scenario_id, parse_scenario(document), record.version, actor, reason)


def read_scenario(store: Store, scenario_id: int, personal: bool) -> tuple[ScenarioRecord, Scenario, list[str]]:
    """The scenario's newest version and the fields withheld from the reader: without ``personal`` (a hospital
    key), the doctors' personal data is left out (``oncall.privacy``)."""
    from oncall.privacy import HOSPITAL_WITHHELD, hospital_view

    record, scenario = store.get_document(scenario_id)
    if personal:
        return record, scenario, []
    return record, hospital_view(scenario), list(HOSPITAL_WITHHELD)


def read_physician(store: Store, scenario_id: int, physician_id: str) -> tuple[ScenarioRecord, Physician]:
    """One physician of the newest version; NotFound when the scenario names nobody with that id."""
    record, scenario = store.get_document(scenario_id)
    physician = next((p for p in scenario.physicians if p.id == physician_id), None)
    if physician is None:
        raise NotFound("physician", physician_id, field="physician_id")
    return record, physician


def _physician(document: dict[str, Any], physician_id: str) -> dict[str, Any]:
    found: dict[str, Any] | None = next((p for p in document["physicians"] if p["id"] == physician_id), None)
    if found is None:
        raise NotFound("physician", physician_id, field="physician_id")
    return found


def add_entry(
    store: Store,
    scenario_id: int,
    physician_id: str,
    kind: EntryKind,
    entry: BaseModel,
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> tuple[ScenarioRecord, int]:
    """Append an absence, wish or unwish to a physician; the new version and the entry's index."""

    def append(document: dict[str, Any]) -> tuple[Scenario, int, dict[str, Any]]:
        entries = _physician(document, physician_id)[kind]
        entries.append(entry.model_dump(mode="json"))
        index = len(entries) - 1
        # The whole scenario is validated again: an absence may break a cross-reference.
        detail = {"physician": physician_id, "index": index, "entry": entry.model_dump(mode="json")}
        return parse_scenario(document), index, detail

    reason = getattr(entry, "reason", None)
    return store.edit_document(scenario_id, append, expected_version, actor, f"add_{kind[:-1]}", reason)


def remove_entry(
    store: Store,
    scenario_id: int,
    physician_id: str,
    kind: EntryKind,
    index: int,
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> ScenarioRecord:
    """Remove the entry at ``index`` of a physician's absences, wishes or unwishes."""

    def remove(document: dict[str, Any]) -> tuple[Scenario, int, dict[str, Any]]:
        entries = _physician(document, physician_id)[kind]
        if not 0 <= index < len(entries):
            raise NotFound(f"{kind[:-1]} of physician {physician_id!r} at index", index, field="index")
        del entries[index]
        return parse_scenario(document), index, {"physician": physician_id, "index": index}

    return store.edit_document(scenario_id, remove, expected_version, actor, f"remove_{kind[:-1]}")[0]
