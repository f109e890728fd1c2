"""Calendar feed subscriptions, and the cached feeds built from the publication history.

A feed URL carries a secret token ``ocf_<8 hex>_<43 url-safe characters>``: the first part (the prefix)
names the subscription in listings and stays the same when the secret is rotated; only the sha256 of
the whole token is stored. :class:`FeedStore` issues, lists, revokes and rotates subscriptions and reads
the publications; the feeds themselves are answered by :class:`oncall.services.feeds.FeedService`.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import urllib.parse
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select, update

from oncall.errors import Conflict, InvalidInput, NotFound
from oncall.feeds import (
    FEED_KINDS,
    FeedKind,
    FeedTarget,
)
from oncall.model import Scenario
from oncall.storage.audit import Actor, record
from oncall.storage.database import Database
from oncall.storage.keys import hash_token, token_matches
from oncall.storage.tables import FeedTokenRow, PublicationRow, RevisionRow, ScenarioRow, ScenarioVersionRow

__all__ = [
    "FEED_TOKEN_PREFIX",
    "FeedRecord",
    "FeedStore",
    "StoredPublication",
    "feed_token_prefix",
    "mask_feed_secrets",
    "new_feed_token",
]

FEED_TOKEN_PREFIX = "ocf_"
_TOKEN = re.compile(r"^(ocf_[0-9a-f]{8})_[A-Za-z0-9_\-]{43}$")
_PREFIX_ANYWHERE = re.compile(r"ocf_[0-9a-f]{8}", re.IGNORECASE)
_PATH_AND_QUERY = re.compile(r'[^\s"?]+(\?[^\s"]*)?')  # a request target in a log line, up to a space or quote
_DECODINGS = 8  # percent-encoding nested deeper than this is masked whole
_LANGS = ("ja", "en")
_ALARM_ONLY_PHYSICIAN = "reminders are only for physician feeds"


def _check_lang(lang: object) -> None:
    if lang not in _LANGS:
        raise InvalidInput("lang", f"must be one of {_LANGS}, not {lang!r}")


def _clean_name(name: str) -> str:
    """A feed's name as stored: no NUL (PostgreSQL refuses it), at most 200 characters."""
    return name.replace("\x00", "\ufffd")[:200]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_feed_token(prefix: str | None = None) -> tuple[str, str]:
    """A fresh ``(prefix, token)``; with ``prefix``, a new secret under the same prefix (rotation)."""
    prefix = prefix or f"{FEED_TOKEN_PREFIX}{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def feed_token_prefix(token: str) -> str | None:
    """The prefix of a well-formed feed token, None for anything else.

    >>> feed_token_prefix("ocf_0123abcd_" + "x" * 43)
    'ocf_0123abcd'
    >>> feed_token_prefix("ock_0123abcd_" + "x" * 43) is None
    True
    """
    m = _TOKEN.match(token)
    return m.group(1) if m else None


def _decoded(text: str) -> str | None:
    """``text`` percent-decoded until nothing changes; None if it still changes after a few rounds."""
    for _ in range(_DECODINGS):
        once = urllib.parse.unquote(text)
        if once == text:
            return text
        text = once
    return None


def _masked(text: str) -> str | None:
    """``text`` decoded and cut after the first feed prefix in it (``ocf_<8 hex>_…``); None without one.

    What comes before the prefix is encoded again, so that a decoded line break cannot forge a log line.
    """
    decoded = _decoded(text)
    if decoded is None:
        return "…"
    found = _PREFIX_ANYWHERE.search(decoded)
    if found is None:
        return None
    return urllib.parse.quote(decoded[: found.start()], safe="/:@!$'()*+,;=-._~") + found.group(0).lower() + "_…"


def _mask_target(m: re.Match[str]) -> str:
    path, mark, query = m.group(0).partition("?")
    masked = _masked(path)
    if masked is not None:  # the secret follows the prefix: nothing after it in the path is shown
        path = masked + (".ics" if path.lower().endswith(".ics") and masked != "…" else "")
    items = [item if (hidden := _masked(item)) is None else hidden for item in query.split("&")] if query else []
    return path + mark + "&".join(items)


def mask_feed_secrets(text: str) -> str:
    """``text`` (a log line, or one of its arguments) with every feed secret masked, however encoded.

    A request target is percent-decoded (repeatedly) before it is searched for a feed token's prefix;
    from the prefix on, the path is shown as ``ocf_<8 hex>_…`` (with ``.ics`` if it ends so), and so is
    any query item holding a prefix. Text without a prefix stays byte for byte as it was.

    >>> mask_feed_secrets("/ical/ocf_0123abcd%5Fs3cr3t.ics?lang=en")
    '/ical/ocf_0123abcd_….ics?lang=en'
    >>> mask_feed_secrets("/scenarios/1?limit=5")
    '/scenarios/1?limit=5'
    """
    if "%" not in text and _PREFIX_ANYWHERE.search(text) is None:
        return text
    return _PATH_AND_QUERY.sub(_mask_target, text)


@dataclass(frozen=True)
class FeedRecord:
    """A feed subscription as listed: never the token."""

    id: int
    prefix: str
    kind: FeedKind
    target: str | None  # physician, hospital or district id; None for the network
    scenario_id: int | None  # only this scenario's rosters; None: every scenario
    lang: str
    alarm_minutes: int | None
    name: str
    created_at: dt.datetime
    rotated_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @property
    def feed_target(self) -> FeedTarget:
        """What the feed shows."""
        return FeedTarget(self.kind, self.target, self.scenario_id)


def _record(row: Any) -> FeedRecord:
    kind: FeedKind = next(k for k in FEED_KINDS if k == row.kind)
    return FeedRecord(
        row.id,
        row.prefix,
        kind,
        row.target,
        row.scenario_id,
        row.lang,
        row.alarm_minutes,
        row.name,
        row.created_at,
        row.rotated_at,
        row.revoked_at,
        row.last_used_at,
    )


@dataclass(frozen=True)
class StoredPublication:
    """A publication with its roster JSON and the scenario version the roster was made for."""

    id: int
    scenario_id: int
    revision_id: int
    scenario_version: int
    published_at: dt.datetime
    roster: str


_FEEDS = FeedTokenRow.__table__


class FeedStore:
    """Reads and writes of feed subscriptions, and the publication history they are built from."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def targets(self, kind: FeedKind, scenario_id: int | None = None) -> set[str]:
        """Ids a feed of ``kind`` may name: in the newest version of the scenario (or of any scenario)."""
        with self.db.transaction() as s:
            newest = (ScenarioRow.id == ScenarioVersionRow.scenario_id) & (
                ScenarioRow.version == ScenarioVersionRow.version
            )
            query = select(ScenarioVersionRow.document).join(ScenarioRow, newest)
            if scenario_id is not None:
                if s.get(ScenarioRow, scenario_id) is None:
                    raise NotFound("scenario", scenario_id, field="scenario_id")
                query = query.where(ScenarioRow.id == scenario_id)
            documents = list(s.scalars(query))
        out: set[str] = set()
        for text in documents:
            scenario = Scenario.model_validate_json(text)
            if kind == "physician":
                out |= {p.id for p in scenario.physicians}
            elif kind == "hospital":
                out |= {h.id for h in scenario.hospitals}
            elif kind == "district":
                out |= {d.id for d in scenario.districts}
        return out

    def problem(
        self, kind: FeedKind, target: str | None, scenario_id: int | None, alarm_minutes: int | None
    ) -> tuple[str, str] | None:
        """What is wrong with a feed request, as ``(field, problem)``; None when it can be issued.

        A ``scenario_id`` that names no scenario raises ``NotFound`` (field ``scenario_id``), for every kind.
        """
        if scenario_id is not None:
            with self.db.transaction() as s:
                if s.get(ScenarioRow, scenario_id) is None:
                    raise NotFound("scenario", scenario_id, field="scenario_id")
        if kind != "physician" and alarm_minutes is not None:
            return "alarm_minutes", _ALARM_ONLY_PHYSICIAN
        if kind == "network":
            return None if target is None else ("target", "a network feed names no target")
        if target is None:
            return "target", f"a {kind} feed needs the {kind}'s id"
        if target not in self.targets(kind, scenario_id):
            where = f"scenario {scenario_id}" if scenario_id is not None else "any scenario"
            return "target", f"no {kind} {target!r} in {where}"
        return None

    def issue(
        self,
        kind: FeedKind,
        target: str | None,
        *,
        scenario_id: int | None = None,
        lang: str = "ja",
        alarm_minutes: int | None = None,
        name: str = "",
        key_id: int | None = None,
        actor: Actor | None = None,
    ) -> tuple[FeedRecord, str]:
        """A new subscription and its token; the token is not stored and cannot be shown again.

        The target is taken as given: :meth:`problem` says whether it is one the scenarios know.
        """
        _check_lang(lang)
        prefix, token = new_feed_token()
        with self.db.transaction() as s:
            row = FeedTokenRow(
                prefix=prefix,
                token_hash=hash_token(token),
                kind=kind,
                target=None if kind == "network" else target,
                scenario_id=scenario_id,
                lang=lang,
                alarm_minutes=alarm_minutes,
                name=_clean_name(name),
                key_id=key_id,
                created_at=_now(),
            )
            s.add(row)
            s.flush()
            detail = {
                "kind": kind,
                "target": row.target,
                "lang": lang,
                "alarm_minutes": alarm_minutes,
                "name": row.name,
            }
            record(s, actor, "feed_token.issue", prefix, detail, scenario_id=scenario_id)
            return _record(row), token

    def list_feeds(self) -> list[FeedRecord]:
        """Every subscription, oldest first."""
        with self.db.transaction() as s:
            return [_record(r) for r in s.scalars(select(FeedTokenRow).order_by(FeedTokenRow.id))]

    def get(self, prefix: str) -> FeedRecord:
        """The subscription with this prefix."""
        with self.db.transaction() as s:
            return _record(self._row(s, prefix))

    def revoke(self, prefix: str, actor: Actor | None = None) -> FeedRecord:
        """Revoke the subscription (idempotent): its URL answers 404 from now on."""
        with self.db.transaction() as s:
            row = self._row(s, prefix)
            if row.revoked_at is None:
                row.revoked_at = _now()
                record(s, actor, "feed_token.revoke", prefix, {"kind": row.kind, "target": row.target})
            return _record(row)

    def rotate(self, prefix: str, actor: Actor | None = None) -> tuple[FeedRecord, str]:
        """A new secret for the subscription: the old URL answers 404, the new one shows the same feed."""
        with self.db.transaction() as s:
            row = self._row(s, prefix)
            if row.revoked_at is not None:
                raise Conflict(f"feed {prefix} is revoked: issue a new one", field="prefix")
            _, token = new_feed_token(prefix)
            row.token_hash = hash_token(token)
            row.rotated_at = _now()
            record(s, actor, "feed_token.rotate", prefix, {"kind": row.kind, "target": row.target})
            return _record(row), token

    def update(
        self, prefix: str, changes: dict[str, Any], actor: Actor | None = None
    ) -> tuple[FeedRecord, dict[str, Any]]:
        """Change a subscription's language, reminder or name, keeping its URL (a phone that subscribed
        needs nothing new; the next read shows the change). ``changes`` holds only the fields to change
        (``alarm_minutes`` None removes the reminder). Returns the record and what actually changed.
        """
        unknown = sorted(set(changes) - {"lang", "alarm_minutes", "name"})
        if unknown:
            raise InvalidInput(unknown[0], "cannot be changed (only lang, alarm_minutes and name)")
        if "lang" in changes:
            _check_lang(changes["lang"])
        with self.db.transaction() as s:
            row = self._row(s, prefix)
            if row.revoked_at is not None:
                raise Conflict(f"feed {prefix} is revoked: issue a new one", field="prefix")
            if row.kind != "physician" and changes.get("alarm_minutes") is not None:
                raise InvalidInput("alarm_minutes", _ALARM_ONLY_PHYSICIAN)
            if "name" in changes:
                changes = {**changes, "name": _clean_name(str(changes["name"]))}
            changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
            for key, value in changed.items():
                setattr(row, key, value)
            if changed:
                record(s, actor, "feed_token.update", prefix, {"kind": row.kind, "target": row.target, **changed})
            return _record(row), changed

    def _row(self, s: Any, prefix: str) -> FeedTokenRow:
        row: FeedTokenRow | None = s.scalar(select(FeedTokenRow).where(FeedTokenRow.prefix == prefix))
        if row is None:
            raise NotFound("feed", prefix, field="prefix")
        return row

    def lookup(self, token: str) -> tuple[FeedRecord | None, tuple[int, int]]:
        """The live subscription of ``token`` (None when unknown, malformed or revoked) and the state of
        the publication log, ``(count, newest id)``, in one round trip."""
        prefix = feed_token_prefix(token) or ""  # a malformed token is looked up in vain, like an unknown one
        count = select(func.count(PublicationRow.id)).scalar_subquery()
        newest = select(func.coalesce(func.max(PublicationRow.id), 0)).scalar_subquery()
        with self.db.engine.connect() as c:
            found = c.execute(select(_FEEDS, count, newest).where(_FEEDS.c.prefix == prefix)).first()
            if found is None:
                n, last = c.execute(select(count, newest)).one()
                return None, (int(n), int(last))
        *columns, n, last = found
        row = SimpleNamespace(**dict(zip(_FEEDS.c.keys(), columns, strict=True)))
        if row.revoked_at is not None or not token_matches(token, row.token_hash):
            return None, (int(n), int(last))
        return _record(row), (int(n), int(last))

    def touch(self, feed_id: int, when: dt.datetime) -> None:
        """Record that the feed was read at ``when``."""
        with self.db.transaction() as s:
            s.execute(update(FeedTokenRow).where(FeedTokenRow.id == feed_id).values(last_used_at=when))

    def publication_ids(self) -> list[tuple[int, int]]:
        """``(publication id, scenario id)`` of every publication, in order."""
        with self.db.engine.connect() as c:
            rows = c.execute(select(PublicationRow.id, PublicationRow.scenario_id).order_by(PublicationRow.id))
            return [(int(i), int(s)) for i, s in rows]

    def publications(self, ids: list[int]) -> list[StoredPublication]:
        """The publications with these ids, in order, with their rosters."""
        if not ids:
            return []
        with self.db.engine.connect() as c:
            rows = c.execute(
                select(
                    PublicationRow.id,
                    PublicationRow.scenario_id,
                    PublicationRow.revision_id,
                    RevisionRow.scenario_version,
                    PublicationRow.published_at,
                    RevisionRow.roster,
                )
                .join(RevisionRow, RevisionRow.id == PublicationRow.revision_id)
                .where(PublicationRow.id.in_(ids))
                .order_by(PublicationRow.id)
            )
            return [StoredPublication(*row) for row in rows]

    def document(self, scenario_id: int, version: int) -> str:
        """A scenario version's document."""
        with self.db.engine.connect() as c:
            text = c.scalar(
                select(ScenarioVersionRow.document).where(
                    ScenarioVersionRow.scenario_id == scenario_id, ScenarioVersionRow.version == version
                )
            )
        if text is None:
            raise NotFound(f"version of scenario {scenario_id}", version, field="version")
        return str(text)
