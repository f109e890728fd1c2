"""The decision variables, behind queries named for what they mean.

Rule modules never index raw tuples: they ask ``v.assign(p, d, r)``, ``v.on_duty(p, d)``,
``v.duties_of(p)``, ``v.standby(h, unit)``. A variable exists only where the assignment is
possible at all (eligibility), which keeps the model small and the rules simple.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ortools.sat.python import cp_model

from oncall.eligibility import Eligibility
from oncall.fairness import FairShare, fair_share, standby_targets
from oncall.model import Role, Scenario
from oncall.timeline import Duty, Slot, Timeline

__all__ = ["HospitalUnit", "Variables"]

Expr = cp_model.LinearExprT
Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class HospitalUnit:
    """The duties that share one backup hospital: one duty, or one district's duties of a date."""

    key: str
    district: str
    day: dt.date
    duties: tuple[Duty, ...]


@dataclass
class Variables:
    """All decision variables of a roster model."""

    model: cp_model.CpModel
    scenario: Scenario
    timeline: Timeline
    eligibility: Eligibility
    _assign: dict[tuple[str, str, Role], cp_model.IntVar] = field(default_factory=dict)
    _by_physician: dict[str, list[tuple[Duty, Role, cp_model.IntVar]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _by_duty: dict[str, list[tuple[str, Role, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    gap: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)  # (duty id, role) -> gap
    units: list[HospitalUnit] = field(default_factory=list)
    _standby: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)  # (hospital, unit key)
    _unit_hospitals: dict[str, list[tuple[str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    hospital_gap: dict[str, cp_model.IntVar] = field(default_factory=dict)  # unit key -> gap
    _worked: dict[tuple[str, dt.date], cp_model.LinearExpr] = field(default_factory=dict)
    _by_day: dict[tuple[str, dt.date], list[tuple[Duty, cp_model.IntVar]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _exclusive: dict[tuple[frozenset[Span], dt.timedelta], bool] = field(default_factory=dict)
    _exclusive_day: dict[tuple[str, dt.date], bool] = field(default_factory=dict)
    _whole_day: dict[tuple[dt.date, dt.timedelta], bool] = field(default_factory=dict)

    @classmethod
    def create(cls, scenario: Scenario, timeline: Timeline, eligibility: Eligibility) -> Variables:
        """Create assignment, gap and standby variables for every possible assignment."""
        v = cls(cp_model.CpModel(), scenario, timeline, eligibility)
        m = v.model
        for duty in timeline.duties:
            for role in duty.own_roles:
                for pid in eligibility.physicians(duty.id, role):
                    x = m.new_bool_var(f"assign[{pid},{duty.id},{role}]")
                    v._assign[(pid, duty.id, role)] = x
                    v._by_physician[pid].append((duty, role, x))
                    v._by_day[(pid, duty.day)].append((duty, x))
                    v._by_duty[duty.id].append((pid, role, x))
                v.gap[(duty.id, role)] = m.new_bool_var(f"gap[{duty.id},{role}]")
        v._create_hospital_units()
        return v

    def _create_hospital_units(self) -> None:
        for key, duties in self.timeline.hospital_units().items():
            unit = HospitalUnit(key, duties[0].district, duties[0].day, duties)
            self.units.append(unit)
            for h in self.scenario.hospitals:
                if unit.district in h.districts and unit.day not in h.closed_dates:
                    y = self.model.new_bool_var(f"standby[{h.id},{key}]")
                    self._standby[(h.id, key)] = y
                    self._unit_hospitals[key].append((h.id, y))
            self.hospital_gap[key] = self.model.new_bool_var(f"hospital_gap[{key}]")

    # --- queries -------------------------------------------------------------------------------
    def assign(self, pid: str, duty_id: str, role: Role) -> cp_model.IntVar | None:
        """1 when ``pid`` takes ``role`` on the duty; None when that is impossible."""
        return self._assign.get((pid, duty_id, role))

    def duties_of(self, pid: str) -> list[tuple[Duty, Role, cp_model.IntVar]]:
        """Every possible (duty, role, variable) of a physician."""
        return self._by_physician.get(pid, [])

    def candidates(self, duty_id: str) -> list[tuple[str, Role, cp_model.IntVar]]:
        """Every possible (physician, role, variable) of a duty."""
        return self._by_duty.get(duty_id, [])

    def on_duty(self, pid: str, duty_id: str) -> Expr:
        """1 when ``pid`` holds any role on the duty."""
        return sum(x for p, _, x in self.candidates(duty_id) if p == pid)

    def physician_duties(self, pid: str) -> dict[str, list[cp_model.IntVar]]:
        """The physician's variables grouped by duty id."""
        out: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for duty, _, x in self.duties_of(pid):
            out[duty.id].append(x)
        return out

    def worked(self, pid: str, day: dt.date) -> cp_model.LinearExpr:
        """1 when the physician has at least one duty belonging to ``day``.

        When the physician's duties of the date exclude one another (they overlap or lie within the rest
        hours of each other, so at most one is held), this is their sum: exact and the tightest linear
        form, which lets the LP see how many doctors a date takes. Otherwise a Boolean tied both ways to
        those duties is created on demand.
        """
        key = (pid, day)
        if key not in self._worked:
            xs = [x for _, x in self._by_day.get(key, [])]
            if self.exclusive_day(pid, day):
                self._worked[key] = cp_model.LinearExpr.sum(xs)
            else:
                w = self.model.new_bool_var(f"worked[{pid},{day.isoformat()}]")
                for x in xs:
                    self.model.add_implication(x, w)
                # Tight both ways, so penalties on `worked` never reward an idle day.
                self.model.add_bool_or(xs).only_enforce_if(w)
                self._worked[key] = w
        return self._worked[key]

    def exclusive_day(self, pid: str, day: dt.date) -> bool:
        """Whether the physician can hold at most one duty of ``day``: every two of them overlap once the
        minimum rest is added to their ends (one_duty_at_a_time and min_rest then exclude each pair)."""
        known = self._exclusive_day.get((pid, day))
        if known is None:
            known = self._exclusive_day[(pid, day)] = self._exclusive_spans(pid, day)
        return known

    def _exclusive_spans(self, pid: str, day: dt.date) -> bool:
        held = self._by_day.get((pid, day), [])
        if len(held) < 2:
            return True
        rest = self.rest[pid]
        # When every rostered slot of the date excludes every other, so does any subset of them: one
        # test per date and rest serves every physician.
        whole = self._whole_day.get((day, rest))
        if whole is None:
            spans = frozenset((s.start, s.end) for s in self._day_slots.get(day, []))
            whole = self._whole_day[(day, rest)] = self._spans_exclusive(spans, rest)
        return whole or self._spans_exclusive(frozenset((d.start, d.end) for d, _ in held), rest)

    def _spans_exclusive(self, spans: frozenset[Span], rest: dt.timedelta) -> bool:
        if len(spans) < 2:
            return True
        key = (spans, rest)
        if key not in self._exclusive:
            pairs = itertools.combinations(sorted(spans), 2)
            self._exclusive[key] = all(a[0] < b[1] + rest and b[0] < a[1] + rest for a, b in pairs)
        return self._exclusive[key]

    @cached_property
    def _day_slots(self) -> dict[dt.date, list[Slot]]:
        """The rostered slots of each date."""
        out: dict[dt.date, list[Slot]] = defaultdict(list)
        for s in self.timeline.slots:
            if s.block.rostered:
                out[s.day].append(s)
        return out

    @cached_property
    def rest(self) -> dict[str, dt.timedelta]:
        """Minimum rest after a duty, per physician (never negative)."""
        return {p.id: dt.timedelta(hours=max(0.0, self.scenario.rest_hours(p))) for p in self.scenario.physicians}

    @cached_property
    def fair_share(self) -> FairShare:
        """The physicians' fair-share targets (``oncall.fairness``), computed once per model."""
        return fair_share(self.scenario, self.timeline, self.eligibility)

    @cached_property
    def standby_targets(self) -> dict[str, float]:
        """The hospitals' standby targets (``oncall.fairness.standby_targets``), computed once per model."""
        return standby_targets(self.scenario, self.timeline)

    def duties_on(self, pid: str, day: dt.date) -> list[tuple[Duty, cp_model.IntVar]]:
        """The physician's possible (duty, variable) pairs of ``day``."""
        return self._by_day.get((pid, day), [])

    def days_of(self, pid: str) -> list[dt.date]:
        """Dates on which the physician could have a duty."""
        return sorted({duty.day for duty, _, _ in self.duties_of(pid)})

    def standby(self, hid: str, unit_key: str) -> cp_model.IntVar | None:
        """1 when hospital ``hid`` stands by for the unit; None when it cannot."""
        return self._standby.get((hid, unit_key))

    def unit_hospitals(self, unit_key: str) -> list[tuple[str, cp_model.IntVar]]:
        """Every possible (hospital, variable) of a unit."""
        return self._unit_hospitals.get(unit_key, [])

    def all_assignments(self) -> dict[tuple[str, str, Role], cp_model.IntVar]:
        """Every assignment variable, keyed by (physician, duty id, role)."""
        return self._assign

    def all_standby(self) -> dict[tuple[str, str], cp_model.IntVar]:
        """Every standby variable, keyed by (hospital, unit key)."""
        return self._standby
