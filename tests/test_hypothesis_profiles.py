"""The default run is deterministic: property tests draw the same examples every time (tests/conftest.py)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

_RANDOM = ("explore", "thorough")


@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE") in _RANDOM, reason="a random profile was asked for")
def test_the_default_profiles_draw_the_same_examples_on_every_run() -> None:
    assert settings().derandomize
    assert settings().database is None  # nothing replayed from an earlier run on this machine


@pytest.mark.parametrize("profile", ["dev", "ci"])
def test_each_everyday_profile_is_derandomized(profile: str) -> None:
    chosen = settings.get_profile(profile)
    assert chosen.derandomize and chosen.database is None and chosen.deadline is None


@pytest.mark.parametrize("profile", _RANDOM)
def test_the_profiles_for_searching_by_hand_draw_at_random(profile: str) -> None:
    assert not settings.get_profile(profile).derandomize
