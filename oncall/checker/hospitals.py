"""Backup hospitals: districts, closed dates, capacity, admissions, standby days, one hospital per day."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from oncall.checker.context import Context
from oncall.checker.report import Violation
from oncall.timeline import Duty, to_utc

__all__ = [
    "CHECKS",
    "hospital_admissions",
    "hospital_blocks",
    "hospital_capacity",
    "hospital_closed",
    "hospital_closed_hours",
    "hospital_district",
    "hospital_per_day",
    "hospital_standby_cap",
]


def hospital_district(c: Context) -> list[Violation]:
    """A backup hospital stands by only for districts it accepts (and is a registered hospital)."""
    out: list[Violation] = []
    for duty, rd in c.matched:
        hid = rd.backup_hospital
        if hid is None:
            continue
        h = c.hospitals.get(hid)
        if h is None:
            out.append(
                c.v(
                    "hospital_district",
                    duty.id,
                    (hid,),
                    "check.hospital_district.unknown_hospital",
                    where=c.where(duty),
                    id=hid,
                )
            )
        elif duty.district not in h.districts:
            out.append(
                c.v(
                    "hospital_district",
                    duty.id,
                    (hid,),
                    "check.hospital_district.district",
                    where=c.where(duty),
                    who=c.hospital(hid),
                )
            )
    return out


def hospital_closed(c: Context) -> list[Violation]:
    """A backup hospital never stands by on a date it declared closed."""
    out: list[Violation] = []
    for duty, rd in c.matched:
        h = c.hospitals.get(rd.backup_hospital or "")
        if h is not None and duty.day in h.closed_dates:
            out.append(
                c.v(
                    "hospital_closed",
                    duty.id,
                    (h.id,),
                    "check.hospital_closed.closed",
                    where=c.where(duty),
                    who=c.hospital(h.id),
                )
            )
    return out


def hospital_closed_hours(c: Context) -> list[Violation]:
    """A backup hospital never stands by for a duty that overlaps a time it declared closed."""
    out: list[Violation] = []
    for duty, rd in c.matched:
        h = c.hospitals.get(rd.backup_hospital or "")
        for closure in h.closures if h is not None else []:
            start, end = to_utc(closure.start, c.s.zone), to_utc(closure.end, c.s.zone)
            if duty.start < end and start < duty.end:
                assert h is not None
                kw = {"where": c.where(duty), "who": c.hospital(h.id), "span": c.span(start, end)}
                out.append(c.v("hospital_closed_hours", duty.id, (h.id,), "check.hospital_closed_hours.closed", **kw))
                break
    return out


def hospital_blocks(c: Context) -> list[Violation]:
    """A backup hospital stands by only in the blocks it accepts (night blocks, or the blocks it names)."""
    out: list[Violation] = []
    for duty, rd in c.matched:
        h = c.hospitals.get(rd.backup_hospital or "")
        if h is None:
            continue
        if h.night_only and not duty.block.night:
            accepts = c.say("check.hospital_blocks.nights")
        elif not h.night_only and h.standby_blocks and duty.block.id not in h.standby_blocks:
            accepts = ", ".join(c.blocks[b].label(c.lang) if b in c.blocks else b for b in h.standby_blocks)
        else:
            continue
        kw = {"where": c.where(duty), "who": c.hospital(h.id), "accepts": accepts}
        out.append(c.v("hospital_blocks", duty.id, (h.id,), "check.hospital_blocks.block", **kw))
    return out


def hospital_capacity(c: Context) -> list[Violation]:
    """A backup hospital stands by for no more districts at one instant than it can take (once per date)."""
    out: list[Violation] = []
    for hid, duties in c.standby.items():
        cap = c.hospitals[hid].max_districts
        if cap is None:
            continue
        starts: dict[dt.datetime, list[Duty]] = defaultdict(list)
        ends: dict[dt.datetime, list[Duty]] = defaultdict(list)
        for d in duties:
            starts[d.start].append(d)
            ends[d.end].append(d)
        active: Counter[str] = Counter()
        reported: set[dt.date] = set()
        for t in sorted(starts.keys() | ends.keys()):
            # Intervals are half-open: what ends at t no longer counts against what starts at t.
            for d in ends.get(t, []):
                active[d.district] -= 1
                if not active[d.district]:
                    del active[d.district]
            for d in starts.get(t, []):
                active[d.district] += 1
            first = starts[t][0] if t in starts else None
            if first is None or len(active) <= cap or first.day in reported:
                continue
            reported.add(first.day)
            districts = c.say("check.word.and").join(c.district(x) for x in sorted(active))
            out.append(
                c.v(
                    "hospital_capacity",
                    None,
                    (hid,),
                    "check.hospital_capacity.over",
                    where=c.where(first),
                    who=c.hospital(hid),
                    n=len(active),
                    districts=districts,
                    cap=cap,
                )
            )
    return out


def hospital_admissions(c: Context) -> list[Violation]:
    """On every date, each hospital's expected admissions stay within capacity × (1 − margin)."""
    out: list[Violation] = []
    margin = c.s.load.capacity_margin
    for day in c.hospital_days:
        limit = c.load.limit_on(day.hospital, day.day)
        if day.expected <= limit + 1e-9:
            continue
        districts = c.say("check.word.and").join(c.district(x) for x in day.districts)
        out.append(
            c.v(
                "hospital_admissions",
                None,
                (day.hospital,),
                "check.hospital_admissions.over",
                day=day.day.isoformat(),
                who=c.hospital(day.hospital),
                expected=f"{day.expected:.2f}",
                registered=f"{day.registered:.2f}",
                standby=f"{day.from_standby:.2f}",
                districts=f": {districts}" if districts else "",
                limit=f"{limit:.2f}",
                cap=c.hospitals[day.hospital].capacity_per_day,
                margin=f"{margin:.0%}",
            )
        )
    return out


def hospital_standby_cap(c: Context) -> list[Violation]:
    """A backup hospital stands by on no more days than its cap."""
    out: list[Violation] = []
    for hid, duties in c.standby.items():
        cap = c.hospitals[hid].max_standby_days
        n = len({d.day for d in duties})
        if cap is not None and n > cap:
            out.append(
                c.v(
                    "hospital_standby_cap",
                    None,
                    (hid,),
                    "check.hospital_standby_cap.over",
                    who=c.hospital(hid),
                    n=n,
                    cap=cap,
                )
            )
    return out


def hospital_per_day(c: Context) -> list[Violation]:
    """When hospitals are assigned per day, a district keeps one backup hospital for all blocks of a date."""
    if c.s.rules.hospital_assignment != "day":
        return []
    out: list[Violation] = []
    seen: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for duty, rd in c.matched:
        hid = rd.backup_hospital
        if hid is not None and hid not in seen[(duty.district, duty.day)]:
            seen[(duty.district, duty.day)].append(hid)
    for (did, day), hids in seen.items():
        if len(hids) > 1:
            who = c.say("check.word.and").join(c.hospital(h) for h in hids)
            out.append(
                c.v(
                    "hospital_per_day",
                    None,
                    tuple(hids),
                    "check.hospital_per_day.several",
                    day=day.isoformat(),
                    district=c.district(did),
                    who=who,
                )
            )
    return out


CHECKS = {
    "hospital_district": hospital_district,
    "hospital_closed": hospital_closed,
    "hospital_closed_hours": hospital_closed_hours,
    "hospital_blocks": hospital_blocks,
    "hospital_capacity": hospital_capacity,
    "hospital_admissions": hospital_admissions,
    "hospital_standby_cap": hospital_standby_cap,
    "hospital_per_day": hospital_per_day,
}
