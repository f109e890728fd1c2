"""Personal caps: duties, nights and holiday duties per period, and consecutive duty dates."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from oncall.rules import CAPS
from solver.terms import Term
from solver.variables import Variables

__all__ = ["ENCODERS", "consecutive_days", "duty_cap", "holiday_cap", "night_cap", "weekend_night_cap"]

CAP = {c.rule: c for c in CAPS}


def _cap(v: Variables, rule_id: str) -> list[Term]:
    """A doctor's duties of the cap's kind (``oncall.rules.CAPS``) stay within their cap."""
    cap = CAP[rule_id]
    for p in v.scenario.physicians:
        limit = cap.limit(p)
        if limit is None:
            continue
        xs = [x for duty, _, x in v.duties_of(p.id) if cap.counts(duty)]
        if len(xs) > limit:
            v.model.add(cp_model.LinearExpr.sum(xs) <= limit)
    return []


def duty_cap(v: Variables) -> list[Term]:
    """A doctor takes no more duties in the period than their cap."""
    return _cap(v, "duty_cap")


def night_cap(v: Variables) -> list[Term]:
    """A doctor takes no more night duties in the period than their cap."""
    return _cap(v, "night_cap")


def holiday_cap(v: Variables) -> list[Term]:
    """A doctor takes no more holiday and 年末年始 duties in the period than their cap."""
    return _cap(v, "holiday_cap")


def weekend_night_cap(v: Variables) -> list[Term]:
    """A doctor takes no more nights starting on a Saturday, Sunday or holiday in the period than their cap."""
    return _cap(v, "weekend_night_cap")


def consecutive_days(v: Variables) -> list[Term]:
    """A doctor is on duty on no more consecutive dates than their limit, counting the previous period."""
    one = dt.timedelta(days=1)
    for p in v.scenario.physicians:
        limit = v.scenario.consecutive_cap(p)
        days = set(v.days_of(p.id))
        if not days:
            continue
        before = set(p.history.recent_duty_dates)
        first, last = min(days), max(days)
        start = first - limit * one
        while start <= last:
            window = [start + i * one for i in range(limit + 1)]
            # A date worked in the previous period counts whatever happens now (the night before
            # the period starts is both a history date and the date of the period's first piece).
            fixed = sum(1 for d in window if d in before)
            free = [v.worked(p.id, d) for d in window if d in days and d not in before]
            if free and len(free) + fixed > limit:
                v.model.add(cp_model.LinearExpr.sum(free) <= limit - fixed)
            start += one
    return []


# This family's encoders by rule id, merged into ``solver.rules.ENCODERS``: a new cap is a row of
# ``oncall.rules.CAPS`` and one function here.
ENCODERS = {
    "duty_cap": duty_cap,
    "night_cap": night_cap,
    "holiday_cap": holiday_cap,
    "weekend_night_cap": weekend_night_cap,
    "consecutive_days": consecutive_days,
}
