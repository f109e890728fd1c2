"""Imports of the office's spreadsheets, as the API and the office's pages both run them: a preview that
stores nothing (a clean one is kept under a token), then apply, refused when the scenario changed meanwhile.

The tokens live in the server's memory for TOKEN_SECONDS (a restart forgets them: preview again).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from oncall import importing
from oncall.errors import Conflict, NotFound
from oncall.storage import ScenarioRecord, Store
from oncall.storage.audit import Actor

__all__ = ["TOKEN_SECONDS", "ImportPreviews", "Pending", "apply_import", "preview_import"]

TOKEN_SECONDS = 3600
_MAX_TOKENS = 200


@dataclass(frozen=True)
class Pending:
    """A preview read against ``version`` of a scenario."""

    scenario_id: int
    version: int
    preview: importing.Preview
    created: float


class ImportPreviews:
    """Clean previews awaiting apply, by token; the oldest go first past _MAX_TOKENS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, Pending] = {}

    def add(self, pending: Pending) -> str:
        """Keep ``pending``; its new token."""
        token = secrets.token_urlsafe(18)
        with self._lock:
            now = time.monotonic()
            self._items = {t: p for t, p in self._items.items() if now - p.created < TOKEN_SECONDS}
            while len(self._items) >= _MAX_TOKENS:
                del self._items[next(iter(self._items))]
            self._items[token] = pending
        return token

    def get(self, token: str, scenario_id: int, kind: importing.ImportKind) -> Pending:
        """The preview kept under ``token`` for this scenario and kind; NotFound otherwise (or expired)."""
        with self._lock:
            pending = self._items.get(token)
        if (
            pending is None
            or pending.scenario_id != scenario_id
            or pending.preview.kind != kind
            or time.monotonic() - pending.created >= TOKEN_SECONDS
        ):
            raise NotFound("import preview with token", token[:8] + "…", field="token")
        return pending

    def drop(self, token: str) -> None:
        """Forget ``token`` (applied or discarded)."""
        with self._lock:
            self._items.pop(token, None)


def preview_import(
    store: Store, previews: ImportPreviews, scenario_id: int, kind: importing.ImportKind, data: bytes
) -> tuple[Pending, str | None]:
    """Read ``data`` against the newest scenario version; the preview, and a token when it is clean."""
    record, scenario = store.get_document(scenario_id)
    pending = Pending(scenario_id, record.version, importing.preview(kind, data, scenario), time.monotonic())
    return pending, previews.add(pending) if pending.preview.ok else None


def apply_import(
    store: Store,
    scenario_id: int,
    kind: importing.ImportKind,
    seen: int,
    preview: importing.Preview | bytes,
    actor: Actor | None,
) -> tuple[ScenarioRecord, importing.Preview]:
    """Store the import as the next version; Conflict when the scenario is no longer at version ``seen``.

    ``preview`` is a clean preview, or the file itself (read now against version ``seen``); a preview
    with problems is returned unstored (check ``preview.ok``), with the record as it is.
    """
    record, scenario = store.get_document(scenario_id)
    if record.version != seen:
        raise Conflict(f"scenario {scenario_id} is at version {record.version}, not {seen}: preview again", "version")
    if isinstance(preview, bytes):
        preview = importing.preview(kind, preview, scenario)
    if not preview.ok:
        return record, preview
    new = importing.apply(preview, scenario)
    return store.replace_scenario(scenario_id, new, seen, actor, f"import {kind}"), preview
