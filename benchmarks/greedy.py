"""The roster an association office builds by hand or in a spreadsheet: round-robin, then caps.

The office keeps one list of doctors per district and walks down it duty by duty, in time order: each
role goes to the next doctor on the list who can take it (covers the district, accepts the role, is not
absent, rests long enough, is not on another duty, is from another clinic than the partner) and whose
personal caps (duties, nights, holiday duties, consecutive dates) still allow it; the list then carries
on after that doctor. Backup hospitals rotate the same way through the hospitals that serve the district,
within their closed dates, capacity, standby-day cap and expected admissions. Pinned duties are placed
first. When nobody on the list can take a role the office leaves a gap; it never backtracks.

The hard rules are kept by ``solver.warmstart.Ledger`` (the benchmark checks every roster with the
independent checker besides); nothing soft is looked at, which is what the comparison measures.
"""

from __future__ import annotations

from oncall.diagnosis import Assignment
from oncall.eligibility import compute_eligibility
from oncall.feasibility import Ledger
from oncall.model import Scenario
from oncall.timeline import Timeline

__all__ = ["greedy_roster"]


def greedy_roster(scenario: Scenario, timeline: Timeline | None = None) -> dict[str, Assignment]:
    """The office's roster: duty id -> who holds each role (None where it got stuck)."""
    timeline = timeline or Timeline.build(scenario)
    ledger = Ledger(scenario, timeline, compute_eligibility(scenario, timeline))
    ledger.place_pins()
    lists: dict[str, list[str]] = {d.id: [] for d in scenario.districts}
    for p in scenario.physicians:
        for did in scenario.districts_of(p):
            lists[did].append(p.id)
    turn = dict.fromkeys(lists, 0)
    for duty in timeline.duties:  # in time order
        names = lists[duty.district]
        for role in ledger.open_roles(duty):
            for k in range(len(names)):
                pid = names[(turn[duty.district] + k) % len(names)]
                if ledger.can_take(pid, duty, role):
                    ledger.take(pid, duty, role)
                    turn[duty.district] = (names.index(pid) + 1) % len(names)
                    break

    hospitals = list(ledger.hospitals)
    hturn = dict.fromkeys(lists, 0)
    for unit, duties in ledger.units.items():  # in time order
        if unit in ledger.unit_hospital or not hospitals:
            continue
        district = duties[0].district
        for k in range(len(hospitals)):
            hid = hospitals[(hturn[district] + k) % len(hospitals)]
            if ledger.can_stand_by(hid, unit):
                ledger.stand_by(hid, unit)
                hturn[district] = (hospitals.index(hid) + 1) % len(hospitals)
                break
    return ledger.assignments
