"""Hypothesis profiles (``ci`` when the CI variable is set, ``dev`` otherwise) and session fixtures.

``HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py`` runs many more examples by hand.
Solving property tests take about a second per example, so the everyday profiles stay small.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.icaljs import IcalJs, install

_SLOW_DRAWS = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile("dev", max_examples=15, deadline=None, suppress_health_check=_SLOW_DRAWS)
settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    derandomize=True,  # the same examples on every run: a red CI is reproducible, never flaky
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_DRAWS,
)
settings.register_profile("thorough", max_examples=300, deadline=None, suppress_health_check=_SLOW_DRAWS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def icaljs() -> IcalJs:
    """Mozilla's ical.js through node (installed once per machine into a cache directory)."""
    return install()
