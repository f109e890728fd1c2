"""The period laid out in time: every block occurrence (slot) and every duty (slot x district).

Wall-clock rules are computed in the scenario's zone; every instant here is kept in UTC, because
Python compares two datetimes of the same ``tzinfo`` by wall clock, which is wrong across a daylight
saving change. Each slot's end is computed from the same wall-clock value as the next slot's start,
so the slots tile the period exactly even on a 23- or 25-hour day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from oncall.calendar import JapaneseCalendar
from oncall.model import Absence, BlockTemplate, CalendarConfig, Category, DayType, Role, Scenario

__all__ = ["Duty", "Slot", "Timeline", "absence_interval", "duty_id", "to_utc"]

UTC = dt.UTC


def to_utc(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """An aware UTC instant; naive values are read as wall-clock time in ``zone``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _local_instant(day: dt.date, t: dt.time, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=zone).astimezone(UTC)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def duty_id(district: str, start: dt.datetime) -> str:
    """Stable id of a duty: its district and its start instant.

    >>> duty_id("north", dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC))
    'north-20270101T0900Z'
    """
    return f"{district}-{start.astimezone(UTC):%Y%m%dT%H%MZ}"


@dataclass(frozen=True)
class Slot:
    """One occurrence of a block template, clipped to the period."""

    block: BlockTemplate
    day: dt.date  # the date the block belongs to (a night belongs to its evening)
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    day_type: DayType
    category: Category
    points: float  # block points x calendar multiplier x clipped fraction
    holiday_name: str | None
    in_period: bool = True  # False for the tail of the night that began on the date before the period

    @property
    def hours(self) -> float:
        """Length in hours."""
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class Duty:
    """A slot of a rostered block in one district: needs its roles and a hospital.

    ``roles`` are the roles the district asks for in this block (``District.roles``, else the block's). A role
    served by a shared role (``Scenario.shared_roles``) is held by one person for every district of the group:
    ``leads`` names, per shared role, the duty of the group's first district in this slot, the one duty whose
    decision variable (and whose count in caps, rest, fairness and load) stands for the whole group.
    """

    id: str
    district: str
    slot: Slot
    roles: tuple[Role, ...] = ()
    shared: tuple[tuple[Role, str], ...] = ()  # (role, shared role id)
    leads: tuple[tuple[Role, str], ...] = ()  # (role, id of the duty that holds it for the group)

    @property
    def own_roles(self) -> tuple[Role, ...]:
        """The roles held on this duty itself: not shared, or shared with this duty as the group's lead."""
        lead = dict(self.leads)
        return tuple(r for r in self.roles if lead.get(r, self.id) == self.id)

    def lead(self, role: Role) -> str:
        """The id of the duty that holds ``role`` for this one (itself unless the role is shared)."""
        return dict(self.leads).get(role, self.id)

    def shared_by(self, role: Role) -> str | None:
        """The id of the shared role that serves ``role`` here, if any."""
        return dict(self.shared).get(role)

    @property
    def start(self) -> dt.datetime:
        return self.slot.start

    @property
    def end(self) -> dt.datetime:
        return self.slot.end

    @property
    def day(self) -> dt.date:
        return self.slot.day

    @property
    def block(self) -> BlockTemplate:
        return self.slot.block

    @property
    def night(self) -> bool:
        return self.slot.block.night

    @property
    def category(self) -> Category:
        return self.slot.category

    @property
    def holiday(self) -> bool:
        """Counts towards the holiday-duties cap (holidays and 年末年始)."""
        return self.slot.category in ("holiday", "year_end")

    @property
    def counts_against_caps(self) -> bool:
        """Whether the duty counts against the period's caps (duties, nights, holiday duties): a night counts
        once, in the period where it starts, so the tail of the night that began on the previous period's
        last date, which that period's caps counted, does not count again here."""
        return self.slot.in_period


def absence_interval(absence: Absence, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The absence as a half-open UTC interval; whole dates run from local midnight to midnight."""
    if isinstance(absence.start, dt.datetime):
        assert isinstance(absence.end, dt.datetime)
        return to_utc(absence.start, zone), to_utc(absence.end, zone)
    end_day = absence.end if not isinstance(absence.end, dt.datetime) else absence.end.date()
    return (
        _local_instant(absence.start, dt.time(0), zone),
        _local_instant(end_day + dt.timedelta(days=1), dt.time(0), zone),
    )


@dataclass
class Timeline:
    """Slots and duties of a scenario's period."""

    scenario: Scenario
    start: dt.datetime  # UTC, local midnight of the first date
    end: dt.datetime  # UTC, local midnight after the last date
    slots: list[Slot]
    calendar: JapaneseCalendar
    duties: list[Duty] = field(default_factory=list)
    district_slots: dict[str, list[Slot]] = field(default_factory=dict)

    @classmethod
    def build(cls, scenario: Scenario) -> Timeline:
        """Lay out the period of ``scenario``: each district's slots by its own calendar."""
        zone = scenario.zone
        start = _local_instant(scenario.period.start, dt.time(0), zone)
        end = _local_instant(scenario.period.end + dt.timedelta(days=1), dt.time(0), zone)
        network = _slots(scenario, scenario.calendar, start, end)
        by_district: dict[str, list[Slot]] = {}
        for d in scenario.districts:
            config = scenario.calendar_of(d.id)
            by_district[d.id] = network if config is scenario.calendar else _slots(scenario, config, start, end)
        seen = {(s.block.id, s.start) for s in network}
        slots = list(network)
        for own in by_district.values():
            if own is not network:
                slots += [s for s in own if (s.block.id, s.start) not in seen]
                seen |= {(s.block.id, s.start) for s in own}
        slots.sort(key=lambda s: s.start)
        cal = JapaneseCalendar(scenario.calendar)
        tl = cls(scenario=scenario, start=start, end=end, slots=slots, calendar=cal, district_slots=by_district)
        tl.duties = _duties(scenario, by_district)
        return tl

    @cached_property
    def by_id(self) -> dict[str, Duty]:
        """Duties by id."""
        return {d.id: d for d in self.duties}

    @cached_property
    def _groups(self) -> dict[tuple[str, Role], list[Duty]]:
        groups: dict[tuple[str, Role], list[Duty]] = {}
        for d in self.duties:
            for role, lead in d.leads:
                groups.setdefault((lead, role), []).append(d)
        return groups

    def sharing(self, duty: Duty, role: Role) -> list[Duty]:
        """The duties whose ``role`` one person holds together with ``duty`` (the lead first); just ``duty``
        when the role is not shared."""
        return self._groups.get((duty.lead(role), role), [duty])

    def districts_served(self, duty: Duty, role: Role) -> set[str]:
        """The districts whose ``role`` the holder of ``duty``'s ``role`` serves: the group of a shared role,
        else the duty's own district. A doctor whose home district is among them is on duty at home."""
        return {d.district for d in self.sharing(duty, role)}

    def hospital_units(self) -> dict[str, tuple[Duty, ...]]:
        """The duties that share one backup hospital, by unit key: a district's date
        (``north@2027-01-04``) with ``rules.hospital_assignment: day``, else each duty on its own."""
        per_day = self.scenario.rules.hospital_assignment == "day"
        units: dict[str, list[Duty]] = {}
        for d in self.duties:
            units.setdefault(f"{d.district}@{d.day.isoformat()}" if per_day else d.id, []).append(d)
        return {key: tuple(duties) for key, duties in units.items()}

    def regular_hours(self) -> list[tuple[str, Slot]]:
        """(district, slot) for every slot of regular clinic hours."""
        out = [(d.id, s) for d in self.scenario.districts for s in self.district_slots[d.id] if not s.block.rostered]
        order = {d.id: i for i, d in enumerate(self.scenario.districts)}
        return sorted(out, key=lambda x: (x[1].start, order[x[0]]))

    def local(self, instant: dt.datetime) -> dt.datetime:
        """``instant`` on the scenario's wall clock."""
        return instant.astimezone(self.scenario.zone)


def _slots(scenario: Scenario, config: CalendarConfig, start: dt.datetime, end: dt.datetime) -> list[Slot]:
    """Every block occurrence of the period by one calendar, clipped to the period, in time order."""
    zone = scenario.zone
    cal = JapaneseCalendar(config)
    day_start = config.day_start
    slots: list[Slot] = []
    day = scenario.period.start - dt.timedelta(days=1)
    while day <= scenario.period.end:
        day_type = cal.day_type(day)
        anchor = dt.datetime.combine(day, day_start)
        multiplier = cal.points_multiplier(day)
        for b in config.blocks[day_type]:
            offset = _minutes(b.start) - _minutes(day_start)
            length = (_minutes(b.end) - _minutes(b.start)) % 1440 or 1440
            s_wall = anchor + dt.timedelta(minutes=offset % 1440)
            e_wall = s_wall + dt.timedelta(minutes=length)
            s = s_wall.replace(tzinfo=zone).astimezone(UTC)
            e = e_wall.replace(tzinfo=zone).astimezone(UTC)
            full = (e - s).total_seconds()
            cs, ce = max(s, start), min(e, end)
            if ce <= cs:
                continue
            fraction = (ce - cs).total_seconds() / full if full > 0 else 0.0
            slots.append(
                Slot(
                    block=b,
                    day=day,
                    start=cs,
                    end=ce,
                    day_type=day_type,
                    category=cal.category(day),
                    points=round(b.points * multiplier * fraction, 4),
                    holiday_name=cal.holiday_name(day),
                    in_period=day >= scenario.period.start,
                )
            )
        day += dt.timedelta(days=1)
    slots.sort(key=lambda s: s.start)
    return slots


def _duties(scenario: Scenario, by_district: dict[str, list[Slot]]) -> list[Duty]:
    """Every rostered slot of every district with the roles the district needs there, in time order (districts
    in scenario order within a start); a shared role's lead is the group's first district in that slot."""
    order = {d.id: i for i, d in enumerate(scenario.districts)}
    wants = {d.id: d.roles for d in scenario.districts}
    placed = sorted(
        ((s, d) for d, own in by_district.items() for s in own if s.block.rostered),
        key=lambda x: (x[0].start, order[x[1]]),
    )
    lead_of: dict[tuple[str, str, dt.datetime], str] = {}
    duties: list[Duty] = []
    for s, district in placed:
        did = duty_id(district, s.start)
        want = wants[district]
        roles = tuple(want.get(s.block.id, want.get(s.day_type, s.block.roles)))
        shared: list[tuple[Role, str]] = []
        leads: list[tuple[Role, str]] = []
        for role in roles:
            group = scenario.shared_role(district, s.block.id, role)
            if group is not None:
                shared.append((role, group.id))
                leads.append((role, lead_of.setdefault((group.id, s.block.id, s.start), did)))
        duties.append(Duty(did, district, s, roles, tuple(shared), tuple(leads)))
    return duties
