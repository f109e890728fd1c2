"""Personal caps: duties, nights and holiday duties per period, consecutive duty dates, rest between duties."""

from __future__ import annotations

from oncall.checker.context import Context
from oncall.checker.report import Violation
from oncall.i18n import both
from oncall.rules import CAPS

__all__ = ["CHECKS", "consecutive_days", "duty_cap", "holiday_cap", "min_rest", "night_cap", "weekend_night_cap"]

_CAP = {c.rule: c for c in CAPS}


def _cap(c: Context, rule_id: str) -> list[Violation]:
    """A doctor's duties of the cap's kind (``oncall.rules.CAPS``) stay within their cap.

    A night counts once, in the period where it starts: the tail of the night begun on the previous
    period's last date counts against that period's caps, not this one's.
    """
    cap = _CAP[rule_id]
    out: list[Violation] = []
    for pid, held in c.held.items():
        limit = cap.limit(c.physicians[pid])
        n = sum(cap.counts(h.duty) for h in held.values())
        if limit is not None and n > limit:
            what = both(*cap.noun)
            out.append(c.v(rule_id, None, (pid,), "check.cap.over", who=c.who(pid), n=n, what=what, cap=limit))
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
    "consecutive_days": consecutive_days,
    "min_rest": min_rest,
}
