"""Errors raised by the oncall package.

    OncallError(Exception)
    ├── InvalidScenario(OncallError, ValueError)   a scenario file or object breaks the spec
    ├── InvalidRoster(OncallError, ValueError)     a roster file is malformed or names unknown ids
    ├── InvalidOutput(OncallError, ValueError)     an output path names a directory, a FIFO, a device
    ├── InvalidInput(OncallError, ValueError)      a value the database cannot store (names the field)
    ├── SolveError(OncallError, RuntimeError)      the solver could not run (not: could not cover)
    ├── NotFound(OncallError, LookupError)         no stored object has that id
    ├── Conflict(OncallError, RuntimeError)        a write based on a stale version, or a state that forbids it
    ├── StorageError(OncallError, RuntimeError)    the database cannot be opened or migrated
    ├── InvalidChange(OncallError, ValueError)     a re-planning change cannot be applied (names the change)
    └── RuleBroken(OncallError, ValueError)        a proposed swap or give-away breaks a hard rule (names it)

Only the CLI and the API translate these into exit codes and HTTP statuses. Problems with input are
kept as ``oncall.i18n.Problem`` (field path, code, parameters), never as text to be parsed back:
``lines(lang)`` shows them in the language of whoever reads them (the CLI's lines), ``structured``
gives each with its field (the API's JSON details); ``problems`` and ``str()`` are the English lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from oncall.i18n import Lang, Message, Problem

__all__ = [
    "Conflict",
    "InvalidChange",
    "InvalidInput",
    "InvalidOutput",
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

    def lines(self, lang: Lang = "ja") -> list[str]:
        """What went wrong, one line per problem, in ``lang`` where the error knows its texts."""
        return str(self).splitlines()


class _Problems:
    """Problems given as :class:`~oncall.i18n.Problem` (or, from older callers, lines of text); English in
    ``problems``, any language in ``lines``, each with its place in ``structured``."""

    messages: list[str | Message]

    def _keep(self, problems: Sequence[str | Message] | str | Message) -> str:
        self.messages = [problems] if isinstance(problems, str | Message) else list(problems)
        return "; ".join(self.problems)

    @property
    def structured(self) -> list[Problem]:
        """Every problem as a :class:`~oncall.i18n.Problem` (a line of text concerns the whole document)."""
        return [m if isinstance(m, Problem) else Problem("", fallback=m) for m in self.messages]

    @property
    def problems(self) -> list[str]:
        """The problems in English, one line each."""
        return self.lines("en")

    def lines(self, lang: Lang = "ja") -> list[str]:
        """The problems in ``lang`` (lines given as plain text stay as they are)."""
        return [m.text(lang) if isinstance(m, Message) else m for m in self.messages]


class InvalidScenario(_Problems, OncallError, ValueError):
    """A scenario is malformed; the message names the field and the value."""

    def __init__(self, problems: Sequence[str | Message] | str | Message) -> None:
        super().__init__(self._keep(problems))


class InvalidRoster(_Problems, OncallError, ValueError):
    """A roster document is malformed; the message names the field and the value."""

    def __init__(self, problems: Sequence[str | Message] | str | Message) -> None:
        super().__init__(self._keep(problems))


class InvalidOutput(_Problems, OncallError, ValueError):
    """An output cannot be written where asked (not a regular file there); names the path and why."""

    def __init__(self, problems: Sequence[str | Message] | str | Message) -> None:
        super().__init__(self._keep(problems))


class InvalidInput(OncallError, ValueError):
    """A value that cannot be stored as given (a control character, too long); ``field`` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


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
    """The database cannot be opened or migrated (unreachable server, unwritable directory, bad URL), or
    cannot write: ``reason`` is ``disk_full`` or ``read_only`` then, else None."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        self.reason = reason
        super().__init__(message)


class InvalidChange(_Problems, OncallError, ValueError):
    """A re-planning change cannot be applied; each problem names the change (``changes[1].end: …``)."""

    def __init__(self, problems: Sequence[str | Message] | str | Message) -> None:
        super().__init__(self._keep(problems))


class RuleBroken(OncallError, ValueError):
    """A proposed change of the roster breaks hard rules; ``broken`` holds (rule id, message) pairs."""

    def __init__(self, message: str, broken: list[tuple[str, str]]) -> None:
        self.broken = list(broken)
        super().__init__(message)
