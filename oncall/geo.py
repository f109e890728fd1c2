"""Distances between places given by latitude and longitude (the 16 km rule of home visits).

The haversine formula on a sphere of the mean Earth radius: within 0.5 % of the geodesic on the
ellipsoid, far finer than the 16 km rule needs (a home-visit doctor's reach is not measured to 80 m).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oncall.model import Physician, Scenario

__all__ = ["EARTH_RADIUS_KM", "distance_km", "visit_km"]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees.

    >>> distance_km(35.6812, 139.7671, 35.6812, 139.7671)
    0.0
    >>> round(distance_km(35.6812, 139.7671, 34.7025, 135.4959))  # Tokyo station to Osaka station
    403
    >>> round(distance_km(36.0, 137.0, 36.1439, 137.0), 1)  # 0.1439° of latitude
    16.0
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def visit_km(scenario: Scenario, physician: Physician, district: str) -> float | None:
    """How far the district lies from the physician's clinic for the visit distance rule: to the district's
    centre when it is given, else to the nearest clinic of the district; None when coordinates are missing.

    The physician's own district is at 0 km when no centre is given (their clinic is one of its clinics).
    """
    clinic = next(c for c in scenario.clinics if c.id == physician.clinic)
    if clinic.lat is None or clinic.lon is None:
        return None
    d = next(x for x in scenario.districts if x.id == district)
    if d.lat is not None and d.lon is not None:
        points = [(d.lat, d.lon)]
    else:
        points = [
            (c.lat, c.lon)
            for c in scenario.clinics
            if c.district == district and c.lat is not None and c.lon is not None
        ]
    if not points:
        return None
    return min(distance_km(clinic.lat, clinic.lon, lat, lon) for lat, lon in points)
