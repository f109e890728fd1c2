"""The soft goals measured for reports: fair share, expected visits, requests, spacing, pairs, standby."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from oncall.checker.context import Context, matches
from oncall.checker.report import CheckReport, HospitalFigures, PhysicianFigures, Violation
from oncall.fairness import FairShare, fair_share, standby_days, standby_targets, visit_targets
from oncall.model import CATEGORIES, Physician

__all__ = ["report"]


def report(c: Context, violations: list[Violation]) -> CheckReport:
    """The report: the violations plus the soft-goal figures."""
    rep = CheckReport(violations, lang=c.lang)
    share = fair_share(c.s, c.tl)
    home = {cl.id: cl.district for cl in c.s.clinics}
    visits_due = visit_targets(c.s, c.tl, c.load, share)
    for p in c.s.physicians:
        fig = _physician(c, p, share, home[p.clinic])
        fig.share = p.share
        fig.visit_target = visits_due[p.id]
        fig.visits = sum(c.load.role_visits(h.duty.id, r) for h in c.held.get(p.id, {}).values() for r in h.roles)
        rep.physicians.append(fig)
        rep.home_district_away += fig.away_from_home
        rep.wishes_missed += fig.wishes_total - fig.wishes_honoured
        rep.unwished_given += fig.unwished_given
        rep.spacing += fig.spacing
    for _, rd in c.matched:
        a, b = c.physicians.get(rd.primary or ""), c.physicians.get(rd.secondary or "")
        if a is not None and b is not None and a.id != b.id and not (a.experienced or b.experienced):
            rep.pairing_missed += 1
    rep.hospitals = _hospitals(c)
    return rep


def _hospitals(c: Context) -> list[HospitalFigures]:
    out: list[HospitalFigures] = []
    targets = standby_targets(c.s, c.tl)
    period = c.load.period_dates
    for h in c.s.hospitals:
        duties = c.standby.get(h.id, [])
        days = sum(standby_days(d.slot.hours) for d in duties)
        mine = [d for d in c.hospital_days if d.hospital == h.id]
        peak = max((d for d in mine if d.expected > 0), key=lambda d: d.expected, default=None)
        out.append(
            HospitalFigures(
                id=h.id,
                name=h.label(c.lang),
                standby_days=len({d.day for d in duties}),
                standby_duties=len(duties),
                standby=days,
                target=targets[h.id],
                deviation=days - targets[h.id],
                capacity_per_day=h.capacity_per_day,
                limit=c.load.limit[h.id],
                peak_admissions=peak.expected if peak else 0.0,
                peak_day=peak.day if peak else None,
                mean_admissions=sum(d.expected for d in mine if d.day in period) / max(1, len(period)),
            )
        )
    return out


def _physician(c: Context, p: Physician, share: FairShare, home: str) -> PhysicianFigures:
    held = list(c.held.get(p.id, {}).values())
    points = dict.fromkeys((*CATEGORIES, "total"), 0.0)
    for h in held:
        factor = c.s.rules.role_points.factor
        earned = h.duty.slot.points * sum(factor(r) for r in h.roles if r in h.duty.roles)
        points[h.duty.category] += earned
        points["total"] += earned
    wishes = [w for w in p.wishes if (w.date, w.block) in c.requestable]
    dates = Counter(h.duty.day for h in held)
    rests = [hours for _, hours, _, _ in c.rests(p)]
    return PhysicianFigures(
        id=p.id,
        name=p.label(c.lang),
        duties=len(held),
        nights=sum(h.duty.night for h in held),
        holiday_duties=sum(h.duty.holiday for h in held),
        points=points,
        target=dict(share.target[p.id]),
        deviation=share.deviation(p.id, points),
        wishes_honoured=sum(any(matches(w, h.duty) for h in held) for w in wishes),
        wishes_total=len(wishes),
        unwished_given=sum(any(matches(u, h.duty) for u in p.unwishes) for h in held),
        longest_run=max((len(run) for run in c.duty_runs(p)), default=0),
        min_rest_hours=min(rests, default=None),
        spacing=sum(d - dt.timedelta(days=1) in dates for d in dates) + sum(n - 1 for n in dates.values()),
        away_from_home=sum(all(home not in c.tl.districts_served(h.duty, r) for r in h.roles) for h in held),
    )
