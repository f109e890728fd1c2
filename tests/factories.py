"""Small scenarios and hand-built rosters for tests.

``make_scenario()`` is a comfortable, valid network: two districts, four clinics, twelve doctors
(one employed, one new, one secondary-only, one covering both districts), two backup hospitals and
the week 2027-01-04 (Mon) to 2027-01-10 (Sun), whose first duty is the tail of the 1/3 年末年始
night. ``greedy_roster()`` fills it without a solver: duty by duty in time order, each role goes to
the eligible doctor who has rested longest, so tests can seed one violation at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from oncall.model import (
    Clinic,
    District,
    Hospital,
    Period,
    Physician,
    Role,
    Scenario,
)
from oncall.roster import Roster, RosterDuty, RosterPeriod, RosterRegularHours
from oncall.timeline import Duty, Timeline, absence_interval, to_utc

__all__ = ["duties_of", "greedy_roster", "make_scenario", "roster_duty"]

START = dt.date(2027, 1, 4)


def make_scenario(start: dt.date = START, days: int = 7) -> Scenario:
    """A small valid network over ``days`` dates from ``start``."""
    people = [
        # id, name, English name, clinic
        ("n1a", "青木一郎", "Ichiro Aoki", "n1"),
        ("n1b", "石田二郎", "Jiro Ishida", "n1"),
        ("n1c", "上田三郎", "Saburo Ueda", "n1"),
        ("n2a", "江藤花子", "Hanako Eto", "n2"),
        ("n2b", "大野健", "Ken Ono", "n2"),
        ("n2c", "加藤誠", "Makoto Kato", "n2"),
        ("s1a", "木村直子", "Naoko Kimura", "s1"),
        ("s1b", "工藤学", "Manabu Kudo", "s1"),
        ("s1c", "小林翔", "Sho Kobayashi", "s1"),
        ("s2a", "佐藤恵", "Megumi Sato", "s2"),
        ("s2b", "清水亮", "Ryo Shimizu", "s2"),
        ("s2c", "鈴木舞", "Mai Suzuki", "s2"),
    ]
    physicians = [Physician(id=i, name=n, name_en=e, clinic=c) for i, n, e, c in people]
    by_id = {p.id: p for p in physicians}
    by_id["n1c"].employment = "employed"
    by_id["n2c"].experienced = False
    by_id["s1c"].roles = ["secondary"]
    by_id["s2c"].districts = ["south", "north"]
    return Scenario(
        name="test-network",
        period=Period(start=start, end=start + dt.timedelta(days=days - 1)),
        districts=[
            District(id="north", name="北部", name_en="North", neighbours=["south"]),
            District(id="south", name="南部", name_en="South", neighbours=["north"]),
        ],
        clinics=[
            Clinic(id="n1", name="北一クリニック", district="north"),
            Clinic(id="n2", name="北二診療所", district="north"),
            Clinic(id="s1", name="南一クリニック", district="south"),
            Clinic(id="s2", name="南二医院", district="south"),
        ],
        physicians=physicians,
        hospitals=[
            Hospital(
                id="central",
                name="中央病院",
                name_en="Central Hospital",
                districts=["north", "south"],
                capacity_per_day=6,
            ),
            Hospital(id="minami", name="南病院", name_en="Minami Hospital", districts=["south"], capacity_per_day=3),
        ],
    )


def _run_length(dates: set[dt.date], day: dt.date) -> int:
    """Length of the run of consecutive dates through ``day`` if ``day`` is added."""
    one = dt.timedelta(days=1)
    n, d = 1, day - one
    while d in dates:
        n, d = n + 1, d - one
    d = day + one
    while d in dates:
        n, d = n + 1, d + one
    return n


def greedy_roster(scenario: Scenario) -> Roster:
    """A valid roster for an easy scenario (pins honoured; hospital max_districts not considered)."""
    tl = Timeline.build(scenario)
    zone = scenario.zone
    clinic_district = {c.id: c.district for c in scenario.clinics}
    absences = {p.id: [absence_interval(a, zone) for a in p.absences] for p in scenario.physicians}
    last_end: dict[str, dt.datetime | None] = {
        p.id: None if p.history.last_duty_end is None else to_utc(p.history.last_duty_end, zone)
        for p in scenario.physicians
    }
    dates: dict[str, set[dt.date]] = {p.id: set(p.history.recent_duty_dates) for p in scenario.physicians}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    pins = {(p.district, p.date, p.block, p.role): p.assignee for p in scenario.pinned}

    def can_take(p: Physician, duty: Duty, role: Role, partner: Physician | None) -> bool:
        districts = p.districts if p.districts is not None else [clinic_district[p.clinic]]
        prev = last_end[p.id]
        caps = p.caps
        return (
            duty.district in districts
            and role in p.roles
            and not any(s < duty.end and duty.start < e for s, e in absences[p.id])
            and (prev is None or (duty.start - prev).total_seconds() / 3600 >= scenario.rest_hours(p))
            and _run_length(dates[p.id], duty.day) <= scenario.consecutive_cap(p)
            and (caps.duties is None or counts[p.id]["duties"] < caps.duties)
            and (caps.nights is None or not duty.night or counts[p.id]["nights"] < caps.nights)
            and (caps.holiday_duties is None or not duty.holiday or counts[p.id]["holidays"] < caps.holiday_duties)
            and (
                partner is None
                or (p.id != partner.id and not (scenario.rules.secondary_other_clinic and p.clinic == partner.clinic))
            )
        )

    def take(p: Physician, duty: Duty) -> None:
        last_end[p.id] = duty.end
        dates[p.id].add(duty.day)
        counts[p.id].update(duties=1, nights=int(duty.night), holidays=int(duty.holiday))

    standby: Counter[str] = Counter()
    standby_days: dict[str, set[dt.date]] = defaultdict(set)
    unit_hospital: dict[tuple[str, dt.date], str] = {}
    out: list[RosterDuty] = []
    for duty in tl.duties:
        chosen: dict[Role, Physician] = {}
        for role in duty.block.roles:
            partner = chosen.get("primary") if role == "secondary" else None
            pinned = pins.get((duty.district, duty.day, duty.block.id, role))
            pool = [scenario.physician(pinned)] if pinned else scenario.physicians
            fits = [p for p in pool if pinned or can_take(p, duty, role, partner)]
            if not fits:
                raise RuntimeError(f"greedy_roster: nobody for {duty.id} {role}")
            best = min(
                fits, key=lambda p: (last_end[p.id] or tl.start - dt.timedelta(days=365), counts[p.id]["duties"])
            )
            chosen[role] = best
            take(best, duty)
        unit = (duty.district, duty.day) if scenario.rules.hospital_assignment == "day" else (duty.id, duty.day)
        hid = unit_hospital.get(unit) or pins.get((duty.district, duty.day, duty.block.id, "backup_hospital"))
        if hid is None:
            open_ = [
                h
                for h in scenario.hospitals
                if duty.district in h.districts
                and duty.day not in h.closed_dates
                and (h.max_standby_days is None or len(standby_days[h.id] | {duty.day}) <= h.max_standby_days)
            ]
            if not open_:
                raise RuntimeError(f"greedy_roster: no hospital for {duty.id}")
            hid = min(open_, key=lambda h: standby[h.id] / h.capacity_per_day).id
        unit_hospital[unit] = hid
        standby[hid] += 1
        standby_days[hid].add(duty.day)
        out.append(
            roster_duty(
                duty,
                primary=chosen["primary"].id if "primary" in chosen else None,
                secondary=chosen["secondary"].id if "secondary" in chosen else None,
                backup_hospital=hid,
                zone_of=tl,
            )
        )
    return Roster(
        scenario=scenario.name,
        timezone=scenario.timezone,
        period=RosterPeriod(start=tl.local(tl.start), end=tl.local(tl.end)),
        status="feasible",
        duties=out,
        regular_hours=[
            RosterRegularHours(district=did, start=tl.local(s.start), end=tl.local(s.end))
            for did, s in tl.regular_hours()
        ],
    )


def roster_duty(
    duty: Duty,
    *,
    primary: str | None,
    secondary: str | None,
    backup_hospital: str | None,
    zone_of: Timeline,
) -> RosterDuty:
    """The roster entry of ``duty``, times in the scenario's zone as the roster document writes them."""
    return RosterDuty(
        id=duty.id,
        district=duty.district,
        block=duty.block.id,
        start=zone_of.local(duty.start),
        end=zone_of.local(duty.end),
        primary=primary,
        secondary=secondary,
        backup_hospital=backup_hospital,
    )


def duties_of(roster: Roster, pid: str) -> list[RosterDuty]:
    """Roster entries in which ``pid`` is primary or secondary, in roster order."""
    return [d for d in roster.duties if pid in (d.primary, d.secondary)]
