"""What one person can do: one duty at a time, partners from different clinics, rest between duties."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from ortools.sat.python import cp_model

from solver.terms import Term
from solver.variables import Variables

__all__ = ["add_interval_cliques", "mentor", "min_rest", "never_pair", "one_duty_at_a_time", "secondary_other_clinic"]

Interval = tuple[dt.datetime, dt.datetime, list[cp_model.IntVar]]


def add_interval_cliques(model: cp_model.CpModel, intervals: list[Interval]) -> None:
    """At most one variable among intervals that share an instant.

    Intervals that pairwise overlap share a common instant (Helly), so a sweep that adds one
    at-most-one at every start over the intervals active there covers every conflicting pair.
    """
    intervals = sorted(intervals, key=lambda i: i[0])
    active: list[Interval] = []
    last: set[int] = set()
    for i, (start, _, _) in enumerate(intervals):
        active = [a for a in active if a[1] > start]
        active.append(intervals[i])
        nxt = intervals[i + 1][0] if i + 1 < len(intervals) else None
        if nxt == start:
            continue  # emit once per distinct start, with every interval starting there
        ids = {id(a) for a in active}
        if len(active) > 1 and not ids <= last:
            model.add_at_most_one([x for a in active for x in a[2]])
            last = ids


def one_duty_at_a_time(v: Variables) -> list[Term]:
    """A doctor holds one duty at a time; primary and secondary are different people."""
    for p in v.scenario.physicians:
        by_duty = v.physician_duties(p.id)
        for xs in by_duty.values():
            if len(xs) > 1:
                v.model.add_at_most_one(xs)
        duties = {d.id: d for d, _, _ in v.duties_of(p.id)}
        add_interval_cliques(v.model, [(duties[k].start, duties[k].end, xs) for k, xs in by_duty.items()])
    return []


def min_rest(v: Variables) -> list[Term]:
    """Between two duties of a doctor lie at least their minimum rest hours, also across periods.

    The rest after the previous period is enforced by eligibility (no variable before it ends).
    """
    for p in v.scenario.physicians:
        rest = dt.timedelta(hours=v.scenario.rest_hours(p))
        if rest <= dt.timedelta(0):
            continue
        by_duty = v.physician_duties(p.id)
        duties = {d.id: d for d, _, _ in v.duties_of(p.id)}
        add_interval_cliques(v.model, [(duties[k].start, duties[k].end + rest, xs) for k, xs in by_duty.items()])
    return []


def secondary_other_clinic(v: Variables) -> list[Term]:
    """When the rule is on, primary and secondary of a duty come from different clinics."""
    if not v.scenario.rules.secondary_other_clinic:
        return []
    clinic = {p.id: p.clinic for p in v.scenario.physicians}
    for duty in v.timeline.duties:
        per_clinic: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for pid, _, x in v.candidates(duty.id):
            per_clinic[clinic[pid]].append(x)
        for role, lead in duty.leads:  # a shared role's holder is this duty's partner too
            if lead != duty.id:
                for pid, r, x in v.candidates(lead):
                    if r == role:
                        per_clinic[clinic[pid]].append(x)
        for xs in per_clinic.values():
            if len({x.index for x in xs}) > 1:
                v.model.add_at_most_one(xs)
    return []


def mentor(v: Variables) -> list[Term]:
    """A doctor with named mentors shares a duty only with one of them."""
    for p in v.scenario.physicians:
        if not p.mentors:
            continue
        allowed = {p.id, *p.mentors}
        for duty, role, x in v.duties_of(p.id):
            others = [y for q, r, y in v.candidates(duty.id) if r != role and q not in allowed]
            for y in others:
                v.model.add_bool_or([x.negated(), y.negated()])
    return []


def never_pair(v: Variables) -> list[Term]:
    """Two doctors who must never be paired never share a duty."""
    pairs = {frozenset((p.id, q)) for p in v.scenario.physicians for q in p.never_with}
    for pair in pairs:
        a, b = sorted(pair)
        b_duties = v.physician_duties(b)
        for duty_id, xs in v.physician_duties(a).items():
            ys = b_duties.get(duty_id)
            if ys:
                v.model.add(cp_model.LinearExpr.sum([*xs, *ys]) <= 1)
    return []
