"""Why a duty has nobody: counts of the doctors (or hospitals) who could not take it, by reason.

``2027-01-01 休日夜間 北部 主当番: 北部を担当する医師5名; 不在3名, 月間上限2名``
"""

from __future__ import annotations

import datetime as dt

from oncall.eligibility import EXCLUSIONS, Eligibility
from oncall.feasibility import Assignment, Ledger
from oncall.load import Overload
from oncall.model import Hospital, Role, Scenario
from oncall.rules import CAPS
from oncall.timeline import Duty, Timeline

__all__ = ["ROLE_LABELS", "Assignment", "describe_overloads", "diagnose_gap"]


ROLE_LABELS = {
    "ja": {"primary": "主当番", "secondary": "副当番", "backup_hospital": "後方支援病院"},
    "en": {"primary": "primary", "secondary": "secondary", "backup_hospital": "backup hospital"},
}

_REASONS = {
    "ja": {
        "role": "役割対象外{n}名",
        "absent": "不在{n}名",
        "rest_after_previous": "前月末の当番からの休息不足{n}名",
        "cap_zero": "上限0回{n}名",
        "busy": "同時間帯・休息時間内に別の当番{n}名",
        "duty_cap": "月間当番上限{n}名",
        "night_cap": "夜間上限{n}名",
        "holiday_cap": "休日上限{n}名",
        "consecutive_days": "連続日数上限{n}名",
        "same_clinic": "相方と同じ医療機関{n}名",
        "free": "担当可能{n}名(探索時間内に割当なし)",
    },
    "en": {
        "role": "{n} do not take this role",
        "absent": "{n} absent",
        "rest_after_previous": "{n} still resting after the previous period",
        "cap_zero": "{n} with a cap of zero",
        "busy": "{n} on another duty at that time or within their rest",
        "duty_cap": "{n} at their monthly cap",
        "night_cap": "{n} at their night cap",
        "holiday_cap": "{n} at their holiday cap",
        "consecutive_days": "{n} at their consecutive-day limit",
        "same_clinic": "{n} from the partner's clinic",
        "free": "{n} could still take it (the search stopped first)",
    },
}


def _reason(lang: str, reason: str, n: int) -> str:
    """The gap reason counting ``n`` doctors; a cap of ``oncall.rules.CAPS`` without its own words is named
    by what it counts."""
    words = _REASONS[lang].get(reason)
    if words is None:
        noun = next(c.noun for c in CAPS if c.rule == reason)
        words = f"{noun[0]}の上限{{n}}名" if lang == "ja" else f"{{n}} at their cap of {noun[1]}"
    return words.format(n=n)


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "ja"


# The rule a doctor would break, as the gap reason that counts them.
_REASON_OF_RULE = {"one_duty_at_a_time": "busy", "min_rest": "busy", "secondary_other_clinic": "same_clinic"}


def _dynamic_reason(ledger: Ledger, pid: str, duty: Duty) -> str:
    """Why an eligible doctor does not hold the role: the rule the feasibility check says taking it would
    break (their own duties first, then the partner's clinic), or "free"."""
    rule = ledger.blocking(pid, duty)
    return "free" if rule is None else _REASON_OF_RULE.get(rule, rule)


def _where(timeline: Timeline, duty: Duty, role: str, lang: str) -> str:
    scenario = timeline.scenario
    district = next(d for d in scenario.districts if d.id == duty.district)
    local = timeline.local(duty.start)
    return (
        f"{duty.day.isoformat()} {duty.block.label(lang)} {district.label(lang)} "
        f"{ROLE_LABELS[lang][role]} ({local:%m-%d %H:%M}–)"
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
    lang = _lang(lang)
    if role == "backup_hospital":
        return [_diagnose_hospital(timeline, eligibility, assignments, duty, lang)]
    doctor_role: Role = "primary" if role == "primary" else "secondary"
    served = {d.district for d in timeline.sharing(duty, doctor_role)}  # a shared role: its group's districts
    districts = "・".join(d.label(lang) for d in scenario.districts if d.id in served)
    excluded = eligibility.excluded.get((duty.id, doctor_role), {})
    covering = sum(len(v) for v in excluded.values()) + len(eligibility.physicians(duty.id, doctor_role))
    counts: dict[str, int] = {r: len(excluded.get(r, [])) for r in EXCLUSIONS}
    ledger = Ledger.of_doctors(scenario, timeline, eligibility, assignments)
    for pid in eligibility.physicians(duty.id, doctor_role):
        reason = _dynamic_reason(ledger, pid, duty)
        counts[reason] = counts.get(reason, 0) + 1
    parts = [_reason(lang, r, n) for r, n in counts.items() if n]
    head = f"{covering} doctors cover {districts}" if lang == "en" else f"{districts}を担当する医師{covering}名"
    if not parts:
        parts = ["—"]
    return [f"{_where(timeline, duty, role, lang)}: {head}; {', '.join(parts)}"]


def _diagnose_hospital(
    timeline: Timeline, eligibility: Eligibility, assignments: dict[str, Assignment], duty: Duty, lang: str
) -> str:
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
    district = next(d for d in scenario.districts if d.id == duty.district).label(lang)
    text = _HOSPITAL_TEXT[lang]
    parts = [text[reason].format(n=len(hs)) for reason, hs in counts.items() if hs and reason != "full"]
    if counts["full"]:
        parts.append(_full_text(ledger, unit, counts["full"], district, lang))
    if free:
        parts.append(text["free"].format(n=free))
    head = text["head"].format(where=_where(timeline, duty, "backup_hospital", lang), district=district, n=len(serving))
    return f"{head}; {', '.join(parts)}" if parts else head


# The rule a hospital would break, as the gap reason that counts it.
_HOSPITAL_REASON_OF_RULE = {
    "hospital_closed": "closed",
    "hospital_standby_cap": "standby_cap",
    "hospital_capacity": "max_districts",
    "hospital_admissions": "full",
}


def _full_text(ledger: Ledger, unit: str, full: list[Hospital], district: str, lang: str) -> str:
    """The hospitals the unit's expected admissions would take past their limit, with the figures."""
    text = _HOSPITAL_TEXT[lang]
    details = []
    for h in full:
        held, extra, limit = ledger.admissions(h.id, unit)
        details.append(
            text["one_full"].format(
                name=h.label(lang), held=f"{held:.2f}", extra=f"{extra:.2f}", limit=f"{limit:.2f}", district=district
            )
        )
    day = ledger.units[unit][0].day.isoformat()
    return text["full"].format(n=len(full), day=day, detail="; ".join(details))


_HOSPITAL_TEXT = {
    "ja": {
        "head": "{where}: {district}を受け入れる病院{n}施設",
        "closed": "休止日{n}施設",
        "standby_cap": "待機日数上限{n}施設",
        "max_districts": "同時に受け持つ地区数の上限{n}施設",
        "full": "{day} の受入上限超過{n}施設 ({detail})",
        "one_full": "{name} 予想入院 {held}件 + {district}分 {extra}件 > 上限 {limit}件",
        "free": "受入可能{n}施設(探索時間内に割当なし)",
    },
    "en": {
        "head": "{where}: {n} hospitals serve {district}",
        "closed": "{n} closed that day",
        "standby_cap": "{n} at their standby-day cap",
        "max_districts": "{n} already standing by for as many districts as their max_districts",
        "full": "{n} over their admission limit on {day} ({detail})",
        "one_full": "{name} {held} expected + {extra} from {district} > limit {limit}",
        "free": "{n} could still take it (the search stopped first)",
    },
}


def _date_runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][1] == dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _stranded_text(o: Overload, hospital: str, where: str, en: bool) -> str:
    if en:
        return (
            f"{o.day.isoformat()}: {hospital} is closed and no hospital can admit its registered patients from "
            f"{where} ({o.expected:.2f} expected admissions)"
        )
    return (
        f"{o.day.isoformat()}: {hospital} が休止日で、{where}の同院登録患者の予想入院 {o.expected:.2f}件を"
        "受け入れる病院がない"
    )


def describe_overloads(scenario: Scenario, overloads: list[Overload], lang: str = "ja") -> list[str]:
    """One sentence per hospital whose registered patients alone pass its limit (with the dates), and one
    per date and set of hospitals that cannot absorb the admissions only they can take.

    ``2027-03-21: 川辺病院 が予想入院を受け切れない: 北部・南部から 0.96件 + 登録患者 0.01件 = 0.97件 > 上限 0.80件``
    """
    lang = _lang(lang)
    en = lang == "en"
    margin = scenario.load.capacity_margin
    hospitals = {h.id: h for h in scenario.hospitals}
    districts = {d.id: d.label(lang) for d in scenario.districts}
    joiner = " and " if en else "・"
    out: list[str] = []
    alone = [o for o in overloads if not o.districts]
    for hid in dict.fromkeys(o.hospitals[0] for o in alone):
        h = hospitals[hid]
        mine = [o for o in alone if o.hospitals[0] == hid]
        worst = max(mine, key=lambda o: o.expected)
        dates = ", ".join(
            a.isoformat() if a == b else f"{a.isoformat()}{'–' if en else '〜'}{b.isoformat()}"
            for a, b in _date_runs([o.day for o in mine])
        )
        if en:
            out.append(
                f"{h.label(lang)}: its registered patients alone bring {worst.expected:.2f} expected admissions a "
                f"day, over its limit {worst.limit:.2f} ({h.capacity_per_day} × (1 − {margin:.0%})) on {dates}"
            )
        else:
            out.append(
                f"{h.label(lang)}: 登録患者だけで予想入院 {worst.expected:.2f}件/日が受入上限 {worst.limit:.2f}件/日 "
                f"({h.capacity_per_day}件 × (1 − {margin:.0%})) を超える ({dates})"
            )
    for o in overloads:
        if not o.districts:
            continue
        where = joiner.join(districts[d] for d in o.districts)
        if not o.hospitals:
            out.append(_stranded_text(o, hospitals[o.closed or ""].label(lang), where, en))
            continue
        who = joiner.join(hospitals[h].label(lang) for h in o.hospitals)
        unregistered = o.expected - o.registered
        if en:
            out.append(
                f"{o.day.isoformat()}: {who} cannot absorb the expected admissions: {unregistered:.2f} from "
                f"{where} + {o.registered:.2f} from registered patients = {o.expected:.2f} > limit {o.limit:.2f}"
            )
        else:
            out.append(
                f"{o.day.isoformat()}: {who} が予想入院を受け切れない: {where}から {unregistered:.2f}件 + "
                f"登録患者 {o.registered:.2f}件 = {o.expected:.2f}件 > 上限 {o.limit:.2f}件"
            )
    return out
