"""Hypothesis profiles (``ci`` when the CI variable is set, ``dev`` otherwise) and session fixtures.

Both everyday profiles are derandomized: each property test draws the same examples on every run and
machine (no example database), so the default run passes or fails the same way each time; a case once
found stays as an explicit ``@example``. Searching for new cases is done by hand with random draws:
``HYPOTHESIS_PROFILE=explore pytest tests/test_repair.py`` (everyday size, saving what fails in
``.hypothesis/``) or ``HYPOTHESIS_PROFILE=thorough`` (many more examples). Solving property tests take
about a second per example, so the everyday profiles stay small.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.icaljs import IcalJs, install

_SLOW_DRAWS = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "dev", max_examples=15, deadline=None, derandomize=True, print_blob=True, suppress_health_check=_SLOW_DRAWS
)
# Searching by hand draws at random, also where Hypothesis's own default derandomizes (it does when CI is set).
settings.register_profile(
    "explore", max_examples=15, deadline=None, derandomize=False, suppress_health_check=_SLOW_DRAWS
)
settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same examples on every run: a red CI is reproducible, never flaky
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_DRAWS,
)
settings.register_profile(
    "thorough", max_examples=300, deadline=None, derandomize=False, suppress_health_check=_SLOW_DRAWS
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def icaljs() -> IcalJs:
    """Mozilla's ical.js through node (installed once per machine into a cache directory)."""
    return install()


@pytest.fixture(autouse=True)
def _solves_stop_on_work_not_on_the_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the default run every CP-SAT search of this process ends on a proof, a solution limit or
    deterministic work with one worker (``tests.solving.steady``), never on the clock alone: a test
    asserting what a clock-limited search found would pass on an idle machine and fail on a busy one.
    A time limit of a minute or more counts as a safety net beside a proof (pricing a fixed roster).
    Tests marked ``slow`` or ``benchmark`` measure time on purpose and are left alone."""
    if request.node.get_closest_marker("slow") or request.node.get_closest_marker("benchmark"):
        return
    from solver import SolveOptions

    original = SolveOptions.parameters

    def parameters(self: SolveOptions) -> Any:
        steady = self.deterministic_time is not None and self.workers == 1
        if not (steady or self.cp_sat.get("stop_after_first_solution") or self.time_limit >= 60):
            raise AssertionError(
                f"a solve in a default test stops on the clock ({self.time_limit:g} s, {self.workers} workers): "
                "use tests.solving.steady or STEADY_CLI"
            )
        return original(self)

    monkeypatch.setattr(SolveOptions, "parameters", parameters)
