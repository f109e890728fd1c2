"""Personal preferences: requests, spacing, pairing with experienced partners, home district."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from solver.terms import Term, weight_coefficient
from solver.variables import Variables

__all__ = ["home_district", "pairing", "requests", "spacing"]


def requests(v: Variables) -> list[Term]:
    """Wished dates get a duty and unwished dates get none."""
    weight = v.scenario.rules.weights.requests
    if weight <= 0:
        return []
    terms: list[Term] = []
    for p in v.scenario.physicians:
        mine = v.duties_of(p.id)
        for i, wish in enumerate(p.wishes):
            xs = [x for d, _, x in mine if d.day == wish.date and wish.block in (None, d.block.id)]
            if not xs:
                continue  # impossible wish (absent, no such block): reported by the checker, not priced
            missed = v.model.new_bool_var(f"wish_missed[{p.id},{i},{wish.date}]")
            v.model.add_bool_or([*xs, missed])
            terms.append(Term("requests", missed.name, missed, weight_coefficient(weight * wish.weight, 1)))
        for i, unwish in enumerate(p.unwishes):
            for d, role, x in mine:
                if d.day == unwish.date and unwish.block in (None, d.block.id):
                    name = f"unwished[{p.id},{i},{d.id},{role}]"
                    terms.append(Term("requests", name, x, weight_coefficient(weight * unwish.weight, 1)))
    return terms


def spacing(v: Variables) -> list[Term]:
    """A doctor does not get duties on consecutive dates, nor two duties on one date."""
    weight = v.scenario.rules.weights.spacing
    if weight <= 0:
        return []
    coefficient = weight_coefficient(weight, 1)
    one = dt.timedelta(days=1)
    terms: list[Term] = []
    for p in v.scenario.physicians:
        days = v.days_of(p.id)
        possible = set(days)
        for day in days:
            if day + one in possible:
                both = v.model.new_bool_var(f"back_to_back[{p.id},{day}]")
                v.model.add(v.worked(p.id, day) + v.worked(p.id, day + one) - 1 <= both)
                terms.append(Term("spacing", both.name, both, coefficient))
            if v.exclusive_day(p.id, day):
                continue  # a second duty on this date is impossible: nothing to price
            held = v.duties_on(p.id, day)
            n = len({d.id for d, _ in held})
            extra = v.model.new_int_var(0, n - 1, f"second_duty[{p.id},{day}]")
            v.model.add(extra >= cp_model.LinearExpr.sum([x for _, x in held]) - 1)
            terms.append(Term("spacing", extra.name, extra, coefficient))
    return terms


def pairing(v: Variables) -> list[Term]:
    """A newer doctor is paired with an experienced partner."""
    weight = v.scenario.rules.weights.pairing
    newer = {p.id for p in v.scenario.physicians if not p.experienced}
    if weight <= 0 or len(newer) < 2:
        return []
    terms: list[Term] = []
    for duty in v.timeline.duties:
        xs = [x for pid, _, x in v.candidates(duty.id) if pid in newer]
        if len({pid for pid, _, _ in v.candidates(duty.id) if pid in newer}) < 2:
            continue
        both = v.model.new_bool_var(f"newer_pair[{duty.id}]")
        v.model.add(sum(xs) - 1 <= both)
        terms.append(Term("pairing", both.name, both, weight_coefficient(weight, 1)))
    return terms


def home_district(v: Variables) -> list[Term]:
    """A doctor's duties are in the district of their own clinic (a shared role: in one of its group's)."""
    weight = v.scenario.rules.weights.home_district
    if weight <= 0:
        return []
    home = v.scenario.home_districts()
    coefficient = weight_coefficient(weight, 1)
    terms: list[Term] = []
    for (pid, duty_id, role), x in v.all_assignments().items():
        if home[pid] not in v.timeline.districts_served(v.timeline.by_id[duty_id], role):
            terms.append(Term("home_district", f"away[{pid},{duty_id},{role}]", x, coefficient))
    return terms
