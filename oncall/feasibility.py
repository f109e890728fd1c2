"""May doctor X take duty D given what is already assigned? The hard rules, step by step, in plain Python.

A ``Ledger`` keeps every hard rule while a roster is filled one role (or one hospital unit) at a time:
eligibility, one duty at a time, rest, partners from other clinics, the caps of ``oncall.rules.CAPS``,
consecutive dates, pins, hospital districts, closed dates, capacity, standby days and expected
admissions. ``Ledger.blocking`` names the rule a step would break, ``Ledger.can_take`` asks only whether
it would. The warm start, gap diagnosis, the office-style rota of the benchmarks and the test factories
all ask this one check; the CP-SAT encoders (``solver.rules``) and the checker (``oncall.checker``) stay
separate implementations on purpose, so that each can catch the others' mistakes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from oncall.eligibility import Eligibility, touched_by_absence
from oncall.fairness import standby_days
from oncall.load import LoadModel, expected_load
from oncall.model import Physician, Role, Scenario
from oncall.rules import CAPS
from oncall.timeline import Duty, Timeline, to_utc

__all__ = ["Assignment", "Ledger"]

_ONE_DAY = dt.timedelta(days=1)


@dataclass
class Assignment:
    """Who holds a duty (ids, None for nobody)."""

    primary: str | None = None
    secondary: str | None = None
    backup_hospital: str | None = None


def _run_through(dates: set[dt.date], day: dt.date) -> int:
    """Length of the run of consecutive dates of ``dates`` that ``day`` would join."""
    n = 1
    d = day - _ONE_DAY
    while d in dates:
        n, d = n + 1, d - _ONE_DAY
    d = day + _ONE_DAY
    while d in dates:
        n, d = n + 1, d + _ONE_DAY
    return n


@dataclass
class _Doctor:
    """What the ledger tracks of one doctor."""

    p: Physician
    rest: dt.timedelta
    consecutive: int
    held: list[Duty] = field(default_factory=list)
    dates: set[dt.date] = field(default_factory=set)  # duty dates, with the previous period's recent ones
    counted: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))  # (cap, window)
    nights: set[dt.date] = field(default_factory=set)  # dates of the night duties held
    points: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # per category and "total"

    def run_through(self, day: dt.date) -> int:
        """Length of the run of consecutive duty dates that ``day`` would join."""
        return _run_through(self.dates, day)

    def blocking(self, duty: Duty) -> str | None:
        """The hard rule taking ``duty`` would break given the duties held, or None. Overlap and rest are
        checked both ways: duties are not filled in time order."""
        for h in self.held:
            if duty.start < h.end + self.rest and h.start < duty.end + self.rest:
                return "one_duty_at_a_time" if duty.start < h.end and h.start < duty.end else "min_rest"
        for cap in CAPS:
            limit = cap.limit(self.p)
            counted = self.counted[(cap.rule, cap.window(duty))] + cap.amount(duty)
            if limit is not None and cap.counts(duty) and cap.over(counted, limit):
                return cap.rule
        if duty.day not in self.dates and self.run_through(duty.day) > self.consecutive:
            return "consecutive_days"
        most_nights = self.p.caps.consecutive_nights
        new_night = duty.night and most_nights is not None and duty.day not in self.nights
        if new_night and _run_through(self.nights, duty.day) > (most_nights or 0):
            return "consecutive_nights"
        return None

    def take(self, duty: Duty, points: float) -> None:
        self.held.append(duty)
        self.dates.add(duty.day)
        if duty.night:
            self.nights.add(duty.day)
        for cap in CAPS:
            if cap.counts(duty):
                self.counted[(cap.rule, cap.window(duty))] += cap.amount(duty)
        self.points[duty.category] += points
        self.points["total"] += points


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
        self.standby_duties: dict[str, list[Duty]] = defaultdict(list)
        self.standby_dates: dict[str, set[dt.date]] = defaultdict(set)
        self.standby: dict[str, float] = defaultdict(float)  # days on standby so far
        self.unit_hospital: dict[str, str] = {}

    @classmethod
    def of_doctors(
        cls, scenario: Scenario, timeline: Timeline, eligibility: Eligibility, assignments: Mapping[str, Assignment]
    ) -> Ledger:
        """A ledger holding the doctors of ``assignments`` (hospitals left open), to ask what else fits."""
        ledger = cls(scenario, timeline, eligibility)
        by_id = timeline.by_id
        for key, a in assignments.items():
            for role in ("primary", "secondary"):
                pid = getattr(a, role)
                # a shared role is held once, on its group's lead (a roster names it on every duty)
                if pid is not None and pid in ledger.doctors and key in by_id and by_id[key].lead(role) == key:
                    ledger.take(pid, by_id[key], role)
        return ledger

    @classmethod
    def of_assignments(
        cls, scenario: Scenario, timeline: Timeline, eligibility: Eligibility, assignments: Mapping[str, Assignment]
    ) -> Ledger:
        """A ledger holding the doctors and the backup hospitals of ``assignments``, to ask what else fits."""
        ledger = cls.of_doctors(scenario, timeline, eligibility, assignments)
        held: dict[tuple[str, str], list[Duty]] = defaultdict(list)
        for key, a in assignments.items():
            if a.backup_hospital in ledger.hospitals and key in timeline.by_id:
                duty = timeline.by_id[key]
                held[(ledger.unit_key(duty), a.backup_hospital)].append(duty)
        for (unit, hid), duties in held.items():
            ledger.hold(hid, duties)
            if len(duties) == len(ledger.units[unit]):
                ledger.unit_hospital[unit] = hid
        return ledger

    @cached_property
    def _admissions(self) -> dict[str, float]:
        return {k: d.admissions for k, d in self._load.duties.items()}

    @cached_property
    def _closures(self) -> dict[str, list[tuple[dt.datetime, dt.datetime]]]:
        zone = self.scenario.zone
        return {
            h.id: [(to_utc(c.start, zone), to_utc(c.end, zone)) for c in h.closures] for h in self.scenario.hospitals
        }

    @cached_property
    def _room(self) -> dict[tuple[str, dt.date], float]:
        load = self._load
        return {
            (h.id, day): load.limit_on(h.id, day) - load.registered_on(h.id, day)
            for h in self.scenario.hospitals
            for day in {d.day for d in self.timeline.duties}
        }

    @cached_property
    def _load(self) -> LoadModel:
        return expected_load(self.scenario, self.timeline)

    def unit_key(self, duty: Duty) -> str:
        """The hospital unit of a duty: its district's date, or the duty itself."""
        return f"{duty.district}@{duty.day.isoformat()}" if self.per_day else duty.id

    # --- doctors --------------------------------------------------------------------------------
    def can_take(self, pid: str, duty: Duty, role: Role) -> bool:
        """Whether ``pid`` may take ``role`` on ``duty`` given everything filled so far."""
        return pid in self.eligibility.physicians(duty.id, role) and self.blocking(pid, duty) is None

    def blocking(self, pid: str, duty: Duty) -> str | None:
        """The hard rule ``pid`` would break by taking a role of ``duty`` given everything filled so far, or
        None (eligibility, fixed before filling, is the caller's: ``can_take`` asks both). The doctor's own
        duties come first (one duty at a time, rest, caps, consecutive dates), then the partner's clinic."""
        # A shared role's holder is the partner of every primary of the group, and the other way round.
        linked = {duty.id} | {x.id for role, _ in duty.leads for x in self.timeline.sharing(duty, role)}
        held = [self.assignments[k] for k in sorted(linked)]
        partners = [q for a in held for q in (a.primary, a.secondary) if q is not None]
        if pid in partners:
            return "one_duty_at_a_time"
        reason = self.doctors[pid].blocking(duty)
        same_clinic = any(self.clinic[q] == self.clinic[pid] for q in partners)
        if reason is None and self.scenario.rules.secondary_other_clinic and same_clinic:
            return "secondary_other_clinic"
        return reason or self._pair_blocking(pid, partners)

    def _pair_blocking(self, pid: str, partners: list[str]) -> str | None:
        """The pairing rule ``pid`` would break with the duty's partners: mentors, never paired."""
        me = self.doctors[pid].p
        for q in partners:
            other = self.doctors[q].p
            if (me.mentors and q not in me.mentors) or (other.mentors and pid not in other.mentors):
                return "mentor"
            if q in me.never_with or pid in other.never_with:
                return "never_pair"
        return None

    def take(self, pid: str, duty: Duty, role: Role) -> None:
        # A shared role is named on every duty of its group, as a roster names it (counted once, below).
        for d in self.timeline.sharing(duty, role):
            setattr(self.assignments[d.id], role, pid)
        self.doctors[pid].take(duty, duty.slot.points * self.scenario.rules.role_points.factor(role))

    def open_roles(self, duty: Duty) -> list[Role]:
        """Roles of ``duty`` not yet filled."""
        a = self.assignments[duty.id]
        return [r for r in duty.own_roles if getattr(a, r) is None]

    # --- hospitals ------------------------------------------------------------------------------
    def can_stand_by(self, hid: str, unit: str) -> bool:
        """Whether hospital ``hid`` may stand by for the unit given everything filled so far."""
        return self.hospital_blocking(hid, unit) is None

    def hospital_blocking(self, hid: str, unit: str) -> str | None:
        """The hard rule hospital ``hid`` would break by standing by for the unit given everything filled so
        far, or None: districts, closed dates, standby days, districts at once, expected admissions."""
        h = self.hospitals[hid]
        duties = self.units[unit]
        first = duties[0]
        if first.district not in h.districts:
            return "hospital_district"
        if first.day in h.closed_dates:
            return "hospital_closed"
        if any(touched_by_absence(d, self._closures[hid]) for d in duties):
            return "hospital_closed_hours"
        if not all(h.takes_block(d.block) for d in duties):
            return "hospital_blocks"
        dates = self.standby_dates[hid]
        if h.max_standby_days is not None and first.day not in dates and len(dates) >= h.max_standby_days:
            return "hospital_standby_cap"
        if h.max_districts is not None and self.districts_at_once(hid, duties) > h.max_districts:
            return "hospital_capacity"
        amount = sum(self._admissions[d.id] for d in duties)
        if amount > 0 and amount > self._room[(hid, first.day)] + 1e-9:
            return "hospital_admissions"
        return None

    def districts_at_once(self, hid: str, duties: list[Duty]) -> int:
        """The most districts ``hid`` would stand by for at one instant of ``duties`` if it took them too,
        counted as the checker counts them: duties overlapping in time (half-open), each district once."""
        held = [d for d in self.standby_duties[hid] if any(d.start < n.end and n.start < d.end for n in duties)]
        both = held + duties
        instants = {d.start for d in both if any(n.start <= d.start < n.end for n in duties)} | {
            n.start for n in duties
        }
        return max(len({d.district for d in both if d.start <= t < d.end}) for t in instants)

    def admissions(self, hid: str, unit: str) -> tuple[float, float, float]:
        """Hospital ``hid``'s expected admissions on the unit's date so far, the unit's own, and its limit."""
        first = self.units[unit][0]
        limit = self._load.limit_on(hid, first.day)
        return limit - self._room[(hid, first.day)], sum(self._admissions[d.id] for d in self.units[unit]), limit

    def stand_by(self, hid: str, unit: str) -> None:
        self.hold(hid, self.units[unit])
        self.unit_hospital[unit] = hid

    def hold(self, hid: str, duties: list[Duty]) -> None:
        """Count ``duties`` (of one unit) as held by hospital ``hid``."""
        first = duties[0]
        self.standby_duties[hid].extend(duties)
        self.standby_dates[hid].add(first.day)
        self.standby[hid] += standby_days(sum(d.slot.hours for d in duties))
        self._room[(hid, first.day)] -= sum(self._admissions[d.id] for d in duties)
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
