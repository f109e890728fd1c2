"""The independent check of a roster's ``cover`` section: one check per hard cover rule, no CP-SAT.

``CHECKS[rule_id]`` mirrors the solver's filters and encoders (``solver/cover.py``) and is reached from
``oncall check`` through :func:`check_cover`. Messages are (ja, en) pairs keyed by code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from oncall.checker import Violation
from oncall.cover.document import CoverAnswer, CoverPlan
from oncall.cover.facts import Staffing, busy_times, clinic_km, cover_doctor, overlaps, panels, segments
from oncall.i18n import pairs
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.timeline import Timeline

__all__ = ["CHECKS", "MESSAGES", "check_cover"]

MESSAGES = pairs("cover_check")  # in the catalogue as cover_check.<code> (oncall/texts/cover.py)


@dataclass
class _Ctx:
    scenario: Scenario
    plan: CoverPlan
    staffing: dict[str, Staffing]
    busy: dict[str, list[tuple[dt.datetime, dt.datetime]]]
    lang: str

    def v(self, rule: str, code: str, people: tuple[str, ...], **params: object) -> Violation:
        ja, en = MESSAGES[code]
        text = (en if self.lang == "en" else ja).format(**params)
        return Violation(rule=rule, duty=None, people=people, message=text)

    def deputies_of(self, principal: str) -> set[str]:
        return {p.deputy for p in self.plan.pairs if p.principal == principal}

    def links(self) -> list[tuple[str, str, str]]:
        """(principal, coverer, where) for every pair and every named answerer."""
        out = [(p.principal, p.deputy, f"pairs[{i}]") for i, p in enumerate(self.plan.pairs)]
        return out + [(a.principal, a.answerer, f"answers[{i}]") for i, a in enumerate(self.plan.answers) if a.answerer]


def _deputies(c: _Ctx) -> list[Violation]:
    """Every 主治医 with patients has the 副主治医 needed, less the shortfall the plan declares."""
    out = []
    declared = {u.principal: u.missing for u in c.plan.unpaired}
    for principal in sorted({p.principal for p in c.plan.pairs} - set(c.staffing)):
        out.append(c.v("cover_deputies", "not_principal", (principal,), who=principal))
    for principal, st in c.staffing.items():
        have, gap = len(c.deputies_of(principal)), declared.get(principal, 0)
        if have + gap != st.deputies or (gap and have >= st.deputies):
            out.append(
                c.v("cover_deputies", "deputies", (principal,), who=principal, have=have, need=st.deputies, gap=gap)
            )
    return out


def _other_clinic(c: _Ctx) -> list[Violation]:
    s = c.scenario
    return [
        c.v("cover_other_clinic", "same_clinic", (p, d), who=p, other=d)
        for p, d, _ in c.links()
        if s.physician(p).clinic == s.physician(d).clinic
    ]


def _distance(c: _Ctx) -> list[Violation]:
    limit = c.scenario.cover.max_visit_km if c.scenario.cover else None
    out: list[Violation] = []
    for p, d, _ in dict.fromkeys(c.links()) if limit is not None else ():
        for district in c.staffing[p].districts if p in c.staffing else ():
            km = clinic_km(c.scenario, d, p, district)
            if km is not None and limit is not None and km > limit:
                out.append(
                    c.v("cover_distance", "distance", (p, d), who=p, other=d, district=district, km=km, limit=limit)
                )
    return out


def _group(c: _Ctx) -> list[Violation]:
    groups = c.scenario.cover.groups if c.scenario.cover else []
    if not groups:
        return []
    group = {k: g.id for g in groups for k in g.clinics}
    s = c.scenario
    return [
        c.v("cover_group", "group", (p, d), who=p, other=d)
        for p, d, _ in c.links()
        if group.get(s.physician(p).clinic) is None
        or group.get(s.physician(p).clinic) != group.get(s.physician(d).clinic)
    ]


def _capacity(c: _Ctx) -> list[Violation]:
    out = [
        c.v("cover_capacity", "no_cover", (d,), other=d)
        for _, d, _ in c.links()
        if not cover_doctor(c.scenario, d).takes_cover
    ]
    mine: dict[str, list[str]] = defaultdict(list)
    for pair in c.plan.pairs:
        mine[pair.deputy].append(pair.principal)
    for d, principals in mine.items():
        cd = cover_doctor(c.scenario, d)
        n = sum(c.staffing[p].patients for p in principals if p in c.staffing)
        if cd.max_patients is not None and n > cd.max_patients:
            out.append(c.v("cover_capacity", "patients", (d,), other=d, n=n, cap=cd.max_patients))
        if cd.max_colleagues is not None and len(principals) > cd.max_colleagues:
            out.append(c.v("cover_capacity", "colleagues", (d,), other=d, n=len(principals), cap=cd.max_colleagues))
    return out


def _answered(c: _Ctx) -> list[Violation]:
    """Each stretch of absence in regular hours is answered, or declared a gap while no 副主治医 is free."""
    named = {(a.principal, a.start, a.end): a for a in c.plan.answers}
    out = []
    for g in segments(c.scenario, Timeline.build(c.scenario), set(c.staffing)):
        a = named.get((g.principal, g.start, g.end))
        local = {"start": g.start.astimezone(c.scenario.zone), "end": g.end.astimezone(c.scenario.zone)}
        if a is None or (a.answerer is None and not a.reasons):
            out.append(c.v("cover_answered", "unanswered", (g.principal,), who=g.principal, **local))
        elif a.answerer is None:
            free = [d for d in sorted(c.deputies_of(g.principal)) if not overlaps(c.busy.get(d, []), g.start, g.end)]
            out += [
                c.v("cover_answered", "gap_while_free", (g.principal, d), who=g.principal, other=d, **local)
                for d in free
            ]
    return out


def _available(c: _Ctx) -> list[Violation]:
    return [
        c.v("cover_available", "busy", (a.answerer,), other=a.answerer, start=_local(c, a.start), end=_local(c, a.end))
        for a in c.plan.answers
        if a.answerer and overlaps(c.busy.get(a.answerer, []), a.start, a.end)
    ]


def _deputy_first(c: _Ctx) -> list[Violation]:
    out = []
    for a in c.plan.answers:
        if not a.answerer:
            continue
        deputies = c.deputies_of(a.principal)
        if a.role == "deputy" and a.answerer not in deputies:
            out.append(c.v("cover_deputy_first", "not_deputy", (a.answerer,), who=a.principal, other=a.answerer))
        if a.role == "second":
            free = [d for d in sorted(deputies) if not overlaps(c.busy.get(d, []), a.start, a.end)]
            out += [_second_named(c, a, d) for d in free[:1]]
    return out


def _second_named(c: _Ctx, a: CoverAnswer, deputy: str) -> Violation:
    return c.v(
        "cover_deputy_first",
        "deputy_free",
        (a.answerer or "", deputy),
        other=a.answerer,
        deputy=deputy,
        start=_local(c, a.start),
    )


def _local(c: _Ctx, t: dt.datetime) -> dt.datetime:
    return t.astimezone(c.scenario.zone)


CHECKS: dict[str, Callable[[_Ctx], list[Violation]]] = {
    "cover_deputies": _deputies,
    "cover_other_clinic": _other_clinic,
    "cover_distance": _distance,
    "cover_group": _group,
    "cover_capacity": _capacity,
    "cover_answered": _answered,
    "cover_available": _available,
    "cover_deputy_first": _deputy_first,
}


def check_cover(scenario: Scenario, roster: Roster, lang: str = "ja") -> list[Violation]:
    """Every broken hard cover rule of the roster's ``cover`` section (nothing when there is none)."""
    if roster.cover is None or scenario.cover is None:
        return []
    known = {p.id for p in scenario.physicians}
    ctx = _Ctx(scenario, roster.cover, panels(scenario), busy_times(scenario, roster), lang)
    unknown = [(w, who) for _, who, w in ctx.links() if who not in known]
    unknown += [(f"pairs[{i}]", p.principal) for i, p in enumerate(roster.cover.pairs) if p.principal not in known]
    if unknown:
        return [ctx.v("cover_deputies", "unknown_physician", (who,), where=w, who=who) for w, who in unknown]
    return [v for check in CHECKS.values() for v in check(ctx)]
