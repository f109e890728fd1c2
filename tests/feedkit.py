"""Helpers of the feed tests: read a feed back with icalendar, check its lines, make a valid swap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from icalendar import Calendar

from oncall.checker import check
from oncall.io import load_scenario
from oncall.model import Scenario
from oncall.roster import Roster

__all__ = ["Read", "assert_lines", "events_by_uid", "read", "regional", "valid_swap"]

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@cache
def regional() -> tuple[Scenario, Roster]:
    """The regional sample and a valid roster of it: the solver's first solution, once per test session."""
    from solver import SolveOptions, solve

    scenario = load_scenario(SAMPLES / "regional.yaml")
    options = SolveOptions(time_limit=60, workers=2, seed=0, cp_sat={"stop_after_first_solution": True})
    roster = solve(scenario, options).roster
    assert not roster.gaps and check(scenario, roster).ok
    return scenario, roster


@dataclass(frozen=True)
class Read:
    """One VEVENT as icalendar reads it; times as aware UTC instants."""

    uid: str
    sequence: int
    status: str
    summary: str
    description: str
    start: dt.datetime
    end: dt.datetime
    tzid: str | None
    dtstamp: dt.datetime
    last_modified: dt.datetime
    transp: str
    alarms: tuple[dt.timedelta, ...]


def read(body: bytes) -> tuple[Calendar, list[Read]]:
    """The calendar and its events, parsed with icalendar."""
    cal = Calendar.from_ical(body)
    out: list[Read] = []
    for ev in cal.walk("VEVENT"):
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        assert isinstance(start, dt.datetime) and start.tzinfo is not None, start
        out.append(
            Read(
                uid=str(ev["uid"]),
                sequence=int(str(ev["sequence"])),
                status=str(ev["status"]),
                summary=str(ev["summary"]),
                description=str(ev["description"]),
                start=start.astimezone(dt.UTC),
                end=end.astimezone(dt.UTC),
                tzid=ev["dtstart"].params.get("TZID"),
                dtstamp=ev.decoded("dtstamp"),
                last_modified=ev.decoded("last-modified"),
                transp=str(ev["transp"]),
                alarms=tuple(a.decoded("trigger") for a in ev.walk("VALARM")),
            )
        )
    return cal, out


def events_by_uid(body: bytes) -> dict[str, Read]:
    """The events by UID; fails on a UID seen twice."""
    events = read(body)[1]
    by_uid = {e.uid: e for e in events}
    assert len(by_uid) == len(events), "two events share a UID"
    return by_uid


def assert_lines(body: bytes) -> None:
    """RFC 5545 §3.1: CRLF line ends, physical lines of at most 75 octets, no UTF-8 character split."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in body.replace(b"\r\n", b""), "a bare CR"
    for line in body.split(b"\r\n")[:-1]:
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # a character split by folding would not decode on its own line


def valid_swap(
    scenario: Scenario, roster: Roster, role: Literal["primary", "secondary"]
) -> tuple[Roster, str, str, str]:
    """A roster in which one duty's ``role`` passes to another physician and the checker finds nothing.

    Returns the new roster, the duty id, the old holder and the new one. Tries duties from the middle of
    the period and physicians in id order.
    """
    duties = roster.duties[len(roster.duties) // 2 :] + roster.duties[: len(roster.duties) // 2]
    for index, duty in enumerate(duties):
        old = getattr(duty, role)
        if old is None:
            continue
        for p in scenario.physicians:
            if p.id in (duty.primary, duty.secondary) or role not in p.roles:
                continue
            if duty.district not in scenario.districts_of(p):
                continue
            margin = dt.timedelta(hours=12)
            near = [d for d in roster.duties if p.id in (d.primary, d.secondary)]
            if any(d.start < duty.end + margin and duty.start < d.end + margin for d in near):
                continue  # the rest rule would refuse it: save the checker the work
            changed = roster.model_copy(deep=True)
            position = changed.duties.index(next(d for d in changed.duties if d.id == duty.id))
            setattr(changed.duties[position], role, p.id)
            if check(scenario, changed).ok:
                return changed, duty.id, old, p.id
        if index > 40:
            break
    raise AssertionError("no valid swap found")
