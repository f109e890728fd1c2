"""Who could take which duty before anything is assigned, and why the others cannot.

Static exclusions (district, role, absence, rest after the previous period, a cap of zero) are
the same for the solver, which creates no variable for them, and for the gap diagnosis, which
counts them. Dynamic reasons (a cap reached, busy on another duty) depend on a roster and live
in the diagnosis.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from oncall.geo import visit_km
from oncall.model import Physician, Role, Scenario
from oncall.rules import CAPS, Cap
from oncall.timeline import Duty, Timeline, absence_interval, to_utc

__all__ = ["Eligibility", "Exclusion", "compute_eligibility", "touched_by_absence"]

# Reasons a physician cannot take a duty whatever the rest of the roster; the order is the order shown.
Exclusion = str  # one of EXCLUSIONS
EXCLUSIONS = ("too_far", "role", "absent", "rest_after_previous", "cap_zero")


@dataclass
class Eligibility:
    """Eligible physicians per (duty id, role), and the static exclusions per reason."""

    eligible: dict[tuple[str, Role], list[str]] = field(default_factory=dict)
    excluded: dict[tuple[str, Role], dict[Exclusion, list[str]]] = field(default_factory=dict)
    not_covering: dict[tuple[str, Role], int] = field(default_factory=dict)  # doctors of other districts

    def physicians(self, duty_id: str, role: Role) -> list[str]:
        """Physicians who may take ``role`` on ``duty_id``."""
        return self.eligible.get((duty_id, role), [])


def touched_by_absence(duty: Duty, absences: list[tuple[dt.datetime, dt.datetime]]) -> bool:
    """Whether any of ``absences`` (half-open UTC intervals) overlaps the duty."""
    return any(s < duty.end and duty.start < e for s, e in absences)


def _static_exclusion(
    scenario: Scenario,
    p: Physician,
    duty: Duty,
    role: Role,
    absences: list[tuple[dt.datetime, dt.datetime]],
    ready: dt.datetime | None,
    zero_caps: tuple[Cap, ...],
    holds: bool,
) -> Exclusion | None:
    """Why ``p`` may not take ``role`` on ``duty`` whatever else the roster holds (None: they may);
    ``zero_caps`` are the doctor's caps set to zero; ``holds``: they hold the duty's role (pinned or started)."""
    if role not in p.roles:
        return "role"
    if touched_by_absence(duty, absences):
        return "absent"
    if ready is not None and duty.start < ready:
        return "rest_after_previous"
    # A cap of zero keeps the doctor off every duty of its kind. The tail of a night begun before the period
    # counts against no cap of this period, so its holder keeps it (pinned by the carry-over, or started
    # before a repair); nobody else with that cap of zero is handed it.
    if not holds and any(cap.kind(duty) for cap in zero_caps):
        return "cap_zero"
    return None


def _pool(covering: dict[str, list[Physician]], districts: list[str]) -> list[Physician]:
    """Who covers any of ``districts`` (a shared role's group: a doctor who covers one of them may hold it)."""
    if len(districts) == 1:
        return covering.get(districts[0], [])
    seen: dict[str, Physician] = {}
    for d in districts:
        for p in covering.get(d, []):
            seen.setdefault(p.id, p)
    return list(seen.values())


def compute_eligibility(
    scenario: Scenario, timeline: Timeline, held: Mapping[tuple[str, Role], str] | None = None
) -> Eligibility:
    """Eligible physicians for every duty and role of the timeline. ``held``: who holds a duty's role that
    has started (a repair's frozen past), ``(duty id, role) -> physician id``; with the scenario's pins they
    keep the tail of the night begun before the period even under a cap of zero.
    """
    holders = {(p.district, p.date, p.block, p.role): p.assignee for p in scenario.pinned}
    out = Eligibility()
    zone = scenario.zone
    clinic_district = {c.id: c.district for c in scenario.clinics}
    covering: dict[str, list[Physician]] = defaultdict(list)
    for p in scenario.physicians:
        for d in p.districts if p.districts is not None else [clinic_district[p.clinic]]:
            covering[d].append(p)
    absences = {p.id: [absence_interval(a, zone) for a in scenario.absences_of(p)] for p in scenario.physicians}
    ready: dict[str, dt.datetime | None] = {}
    for p in scenario.physicians:
        last = p.history.last_duty_end
        ready[p.id] = None if last is None else to_utc(last, zone) + dt.timedelta(hours=scenario.rest_hours(p))
    # Most doctors have no cap of zero: asking the cap table once per doctor, not per duty and role,
    # keeps this loop (every doctor of a district times every duty) cheap at 600 doctors.
    zero_caps = {p.id: tuple(cap for cap in CAPS if cap.limit(p) == 0) for p in scenario.physicians}
    n_all = len(scenario.physicians)
    far = _TooFar(scenario, covering)
    for duty in timeline.duties:
        for role in duty.own_roles:
            group = [d.district for d in timeline.sharing(duty, role)]
            pool = _pool(covering, group)
            key = (duty.id, role)
            ok: list[str] = []
            why: dict[Exclusion, list[str]] = defaultdict(list)
            for p in pool:
                holds = not duty.counts_against_caps and (
                    (held or {}).get(key) == p.id or holders.get((duty.district, duty.day, duty.block.id, role)) == p.id
                )
                reason = (
                    "too_far"
                    if far.of_any(p, group)
                    else _static_exclusion(scenario, p, duty, role, absences[p.id], ready[p.id], zero_caps[p.id], holds)
                )
                if reason is None:
                    ok.append(p.id)
                else:
                    why[reason].append(p.id)
            out.eligible[key] = ok
            out.excluded[key] = dict(why)
            out.not_covering[key] = n_all - len(pool)
    return out


class _TooFar:
    """Which (physician, district) pairs the visit distance rule (``rules.max_visit_km``) forbids.

    A shared role's holder is written on the duty of every district of its group and may be called to any
    of them, so they must be within the distance of each (``of_any``), not only of the districts they cover.
    """

    def __init__(self, scenario: Scenario, covering: dict[str, list[Physician]]) -> None:
        self._scenario = scenario
        self._limit = scenario.rules.max_visit_km
        self._known: dict[tuple[str, str], bool] = {}
        for district, pool in covering.items():
            for p in pool:
                self.far(p, district)

    def far(self, p: Physician, district: str) -> bool:
        """Whether ``district`` lies beyond the visit distance of ``p``'s clinic (False without coordinates)."""
        if self._limit is None:
            return False
        key = (p.id, district)
        known = self._known.get(key)
        if known is None:
            km = visit_km(self._scenario, p, district)
            known = self._known[key] = km is not None and km > self._limit
        return known

    def of_any(self, p: Physician, districts: list[str]) -> bool:
        """Whether any of ``districts`` lies beyond the visit distance of ``p``'s clinic."""
        return any(self.far(p, d) for d in districts)
