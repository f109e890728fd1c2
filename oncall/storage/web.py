"""Who may use the web pages: staff accounts, browser sessions, personal links, collection deadlines.

Passwords are kept only as argon2 hashes (argon2-cffi); an account is locked for ``LOCK_MINUTES``
after ``MAX_FAILURES`` wrong passwords in a row. A browser session is a random cookie of which only the
sha256 is kept, with its own CSRF token. A physician or a hospital reaches their page through a personal
link ``/my/<token>``: the token (``ocl_<8 hex>_<43 characters>``) is shown once, stored as its sha256,
and can be rotated (a new secret, the old one dead) or revoked, like a calendar feed's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from oncall.errors import Conflict, NotFound
from oncall.storage.audit import Actor, record
from oncall.storage.database import Database
from oncall.storage.keys import hash_token, token_matches
from oncall.storage.tables import (
    CollectionDeadlineRow,
    PersonalLinkRow,
    ScenarioRow,
    StaffUserRow,
    WebSessionRow,
)

__all__ = [
    "LINK_KINDS",
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "SESSION_HOURS",
    "LinkKind",
    "LinkRecord",
    "SignIn",
    "UserRecord",
    "WebSession",
    "WebStore",
]

LinkKind = Literal["physician", "hospital"]
LINK_KINDS: tuple[LinkKind, LinkKind] = ("physician", "hospital")
MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_HOURS = 12
_LINK = re.compile(r"^(ocl_[0-9a-f]{8})_[A-Za-z0-9_\-]{43}$")
_hasher = PasswordHasher()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class UserRecord:
    """A staff account (never its password)."""

    id: int
    name: str
    created_at: dt.datetime
    locked_until: dt.datetime | None


@dataclass(frozen=True)
class LinkRecord:
    """A personal link (never its token)."""

    id: int
    prefix: str
    kind: LinkKind
    subject: str
    name: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class WebSession:
    """A live browser session: a staff account or a personal link, and the CSRF token of its forms."""

    id: int
    csrf_token: str
    user: UserRecord | None
    link: LinkRecord | None
    network_id: int  # the network of its account or link: what the pages may show


SignIn = Literal["ok", "wrong", "locked"]


def _user(row: StaffUserRow) -> UserRecord:
    return UserRecord(row.id, row.name, row.created_at, row.locked_until)


def _link(row: PersonalLinkRow) -> LinkRecord:
    kind: LinkKind = "hospital" if row.kind == "hospital" else "physician"
    return LinkRecord(row.id, row.prefix, kind, row.subject, row.name, row.created_at, row.revoked_at)


def _new_link_token() -> tuple[str, str]:
    prefix = f"ocl_{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def link_prefix(token: str) -> str | None:
    """The prefix of a well-formed link token, None for anything else.

    >>> link_prefix("ocl_0123abcd_" + "x" * 43)
    'ocl_0123abcd'
    >>> link_prefix("ock_0123abcd_" + "x" * 43) is None
    True
    """
    m = _LINK.match(token)
    return m.group(1) if m else None


class WebStore:
    """Reads and writes of the web pages' own tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- staff accounts -------------------------------------------------------------------------

    def create_user(self, name: str, password: str, actor: Actor | None = None) -> UserRecord:
        """A new staff account; ``Conflict`` when the name is taken."""
        with self.db.transaction() as s:
            if s.scalar(select(StaffUserRow.id).where(StaffUserRow.name == name)) is not None:
                raise Conflict(f"a staff account named {name!r} exists already", field="--name")
            row = StaffUserRow(name=name, password_hash=_hasher.hash(password), failed_logins=0, created_at=_now())
            s.add(row)
            s.flush()
            record(s, actor, "staff_user.create", row.id, {"name": name})
            return _user(row)

    def has_users(self) -> bool:
        """Whether any staff account exists (the first one may be made in the browser, see the pages)."""
        with self.db.transaction() as s:
            return s.scalar(select(StaffUserRow.id).limit(1)) is not None

    def create_first_user(self, name: str, password: str, actor: Actor | None = None) -> UserRecord | None:
        """The first staff account, or None when one exists already (then nothing is stored)."""
        with self.db.transaction() as s:
            if self.db.dialect == "postgresql":
                s.execute(text("LOCK TABLE staff_users IN EXCLUSIVE MODE"))  # two first accounts at once
            if s.scalar(select(StaffUserRow.id).limit(1)) is not None:
                return None
            row = StaffUserRow(name=name, password_hash=_hasher.hash(password), failed_logins=0, created_at=_now())
            s.add(row)
            s.flush()
            record(s, actor, "staff_user.create", row.id, {"name": name, "first": True})
            return _user(row)

    def sign_in(self, name: str, password: str, now: dt.datetime | None = None) -> tuple[SignIn, UserRecord | None]:
        """Check a password: ``ok`` with the account, ``wrong`` (unknown name too), or ``locked``."""
        now = now or _now()
        with self.db.transaction() as s:
            row = s.scalar(select(StaffUserRow).where(StaffUserRow.name == name))
            if row is None or row.disabled_at is not None:
                _hasher.hash(password)  # the same work as for a known name: timing tells nothing
                return "wrong", None
            if row.locked_until is not None and row.locked_until > now:
                return "locked", _user(row)
            try:
                _hasher.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                row.failed_logins += 1
                if row.failed_logins >= MAX_FAILURES:
                    row.failed_logins = 0
                    row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    record(s, Actor(row.name), "staff_user.lock", row.id, {"minutes": LOCK_MINUTES})
                    return "locked", _user(row)
                return "wrong", _user(row)
            row.failed_logins, row.locked_until = 0, None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            return "ok", _user(row)

    # --- personal links -------------------------------------------------------------------------

    def issue_link(
        self, kind: LinkKind, subject: str, name: str = "", actor: Actor | None = None
    ) -> tuple[LinkRecord, str]:
        """A new personal link for a physician or hospital id, and its token (shown once)."""
        prefix, token = _new_link_token()
        with self.db.transaction() as s:
            row = PersonalLinkRow(
                prefix=prefix, token_hash=hash_token(token), kind=kind, subject=subject, name=name, created_at=_now()
            )
            s.add(row)
            s.flush()
            record(s, actor, "personal_link.issue", prefix, {"kind": kind, "subject": subject})
            return _link(row), token

    def list_links(self) -> list[LinkRecord]:
        """Every personal link, oldest first."""
        with self.db.transaction() as s:
            return [_link(r) for r in s.scalars(select(PersonalLinkRow).order_by(PersonalLinkRow.id))]

    def rotate_link(self, prefix: str, actor: Actor | None = None) -> tuple[LinkRecord, str]:
        """A new secret for the link (the old token and its sessions stop working), and the new token."""
        new_prefix, token = _new_link_token()
        with self.db.transaction() as s:
            row = self._live_link(s, prefix)
            row.prefix, row.token_hash, row.rotated_at = new_prefix, hash_token(token), _now()
            s.execute(delete(WebSessionRow).where(WebSessionRow.link_id == row.id))
            record(s, actor, "personal_link.rotate", prefix, {"new_prefix": new_prefix})
            return _link(row), token

    def revoke_link(self, prefix: str, actor: Actor | None = None) -> LinkRecord:
        """Revoke the link (idempotent); its sessions end."""
        with self.db.transaction() as s:
            row = s.scalar(select(PersonalLinkRow).where(PersonalLinkRow.prefix == prefix))
            if row is None:
                raise NotFound("personal link", prefix, field="prefix")
            if row.revoked_at is None:
                row.revoked_at = _now()
                s.execute(delete(WebSessionRow).where(WebSessionRow.link_id == row.id))
                record(s, actor, "personal_link.revoke", prefix, {"kind": row.kind, "subject": row.subject})
            return _link(row)

    def resolve_link(self, token: str) -> LinkRecord | None:
        """The live link a token belongs to, or None."""
        prefix = link_prefix(token)
        if prefix is None:
            return None
        with self.db.transaction() as s:
            row = s.scalar(select(PersonalLinkRow).where(PersonalLinkRow.prefix == prefix))
            if row is None or row.revoked_at is not None or not token_matches(token, row.token_hash):
                return None
            return _link(row)

    @staticmethod
    def _live_link(s: Session, prefix: str) -> PersonalLinkRow:
        row = s.scalar(select(PersonalLinkRow).where(PersonalLinkRow.prefix == prefix))
        if row is None:
            raise NotFound("personal link", prefix, field="prefix")
        if row.revoked_at is not None:
            raise Conflict(f"personal link {prefix} is revoked; issue a new one", field="prefix")
        return row

    # --- browser sessions -----------------------------------------------------------------------

    def open_session(self, *, user_id: int | None = None, link_id: int | None = None) -> tuple[WebSession, str]:
        """A new session for a staff account or a personal link, and its cookie value."""
        cookie = secrets.token_urlsafe(32)
        now = _now()
        with self.db.transaction() as s:
            row = WebSessionRow(
                token_hash=hashlib.sha256(cookie.encode()).hexdigest(),
                csrf_token=secrets.token_urlsafe(32),
                user_id=user_id,
                link_id=link_id,
                created_at=now,
                expires_at=now + dt.timedelta(hours=SESSION_HOURS),
            )
            s.add(row)
            s.flush()
            return self._session(s, row), cookie

    def find_session(self, cookie: str, now: dt.datetime | None = None) -> WebSession | None:
        """The live session of a cookie: not expired, its account enabled, its link not revoked."""
        now = now or _now()
        digest = hashlib.sha256(cookie.encode()).hexdigest()
        with self.db.transaction() as s:
            row = s.scalar(select(WebSessionRow).where(WebSessionRow.token_hash == digest))
            if row is None or row.expires_at <= now:
                return None
            found = self._session(s, row)
            if found.user is None and (found.link is None or found.link.revoked_at is not None):
                return None
            return found

    def close_session(self, session_id: int) -> None:
        """Sign out: the session is deleted."""
        with self.db.transaction() as s:
            s.execute(delete(WebSessionRow).where(WebSessionRow.id == session_id))

    @staticmethod
    def _session(s: Session, row: WebSessionRow) -> WebSession:
        user = s.get(StaffUserRow, row.user_id) if row.user_id is not None else None
        link = s.get(PersonalLinkRow, row.link_id) if row.link_id is not None else None
        owner = user if user is not None else link
        network_id = owner.network_id if owner is not None else 0
        if user is not None and user.disabled_at is not None:
            user = None
        return WebSession(
            row.id,
            row.csrf_token,
            _user(user) if user else None,
            _link(link) if link is not None else None,
            network_id,
        )

    # --- collection deadlines -------------------------------------------------------------------

    def deadline(self, scenario_id: int) -> dt.datetime | None:
        """Until when physicians may enter absences and wishes for the scenario (None: not set)."""
        with self.db.transaction() as s:
            row = s.get(CollectionDeadlineRow, scenario_id)
            return row.deadline if row is not None else None

    def deadlines(self) -> dict[int, dt.datetime]:
        """Every scenario's deadline."""
        with self.db.transaction() as s:
            return {r.scenario_id: r.deadline for r in s.scalars(select(CollectionDeadlineRow))}

    def set_deadline(self, scenario_id: int, deadline: dt.datetime, actor: Actor | None = None) -> None:
        """Set (or move) the scenario's collection deadline."""
        if deadline.tzinfo is None:
            raise ValueError("deadline: a time zone is needed")
        with self.db.transaction() as s:
            if s.get(ScenarioRow, scenario_id) is None:
                raise NotFound("scenario", scenario_id, field="scenario_id")
            row = s.get(CollectionDeadlineRow, scenario_id)
            if row is None:
                s.add(CollectionDeadlineRow(scenario_id=scenario_id, deadline=deadline, updated_at=_now()))
            else:
                row.deadline, row.updated_at = deadline, _now()
            detail = {"deadline": deadline.isoformat()}
            record(s, actor, "scenario.deadline", scenario_id, detail, scenario_id=scenario_id)
