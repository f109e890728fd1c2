"""Nonsense values of the scenario fields issue 19 added, each with the field the error must name.

Shared by the command-line test (exit 2, one line) and the API test (422 naming the field).
"""

from __future__ import annotations

from typing import Any

__all__ = ["INVALID"]


def _set(path: str, value: Any) -> Any:
    """An edit of a scenario document: ``path`` like ``physicians.0.caps.duties``."""

    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
        node[last] = value

    return edit


def _both(*edits: Any) -> Any:
    def edit(data: dict[str, Any]) -> None:
        for e in edits:
            e(data)

    return edit


# (edit, field named, words of the English message)
INVALID: list[tuple[Any, str, str]] = [
    (_set("rules.max_visit_km", -3), "rules.max_visit_km", "greater than 0"),
    (_set("rules.role_points.secondary", -0.5), "rules.role_points.secondary", "greater than or equal to 0"),
    (_set("rules.role_points.third", 1), "rules.role_points.third", "Extra inputs are not permitted"),
    (
        _set("physicians.1.recurring_absences", [{"weekday": "wednesday"}]),
        "physicians[1].recurring_absences[0].weekday",
        "Input should be",
    ),
    (
        _set("physicians.1.recurring_absences", [{"weekday": "mon", "nth": 0}]),
        "physicians[1].recurring_absences[0].nth",
        "nth is 1 to 5",
    ),
    (
        _set("physicians.1.recurring_absences", [{"weekday": "mon", "start": "17:00"}]),
        "physicians[1].recurring_absences[0].start",
        "a time range needs both start and end",
    ),
    (
        _set("physicians.1.recurring_absences", [{"weekday": "wed", "except_dates": ["2027-01-05"]}]),
        "physicians[1].recurring_absences[0].except_dates[0]",
        "2027-01-05 is not a wed",
    ),
    (_set("physicians.2.mentors", ["nobody"]), "physicians[2].mentors[0]", "unknown physician 'nobody'"),
    (_set("physicians.2.never_with", ["n1c"]), "physicians[2].never_with[0]", "cannot be paired with themselves"),
    (
        _both(_set("physicians.2.mentors", ["n1a"]), _set("physicians.2.never_with", ["n1a"])),
        "physicians[2].never_with[0]",
        "both a mentor and never to be paired with",
    ),
    (
        _set("hospitals.0.capacity_overrides", [{"start": "2027-01-05", "capacity_per_day": -1}]),
        "hospitals[0].capacity_overrides[0].capacity_per_day",
        "greater than or equal to 0",
    ),
    (
        _set("hospitals.0.capacity_overrides", [{"start": "2027-01-05", "end": "2027-01-04", "capacity_per_day": 1}]),
        "hospitals[0].capacity_overrides[0].end",
        "end 2027-01-04 before start 2027-01-05",
    ),
    (
        _set(
            "hospitals.0.capacity_overrides",
            [
                {"start": "2027-01-04", "end": "2027-01-06", "capacity_per_day": 1},
                {"start": "2027-01-05", "capacity_per_day": 2},
            ],
        ),
        "hospitals[0].capacity_overrides[1]",
        "2027-01-05 is in capacity_overrides[0] too",
    ),
    (
        _set("hospitals.1.closures", [{"start": "2027-01-05T20:00", "end": "2027-01-05T19:00"}]),
        "hospitals[1].closures[0].end",
        "not after start",
    ),
    (_set("hospitals.1.standby_blocks", ["nightly"]), "hospitals[1].standby_blocks[0]", "unknown block 'nightly'"),
    (
        _both(_set("hospitals.1.night_only", True), _set("hospitals.1.standby_blocks", ["wd_night"])),
        "hospitals[1].standby_blocks",
        "give night_only or standby_blocks, not both",
    ),
    (_set("districts.0.lat", 35.5), "districts[0].lat", "a position needs both lat and lon"),
    (_set("clinics.1.lon", 137.8), "clinics[1].lon", "a position needs both lat and lon"),
    (_set("physicians.0.caps.weekend_duties", -1), "physicians[0].caps.weekend_duties", "greater than or equal to 0"),
    (_set("physicians.0.caps.holiday_nights", -1), "physicians[0].caps.holiday_nights", "greater than or equal to 0"),
    (_set("physicians.0.caps.nights_per_week", 8), "physicians[0].caps.nights_per_week", "less than or equal to 7"),
    (_set("physicians.0.caps.oncall_hours", -5), "physicians[0].caps.oncall_hours", "greater than or equal to 0"),
    (
        _both(_set("physicians.0.caps.duties", 3), _set("physicians.0.caps.min_duties", 5)),
        "physicians[0].caps.min_duties",
        "a minimum of 5 duties is above the cap caps.duties 3",
    ),
    (
        _set("physicians.0.caps.consecutive_nights", 0),
        "physicians[0].caps.consecutive_nights",
        "greater than or equal to 1",
    ),
]
