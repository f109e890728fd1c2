"""API key tokens: random, shown once, stored only as a hash, identified by a short prefix.

A token reads ``ock_<8 hex>_<43 url-safe characters>``. The first two parts are the prefix, kept in
clear to find the key (and to name it in listings and logs); the whole token is hashed with sha256.
A token has 256 random bits, so a fast hash is enough: no password-style stretching is needed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Literal

__all__ = ["KEY_ROLES", "KeyRole", "hash_token", "new_token", "token_matches", "token_prefix"]

KeyRole = Literal["staff", "hospital"]
KEY_ROLES: tuple[KeyRole, KeyRole] = ("staff", "hospital")
_TOKEN = re.compile(r"^(ock_[0-9a-f]{8})_[A-Za-z0-9_\-]{43}$")


def new_token() -> tuple[str, str]:
    """A fresh ``(prefix, token)``."""
    prefix = f"ock_{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def token_prefix(token: str) -> str | None:
    """The prefix of a well-formed token, None for anything else.

    >>> token_prefix("ock_0123abcd_" + "x" * 43)
    'ock_0123abcd'
    >>> token_prefix("hello") is None
    True
    """
    m = _TOKEN.match(token)
    return m.group(1) if m else None


def hash_token(token: str) -> str:
    """The stored form of a token: its sha256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Whether ``token`` hashes to ``stored_hash``, in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)
