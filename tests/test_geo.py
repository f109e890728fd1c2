"""The distance function behind the 16 km rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncall.geo import distance_km
from oncall.io import load_scenario


def test_distance_is_symmetric_and_matches_a_known_distance() -> None:
    # Tokyo station to Osaka station: 403 km along the great circle (geodesic on WGS84: 403.5 km).
    d = distance_km(35.6812, 139.7671, 34.7025, 135.4959)
    assert d == pytest.approx(403.4, abs=1.0)
    assert distance_km(34.7025, 135.4959, 35.6812, 139.7671) == pytest.approx(d)


def test_one_degree_of_longitude_shrinks_with_latitude() -> None:
    assert distance_km(0, 0, 0, 1) == pytest.approx(111.19, abs=0.01)
    assert distance_km(60, 0, 60, 1) == pytest.approx(55.6, abs=0.1)


def test_regional_sample_clinics_lie_like_a_real_town() -> None:
    """Neighbouring clinics a few km apart, the farthest pair of the network about 20-30 km apart."""
    s = load_scenario(Path("samples/regional.yaml"))
    points = [(c.lat, c.lon) for c in s.clinics if c.lat is not None and c.lon is not None]
    assert len(points) == len(s.clinics)
    far = max(distance_km(*a, *b) for a in points for b in points)
    nearest = [min(distance_km(*a, *b) for b in points if b != a) for a in points]
    assert 15 <= far <= 35
    assert max(nearest) < 8
