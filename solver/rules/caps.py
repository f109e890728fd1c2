"""Personal caps: duties, nights and holiday duties per period, and consecutive duty dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ortools.sat.python import cp_model

from oncall.timeline import Duty
from solver.terms import Term
from solver.variables import Variables

__all__ = ["consecutive_days", "duty_cap", "holiday_cap", "night_cap"]


def _cap(v: Variables, cap_of: Callable[[str], int | None], counts: Callable[[Duty], bool]) -> None:
    for p in v.scenario.physicians:
        cap = cap_of(p.id)
        if cap is None:
            continue
        # The tail of the night begun before the period was counted in the period where it started.
        xs = [x for duty, _, x in v.duties_of(p.id) if duty.counts_against_caps and counts(duty)]
        if len(xs) > cap:
            v.model.add(cp_model.LinearExpr.sum(xs) <= cap)


def duty_cap(v: Variables) -> list[Term]:
    """A doctor takes no more duties in the period than their cap."""
    caps = {p.id: p.caps.duties for p in v.scenario.physicians}
    _cap(v, caps.get, lambda d: True)
    return []


def night_cap(v: Variables) -> list[Term]:
    """A doctor takes no more night duties in the period than their cap."""
    caps = {p.id: p.caps.nights for p in v.scenario.physicians}
    _cap(v, caps.get, lambda d: d.night)
    return []


def holiday_cap(v: Variables) -> list[Term]:
    """A doctor takes no more holiday and 年末年始 duties in the period than their cap."""
    caps = {p.id: p.caps.holiday_duties for p in v.scenario.physicians}
    _cap(v, caps.get, lambda d: d.holiday)
    return []


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
