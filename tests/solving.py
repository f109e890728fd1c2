"""Solve settings for tests: a solve stops on CP-SAT's deterministic work, never on the clock.

With one worker and a fixed seed, a search stopped after a given amount of deterministic work
(CP-SAT's ``max_deterministic_time``, roughly seconds of one core, counted per phase) returns the same
roster on an idle and on a busy machine, so what a test asserts about it cannot depend on the load;
the wall-clock limit is only a safety net far beyond it. ``steady(5)`` stands for
``SolveOptions(time_limit=5, workers=1, seed=0)`` without the clock; ``STEADY_CLI`` for the same
options of ``oncall solve`` and ``oncall repair``.
"""

from __future__ import annotations

from typing import Any

from solver import SolveOptions

__all__ = ["STEADY_CLI", "WALL_SECONDS", "steady", "steady_cli"]

WALL_SECONDS = 600.0


def steady(work: float, **settings: Any) -> SolveOptions:
    """Options that end each phase after ``work`` units of deterministic time (or on a proof), one worker,
    seed 0 unless ``settings`` say otherwise."""
    values: dict[str, Any] = {"workers": 1, "seed": 0, **settings}
    return SolveOptions(time_limit=WALL_SECONDS, deterministic_time=work, **values)


def steady_cli(work: float) -> list[str]:
    """The command-line options of ``steady(work)``."""
    return ["--time-limit", f"{WALL_SECONDS:g}", "--deterministic-time", f"{work:g}", "--workers", "1", "--seed", "0"]


STEADY_CLI = steady_cli(5)
