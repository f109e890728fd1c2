"""API keys: created with a token shown once, authenticated by prefix and hash, revoked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from oncall.errors import NotFound
from oncall.storage.audit import Actor, record
from oncall.storage.base import Table, _now
from oncall.storage.database import stored_text
from oncall.storage.keys import KeyRole, hash_token, new_token, token_matches, token_prefix
from oncall.storage.tables import ApiKeyRow

__all__ = ["KeyRecord", "KeyStore"]


@dataclass(frozen=True)
class KeyRecord:
    """An API key as listed: never the token."""

    id: int
    prefix: str
    role: KeyRole
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


def _key(row: ApiKeyRow) -> KeyRecord:
    role: KeyRole = "staff" if row.role == "staff" else "hospital"
    return KeyRecord(row.id, row.prefix, role, row.name, row.created_at, row.revoked_at)


class KeyStore(Table):
    """The ``api_keys`` table."""

    def create_key(self, role: KeyRole, name: str = "", actor: Actor | None = None) -> tuple[KeyRecord, str]:
        """A new key and its token; the token is not stored and cannot be shown again."""
        name = stored_text("name", name)
        prefix, token = new_token()
        with self.db.transaction() as s:
            row = ApiKeyRow(prefix=prefix, token_hash=hash_token(token), role=role, name=name, created_at=_now())
            s.add(row)
            s.flush()
            record(s, actor, "api_key.create", prefix, {"role": role, "name": name})
            return _key(row), token

    def authenticate(self, token: str) -> KeyRecord | None:
        """The live key a bearer token belongs to, or None."""
        prefix = token_prefix(token)
        if prefix is None:
            return None
        with self.db.transaction() as s:
            row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
            if row is None or row.revoked_at is not None or not token_matches(token, row.token_hash):
                return None
            return _key(row)

    def list_keys(self) -> list[KeyRecord]:
        """Every key, oldest first."""
        with self.db.transaction() as s:
            return [_key(r) for r in s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))]

    def revoke_key(self, prefix: str, actor: Actor | None = None) -> KeyRecord:
        """Revoke the key with ``prefix`` (idempotent)."""
        with self.db.transaction() as s:
            row = s.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
            if row is None:
                raise NotFound("API key", prefix, field="prefix")
            if row.revoked_at is None:
                row.revoked_at = _now()
                record(s, actor, "api_key.revoke", prefix, {"role": row.role, "name": row.name})
            return _key(row)
