"""Imports of the office's spreadsheets, as the API and the office's pages both run them: a preview that
stores nothing of the scenario (a clean one is kept under a token), then apply, refused when the scenario
changed meanwhile.

A clean preview's file is kept in the database (``import_previews``) for TOKEN_SECONDS under the sha256 of
its token, so that any API process can apply what another previewed; apply reads it again against the
scenario version previewed, which gives the same preview (reading is a function of the file and the
version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select

from oncall import importing
from oncall.errors import Conflict, NotFound
from oncall.model import Scenario
from oncall.storage import Database, ScenarioRecord, Store
from oncall.storage.audit import Actor
from oncall.storage.scenarios import read_document
from oncall.storage.tables import ImportPreviewRow

__all__ = ["TOKEN_SECONDS", "ImportPreviews", "Pending", "apply_import", "preview_import"]

TOKEN_SECONDS = 3600
_MAX_TOKENS = 200  # per scenario: the oldest go first


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Pending:
    """A preview read against ``version`` of a scenario."""

    scenario_id: int
    version: int
    preview: importing.Preview
    created: dt.datetime


class ImportPreviews:
    """Clean previews awaiting apply, by token, in the database; the oldest go first past _MAX_TOKENS."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, pending: Pending, data: bytes) -> str:
        """Keep ``pending`` (read from ``data``); its new token."""
        token = secrets.token_urlsafe(18)
        now = _now()
        with self.db.transaction() as s:
            s.execute(
                delete(ImportPreviewRow).where(ImportPreviewRow.created_at < now - dt.timedelta(seconds=TOKEN_SECONDS))
            )
            kept = list(
                s.scalars(
                    select(ImportPreviewRow.id)
                    .where(ImportPreviewRow.scenario_id == pending.scenario_id)
                    .order_by(ImportPreviewRow.id.desc())
                    .offset(_MAX_TOKENS - 1)
                )
            )
            if kept:
                s.execute(delete(ImportPreviewRow).where(ImportPreviewRow.id.in_(kept)))
            s.add(
                ImportPreviewRow(
                    token_hash=_digest(token),
                    scenario_id=pending.scenario_id,
                    version=pending.version,
                    kind=pending.preview.kind,
                    data=data,
                    created_at=now,
                )
            )
        return token

    def get(self, token: str, scenario_id: int, kind: importing.ImportKind) -> Pending:
        """The preview kept under ``token`` for this scenario and kind; NotFound otherwise (or expired)."""
        with self.db.transaction() as s:
            row = s.scalar(select(ImportPreviewRow).where(ImportPreviewRow.token_hash == _digest(token)))
            fresh = row is not None and _now() - row.created_at < dt.timedelta(seconds=TOKEN_SECONDS)
            if row is None or not fresh or row.scenario_id != scenario_id or row.kind != kind:
                raise NotFound("import preview with token", token[:8] + "…", field="token")
            document = read_document(s, row.scenario_id, row.version)
            version, data, created = row.version, row.data, row.created_at
        preview = importing.preview(kind, data, Scenario.model_validate_json(document))
        return Pending(scenario_id, version, preview, created)

    def drop(self, token: str) -> None:
        """Forget ``token`` (applied or discarded)."""
        with self.db.transaction() as s:
            s.execute(delete(ImportPreviewRow).where(ImportPreviewRow.token_hash == _digest(token)))


def preview_import(
    store: Store, previews: ImportPreviews, scenario_id: int, kind: importing.ImportKind, data: bytes
) -> tuple[Pending, str | None]:
    """Read ``data`` against the newest scenario version; the preview, and a token when it is clean."""
    record, scenario = store.get_document(scenario_id)
    pending = Pending(scenario_id, record.version, importing.preview(kind, data, scenario), _now())
    return pending, previews.add(pending, data) if pending.preview.ok else None


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
