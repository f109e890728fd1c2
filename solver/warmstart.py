"""A first roster in a fraction of a second, to warm the search up.

Duties are filled one role at a time, scarcest first, each role going to the doctor for whom it costs
least: the one furthest below their fair share, preferring no back-to-back dates, the home district, a
wished date, an experienced partner for a newer doctor. A ``Ledger`` keeps every hard rule while filling
(eligibility, one duty at a time, rest, partners from other clinics, caps, consecutive dates, pins,
hospital districts, closed dates, capacity, standby days, expected admissions), so the roster is valid;
when nobody can take a role it stays a gap (no backtracking). When the roster has no gap it proves at
once that every duty can be covered, and the solve skips its coverage phase.

The ledger is shared with the benchmarks' office-style rota, which walks the same rules round-robin.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from oncall.diagnosis import Assignment
from oncall.eligibility import Eligibility
from oncall.fairness import FairShare, standby_days, standby_targets
from oncall.load import expected_load
from oncall.model import Physician, Role, Scenario
from oncall.timeline import Duty, Timeline

__all__ = ["Ledger", "warm_starts"]

_ONE_DAY = dt.timedelta(days=1)


@dataclass
class _Doctor:
    """What the ledger tracks of one doctor."""

    p: Physician
    rest: dt.timedelta
    consecutive: int
    held: list[Duty] = field(default_factory=list)
    dates: set[dt.date] = field(default_factory=set)  # duty dates, with the previous period's recent ones
    duties: int = 0  # duties, nights and holiday duties that count against the period's caps
    nights: int = 0
    holidays: int = 0
    points: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # per category and "total"

    def run_through(self, day: dt.date) -> int:
        """Length of the run of consecutive duty dates that ``day`` would join."""
        n = 1
        d = day - _ONE_DAY
        while d in self.dates:
            n, d = n + 1, d - _ONE_DAY
        d = day + _ONE_DAY
        while d in self.dates:
            n, d = n + 1, d + _ONE_DAY
        return n

    def can_take(self, duty: Duty) -> bool:
        caps = self.p.caps
        counted = duty.counts_against_caps
        if counted and caps.duties is not None and self.duties >= caps.duties:
            return False
        if counted and duty.night and caps.nights is not None and self.nights >= caps.nights:
            return False
        if counted and duty.holiday and caps.holiday_duties is not None and self.holidays >= caps.holiday_duties:
            return False
        if duty.day not in self.dates and self.run_through(duty.day) > self.consecutive:
            return False
        # One duty at a time and the minimum rest, both ways (duties are not filled in time order).
        return all(duty.start >= h.end + self.rest or h.start >= duty.end + self.rest for h in self.held)

    def take(self, duty: Duty) -> None:
        self.held.append(duty)
        self.dates.add(duty.day)
        if duty.counts_against_caps:
            self.duties += 1
            self.nights += duty.night
            self.holidays += duty.holiday
        self.points[duty.category] += duty.slot.points
        self.points["total"] += duty.slot.points


class Ledger:
    """The hard rules, kept incrementally while a roster is filled by hand or by a heuristic."""

    def __init__(self, scenario: Scenario, timeline: Timeline, eligibility: Eligibility) -> None:
        self.scenario = scenario
        self.timeline = timeline
        self.eligibility = eligibility
        self.doctors = {
            p.id: _Doctor(p, dt.timedelta(hours=max(0.0, scenario.rest_hours(p))), scenario.consecutive_cap(p))
            for p in scenario.physicians
        }
        for doc in self.doctors.values():
            doc.dates |= set(doc.p.history.recent_duty_dates)
        self.clinic = {p.id: p.clinic for p in scenario.physicians}
        self.assignments: dict[str, Assignment] = {d.id: Assignment() for d in timeline.duties}
        self.fixed: set[tuple[str, str]] = set()  # (duty id, role) pinned, hospitals as role "backup_hospital"
        # Hospitals: units of duties sharing one hospital, districts at once, standby days, admission room.
        self.per_day = scenario.rules.hospital_assignment == "day"
        self.units: dict[str, list[Duty]] = defaultdict(list)
        for duty in timeline.duties:
            self.units[self.unit_key(duty)].append(duty)
        self.hospitals = {h.id: h for h in scenario.hospitals}
        load = expected_load(scenario, timeline)
        self._admissions = {k: d.admissions for k, d in load.duties.items()}
        self._room = {
            (h.id, day): load.limit[h.id] - load.registered_on(h.id, day)
            for h in scenario.hospitals
            for day in {d.day for d in timeline.duties}
        }
        self._at_once: dict[tuple[str, object], int] = defaultdict(int)
        self.standby_dates: dict[str, set[dt.date]] = defaultdict(set)
        self.standby: dict[str, float] = defaultdict(float)  # days on standby so far
        self.unit_hospital: dict[str, str] = {}

    def unit_key(self, duty: Duty) -> str:
        """The hospital unit of a duty: its district's date, or the duty itself."""
        return f"{duty.district}@{duty.day.isoformat()}" if self.per_day else duty.id

    # --- doctors --------------------------------------------------------------------------------
    def can_take(self, pid: str, duty: Duty, role: Role) -> bool:
        """Whether ``pid`` may take ``role`` on ``duty`` given everything filled so far."""
        if pid not in self.eligibility.physicians(duty.id, role):
            return False
        a = self.assignments[duty.id]
        partners = [q for q in (a.primary, a.secondary) if q is not None]
        if pid in partners:
            return False
        if self.scenario.rules.secondary_other_clinic and any(self.clinic[q] == self.clinic[pid] for q in partners):
            return False
        return self.doctors[pid].can_take(duty)

    def take(self, pid: str, duty: Duty, role: Role) -> None:
        setattr(self.assignments[duty.id], role, pid)
        self.doctors[pid].take(duty)

    def open_roles(self, duty: Duty) -> list[Role]:
        """Roles of ``duty`` not yet filled."""
        a = self.assignments[duty.id]
        return [r for r in duty.block.roles if getattr(a, r) is None]

    # --- hospitals ------------------------------------------------------------------------------
    def can_stand_by(self, hid: str, unit: str) -> bool:
        """Whether hospital ``hid`` may stand by for the unit given everything filled so far."""
        h = self.hospitals[hid]
        duties = self.units[unit]
        first = duties[0]
        if first.district not in h.districts or first.day in h.closed_dates:
            return False
        key = (hid, first.day if self.per_day else first.start)
        if h.max_districts is not None and self._at_once[key] >= h.max_districts:
            return False
        dates = self.standby_dates[hid]
        if h.max_standby_days is not None and first.day not in dates and len(dates) >= h.max_standby_days:
            return False
        amount = sum(self._admissions[d.id] for d in duties)
        return amount <= 0 or amount <= self._room[(hid, first.day)] + 1e-9

    def stand_by(self, hid: str, unit: str) -> None:
        duties = self.units[unit]
        first = duties[0]
        self._at_once[(hid, first.day if self.per_day else first.start)] += 1
        self.standby_dates[hid].add(first.day)
        self.standby[hid] += standby_days(sum(d.slot.hours for d in duties))
        self._room[(hid, first.day)] -= sum(self._admissions[d.id] for d in duties)
        self.unit_hospital[unit] = hid
        for d in duties:
            self.assignments[d.id].backup_hospital = hid

    # --- pins -----------------------------------------------------------------------------------
    def place_pins(self) -> None:
        """Pinned duties first: they stay as given (a pin the rules reject is left to the solver)."""
        by_key = {(d.district, d.day, d.block.id): d for d in self.timeline.duties}
        for pin in self.scenario.pinned:
            duty = by_key.get((pin.district, pin.date, pin.block))
            if duty is None:
                continue
            if pin.role == "backup_hospital":
                unit = self.unit_key(duty)
                if unit not in self.unit_hospital and pin.assignee in self.hospitals:
                    self.stand_by(pin.assignee, unit)
                self.fixed.add((duty.id, "backup_hospital"))
            elif pin.assignee in self.doctors:
                self.take(pin.assignee, duty, pin.role)
                self.fixed.add((duty.id, pin.role))

    def gaps(self) -> int:
        """Roles and hospital units left empty."""
        roles = sum(len(self.open_roles(d)) for d in self.timeline.duties)
        return roles + sum(1 for unit in self.units if unit not in self.unit_hospital)


def warm_starts(
    scenario: Scenario,
    timeline: Timeline,
    eligibility: Eligibility,
    share: FairShare,
    targets: Mapping[str, float] | None = None,
) -> list[Ledger]:
    """Valid rosters, each role to the cheapest doctor (see the module doc), filled in two orders: scarcest
    role first (fewest eligible doctors, then most points), and in time order. Neither order wins on every
    network; the solve keeps the cheaper. ``targets``: the hospitals' standby targets, when computed."""
    targets = targets if targets is not None else standby_targets(scenario, timeline)
    return [
        _fill(
            scenario,
            timeline,
            eligibility,
            share,
            targets,
            lambda duty, role: (len(eligibility.physicians(duty.id, role)), -duty.slot.points, duty.start),
        ),
        _fill(scenario, timeline, eligibility, share, targets, lambda duty, role: (duty.start, 0.0, duty.start)),
    ]


def _fill(
    scenario: Scenario,
    timeline: Timeline,
    eligibility: Eligibility,
    share: FairShare,
    targets: Mapping[str, float],
    order: Callable[[Duty, Role], tuple[Any, ...]],
) -> Ledger:
    ledger = Ledger(scenario, timeline, eligibility)
    ledger.place_pins()
    w = scenario.rules.weights
    home = {c.id: c.district for c in scenario.clinics}
    newer = {p.id for p in scenario.physicians if not p.experienced}
    wished = {(p.id, r.date, r.block) for p in scenario.physicians for r in p.wishes}
    unwished = {(p.id, r.date, r.block) for p in scenario.physicians for r in p.unwishes}

    def asked(table: set[tuple[str, dt.date, str | None]], pid: str, duty: Duty) -> bool:
        return (pid, duty.day, None) in table or (pid, duty.day, duty.block.id) in table

    def deviation(target: float, earned: float, band: float) -> float:
        return max(0.0, abs(earned - target) - band)

    def cost(pid: str, duty: Duty, role: Role) -> tuple[float, float]:
        doc = ledger.doctors[pid]
        target = share.target[pid]
        pts = duty.slot.points
        total, cat = doc.points["total"], doc.points[duty.category]
        c = w.fairness * (deviation(target["total"], total + pts, 1.0) - deviation(target["total"], total, 1.0))
        c += w.fairness_category * (
            deviation(target[duty.category], cat + pts, pts) - deviation(target[duty.category], cat, pts)
        )
        if duty.day - _ONE_DAY in doc.dates or duty.day + _ONE_DAY in doc.dates:
            c += w.spacing
        if home[doc.p.clinic] != duty.district:
            c += w.home_district
        if asked(unwished, pid, duty):
            c += w.requests
        if asked(wished, pid, duty) and duty.day not in doc.dates:
            c -= w.requests
        a = ledger.assignments[duty.id]
        partner = a.secondary if role == "primary" else a.primary
        if pid in newer and partner in newer:
            c += w.pairing
        # Ties go to the doctor furthest below their share.
        return c, total - target["total"]

    roles = sorted(
        ((duty, role) for duty in timeline.duties for role in ledger.open_roles(duty)), key=lambda dr: order(*dr)
    )
    for duty, role in roles:
        options = [pid for pid in eligibility.physicians(duty.id, role) if ledger.can_take(pid, duty, role)]
        if options:
            ledger.take(min(options, key=lambda pid: cost(pid, duty, role)), duty, role)

    for unit in _by_scarcity(ledger, ledger.units):
        if unit in ledger.unit_hospital:
            continue
        able = [hid for hid in ledger.hospitals if ledger.can_stand_by(hid, unit)]
        if able:
            ledger.stand_by(max(able, key=lambda hid: targets[hid] - ledger.standby[hid]), unit)
    return ledger


def _by_scarcity(ledger: Ledger, units: Iterable[str]) -> list[str]:
    """Hospital units, those fewest hospitals can take first."""

    def able(unit: str) -> int:
        first = ledger.units[unit][0]
        return sum(first.district in h.districts and first.day not in h.closed_dates for h in ledger.hospitals.values())

    return sorted(units, key=lambda u: (able(u), ledger.units[u][0].start))
