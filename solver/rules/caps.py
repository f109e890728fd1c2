"""Personal caps: duties, nights, holiday and weekend duties per period, nights per week, on-call hours, a
minimum of duties, and consecutive duty dates and nights."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from ortools.sat.python import cp_model

from oncall.rules import CAPS
from solver.terms import Term
from solver.variables import Variables

__all__ = [
    "ENCODERS",
    "consecutive_days",
    "consecutive_nights",
    "duty_cap",
    "duty_minimum",
    "holiday_cap",
    "holiday_night_cap",
    "hours_cap",
    "night_cap",
    "weekend_cap",
    "weekend_night_cap",
    "weekly_night_cap",
]

CAP = {c.rule: c for c in CAPS}


def _cap(v: Variables, rule_id: str) -> list[Term]:
    """A doctor's duties of the cap's kind (``oncall.rules.CAPS``) stay within their cap."""
    cap = CAP[rule_id]
    for p in v.scenario.physicians:
        limit = cap.limit(p)
        if limit is None:
            continue
        most = math.floor(limit * cap.scale + 1e-9)
        windows: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for duty, _, x in v.duties_of(p.id):
            if cap.counts(duty):
                windows[cap.window(duty)].append((round(cap.amount(duty) * cap.scale), x))
        for parts in windows.values():
            if sum(n for n, _ in parts) > most:
                xs, ns = [x for _, x in parts], [n for n, _ in parts]
                v.model.add(cp_model.LinearExpr.weighted_sum(xs, ns) <= most)
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


def weekend_cap(v: Variables) -> list[Term]:
    """A doctor takes no more duties on Saturdays, Sundays and holidays in the period than their cap."""
    return _cap(v, "weekend_cap")


def holiday_night_cap(v: Variables) -> list[Term]:
    """A doctor takes no more nights starting on a Sunday, holiday or 年末年始 date in the period than their cap."""
    return _cap(v, "holiday_night_cap")


def weekly_night_cap(v: Variables) -> list[Term]:
    """A doctor takes no more nights starting in one ISO week (Monday to Sunday) than their cap."""
    return _cap(v, "weekly_night_cap")


def hours_cap(v: Variables) -> list[Term]:
    """A doctor's on-call hours within the period stay within their cap (employed doctors' working hours)."""
    return _cap(v, "hours_cap")


def duty_minimum(v: Variables) -> list[Term]:
    """A doctor who asked for a minimum takes at least that many duties in the period."""
    for p in v.scenario.physicians:
        least = p.caps.min_duties
        if least:
            xs = [x for duty, _, x in v.duties_of(p.id) if duty.counts_against_caps]
            v.model.add(cp_model.LinearExpr.sum(xs) >= least)
    return []


def consecutive_nights(v: Variables) -> list[Term]:
    """A doctor has nights on no more consecutive dates than their limit."""
    one = dt.timedelta(days=1)
    for p in v.scenario.physicians:
        limit = p.caps.consecutive_nights
        if limit is None:
            continue
        nights: dict[dt.date, list[cp_model.IntVar]] = defaultdict(list)
        for duty, _, x in v.duties_of(p.id):
            if duty.night:
                nights[duty.day].append(x)
        for first in nights:
            window = [nights.get(first + i * one, []) for i in range(limit + 1)]
            if all(window):  # a night on each date of the window is possible: at most `limit` of them
                v.model.add(cp_model.LinearExpr.sum([x for xs in window for x in xs]) <= limit)
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


# This family's encoders by rule id, merged into ``solver.rules.ENCODERS``: a new cap is a row of
# ``oncall.rules.CAPS`` and one function here.
ENCODERS = {
    "duty_cap": duty_cap,
    "night_cap": night_cap,
    "holiday_cap": holiday_cap,
    "weekend_night_cap": weekend_night_cap,
    "weekend_cap": weekend_cap,
    "holiday_night_cap": holiday_night_cap,
    "weekly_night_cap": weekly_night_cap,
    "hours_cap": hours_cap,
    "duty_minimum": duty_minimum,
    "consecutive_days": consecutive_days,
    "consecutive_nights": consecutive_nights,
}
