"""A first roster in a fraction of a second, to warm the search up.

Duties are filled one role at a time, scarcest first, each role going to the doctor for whom it costs
least: the one furthest below their fair share, preferring no back-to-back dates, the home district, a
wished date, an experienced partner for a newer doctor. The step-by-step feasibility check
(``oncall.feasibility.Ledger``) keeps every hard rule while filling, so the roster is valid;
when nobody can take a role it stays a gap (no backtracking). When the roster has no gap it proves at
once that every duty can be covered, and the solve skips its coverage phase.

The ledger is shared with the benchmarks' office-style rota, which walks the same rules round-robin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from oncall.eligibility import Eligibility
from oncall.fairness import FairShare, standby_targets
from oncall.feasibility import Ledger
from oncall.model import Role, Scenario
from oncall.timeline import Duty, Timeline

__all__ = ["warm_starts"]

_ONE_DAY = dt.timedelta(days=1)


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
        pts = duty.slot.points * scenario.rules.role_points.factor(role)
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
