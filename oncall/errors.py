"""Errors raised by the oncall package.

    OncallError(Exception)
    ├── InvalidScenario(OncallError, ValueError)   a scenario file or object breaks the spec
    ├── InvalidRoster(OncallError, ValueError)     a roster file is malformed or names unknown ids
    └── SolveError(OncallError, RuntimeError)      the solver could not run (not: could not cover)

Only the CLI and the API translate these into exit codes and HTTP statuses.
"""

from __future__ import annotations

__all__ = ["InvalidRoster", "InvalidScenario", "OncallError", "SolveError"]


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
