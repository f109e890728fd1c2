"""Personal caps: duties, nights, holiday and weekend duties per period, nights per week, on-call hours, a
minimum of duties, consecutive duty dates and nights, rest between duties."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from oncall.checker.context import Context, runs
from oncall.checker.report import Violation
from oncall.rules import CAPS

__all__ = [
    "CHECKS",
    "consecutive_days",
    "consecutive_nights",
    "duty_cap",
    "duty_minimum",
    "holiday_cap",
    "holiday_night_cap",
    "hours_cap",
    "min_rest",
    "night_cap",
    "weekend_cap",
    "weekend_night_cap",
    "weekly_night_cap",
]

_CAP = {c.rule: c for c in CAPS}


def _cap(c: Context, rule_id: str) -> list[Violation]:
    """A doctor's duties of the cap's kind (``oncall.rules.CAPS``) stay within their cap.

    A night counts once, in the period where it starts: the tail of the night begun on the previous
    period's last date counts against that period's caps, not this one's.
    """
    cap = _CAP[rule_id]
    what = cap.noun[1] if c.lang == "en" else cap.noun[0]
    out: list[Violation] = []
    for pid, held in c.held.items():
        limit = cap.limit(c.physicians[pid])
        if limit is None:
            continue
        totals: dict[str, float] = defaultdict(float)
        for h in held.values():
            if cap.counts(h.duty):
                totals[cap.window(h.duty)] += cap.amount(h.duty)
        for window, n in sorted(totals.items()):
            if not cap.over(n, limit):
                continue
            kw: dict[str, object] = {"who": c.who(pid), "n": f"{round(n, 2):g}", "what": what, "cap": f"{limit:g}"}
            code = "check.cap.over_hours" if cap.scale > 1 else "check.cap.over_week" if window else "check.cap.over"
            out.append(c.v(rule_id, None, (pid,), code, **kw, **({"week": window} if window else {})))
    return out


def duty_cap(c: Context) -> list[Violation]:
    """A doctor takes no more duties in the period than their cap."""
    return _cap(c, "duty_cap")


def night_cap(c: Context) -> list[Violation]:
    """A doctor takes no more night duties in the period than their cap."""
    return _cap(c, "night_cap")


def holiday_cap(c: Context) -> list[Violation]:
    """A doctor takes no more holiday and 年末年始 duties in the period than their cap."""
    return _cap(c, "holiday_cap")


def weekend_night_cap(c: Context) -> list[Violation]:
    """A doctor takes no more nights starting on a Saturday, Sunday or holiday in the period than their cap."""
    return _cap(c, "weekend_night_cap")


def weekend_cap(c: Context) -> list[Violation]:
    """A doctor takes no more duties on Saturdays, Sundays and holidays in the period than their cap."""
    return _cap(c, "weekend_cap")


def holiday_night_cap(c: Context) -> list[Violation]:
    """A doctor takes no more nights starting on a Sunday, holiday or 年末年始 date in the period than their cap."""
    return _cap(c, "holiday_night_cap")


def weekly_night_cap(c: Context) -> list[Violation]:
    """A doctor takes no more nights starting in one ISO week (Monday to Sunday) than their cap."""
    return _cap(c, "weekly_night_cap")


def hours_cap(c: Context) -> list[Violation]:
    """A doctor's on-call hours within the period stay within their cap (employed doctors' working hours)."""
    return _cap(c, "hours_cap")


def duty_minimum(c: Context) -> list[Violation]:
    """A doctor who asked for a minimum takes at least that many duties in the period."""
    out: list[Violation] = []
    for p in c.s.physicians:
        least = p.caps.min_duties
        n = sum(h.duty.counts_against_caps for h in c.held.get(p.id, {}).values())
        if least and n < least:
            out.append(
                c.v("duty_minimum", None, (p.id,), "check.duty_minimum.short", who=c.who(p.id), n=n, least=least)
            )
    return out


def consecutive_nights(c: Context) -> list[Violation]:
    """A doctor has nights on no more consecutive dates than their limit."""
    out: list[Violation] = []
    for pid, held in c.held.items():
        limit = c.physicians[pid].caps.consecutive_nights
        if limit is None:
            continue
        nights: set[dt.date] = {h.duty.day for h in held.values() if h.duty.night}
        for run in runs(nights):
            if len(run) > limit:
                kw = {"who": c.who(pid), "first": run[0].isoformat(), "last": run[-1].isoformat(), "n": len(run)}
                out.append(c.v("consecutive_nights", None, (pid,), "check.consecutive_nights.run", **kw, cap=limit))
    return out


def consecutive_days(c: Context) -> list[Violation]:
    """A doctor is on duty on no more consecutive dates than their limit, counting the previous period."""
    out: list[Violation] = []
    for pid in c.held:
        p = c.physicians[pid]
        cap = c.s.consecutive_cap(p)
        for run in c.duty_runs(p):
            if len(run) > cap:
                out.append(
                    c.v(
                        "consecutive_days",
                        None,
                        (pid,),
                        "check.consecutive_days.run",
                        who=c.who(pid),
                        first=run[0].isoformat(),
                        last=run[-1].isoformat(),
                        n=len(run),
                        cap=cap,
                    )
                )
    return out


def min_rest(c: Context) -> list[Violation]:
    """Between two duties of a doctor lie at least their minimum rest hours, also across periods."""
    out: list[Violation] = []
    for pid in c.held:
        p = c.physicians[pid]
        need = c.s.rest_hours(p)
        for h, hours, prev, from_history in c.rests(p):
            # Two overlapping duties of this roster break one_duty_at_a_time instead; the previous
            # period's duty is in no roster here, so running into it counts as missing rest.
            if hours < need and (hours >= 0 or from_history):
                out.append(
                    c.v(
                        "min_rest",
                        h.duty.id,
                        (pid,),
                        "check.min_rest.short",
                        where=c.where(h.duty),
                        who=c.who(pid),
                        prev=prev,
                        hours=f"{round(hours, 2):g}",
                        need=f"{need:g}",
                    )
                )
    return out


CHECKS = {
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
    "min_rest": min_rest,
}
