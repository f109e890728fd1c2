"""Small scenarios and hand-built rosters for tests.

``make_scenario()`` is a comfortable, valid network: two districts, four clinics, twelve doctors
(one employed, one new, one secondary-only, one covering both districts), two backup hospitals and
the week 2027-01-04 (Mon) to 2027-01-10 (Sun), whose first duty is the tail of the 1/3 年末年始
night. ``greedy_roster()`` fills it without a solver: duty by duty in time order, each role goes to
the doctor who has rested longest among those the feasibility check lets take it, so tests can seed one
violation at a time. ``roster_of()`` writes any assignments as a roster document.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping

from oncall.eligibility import compute_eligibility
from oncall.feasibility import Assignment, Ledger
from oncall.model import Clinic, District, Hospital, Period, Physician, Scenario
from oncall.roster import Roster, RosterDuty, RosterPeriod, RosterRegularHours
from oncall.timeline import Duty, Timeline, to_utc

__all__ = ["duties_of", "greedy_roster", "make_scenario", "roster_duty", "roster_of"]

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


def greedy_roster(scenario: Scenario) -> Roster:
    """A valid roster for an easy scenario (pins honoured as given). Every step asks the feasibility check
    (``oncall.feasibility.Ledger``) what fits."""
    tl = Timeline.build(scenario)
    ledger = Ledger(scenario, tl, compute_eligibility(scenario, tl))
    last_end: dict[str, dt.datetime | None] = {
        p.id: None if p.history.last_duty_end is None else to_utc(p.history.last_duty_end, scenario.zone)
        for p in scenario.physicians
    }
    counts: Counter[str] = Counter()
    pins = {(p.district, p.date, p.block, p.role): p.assignee for p in scenario.pinned}
    standby: Counter[str] = Counter()
    for duty in tl.duties:
        for role in duty.roles:
            if duty.lead(role) != duty.id:  # a shared role: its holder is named on the lead's duty
                setattr(ledger.assignments[duty.id], role, getattr(ledger.assignments[duty.lead(role)], role))
                continue
            pinned = pins.get((duty.district, duty.day, duty.block.id, role))
            fits = [pinned] if pinned else [p.id for p in scenario.physicians if ledger.can_take(p.id, duty, role)]
            if not fits:
                raise RuntimeError(f"greedy_roster: nobody for {duty.id} {role}")
            best = min(fits, key=lambda pid: (last_end[pid] or tl.start - dt.timedelta(days=365), counts[pid]))
            ledger.take(best, duty, role)
            last_end[best] = duty.end
            counts[best] += 1
        unit = ledger.unit_key(duty)
        if unit not in ledger.unit_hospital:
            hid = pins.get((duty.district, duty.day, duty.block.id, "backup_hospital"))
            if hid is None:
                open_ = [h for h in scenario.hospitals if ledger.can_stand_by(h.id, unit)]
                if not open_:
                    raise RuntimeError(f"greedy_roster: no hospital for {duty.id}")
                hid = min(open_, key=lambda h: standby[h.id] / h.capacity_per_day).id
            ledger.stand_by(hid, unit)
        standby[ledger.unit_hospital[unit]] += 1
    return roster_of(scenario, ledger.assignments)


def roster_of(scenario: Scenario, assignments: Mapping[str, Assignment]) -> Roster:
    """The roster document of ``assignments`` (duty id -> who holds what); empty roles stay empty."""
    tl = Timeline.build(scenario)
    none = Assignment()
    return Roster(
        scenario=scenario.name,
        timezone=scenario.timezone,
        period=RosterPeriod(start=tl.local(tl.start), end=tl.local(tl.end)),
        status="feasible",
        duties=[
            roster_duty(
                duty,
                primary=assignments.get(duty.id, none).primary,
                secondary=assignments.get(duty.id, none).secondary,
                backup_hospital=assignments.get(duty.id, none).backup_hospital,
                zone_of=tl,
            )
            for duty in tl.duties
        ],
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
        shared=dict(duty.shared),
    )


def duties_of(roster: Roster, pid: str) -> list[RosterDuty]:
    """Roster entries in which ``pid`` is primary or secondary, in roster order."""
    return [d for d in roster.duties if pid in (d.primary, d.secondary)]
