"""Errors raised by the oncall package.

    OncallError(Exception)
    ├── InvalidScenario(OncallError, ValueError)   a scenario file or object breaks the spec
    ├── InvalidRoster(OncallError, ValueError)     a roster file is malformed or names unknown ids
    ├── SolveError(OncallError, RuntimeError)      the solver could not run (not: could not cover)
    ├── NotFound(OncallError, LookupError)         no stored object has that id
    ├── Conflict(OncallError, RuntimeError)        a write based on a stale version, or a state that forbids it
    ├── StorageError(OncallError, RuntimeError)    the database cannot be opened or migrated
    ├── InvalidChange(OncallError, ValueError)     a re-planning change cannot be applied (names the change)
    └── RuleBroken(OncallError, ValueError)        a proposed swap or give-away breaks a hard rule (names it)

Only the CLI and the API translate these into exit codes and HTTP statuses.
"""

from __future__ import annotations

__all__ = [
    "Conflict",
    "InvalidChange",
    "InvalidRoster",
    "InvalidScenario",
    "NotFound",
    "OncallError",
    "RuleBroken",
    "SolveError",
    "StorageError",
]


class OncallError(Exception):
    """Base class of every error the oncall package raises on purpose."""


class InvalidScenario(OncallError, ValueError):
    """A scenario is malformed; the message names the field and the value."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class InvalidRoster(OncallError, ValueError):
    """A roster document is malformed; the message names the field and the value."""


class SolveError(OncallError, RuntimeError):
    """The solver failed to run (a model error, not an uncoverable scenario)."""


class NotFound(OncallError, LookupError):
    """No stored object of that kind has that id; ``field`` names the request field that held the id."""

    def __init__(self, kind: str, ident: object, field: str | None = None) -> None:
        self.kind = kind
        self.ident = ident
        self.field = field
        super().__init__(f"no {kind} {ident!r}" if isinstance(ident, str) else f"no {kind} {ident}")


class Conflict(OncallError, RuntimeError):
    """The stored state changed since the client read it (a stale version), or forbids the change."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class StorageError(OncallError, RuntimeError):
    """The database cannot be opened or migrated (unreachable server, unwritable directory, bad URL)."""


class InvalidChange(OncallError, ValueError):
    """A re-planning change cannot be applied; each problem names the change (``changes[1].end: …``)."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class RuleBroken(OncallError, ValueError):
    """A proposed change of the roster breaks hard rules; ``broken`` holds (rule id, message) pairs."""

    def __init__(self, message: str, broken: list[tuple[str, str]]) -> None:
        self.broken = list(broken)
        super().__init__(message)
