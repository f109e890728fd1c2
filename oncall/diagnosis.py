"""Why a duty has nobody: counts of the doctors (or hospitals) who could not take it, by reason.

``2027-01-01 休日夜間 北部 主当番: 北部を担当する医師5名; 不在3名, 月間上限2名``
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oncall.eligibility import EXCLUSIONS, Eligibility
from oncall.feasibility import Assignment, Ledger
from oncall.i18n import LANGS, MESSAGES, Coded, Lang, both, coded, joined, render, text
from oncall.load import Overload
from oncall.model import BlockTemplate, District, Hospital, Role, Scenario
from oncall.rules import CAPS
from oncall.timeline import Duty, Timeline

__all__ = ["ROLE_LABELS", "Assignment", "describe_overloads", "diagnose_gap", "gap_causes", "unmet_minimums"]


ROLE_LABELS = {
    lang: {role: text(f"role.{role}", lang) for role in ("primary", "secondary", "backup_hospital")} for lang in LANGS
}


def _reason(reason: str, n: int) -> Coded:
    """The gap reason counting ``n`` doctors; a cap of ``oncall.rules.CAPS`` without its own words is named
    by what it counts."""
    if f"gap.{reason}" in MESSAGES:
        return coded(f"gap.{reason}", n=n)
    noun = next(c.noun for c in CAPS if c.rule == reason)
    return coded("gap.cap_of", noun=both(*noun), n=n)


def _lang(lang: str) -> Lang:
    return "en" if lang == "en" else "ja"


# The rule a doctor would break, as the gap reason that counts them.
_REASON_OF_RULE = {"one_duty_at_a_time": "busy", "min_rest": "busy", "secondary_other_clinic": "same_clinic"}


def _dynamic_reason(ledger: Ledger, pid: str, duty: Duty) -> str:
    """Why an eligible doctor does not hold the role: the rule the feasibility check says taking it would
    break (their own duties first, then the partner's clinic), or "free"."""
    rule = ledger.blocking(pid, duty)
    return "free" if rule is None else _REASON_OF_RULE.get(rule, rule)


def _label(item: District | BlockTemplate | Hospital) -> dict[str, str]:
    return both(item.label("ja"), item.label("en"))


def _where(timeline: Timeline, duty: Duty, role: str) -> Coded:
    scenario = timeline.scenario
    district = next(d for d in scenario.districts if d.id == duty.district)
    local = timeline.local(duty.start)
    # `2027-01-01 休日夜間 北部 主当番 (01-01 17:00–)`, the same words in both languages
    return joined(
        " ",
        [duty.day.isoformat(), _label(duty.block), _label(district), coded(f"role.{role}"), f"({local:%m-%d %H:%M}–)"],
    )


def diagnose_gap(
    scenario: Scenario,
    timeline: Timeline,
    eligibility: Eligibility,
    assignments: dict[str, Assignment],
    duty: Duty,
    role: str,
    lang: str = "ja",
) -> list[str]:
    """One sentence on why nobody holds ``role`` on ``duty`` in the given assignments."""
    causes = gap_causes(scenario, timeline, eligibility, assignments, duty, role)
    return [render(cause, _lang(lang)) for cause in causes]


def gap_causes(
    scenario: Scenario,
    timeline: Timeline,
    eligibility: Eligibility,
    assignments: dict[str, Assignment],
    duty: Duty,
    role: str,
) -> list[Coded]:
    """Why nobody holds ``role`` on ``duty``, as a coded text (plain JSON) to show in any language later."""
    if role == "backup_hospital":
        return [_diagnose_hospital(timeline, eligibility, assignments, duty)]
    doctor_role: Role = "primary" if role == "primary" else "secondary"
    served = {d.district for d in timeline.sharing(duty, doctor_role)}  # a shared role: its group's districts
    group = [d for d in scenario.districts if d.id in served]
    districts = both("・".join(d.label("ja") for d in group), ", ".join(d.label("en") for d in group))
    excluded = eligibility.excluded.get((duty.id, doctor_role), {})
    covering = sum(len(v) for v in excluded.values()) + len(eligibility.physicians(duty.id, doctor_role))
    counts: dict[str, int] = {r: len(excluded.get(r, [])) for r in EXCLUSIONS}
    ledger = Ledger.of_doctors(scenario, timeline, eligibility, assignments)
    for pid in eligibility.physicians(duty.id, doctor_role):
        reason = _dynamic_reason(ledger, pid, duty)
        counts[reason] = counts.get(reason, 0) + 1
    parts: list[Any] = [_reason(r, n) for r, n in counts.items() if n] or ["—"]
    return [
        coded(
            "gap.doctors",
            where=_where(timeline, duty, role),
            district=districts,
            n=covering,
            parts=joined(", ", parts),
        )
    ]


def unmet_minimums(scenario: Scenario, timeline: Timeline, eligibility: Eligibility, lang: str = "ja") -> list[str]:
    """One sentence per doctor whose minimum of duties (``caps.min_duties``) no roster can meet, and why.

    A relaxation of the rule, so a hit proves it cannot hold: the duties of the period the doctor could take
    at all (their districts, roles, absences, a cap of zero), at most one per time slot, bounded by their
    duty cap. ``2027-01-04〜2027-01-10 石田二郎: 最低4回; 担当可能な当番2回 (担当地区の当番9回; 内訳 不在7回)``
    """
    shown = _lang(lang)
    out: list[str] = []
    for p in scenario.physicians:
        least = p.caps.min_duties
        if not least:
            continue
        counted = [d for d in timeline.duties if d.counts_against_caps and d.district in scenario.districts_of(p)]
        why: dict[str, set[dt.datetime]] = {}
        able: set[dt.datetime] = set()  # slots (start instants): one duty at a time
        for d in counted:
            # a shared role is asked on its group's lead, where its eligibility lives
            if any(p.id in eligibility.physicians(d.lead(r), r) for r in d.roles):
                able.add(d.start)
                continue
            for r in d.roles:
                for reason, ids in eligibility.excluded.get((d.lead(r), r), {}).items():
                    if p.id in ids:
                        why.setdefault(reason, set()).add(d.start)
        most = len(able) if p.caps.duties is None else min(len(able), p.caps.duties)
        if most >= least:
            continue
        parts = [coded(f"minimum.{r}", n=len(why[r] - able)) for r in EXCLUSIONS if why.get(r, set()) - able]
        line = coded(
            "minimum.unmet",
            first=scenario.period.start.isoformat(),
            last=scenario.period.end.isoformat(),
            who=both(p.label("ja"), p.label("en")),
            least=least,
            most=most,
            slots=len({d.start for d in counted}),
            parts=joined("", [coded("minimum.because", parts=joined(", ", parts))] if parts else []),
        )
        out.append(render(line, shown))
    return out


def _diagnose_hospital(
    timeline: Timeline, eligibility: Eligibility, assignments: dict[str, Assignment], duty: Duty
) -> Coded:
    """Count the hospitals serving the duty's district by the rule the feasibility check says standing by
    for its unit would break: closed that date, at its standby-day cap, already standing by for
    ``max_districts`` districts then, over its admission limit; the others could still have taken it (the
    search stopped first)."""
    scenario = timeline.scenario
    ledger = Ledger.of_assignments(scenario, timeline, eligibility, assignments)
    unit = ledger.unit_key(duty)
    serving = [h for h in scenario.hospitals if duty.district in h.districts]
    counts: dict[str, list[Hospital]] = {reason: [] for reason in _HOSPITAL_REASON_OF_RULE.values()}
    free = 0
    for h in serving:
        rule = ledger.hospital_blocking(h.id, unit)
        if rule is None:
            free += 1
        else:
            counts[_HOSPITAL_REASON_OF_RULE[rule]].append(h)
    district = _label(next(d for d in scenario.districts if d.id == duty.district))
    parts = [coded(f"gap.{reason}", n=len(hs)) for reason, hs in counts.items() if hs and reason != "full"]
    if counts["full"]:
        parts.append(_full_text(ledger, unit, counts["full"], district))
    if free:
        parts.append(coded("gap.hospital_free", n=free))
    where = _where(timeline, duty, "backup_hospital")
    if not parts:
        return coded("gap.hospitals", where=where, district=district, n=len(serving))
    return coded("gap.hospitals_because", where=where, district=district, n=len(serving), parts=joined(", ", parts))


# The rule a hospital would break, as the gap reason that counts it.
_HOSPITAL_REASON_OF_RULE = {
    "hospital_closed": "closed",
    "hospital_closed_hours": "closed_hours",
    "hospital_blocks": "blocks",
    "hospital_standby_cap": "standby_cap",
    "hospital_capacity": "max_districts",
    "hospital_admissions": "full",
}


def _full_text(ledger: Ledger, unit: str, full: list[Hospital], district: dict[str, str]) -> Coded:
    """The hospitals the unit's expected admissions would take past their limit, with the figures."""
    details = []
    for h in full:
        held, extra, limit = ledger.admissions(h.id, unit)
        details.append(
            coded(
                "gap.one_full",
                name=_label(h),
                held=f"{held:.2f}",
                extra=f"{extra:.2f}",
                limit=f"{limit:.2f}",
                district=district,
            )
        )
    day = ledger.units[unit][0].day.isoformat()
    return coded("gap.full", n=len(full), day=day, detail=joined("; ", details))


def _date_runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def describe_overloads(scenario: Scenario, overloads: list[Overload], lang: str = "ja") -> list[str]:
    """One sentence per hospital whose registered patients alone pass its limit (with the dates), and one
    per date and set of hospitals that cannot absorb the admissions only they can take.

    ``2027-03-21: 川辺病院 が予想入院を受け切れない: 北部・南部から 0.96件 + 登録患者 0.01件 = 0.97件 > 上限 0.80件``
    """
    shown = _lang(lang)
    margin = scenario.load.capacity_margin
    hospitals = {h.id: h for h in scenario.hospitals}
    districts = {d.id: d.label(shown) for d in scenario.districts}
    joiner, to = text("load.and", shown), text("load.to", shown)
    out: list[str] = []
    alone = [o for o in overloads if not o.districts]
    for hid in dict.fromkeys(o.hospitals[0] for o in alone):
        h = hospitals[hid]
        mine = [o for o in alone if o.hospitals[0] == hid]
        worst = max(mine, key=lambda o: o.expected)
        dates = ", ".join(
            a.isoformat() if a == b else f"{a.isoformat()}{to}{b.isoformat()}"
            for a, b in _date_runs([o.day for o in mine])
        )
        out.append(
            text(
                "load.alone",
                shown,
                hospital=h.label(shown),
                expected=f"{worst.expected:.2f}",
                limit=f"{worst.limit:.2f}",
                capacity=h.capacity_per_day,
                margin=f"{margin:.0%}",
                dates=dates,
            )
        )
    for o in overloads:
        if not o.districts:
            continue
        where = joiner.join(districts[d] for d in o.districts)
        if not o.hospitals:
            hospital = hospitals[o.closed or ""].label(shown)
            day, expected = o.day.isoformat(), f"{o.expected:.2f}"
            out.append(text("load.stranded", shown, day=day, hospital=hospital, where=where, expected=expected))
            continue
        out.append(
            text(
                "load.cannot_absorb",
                shown,
                day=o.day.isoformat(),
                who=joiner.join(hospitals[h].label(shown) for h in o.hospitals),
                where=where,
                unregistered=f"{o.expected - o.registered:.2f}",
                registered=f"{o.registered:.2f}",
                expected=f"{o.expected:.2f}",
                limit=f"{o.limit:.2f}",
            )
        )
    return out
