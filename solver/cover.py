"""The 主治医・副主治医 cover plan as a CP-SAT model of its own, solved after the rota.

Why after, not beside: whoever answers during an absence must not be on a rota duty at that time, and
the rota is published first (the office fixes nights and holidays, then tells families who answers on
the days their doctor is away). So the rota's duties are data here, and the two models stay small.

Variables: ``pair[p, d]`` (d is a 副主治医 of 主治医 p), for each stretch of absence ``deputy[g, d]`` (a
副主治医 answers) and ``second[g, c]`` (a second cover answers), and gap variables (a 副主治医 missing, a
stretch with nobody). Candidates that a hard rule excludes get no variable at all (the ``FILTERS``);
the other hard rules add constraints (the ``ENCODERS``). The solve is lexicographic like the rota's:
fewest gaps first, then, with the gaps fixed, the soft goals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from oncall.cover.document import CoverAnswer, CoverPair, CoverPlan, CoverUnpaired
from oncall.cover.facts import Segment, Staffing, busy_times, clinic_km, cover_doctor, overlaps, panels, segments
from oncall.i18n import text
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.timeline import Timeline
from solver.terms import Term

__all__ = ["ENCODERS", "FILTERS", "CoverModel", "build_cover_model", "solve_cover"]

LOAD_SCALE = 10  # covered load in tenths of a weighted patient-day


@dataclass
class CoverModel:
    """The built model: facts, variables and named terms."""

    scenario: Scenario
    roster: Roster
    staffing: dict[str, Staffing]
    segments: list[Segment]
    busy: dict[str, list[tuple[dt.datetime, dt.datetime]]]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    pair: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    missing: dict[str, cp_model.IntVar] = field(default_factory=dict)
    deputy: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)  # stretch key -> 副主治医 -> var
    second: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)  # stretch key -> second cover -> var
    gap: dict[str, cp_model.IntVar] = field(default_factory=dict)
    gap_terms: list[Term] = field(default_factory=list)
    soft_terms: list[Term] = field(default_factory=list)
    published: CoverPlan | None = None  # the plan in force, when re-planning: changes to it cost

    def kept_pairs(self) -> set[tuple[str, str]]:
        """Pairs worth keeping: last period's, and those of the plan in force."""
        out = {(q.principal, q.deputy) for q in self.scenario.cover.previous_pairs} if self.scenario.cover else set()
        return out | {(q.principal, q.deputy) for q in self.published.pairs} if self.published else out

    def answerers(self, g: Segment) -> dict[str, cp_model.IntVar]:
        """Every variable that names someone for stretch ``g``: deputies and second covers."""
        out = {f"d:{c}": x for c, x in self.deputy.get(g.key, {}).items()}
        return out | {f"s:{c}": x for c, x in self.second.get(g.key, {}).items()}


Filter = Callable[[CoverModel, str, str, Segment | None], bool]


def _other_clinic(m: CoverModel, principal: str, c: str, g: Segment | None) -> bool:
    """A 副主治医 works at another clinic than their 主治医."""
    s = m.scenario
    return s.physician(principal).clinic != s.physician(c).clinic


def _within_distance(m: CoverModel, principal: str, c: str, g: Segment | None) -> bool:
    """A 副主治医's clinic lies within the visit distance of every district of the 主治医's patients."""
    limit = m.scenario.cover.max_visit_km if m.scenario.cover else None
    if limit is None:
        return True
    km = [clinic_km(m.scenario, c, principal, d) for d in m.staffing[principal].districts]
    return all(k is None or k <= limit for k in km)


def _same_group(m: CoverModel, principal: str, c: str, g: Segment | None) -> bool:
    """With 連携型 groups set, 主治医 and cover belong to the same group."""
    assert m.scenario.cover is not None
    groups = m.scenario.cover.groups
    if not groups:
        return True
    group = {k: grp.id for grp in groups for k in grp.clinics}
    s = m.scenario
    mine = group.get(s.physician(principal).clinic)
    return mine is not None and mine == group.get(s.physician(c).clinic)


def _takes_cover(m: CoverModel, principal: str, c: str, g: Segment | None) -> bool:
    """A physician who takes no cover is never named."""
    return cover_doctor(m.scenario, c).takes_cover and c != principal


def _available(m: CoverModel, principal: str, c: str, g: Segment | None) -> bool:
    """Whoever answers is neither absent nor on a rota duty during the stretch."""
    return g is None or not overlaps(m.busy[c], g.start, g.end)


FILTERS: dict[str, Filter] = {
    "cover_other_clinic": _other_clinic,
    "cover_distance": _within_distance,
    "cover_group": _same_group,
    "cover_capacity": _takes_cover,
    "cover_available": _available,
}


def candidates(m: CoverModel, principal: str, g: Segment | None = None) -> list[str]:
    """Physicians no hard rule excludes as cover of ``principal`` (during ``g``, when given)."""
    return [p.id for p in m.scenario.physicians if all(f(m, principal, p.id, g) for f in FILTERS.values())]


def _deputies(m: CoverModel) -> list[Term]:
    """Each 主治医 gets the 副主治医 the panel needs; a shortfall is a gap."""
    for principal, st in m.staffing.items():
        xs = [x for (p, _), x in m.pair.items() if p == principal]
        short = m.model.new_int_var(0, st.deputies, f"missing[{principal}]")
        m.model.add(sum(xs) + short == st.deputies)
        m.missing[principal] = short
        m.gap_terms.append(Term("cover_deputies", f"missing[{principal}]", short, 1))
    return []


def _capacity(m: CoverModel) -> list[Term]:
    """A 副主治医 covers no more patients and colleagues than they take."""
    for p in m.scenario.physicians:
        cd = cover_doctor(m.scenario, p.id)
        mine = [(m.staffing[q].patients, x) for (q, d), x in m.pair.items() if d == p.id]
        if cd.max_patients is not None and mine:
            m.model.add(sum(n * x for n, x in mine) <= cd.max_patients)
        if cd.max_colleagues is not None and mine:
            m.model.add(sum(x for _, x in mine) <= cd.max_colleagues)
    return []


def _answered(m: CoverModel) -> list[Term]:
    """Every stretch names one answerer; nobody is a gap."""
    for g in m.segments:
        gap = m.model.new_bool_var(f"gap[{g.key}]")
        m.model.add(sum(m.answerers(g).values()) + gap == 1)
        m.gap[g.key] = gap
        m.gap_terms.append(Term("cover_answered", f"gap[{g.key}]", gap, 1))
    return []


def _deputy_first(m: CoverModel) -> list[Term]:
    """A 副主治医 answers only for their own 主治医; a second cover (or a gap) only while no 副主治医 is free."""
    for g in m.segments:
        not_deputy = sum(m.second.get(g.key, {}).values()) + m.gap[g.key]
        for d, x in m.deputy.get(g.key, {}).items():
            m.model.add(x <= m.pair[g.principal, d])
            m.model.add(not_deputy + m.pair[g.principal, d] <= 1)  # d is free then: when d is a 副主治医, d answers
    return []


ENCODERS: dict[str, Callable[[CoverModel], list[Term]]] = {
    "cover_deputies": _deputies,
    "cover_capacity": _capacity,
    "cover_answered": _answered,
    "cover_deputy_first": _deputy_first,
}


def _absent_days(m: CoverModel, principal: str) -> float:
    hours = sum((g.end - g.start).total_seconds() / 3600 for g in m.segments if g.principal == principal)
    return hours / 9  # a clinic day of about 9 regular hours


def _loads(m: CoverModel) -> dict[str, int]:
    """Each 主治医's load on one 副主治医: weighted patients x expected absent days, split among the 副主治医."""
    assert m.scenario.cover is not None
    base = m.scenario.cover.expected_absent_days
    return {
        p: round(st.weighted * (base + _absent_days(m, p)) * LOAD_SCALE / st.deputies) for p, st in m.staffing.items()
    }


def _keep_weight(m: CoverModel, loads: dict[str, int]) -> int:
    """A change costs more than any balance, reciprocity or togetherness gain of one pair."""
    w = m.scenario.cover.weights if m.scenario.cover else None
    assert w is not None
    if w.keep_pair is not None:
        return w.keep_pair
    return w.balance * max(loads.values(), default=0) + 2 * w.reciprocal + w.together * (len(m.segments) + 1) + 1


def _soft_goals(m: CoverModel) -> list[Term]:
    """Keep last period's pairs, balance the covered load, prefer reciprocal pairs, keep totals together."""
    assert m.scenario.cover is not None
    w, md, terms = m.scenario.cover.weights, m.model, []
    loads = _loads(m)
    keep = _keep_weight(m, loads)
    for principal, deputy in sorted(m.kept_pairs()):
        x = m.pair.get((principal, deputy))
        if principal in m.staffing:
            broken = md.new_bool_var(f"broken[{principal},{deputy}]")
            md.add(broken == 1 - x) if x is not None else md.add(broken == 1)
            terms.append(Term("cover_keep_pairs", broken.name, broken, keep))
    terms += _keep_answers(m, keep)
    top = md.new_int_var(0, max(sum(loads.values()), 0), "cover_load_max")
    for doc in m.scenario.physicians:
        mine = [(loads[q], x) for (q, d), x in m.pair.items() if d == doc.id]
        if mine:
            md.add(top >= sum(n * x for n, x in mine))
    terms.append(Term("cover_balance", "cover_load_max", top, w.balance))
    for (p, d), x in m.pair.items():
        back = m.pair.get((d, p))
        alone = md.new_bool_var(f"one_way[{p},{d}]")
        md.add(alone >= x - back) if back is not None else md.add(alone >= x)
        terms.append(Term("cover_reciprocal", alone.name, alone, w.reciprocal))
    answers: dict[str, list[cp_model.IntVar]] = {}
    for per in (*m.deputy.values(), *m.second.values()):
        for c, x in per.items():
            answers.setdefault(c, []).append(x)
    duties = {p.id: 0 for p in m.scenario.physicians}
    for rd in m.roster.duties:
        for pid in {rd.primary, rd.secondary} - {None}:
            duties[str(pid)] = duties.get(str(pid), 0) + 1
    most = md.new_int_var(0, max(duties.values(), default=0) + len(m.segments), "duties_and_cover_max")
    for pid, n in duties.items():
        md.add(most >= n + sum(answers.get(pid, [])))
    terms.append(Term("cover_together", most.name, most, w.together))
    return terms


def _keep_answers(m: CoverModel, keep: int) -> list[Term]:
    """Re-planning: a stretch of the plan in force keeps its answerer unless that cannot be."""
    if m.published is None:
        return []
    before = {(a.principal, a.start, a.end): a.answerer for a in m.published.answers if a.answerer}
    terms = []
    for g in m.segments:
        who = before.get((g.principal, g.start, g.end))
        if who is None:
            continue
        same = [x for per in (m.deputy, m.second) if (x := per.get(g.key, {}).get(who)) is not None]
        changed = m.model.new_bool_var(f"changed[{g.key}]")
        m.model.add(changed + sum(same) >= 1)
        terms.append(Term("cover_keep_answers", changed.name, changed, keep))
    return terms


def build_cover_model(scenario: Scenario, roster: Roster, published: CoverPlan | None = None) -> CoverModel:
    """The cover model of ``scenario`` given its rota ``roster`` (and the plan in force, when re-planning)."""
    staffing = panels(scenario)
    tl = Timeline.build(scenario)
    m = CoverModel(scenario, roster, staffing, segments(scenario, tl, set(staffing)), busy_times(scenario, roster))
    m.published = published
    for p in staffing:
        for c in candidates(m, p):
            m.pair[p, c] = m.model.new_bool_var(f"pair[{p},{c}]")
    for g in m.segments:
        for c in candidates(m, g.principal, g):
            if (g.principal, c) in m.pair:
                m.deputy.setdefault(g.key, {})[c] = m.model.new_bool_var(f"deputy[{g.key},{c}]")
            m.second.setdefault(g.key, {})[c] = m.model.new_bool_var(f"second[{g.key},{c}]")
    for encode in ENCODERS.values():
        m.soft_terms += encode(m)
    m.soft_terms += _soft_goals(m)
    return m


def _solver(workers: int, seed: int, time_limit: float | None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = time_limit
    return solver


def solve_cover(
    scenario: Scenario,
    roster: Roster,
    *,
    published: CoverPlan | None = None,
    workers: int = 1,
    seed: int = 0,
    time_limit: float | None = None,
) -> CoverPlan:
    """The cover plan: fewest gaps first, then the soft goals with the gap count fixed.

    With ``published`` (the plan in force), keeping its pairs and answerers outweighs every other goal:
    an absence added mid-month changes as little as it can.
    """
    m = build_cover_model(scenario, roster, published)
    gaps = sum(t.coefficient * t.var for t in m.gap_terms)
    m.model.minimize(gaps)
    solver = _solver(workers, seed, time_limit)
    status = solver.solve(m.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CoverPlan(status="infeasible" if status == cp_model.INFEASIBLE else "unknown")
    m.model.add(gaps <= round(solver.objective_value))
    m.model.minimize(sum(t.coefficient * t.var for t in m.soft_terms))
    status2 = solver.solve(m.model)
    proven = status == cp_model.OPTIMAL and status2 == cp_model.OPTIMAL
    if status2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CoverPlan(status="unknown")
    return _plan(m, solver, "optimal" if proven else "feasible")


def _plan(m: CoverModel, solver: cp_model.CpSolver, status: Literal["optimal", "feasible"]) -> CoverPlan:
    """Read the plan off the solved model; gaps carry their reasons."""
    previous = m.kept_pairs()
    pairs = [
        CoverPair(principal=p, deputy=d, kept=(p, d) in previous)
        for (p, d), x in sorted(m.pair.items())
        if solver.value(x)
    ]
    unpaired = [
        CoverUnpaired(principal=p, missing=solver.value(x), reasons=unpaired_reasons(m, p))
        for p, x in sorted(m.missing.items())
        if solver.value(x)
    ]
    zone = m.scenario.zone
    answers = []
    for g in m.segments:
        chosen = [k for k, x in m.answerers(g).items() if solver.value(x)]
        who = chosen[0][2:] if chosen else None
        role: Literal["deputy", "second"] | None = None
        if chosen:
            role = "deputy" if chosen[0].startswith("d:") else "second"
        reasons = [] if chosen else segment_reasons(m, g)
        answers.append(
            CoverAnswer(
                principal=g.principal,
                start=g.start.astimezone(zone),
                end=g.end.astimezone(zone),
                answerer=who,
                role=role,
                reasons=reasons,
            )
        )
    soft = sum(t.coefficient * solver.value(t.var) for t in m.soft_terms)
    return CoverPlan(
        status=status,
        objective=float(soft),
        bound=float(solver.best_objective_bound),
        pairs=pairs,
        unpaired=unpaired,
        answers=answers,
    )


def unpaired_reasons(m: CoverModel, principal: str) -> list[str]:
    """Why a 主治医 has fewer 副主治医 than needed: which rule ruled out how many physicians."""
    others = [p.id for p in m.scenario.physicians if p.id != principal]
    reasons = []
    for rule_id, f in FILTERS.items():
        if rule_id == "cover_available":
            continue
        out = [c for c in others if not f(m, principal, c, None)]
        if out:
            reasons.append(text("cover_reason.ruled_out", "ja", rule=rule_id, n=len(out)))
    left = candidates(m, principal)
    full = text("cover_reason.full", "ja", names="、".join(left)) if left else ""
    reasons.append(text("cover_reason.capacity", "ja", n=len(left), full=full))
    return reasons


def segment_reasons(m: CoverModel, g: Segment) -> list[str]:
    """Why nobody answers during a stretch: the 副主治医 busy, and every other candidate busy too."""
    mine = [d for (p, d) in m.pair if p == g.principal]
    busy = [c for c in candidates(m, g.principal) if overlaps(m.busy[c], g.start, g.end)]
    return [text("cover_reason.busy", "ja", n=len(mine), busy=len(busy))]
