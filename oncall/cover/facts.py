"""Facts the cover plan is built on, derived from the scenario and the rota: panels, distances, busy times.

Plain data, no rule: the solver (``solver/cover.py``) and the independent check (``oncall/cover/check.py``)
both read these facts and each apply the rules in their own way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from oncall.cover.model import CLASS_WEIGHTS, CoverDoctor
from oncall.geo import distance_km
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.timeline import Timeline, absence_interval

__all__ = ["Segment", "Staffing", "busy_times", "clinic_km", "cover_doctor", "overlaps", "panels", "segments"]

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Staffing:
    """What one 主治医 needs: patients by class over all their panels, the districts they live in."""

    principal: str
    counts: dict[str, int]
    districts: tuple[str, ...]
    deputies: int  # 副主治医 needed

    @property
    def patients(self) -> int:
        return sum(self.counts.values())

    @property
    def weighted(self) -> int:
        """Patients weighted by risk class."""
        return sum(CLASS_WEIGHTS[k] * n for k, n in self.counts.items())


@dataclass(frozen=True)
class Segment:
    """A stretch of one 主治医's absence in regular hours (no rota runs): someone must be named for it."""

    principal: str
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC

    @property
    def key(self) -> str:
        return f"{self.principal}@{self.start:%Y%m%dT%H%MZ}"


def panels(s: Scenario) -> dict[str, Staffing]:
    """Each 主治医's needs; panels without counts share their clinic's ``patients`` evenly."""
    assert s.cover is not None
    home = s.home_districts()
    shared: dict[str, list[str]] = defaultdict(list)  # clinic -> principals taking a share of its patients
    for panel in s.cover.panels:
        if not panel.has_counts():
            shared[s.physician(panel.physician).clinic].append(panel.physician)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CLASS_WEIGHTS, 0))
    districts: dict[str, list[str]] = defaultdict(list)
    asked: dict[str, int] = {}
    for panel in s.cover.panels:
        pid = panel.physician
        districts[pid].append(panel.district or home[pid])
        if panel.deputies:
            asked[pid] = max(asked.get(pid, 1), panel.deputies)
        for k in CLASS_WEIGHTS:
            if panel.has_counts():
                counts[pid][k] += getattr(panel, k) or 0
            else:
                clinic = s.physician(pid).clinic
                total = sum(int(getattr(g, k)) for g in s.patients if g.clinic == clinic)
                sharers = shared[clinic]
                counts[pid][k] += total // len(sharers) + (1 if sharers.index(pid) < total % len(sharers) else 0)
    out: dict[str, Staffing] = {}
    for pid, c in counts.items():
        if not sum(c.values()):
            continue  # no enrolled patients: nobody to cover
        need = asked.get(pid)
        if need is None:
            big = s.cover.two_deputies_from
            need = 2 if big is not None and sum(c.values()) >= big else 1
        out[pid] = Staffing(pid, c, tuple(dict.fromkeys(districts[pid])), need)
    return out


def cover_doctor(s: Scenario, pid: str) -> CoverDoctor:
    """The physician's capacities as 副主治医 (defaults when not listed)."""
    assert s.cover is not None
    return next((d for d in s.cover.doctors if d.physician == pid), CoverDoctor(physician=pid))


def clinic_km(s: Scenario, deputy: str, principal: str, district: str) -> float | None:
    """How far the deputy's clinic lies from patients of ``principal`` living in ``district``.

    Patients in the 主治医's own district are placed at the 主治医's clinic; patients elsewhere at the
    nearest clinic of their district. None when a coordinate is missing (no distance rule then).
    """
    here = s.clinic_of(s.physician(deputy))
    own = s.clinic_of(s.physician(principal))
    anchors = [own] if own.district == district else [c for c in s.clinics if c.district == district]
    km = [
        distance_km(here.lat, here.lon, a.lat, a.lon)
        for a in anchors
        if here.lat is not None and here.lon is not None and a.lat is not None and a.lon is not None
    ]
    return min(km) if km else None


def segments(s: Scenario, timeline: Timeline, principals: set[str]) -> list[Segment]:
    """Every stretch of a 主治医's declared absence that falls in regular hours (the rota keeps the rest)."""
    regular = sorted({(slot.start, slot.end) for _, slot in timeline.regular_hours()})
    out: list[Segment] = []
    for p in s.physicians:
        if p.id not in principals:
            continue
        for absence in s.absences_of(p):
            a0, a1 = absence_interval(absence, s.zone)
            out += [Segment(p.id, max(a0, r0), min(a1, r1)) for r0, r1 in regular if max(a0, r0) < min(a1, r1)]
    return sorted(set(out), key=lambda g: (g.principal, g.start))


def busy_times(s: Scenario, roster: Roster) -> dict[str, list[Interval]]:
    """When each physician cannot answer: their declared absences and their rota duties."""
    utc = dt.UTC
    busy: dict[str, list[Interval]] = {
        p.id: [absence_interval(a, s.zone) for a in s.absences_of(p)] for p in s.physicians
    }
    for d in roster.duties:
        for pid in (d.primary, d.secondary):
            if pid in busy:
                busy[pid].append((d.start.astimezone(utc), d.end.astimezone(utc)))
    return busy


def overlaps(intervals: list[Interval], start: dt.datetime, end: dt.datetime) -> bool:
    """Whether any interval meets [start, end)."""
    return any(a < end and start < b for a, b in intervals)
