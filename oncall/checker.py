"""The checker: a roster verified against its scenario, rule by rule, without the solver.

This module is the specification of every hard rule in :mod:`oncall.rules`. It recomputes the
timeline from the scenario and reads the roster as plain data, so a roster from the solver, from a
spreadsheet or edited by hand is judged the same way. It also measures the soft goals (fair share,
expected visits, requests, spacing, pairing, home district, hospital spread) for reports.

Choices the rule statements leave open, made here once:

- A roster duty whose id is not a duty of the period (or that repeats an id) is a ``tiling``
  violation and is not checked further; a duty whose fields differ from the timeline is checked
  with the timeline's fields, which are the truth.
- An unknown physician id is an ``eligibility`` violation, an unknown hospital id a
  ``hospital_district`` violation; neither is checked further.
- Every duty needs a backup hospital, also when the scenario lists none (then nothing can cover it).
- A person rostered in a role the block does not have breaks ``eligibility``.
- A pin that matches no duty of the timeline breaks ``pinned``: it cannot be kept.
- The roster's list of gaps must agree with its duties: a gap naming a duty the roster lacks, or a role
  someone holds, is a ``tiling`` violation (the document contradicts itself).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from oncall.boundary import check_adjacent
from oncall.fairness import FairShare, fair_share, standby_days, standby_targets, visit_targets
from oncall.load import expected_load, hospital_days
from oncall.model import CATEGORIES, ROLES, Absence, Physician, Request, Role, Scenario
from oncall.roster import GapRole, Roster, RosterDuty
from oncall.rules import HARD, rule
from oncall.timeline import Duty, Timeline, absence_interval, to_utc

__all__ = ["CheckReport", "HospitalFigures", "PhysicianFigures", "Violation", "check"]

Lang = Literal["ja", "en"]
_ORDER = {r.id: i for i, r in enumerate(HARD)}

# Message templates: (Japanese, English). `where` is "date block district" of a duty.
_TEXT: dict[str, tuple[str, str]] = {
    "scenario_name": (
        "当番表はシナリオ「{got}」のもの (期待「{want}」)",
        "the roster is for scenario {got!r}, not {want!r}",
    ),
    "timezone": ("当番表のタイムゾーン {got} がシナリオの {want} と違う", "roster time zone {got} differs from {want}"),
    "period": (
        "当番表の期間 {got} がシナリオの期間 {want} と違う",
        "roster period {got} differs from the period {want}",
    ),
    "duplicate_duty": ("{where}: 当番 {id} が {n} 回ある", "{where}: duty {id} appears {n} times"),
    "missing_duty": ("{where}: 当番 {id} が当番表にない", "{where}: duty {id} is missing from the roster"),
    "unknown_duty": ("{where}: 当番 {id} はこの期間の当番ではない", "{where}: duty {id} is not a duty of the period"),
    "unknown_district": ("当番 {id}: 不明な地区 {district}", "duty {id}: unknown district {district!r}"),
    "unknown_block": ("当番 {id}: 不明な時間帯 {block}", "duty {id}: unknown block {block!r}"),
    "regular_district": (
        "診療時間 {span}: 不明な地区 {district}",
        "regular hours {span}: unknown district {district!r}",
    ),
    "duty_field": (
        "{where}: 当番 {id} の {field} が {got} (期待 {want})",
        "{where}: duty {id} has {field} {got}, not {want}",
    ),
    "empty_interval": ("{district}: {what} の長さが 0 以下", "{district}: {what} is empty"),
    "outside_period": ("{district}: {what} が期間の外にある", "{district}: {what} lies outside the period"),
    "hole": ("{district}: {span} に当番も診療時間もない", "{district}: nothing covers {span}"),
    "overlap": ("{district}: {a} と {b} が {span} で重なる", "{district}: {a} and {b} overlap over {span}"),
    "gap": ("{where}: {role}が未定", "{where}: no {role}"),
    "gap_unknown_duty": (
        "欠員一覧の当番 {id} は当番表にない",
        "the gap list names duty {id}, which is not in the roster",
    ),
    "gap_filled": (
        "{where}: 欠員一覧にある{role}は {who} が担当している",
        "{where}: the gap list names the {role}, which {who} holds",
    ),
    "unknown_physician": (
        "{where}: {role}の {id} は登録された医師ではない",
        "{where}: {role} {id} is not a known physician",
    ),
    "unknown_hospital": (
        "{where}: {id} は登録された後方支援病院ではない",
        "{where}: {id} is not a known backup hospital",
    ),
    "absence": (
        "{where}: {who} は不在期間中 ({absence}) に{role}",
        "{where}: {who} is {role} during an absence ({absence})",
    ),
    "district": ("{where}: {who} はこの地区を担当しない", "{where}: {who} does not cover this district"),
    "role": ("{where}: {who} は{role}を引き受けない", "{where}: {who} does not accept the {role} role"),
    "block_role": ("{where}: この時間帯に{role}はない ({who})", "{where}: this block has no {role} ({who})"),
    "same_person": ("{where}: {who} が主当番と副当番を兼ねる", "{where}: {who} is both primary and secondary"),
    "double_booked": ("{where}: {who} は同じ時間に {other} の当番もある", "{where}: {who} is also on duty at {other}"),
    "same_clinic": (
        "{where}: 主当番 {a} と副当番 {b} が同じ医療機関 ({clinic})",
        "{where}: primary {a} and secondary {b} are from the same clinic ({clinic})",
    ),
    "duty_cap": ("{who}: 当番 {n} 回 (上限 {cap} 回)", "{who}: {n} duties (cap {cap})"),
    "night_cap": ("{who}: 夜間当番 {n} 回 (上限 {cap} 回)", "{who}: {n} night duties (cap {cap})"),
    "holiday_cap": ("{who}: 休日当番 {n} 回 (上限 {cap} 回)", "{who}: {n} holiday duties (cap {cap})"),
    "consecutive": (
        "{who}: {first}〜{last} の {n} 日連続で当番 (上限 {cap} 日)",
        "{who}: on duty {n} dates in a row, {first} – {last} (limit {cap})",
    ),
    "rest": (
        "{where}: {who} の休息は {prev} の後 {hours} 時間 (最低 {need} 時間)",
        "{where}: {who} rests {hours} h after {prev} (minimum {need} h)",
    ),
    "previous_duty": ("前期間の当番 ({end} 終了)", "the previous period's duty ending {end}"),
    "hospital_district": ("{where}: {who} はこの地区を受け入れない", "{where}: {who} does not accept this district"),
    "hospital_closed": ("{where}: {who} はこの日休止", "{where}: {who} is closed on this date"),
    "hospital_capacity": (
        "{where}: {who} が同時に {n} 地区を待機 ({districts}; 上限 {cap})",
        "{where}: {who} stands by for {n} districts at once ({districts}; cap {cap})",
    ),
    "hospital_standby_cap": ("{who}: 待機 {n} 日 (上限 {cap} 日)", "{who}: {n} standby days (cap {cap})"),
    "hospital_admissions": (
        "{day} {who}: 予想入院 {expected}件 (登録患者 {registered}件 + 待機分 {standby}件{districts}) が"
        "上限 {limit}件 (受入能力 {cap}件/日 × (1 − {margin})) を超える",
        "{day} {who}: {expected} expected admissions ({registered} from registered patients + {standby} from "
        "standby{districts}) exceed the limit {limit} (capacity {cap} a day × (1 − {margin}))",
    ),
    "hospital_per_day": (
        "{day} {district}: 1 日に複数の後方支援病院 ({who})",
        "{day} {district}: several backup hospitals on one date ({who})",
    ),
    "pin_no_duty": ("{day} {block} {district}: 固定指定に当たる当番がない", "{day} {block} {district}: no duty to pin"),
    "pin": ("{where}: {role}は {want} に固定だが {got}", "{where}: {role} is pinned to {want} but is {got}"),
    "nobody": ("空き", "empty"),
    "regular": ("診療時間 {span}", "regular hours {span}"),
    "and": ("・", " and "),
}
_ROLE_TEXT: dict[GapRole, tuple[str, str]] = {
    "primary": ("主当番", "primary"),
    "secondary": ("副当番", "secondary"),
    "backup_hospital": ("後方支援病院", "backup hospital"),
}


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, with the duty and the people concerned and a message for the office."""

    rule: str  # a hard rule id of oncall.rules
    duty: str | None  # duty id when one duty is concerned
    people: tuple[str, ...]  # physician or hospital ids
    message: str


@dataclass
class PhysicianFigures:
    """Soft-goal figures of one physician; points, targets and deviations per category and ``"total"``."""

    id: str
    name: str
    duties: int
    nights: int
    holiday_duties: int
    points: dict[str, float]
    target: dict[str, float]
    deviation: dict[str, float]  # points minus target
    wishes_honoured: int
    wishes_total: int  # wishes that match a duty of the period
    unwished_given: int  # duties on an unwished date or block
    longest_run: int  # longest run of consecutive duty dates, counting the previous period
    min_rest_hours: float | None  # shortest rest before a duty, from the previous one or the last period's
    spacing: int  # dates following a duty date of this roster, plus second duties on one date
    away_from_home: int  # duties outside the district of the physician's clinic
    share: float = 1.0
    visits: float = 0.0  # expected visits of the roles held (oncall.load)
    visit_target: float = 0.0  # fair expected visits (oncall.fairness.visit_targets)

    @property
    def visit_deviation(self) -> float:
        """Expected visits minus their fair share."""
        return self.visits - self.visit_target


@dataclass
class HospitalFigures:
    """Standby figures of one backup hospital, against its fair standby (``oncall.fairness.standby_targets``)."""

    id: str
    name: str
    standby_days: int  # dates with any standby
    standby_duties: int
    standby: float  # time on standby, in days
    target: float  # fair standby in days: capacity share of the duties it could take
    deviation: float  # standby minus target, in days
    capacity_per_day: int = 0
    limit: float = 0.0  # admissions a day it may be expected to take: capacity × (1 − margin)
    peak_admissions: float = 0.0  # the most expected admissions on one date
    peak_day: dt.date | None = None  # the first date with that peak
    mean_admissions: float = 0.0  # expected admissions a date, over the period's dates


@dataclass
class CheckReport:
    """What the checker found: hard violations (empty when the roster is valid) and soft figures."""

    violations: list[Violation]
    physicians: list[PhysicianFigures] = field(default_factory=list)
    hospitals: list[HospitalFigures] = field(default_factory=list)
    pairing_missed: int = 0  # duties held by two newer doctors
    home_district_away: int = 0
    wishes_missed: int = 0
    unwished_given: int = 0
    spacing: int = 0
    lang: str = "ja"  # language of the messages and names; the default of summary()

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    @property
    def fairness_spread(self) -> float:
        """The roster's fairness in one figure: how many duty points separate the doctor furthest above
        their fair share from the one furthest below (0 = everyone exactly on target)."""
        devs = [f.deviation["total"] for f in self.physicians if f.target["total"] > 0 or f.points["total"] > 0]
        return max(devs) - min(devs) if devs else 0.0

    @property
    def visit_spread(self) -> float:
        """The balance of expected visits in one figure: the distance, in expected visits per unit share,
        between the doctor furthest above their fair share of visits and the one furthest below."""
        devs = [f.visit_deviation / f.share for f in self.physicians if f.share > 0]
        return max(devs) - min(devs) if devs else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (dates as ISO 8601 text)."""
        out: dict[str, Any] = _plain(asdict(self))
        out["ok"] = self.ok
        out["fairness_spread"] = self.fairness_spread
        out["visit_spread"] = self.visit_spread
        return out

    def by_rule(self) -> dict[str, list[Violation]]:
        """Violations grouped by rule id, in registry order."""
        out: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            out[v.rule].append(v)
        return dict(out)

    def verdict(self, lang: str | None = None) -> str:
        """The verdict in one line, counting the violations by rule; ``oncall check``, ``solve`` and
        ``repair`` all print this line, so one roster gets the same words from each.

        A role left empty breaks the coverage rule like any other: a roster with gaps is not valid.
        """
        lang = lang or self.lang
        groups = self.by_rule()
        if not groups:
            return "No hard rule broken." if lang == "en" else "ハード制約の違反なし"
        counts = ", ".join(f"{rule(r).label(lang)} {len(vs)}" for r, vs in groups.items())
        n = len(self.violations)
        return f"{n} hard violations: {counts}" if lang == "en" else f"ハード制約の違反 {n} 件: {counts}"

    def summary(self, lang: str | None = None) -> str:
        """A few lines for people: the verdict, every hard violation with its rule, then the soft figures.

        The language defaults to the one the check was run in, which also gave the names.
        """
        lang = lang or self.lang
        en = lang == "en"
        lines = [self.verdict(lang)]
        lines += [f"  ! [{v.rule}] {v.message}" for v in self.violations]
        if self.physicians:
            worst = max(self.physicians, key=lambda f: abs(f.deviation["total"]))
            dev = f"{worst.deviation['total']:+.2f}"
            lines.append(
                f"Fair share: largest deviation {dev} points ({worst.name})"
                if en
                else f"公平性: 目標との差 最大 {dev} 点 ({worst.name})"
            )
            wished = sum(f.wishes_total for f in self.physicians)
            lines.append(
                f"Requests: {wished - self.wishes_missed}/{wished} wishes met, {self.unwished_given} unwished duties;"
                f" spacing {self.spacing}"
                if en
                else f"希望: {wished - self.wishes_missed}/{wished} 件充足, 不可日の当番 {self.unwished_given} 件;"
                f" 間隔 {self.spacing} 件"
            )
            lines.append(
                f"Pairs without an experienced doctor: {self.pairing_missed}; duties away from home: "
                f"{self.home_district_away}"
                if en
                else f"経験者のいない組 {self.pairing_missed} 件; 自地区外の当番 {self.home_district_away} 件"
            )
        if any(f.visits or f.visit_target for f in self.physicians):
            lines.append(
                f"Expected visits: spread {self.visit_spread:.3f} per unit share around the fair share"
                if en
                else f"予想往診数: 公平な配分との差の幅 {self.visit_spread:.3f} 件 (持分あたり)"
            )
        if self.hospitals:
            worst_h = max(self.hospitals, key=lambda f: abs(f.deviation))
            dev = f"{worst_h.deviation:+.1f}"
            lines.append(
                f"Hospital standby: largest deviation {dev} days ({worst_h.name})"
                if en
                else f"後方支援: 目標との差 最大 {dev} 日 ({worst_h.name})"
            )
            busiest = max(self.hospitals, key=lambda f: f.peak_admissions / f.limit if f.limit else 0.0)
            if busiest.peak_day is not None:
                use = f"{busiest.peak_admissions / busiest.limit:.0%}" if busiest.limit else "—"
                lines.append(
                    f"Expected admissions: peak {busiest.peak_admissions:.2f} on {busiest.peak_day} at {busiest.name}"
                    f" ({use} of its limit {busiest.limit:.2f})"
                    if en
                    else f"予想入院: 最大 {busiest.peak_admissions:.2f} 件/日 ({busiest.name}, {busiest.peak_day};"
                    f" 上限 {busiest.limit:.2f} 件の {use})"
                )
        return "\n".join(lines)


def _plain(value: Any) -> Any:
    """``value`` with every date and datetime inside it as ISO 8601 text, for ``json.dumps``."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    return value


def check(
    scenario: Scenario,
    roster: Roster,
    lang: str = "ja",
    previous: tuple[Scenario, Roster] | None = None,
    figures: bool = True,
) -> CheckReport:
    """Check ``roster`` against every hard rule of ``scenario`` and measure the soft goals.

    With ``previous``, the previous period's scenario and published roster, consecutive days and rest are
    verified on the joined timeline: the previous roster's duties count besides the history ``scenario``
    carries (``oncall.boundary.check_adjacent`` refuses a previous period that does not fit). With
    ``figures=False`` only the hard rules are checked: a verdict without the fairness figures is much quicker.
    """
    c = _Checker(scenario, roster, "en" if lang == "en" else "ja", previous)
    violations = [
        *c.document(),
        *c.duty_list(),
        *c.tiling(),
        *c.coverage(),
        *c.absence(),
        *c.eligibility(),
        *c.one_duty_at_a_time(),
        *c.secondary_other_clinic(),
        *c.caps(),
        *c.consecutive_days(),
        *c.min_rest(),
        *c.hospitals_per_duty(),
        *c.hospital_capacity(),
        *c.hospital_admissions(),
        *c.hospital_standby_cap(),
        *c.hospital_per_day(),
        *c.pinned(),
    ]
    violations.sort(key=lambda v: _ORDER[v.rule])  # stable: registry order, then the order found
    violations += _cover_violations(scenario, roster, c.lang)
    return c.report(violations) if figures else CheckReport(violations, lang=c.lang)


def _cover_violations(scenario: Scenario, roster: Roster, lang: str) -> list[Violation]:
    from oncall.cover.check import check_cover  # it builds on Violation, defined here

    return check_cover(scenario, roster, lang)


@dataclass
class _Held:
    """A physician's place on one duty (two roles when primary and secondary are the same person)."""

    duty: Duty
    roles: list[Role]


@dataclass(frozen=True)
class _Piece:
    """An interval that must tile a district's period: a duty or regular hours."""

    start: dt.datetime
    end: dt.datetime
    what: str
    # A missing duty stands in its place so its hole is reported once, as the missing duty.
    placeholder: bool = False


def _assignee(rd: RosterDuty, role: GapRole) -> str | None:
    if role == "primary":
        return rd.primary
    if role == "secondary":
        return rd.secondary
    return rd.backup_hospital


def _runs(dates: set[dt.date]) -> list[list[dt.date]]:
    """Runs of consecutive dates, in order."""
    runs: list[list[dt.date]] = []
    for d in sorted(dates):
        if runs and d - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _matches(request: Request, duty: Duty) -> bool:
    return request.date == duty.day and (request.block is None or request.block == duty.block.id)


class _Checker:
    """The scenario, the roster and the lookups every rule needs, built once."""

    def __init__(
        self, scenario: Scenario, roster: Roster, lang: Lang, previous: tuple[Scenario, Roster] | None = None
    ) -> None:
        self.s = scenario
        self.roster = roster
        self.lang: Lang = lang
        self.tl = Timeline.build(scenario)
        self.districts = {d.id: d for d in scenario.districts}
        self.physicians = {p.id: p for p in scenario.physicians}
        self.hospitals = {h.id: h for h in scenario.hospitals}
        self.blocks = {b.id: b for blocks in scenario.calendar.blocks.values() for b in blocks}
        # (date, block) and (date, None) of every duty: the requests a roster of this period can meet.
        self.requestable = {(d.day, b) for d in self.tl.duties for b in (d.block.id, None)}
        self.id_counts = Counter(rd.id for rd in roster.duties)
        self.roster_duty: dict[str, RosterDuty] = {}
        for rd in roster.duties:
            self.roster_duty.setdefault(rd.id, rd)
        # Duties of the period present in the roster, in time order, each with its roster entry.
        self.matched = [(d, self.roster_duty[d.id]) for d in self.tl.duties if d.id in self.roster_duty]
        self.held: dict[str, dict[str, _Held]] = defaultdict(dict)
        self.standby: dict[str, list[Duty]] = defaultdict(list)
        for duty, rd in self.matched:
            for role in ROLES:
                pid = _assignee(rd, role)
                if pid in self.physicians:
                    self.held[pid].setdefault(duty.id, _Held(duty, [])).roles.append(role)
            if rd.backup_hospital in self.hospitals:
                self.standby[rd.backup_hospital].append(duty)
        self.load = expected_load(scenario, self.tl)
        standby_of = {duty.id: rd.backup_hospital for duty, rd in self.matched}
        self.hospital_days = hospital_days(scenario, self.tl, standby_of, self.load)
        self.earlier_dates, self.earlier_end = self._earlier(previous)

    def _earlier(
        self, previous: tuple[Scenario, Roster] | None
    ) -> tuple[dict[str, set[dt.date]], dict[str, dt.datetime | None]]:
        """Per physician, the duty dates and the end of the last duty before the period: the carried
        history, joined with the previous period's roster when it is known. The head of the night across
        the boundary is one duty with its tail: whoever holds both rests from the end of the tail."""
        dates = {p.id: set(p.history.recent_duty_dates) for p in self.s.physicians}
        ends = {p.id: p.history.last_duty_end for p in self.s.physicians}
        last = {pid: None if end is None else to_utc(end, self.s.zone) for pid, end in ends.items()}
        if previous is None:
            return dates, last
        before, published = previous
        prev_tl = Timeline.build(before)
        check_adjacent(before, published, self.s, prev_tl)
        tails = {
            (h.duty.district, h.duty.block.id, pid)
            for pid, held in self.held.items()
            for h in held.values()
            if h.duty.start == self.tl.start and not h.duty.counts_against_caps
        }
        for p in before.physicians:
            if p.id in dates:
                dates[p.id] |= set(p.history.recent_duty_dates)
        for rd in published.duties:
            duty = prev_tl.by_id[rd.id]
            for pid in (x for x in (rd.primary, rd.secondary) if x in dates):
                dates[pid].add(duty.day)
                continued = duty.end == prev_tl.end and (duty.district, duty.block.id, pid) in tails
                end = last[pid]
                if not continued and (end is None or duty.end > end):
                    last[pid] = duty.end
        return dates, last

    # --- wording -------------------------------------------------------------------------------
    def say(self, key: str, **kw: object) -> str:
        ja, en = _TEXT[key]
        return (en if self.lang == "en" else ja).format(**kw)

    def role(self, role: GapRole) -> str:
        ja, en = _ROLE_TEXT[role]
        return en if self.lang == "en" else ja

    def roles(self, roles: list[Role]) -> str:
        return self.say("and").join(self.role(r) for r in roles)

    def at(self, instant: dt.datetime) -> str:
        return f"{self.tl.local(instant):%Y-%m-%d %H:%M}"

    def span(self, start: dt.datetime, end: dt.datetime) -> str:
        return f"{self.at(start)}〜{self.at(end)}" if self.lang == "ja" else f"{self.at(start)} – {self.at(end)}"

    def district(self, did: str) -> str:
        d = self.districts.get(did)
        return d.label(self.lang) if d else did

    def who(self, pid: str) -> str:
        p = self.physicians.get(pid)
        return p.label(self.lang) if p else pid

    def hospital(self, hid: str) -> str:
        h = self.hospitals.get(hid)
        return h.label(self.lang) if h else hid

    def where(self, duty: Duty) -> str:
        return f"{duty.day.isoformat()} {duty.block.label(self.lang)} {self.district(duty.district)}"

    def where_roster(self, rd: RosterDuty) -> str:
        block = self.blocks.get(rd.block)
        label = block.label(self.lang) if block else rd.block
        return f"{self.at(rd.start)} {label} {self.district(rd.district)}"

    def absence_text(self, a: Absence) -> str:
        if isinstance(a.start, dt.datetime) and isinstance(a.end, dt.datetime):
            return self.span(to_utc(a.start, self.s.zone), to_utc(a.end, self.s.zone))
        sep = "〜" if self.lang == "ja" else " – "
        return f"{a.start.isoformat()}{sep}{a.end.isoformat()}"

    def v(self, rule_id: str, duty: str | None, people: tuple[str, ...], key: str, **kw: object) -> Violation:
        return Violation(rule_id, duty, people, self.say(key, **kw))

    # --- tiling --------------------------------------------------------------------------------
    def document(self) -> list[Violation]:
        """The roster belongs to this scenario and this period."""
        out: list[Violation] = []
        r, s = self.roster, self.s
        if r.scenario != s.name:
            out.append(self.v("tiling", None, (), "scenario_name", got=r.scenario, want=s.name))
        if r.timezone != s.timezone:
            out.append(self.v("tiling", None, (), "timezone", got=r.timezone, want=s.timezone))
        if r.period.start != self.tl.start or r.period.end != self.tl.end:
            got, want = self.span(r.period.start, r.period.end), self.span(self.tl.start, self.tl.end)
            out.append(self.v("tiling", None, (), "period", got=got, want=want))
        for gap in r.gaps:  # the list of gaps says what the duties say
            rd = self.roster_duty.get(gap.duty)
            if rd is None:
                out.append(self.v("tiling", gap.duty, (), "gap_unknown_duty", id=gap.duty))
                continue
            holder = _assignee(rd, gap.role)
            if holder is not None:
                duty = self.tl.by_id.get(rd.id)
                where = self.where(duty) if duty else self.where_roster(rd)
                who = self.who(holder) if gap.role != "backup_hospital" else self.hospital(holder)
                out.append(
                    self.v("tiling", gap.duty, (holder,), "gap_filled", where=where, role=self.role(gap.role), who=who)
                )
        return out

    def duty_list(self) -> list[Violation]:
        """The roster's duties are exactly the duties of the period, each once and as laid out."""
        out: list[Violation] = []
        for did, n in self.id_counts.items():
            if n > 1:
                duty = self.tl.by_id.get(did)
                where = self.where(duty) if duty else self.where_roster(self.roster_duty[did])
                out.append(self.v("tiling", did, (), "duplicate_duty", where=where, id=did, n=n))
        for rd in self.roster_duty.values():
            if rd.district not in self.districts:
                out.append(self.v("tiling", rd.id, (), "unknown_district", id=rd.id, district=rd.district))
            if rd.block not in self.blocks:
                out.append(self.v("tiling", rd.id, (), "unknown_block", id=rd.id, block=rd.block))
            duty = self.tl.by_id.get(rd.id)
            if duty is None:
                out.append(self.v("tiling", rd.id, (), "unknown_duty", where=self.where_roster(rd), id=rd.id))
                continue
            fields: list[tuple[str, str, str]] = []
            if rd.district != duty.district:
                fields.append(("district", rd.district, duty.district))
            if rd.block != duty.block.id:
                fields.append(("block", rd.block, duty.block.id))
            if rd.start != duty.start:
                fields.append(("start", self.at(rd.start), self.at(duty.start)))
            if rd.end != duty.end:
                fields.append(("end", self.at(rd.end), self.at(duty.end)))
            for name, got, want in fields:
                where = self.where(duty)
                out.append(
                    self.v("tiling", rd.id, (), "duty_field", where=where, id=rd.id, field=name, got=got, want=want)
                )
        for duty in self.tl.duties:
            if duty.id not in self.roster_duty:
                out.append(self.v("tiling", duty.id, (), "missing_duty", where=self.where(duty), id=duty.id))
        return out

    def tiling(self) -> list[Violation]:
        """Per district, duties and regular hours tile the period with no hole and no overlap."""
        out: list[Violation] = []
        pieces: dict[str, list[_Piece]] = defaultdict(list)
        for rd in self.roster_duty.values():
            duty = self.tl.by_id.get(rd.id)
            what = self.where(duty) if duty else rd.id
            pieces[rd.district].append(_Piece(rd.start, rd.end, what))
        for rh in self.roster.regular_hours:
            span = self.span(rh.start, rh.end)
            if rh.district not in self.districts:
                out.append(self.v("tiling", None, (), "regular_district", span=span, district=rh.district))
            pieces[rh.district].append(_Piece(rh.start, rh.end, self.say("regular", span=span)))
        for duty in self.tl.duties:
            if duty.id not in self.roster_duty:
                pieces[duty.district].append(_Piece(duty.start, duty.end, duty.id, placeholder=True))
        for did in self.districts:
            out += self._tile(did, pieces[did])
        return out

    def _tile(self, did: str, pieces: list[_Piece]) -> list[Violation]:
        out: list[Violation] = []
        district = self.district(did)
        start, end = self.tl.start, self.tl.end
        cursor, last = start, None
        for p in sorted(pieces, key=lambda p: (p.start, p.end)):
            if p.end <= p.start:
                out.append(self.v("tiling", None, (), "empty_interval", district=district, what=p.what))
                continue
            if p.start < start or p.end > end:
                out.append(self.v("tiling", None, (), "outside_period", district=district, what=p.what))
                p = _Piece(max(p.start, start), min(p.end, end), p.what, p.placeholder)
                if p.end <= p.start:
                    continue
            if p.start > cursor:
                out.append(self.v("tiling", None, (), "hole", district=district, span=self.span(cursor, p.start)))
            elif p.start < cursor and last is not None and not (p.placeholder or last.placeholder):
                span = self.span(p.start, min(cursor, p.end))
                out.append(self.v("tiling", None, (), "overlap", district=district, a=last.what, b=p.what, span=span))
            if p.end > cursor:
                cursor, last = p.end, p
        if cursor < end:
            out.append(self.v("tiling", None, (), "hole", district=district, span=self.span(cursor, end)))
        return out

    # --- people --------------------------------------------------------------------------------
    def coverage(self) -> list[Violation]:
        """Every duty has each role its block needs, and a backup hospital."""
        out: list[Violation] = []
        for duty, rd in self.matched:
            needed: list[GapRole] = [*duty.block.roles, "backup_hospital"]
            for role in needed:
                if _assignee(rd, role) is None:
                    out.append(self.v("coverage", duty.id, (), "gap", where=self.where(duty), role=self.role(role)))
        return out

    def absence(self) -> list[Violation]:
        """Nobody is on a duty that overlaps one of their absences, by any amount."""
        out: list[Violation] = []
        for pid, held in self.held.items():
            p = self.physicians[pid]
            for a in p.absences:
                a_start, a_end = absence_interval(a, self.s.zone)
                for h in held.values():
                    if h.duty.start < a_end and a_start < h.duty.end:
                        out.append(
                            self.v(
                                "absence",
                                h.duty.id,
                                (pid,),
                                "absence",
                                where=self.where(h.duty),
                                who=self.who(pid),
                                absence=self.absence_text(a),
                                role=self.roles(h.roles),
                            )
                        )
        return out

    def eligibility(self) -> list[Violation]:
        """Physicians are known, cover the duty's district, accept the role, and the block has the role."""
        out: list[Violation] = []
        for duty, rd in self.matched:
            where = self.where(duty)
            for role in ROLES:
                pid = _assignee(rd, role)
                if pid is None:
                    continue
                p = self.physicians.get(pid)
                if p is None:
                    out.append(
                        self.v(
                            "eligibility",
                            duty.id,
                            (pid,),
                            "unknown_physician",
                            where=where,
                            role=self.role(role),
                            id=pid,
                        )
                    )
                    continue
                who = self.who(pid)
                if role not in duty.block.roles:
                    out.append(
                        self.v("eligibility", duty.id, (pid,), "block_role", where=where, role=self.role(role), who=who)
                    )
                elif role not in p.roles:
                    out.append(
                        self.v("eligibility", duty.id, (pid,), "role", where=where, role=self.role(role), who=who)
                    )
        for pid, held in self.held.items():
            covered = self.s.districts_of(self.physicians[pid])
            for h in held.values():
                if h.duty.district not in covered:
                    out.append(
                        self.v(
                            "eligibility", h.duty.id, (pid,), "district", where=self.where(h.duty), who=self.who(pid)
                        )
                    )
        return out

    def one_duty_at_a_time(self) -> list[Violation]:
        """Nobody holds two overlapping duties (in any districts) or both roles of one duty."""
        out: list[Violation] = []
        for pid, held in self.held.items():
            hs = list(held.values())  # in time order, as the timeline
            for h in hs:
                if len(h.roles) > 1:
                    out.append(
                        self.v(
                            "one_duty_at_a_time",
                            h.duty.id,
                            (pid,),
                            "same_person",
                            where=self.where(h.duty),
                            who=self.who(pid),
                        )
                    )
            for i, first in enumerate(hs):
                for later in hs[i + 1 :]:
                    if later.duty.start >= first.duty.end:
                        break
                    out.append(
                        self.v(
                            "one_duty_at_a_time",
                            later.duty.id,
                            (pid,),
                            "double_booked",
                            where=self.where(later.duty),
                            who=self.who(pid),
                            other=self.where(first.duty),
                        )
                    )
        return out

    def secondary_other_clinic(self) -> list[Violation]:
        """When the rule is on, primary and secondary of a duty come from different clinics."""
        if not self.s.rules.secondary_other_clinic:
            return []
        out: list[Violation] = []
        clinic_names = {c.id: c.name for c in self.s.clinics}
        for duty, rd in self.matched:
            a, b = self.physicians.get(rd.primary or ""), self.physicians.get(rd.secondary or "")
            if a is None or b is None or a.id == b.id or a.clinic != b.clinic:
                continue
            out.append(
                self.v(
                    "secondary_other_clinic",
                    duty.id,
                    (a.id, b.id),
                    "same_clinic",
                    where=self.where(duty),
                    a=self.who(a.id),
                    b=self.who(b.id),
                    clinic=clinic_names.get(a.clinic, a.clinic),
                )
            )
        return out

    def caps(self) -> list[Violation]:
        """Duties, night duties and holiday duties of each physician stay within their caps.

        A night counts once, in the period where it starts: the tail of the night begun on the previous
        period's last date counts against that period's caps, not this one's.
        """
        out: list[Violation] = []
        for pid, all_held in self.held.items():
            caps = self.physicians[pid].caps
            held = [h.duty for h in all_held.values() if h.duty.counts_against_caps]
            counts = {
                "duty_cap": (len(held), caps.duties),
                "night_cap": (sum(d.night for d in held), caps.nights),
                "holiday_cap": (sum(d.holiday for d in held), caps.holiday_duties),
            }
            for rule_id, (n, cap) in counts.items():
                if cap is not None and n > cap:
                    out.append(self.v(rule_id, None, (pid,), rule_id, who=self.who(pid), n=n, cap=cap))
        return out

    def _duty_runs(self, p: Physician) -> list[list[dt.date]]:
        """Runs of consecutive duty dates of ``p`` that hold a date of this roster, counting earlier dates."""
        dates = {h.duty.day for h in self.held.get(p.id, {}).values()}
        before = self.earlier_dates[p.id]
        # A run is this roster's doing only where it adds a date: the night that started on the last
        # date of the previous period and ends in this one adds none.
        return [run for run in _runs(dates | before) if (dates - before).intersection(run)]

    def consecutive_days(self) -> list[Violation]:
        """No run of consecutive duty dates, counting the previous period's, is longer than the limit."""
        out: list[Violation] = []
        for pid in self.held:
            p = self.physicians[pid]
            cap = self.s.consecutive_cap(p)
            for run in self._duty_runs(p):
                if len(run) > cap:
                    first, last = run[0].isoformat(), run[-1].isoformat()
                    out.append(
                        self.v(
                            "consecutive_days",
                            None,
                            (pid,),
                            "consecutive",
                            who=self.who(pid),
                            first=first,
                            last=last,
                            n=len(run),
                            cap=cap,
                        )
                    )
        return out

    def _rests(self, p: Physician) -> list[tuple[_Held, float, str, bool]]:
        """Each duty of ``p`` with its rest before it (hours), what ended then, and whether that was history.

        Rest runs from the latest end so far, so a long duty followed by two short ones is measured right.
        """
        out: list[tuple[_Held, float, str, bool]] = []
        prev_end = self.earlier_end[p.id]
        prev_what = "" if prev_end is None else self.say("previous_duty", end=self.at(prev_end))
        from_history = True
        for h in self.held.get(p.id, {}).values():
            if prev_end is not None:
                out.append((h, (h.duty.start - prev_end).total_seconds() / 3600, prev_what, from_history))
            if prev_end is None or h.duty.end > prev_end:
                prev_end, prev_what, from_history = h.duty.end, self.where(h.duty), False
        return out

    def min_rest(self) -> list[Violation]:
        """Between the end of a duty and the start of the next lie at least the rest hours, across periods."""
        out: list[Violation] = []
        for pid in self.held:
            p = self.physicians[pid]
            need = self.s.rest_hours(p)
            for h, hours, prev, from_history in self._rests(p):
                # Two overlapping duties of this roster break one_duty_at_a_time instead; the previous
                # period's duty is in no roster here, so running into it counts as missing rest.
                if hours < need and (hours >= 0 or from_history):
                    out.append(
                        self.v(
                            "min_rest",
                            h.duty.id,
                            (pid,),
                            "rest",
                            where=self.where(h.duty),
                            who=self.who(pid),
                            prev=prev,
                            hours=f"{round(hours, 2):g}",
                            need=f"{need:g}",
                        )
                    )
        return out

    # --- hospitals -----------------------------------------------------------------------------
    def hospitals_per_duty(self) -> list[Violation]:
        """Each duty's hospital is known, accepts the district and is open on the duty's date."""
        out: list[Violation] = []
        for duty, rd in self.matched:
            hid = rd.backup_hospital
            if hid is None:
                continue
            where = self.where(duty)
            h = self.hospitals.get(hid)
            if h is None:
                out.append(self.v("hospital_district", duty.id, (hid,), "unknown_hospital", where=where, id=hid))
                continue
            if duty.district not in h.districts:
                out.append(
                    self.v(
                        "hospital_district", duty.id, (hid,), "hospital_district", where=where, who=self.hospital(hid)
                    )
                )
            if duty.day in h.closed_dates:
                out.append(
                    self.v("hospital_closed", duty.id, (hid,), "hospital_closed", where=where, who=self.hospital(hid))
                )
        return out

    def hospital_capacity(self) -> list[Violation]:
        """No hospital stands by for more districts at one instant than its max_districts (once per date)."""
        out: list[Violation] = []
        for hid, duties in self.standby.items():
            cap = self.hospitals[hid].max_districts
            if cap is None:
                continue
            starts: dict[dt.datetime, list[Duty]] = defaultdict(list)
            ends: dict[dt.datetime, list[Duty]] = defaultdict(list)
            for d in duties:
                starts[d.start].append(d)
                ends[d.end].append(d)
            active: Counter[str] = Counter()
            reported: set[dt.date] = set()
            for t in sorted(starts.keys() | ends.keys()):
                # Intervals are half-open: what ends at t no longer counts against what starts at t.
                for d in ends.get(t, []):
                    active[d.district] -= 1
                    if not active[d.district]:
                        del active[d.district]
                for d in starts.get(t, []):
                    active[d.district] += 1
                first = starts[t][0] if t in starts else None
                if first is None or len(active) <= cap or first.day in reported:
                    continue
                reported.add(first.day)
                districts = self.say("and").join(self.district(x) for x in sorted(active))
                out.append(
                    self.v(
                        "hospital_capacity",
                        None,
                        (hid,),
                        "hospital_capacity",
                        where=self.where(first),
                        who=self.hospital(hid),
                        n=len(active),
                        districts=districts,
                        cap=cap,
                    )
                )
        return out

    def hospital_admissions(self) -> list[Violation]:
        """On every date, each hospital's expected admissions stay within capacity × (1 − margin)."""
        out: list[Violation] = []
        margin = self.s.load.capacity_margin
        for day in self.hospital_days:
            limit = self.load.limit[day.hospital]
            if day.expected <= limit + 1e-9:
                continue
            districts = self.say("and").join(self.district(x) for x in day.districts)
            out.append(
                self.v(
                    "hospital_admissions",
                    None,
                    (day.hospital,),
                    "hospital_admissions",
                    day=day.day.isoformat(),
                    who=self.hospital(day.hospital),
                    expected=f"{day.expected:.2f}",
                    registered=f"{day.registered:.2f}",
                    standby=f"{day.from_standby:.2f}",
                    districts=f": {districts}" if districts else "",
                    limit=f"{limit:.2f}",
                    cap=self.hospitals[day.hospital].capacity_per_day,
                    margin=f"{margin:.0%}",
                )
            )
        return out

    def hospital_standby_cap(self) -> list[Violation]:
        """No hospital stands by on more dates than its max_standby_days."""
        out: list[Violation] = []
        for hid, duties in self.standby.items():
            cap = self.hospitals[hid].max_standby_days
            n = len({d.day for d in duties})
            if cap is not None and n > cap:
                out.append(
                    self.v(
                        "hospital_standby_cap",
                        None,
                        (hid,),
                        "hospital_standby_cap",
                        who=self.hospital(hid),
                        n=n,
                        cap=cap,
                    )
                )
        return out

    def hospital_per_day(self) -> list[Violation]:
        """With hospitals assigned per day, all duties of a district and date share one hospital."""
        if self.s.rules.hospital_assignment != "day":
            return []
        out: list[Violation] = []
        seen: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
        for duty, rd in self.matched:
            hid = rd.backup_hospital
            if hid is not None and hid not in seen[(duty.district, duty.day)]:
                seen[(duty.district, duty.day)].append(hid)
        for (did, day), hids in seen.items():
            if len(hids) > 1:
                who = self.say("and").join(self.hospital(h) for h in hids)
                district = self.district(did)
                out.append(
                    self.v(
                        "hospital_per_day",
                        None,
                        tuple(hids),
                        "hospital_per_day",
                        day=day.isoformat(),
                        district=district,
                        who=who,
                    )
                )
        return out

    # --- pins ----------------------------------------------------------------------------------
    def pinned(self) -> list[Violation]:
        """Every pin's duty has the pinned assignee in the pinned role."""
        out: list[Violation] = []
        index = {(d.district, d.day, d.block.id): d for d in self.tl.duties}
        for pin in self.s.pinned:
            duty = index.get((pin.district, pin.date, pin.block))
            if duty is None:
                block = self.blocks[pin.block].label(self.lang) if pin.block in self.blocks else pin.block
                out.append(
                    self.v(
                        "pinned",
                        None,
                        (pin.assignee,),
                        "pin_no_duty",
                        day=pin.date.isoformat(),
                        block=block,
                        district=self.district(pin.district),
                    )
                )
                continue
            rd = self.roster_duty.get(duty.id)
            got = None if rd is None else _assignee(rd, pin.role)
            if got == pin.assignee:
                continue
            name = self.hospital if pin.role == "backup_hospital" else self.who
            people = (pin.assignee,) if got is None else (pin.assignee, got)
            out.append(
                self.v(
                    "pinned",
                    duty.id,
                    people,
                    "pin",
                    where=self.where(duty),
                    role=self.role(pin.role),
                    want=name(pin.assignee),
                    got=self.say("nobody") if got is None else name(got),
                )
            )
        return out

    # --- soft figures --------------------------------------------------------------------------
    def report(self, violations: list[Violation]) -> CheckReport:
        """The report: the violations plus the soft-goal figures."""
        rep = CheckReport(violations, lang=self.lang)
        share = fair_share(self.s, self.tl)
        home = {c.id: c.district for c in self.s.clinics}
        visits_due = visit_targets(self.s, self.tl, self.load, share)
        for p in self.s.physicians:
            fig = self._physician(p, share, home[p.clinic])
            fig.share = p.share
            fig.visit_target = visits_due[p.id]
            fig.visits = sum(
                self.load.role_visits(h.duty.id, r) for h in self.held.get(p.id, {}).values() for r in h.roles
            )
            rep.physicians.append(fig)
            rep.home_district_away += fig.away_from_home
            rep.wishes_missed += fig.wishes_total - fig.wishes_honoured
            rep.unwished_given += fig.unwished_given
            rep.spacing += fig.spacing
        for _, rd in self.matched:
            a, b = self.physicians.get(rd.primary or ""), self.physicians.get(rd.secondary or "")
            if a is not None and b is not None and a.id != b.id and not (a.experienced or b.experienced):
                rep.pairing_missed += 1
        targets = standby_targets(self.s, self.tl)
        period = self.load.period_dates
        for h in self.s.hospitals:
            duties = self.standby.get(h.id, [])
            days = sum(standby_days(d.slot.hours) for d in duties)
            mine = [d for d in self.hospital_days if d.hospital == h.id]
            peak = max((d for d in mine if d.expected > 0), key=lambda d: d.expected, default=None)
            rep.hospitals.append(
                HospitalFigures(
                    id=h.id,
                    name=h.label(self.lang),
                    standby_days=len({d.day for d in duties}),
                    standby_duties=len(duties),
                    standby=days,
                    target=targets[h.id],
                    deviation=days - targets[h.id],
                    capacity_per_day=h.capacity_per_day,
                    limit=self.load.limit[h.id],
                    peak_admissions=peak.expected if peak else 0.0,
                    peak_day=peak.day if peak else None,
                    mean_admissions=sum(d.expected for d in mine if d.day in period) / max(1, len(period)),
                )
            )
        return rep

    def _physician(self, p: Physician, share: FairShare, home: str) -> PhysicianFigures:
        held = list(self.held.get(p.id, {}).values())
        points = dict.fromkeys((*CATEGORIES, "total"), 0.0)
        for h in held:
            earned = h.duty.slot.points * sum(r in h.duty.block.roles for r in h.roles)
            points[h.duty.category] += earned
            points["total"] += earned
        wishes = [w for w in p.wishes if (w.date, w.block) in self.requestable]
        dates = Counter(h.duty.day for h in held)
        rests = [hours for _, hours, _, _ in self._rests(p)]
        return PhysicianFigures(
            id=p.id,
            name=p.label(self.lang),
            duties=len(held),
            nights=sum(h.duty.night for h in held),
            holiday_duties=sum(h.duty.holiday for h in held),
            points=points,
            target=dict(share.target[p.id]),
            deviation=share.deviation(p.id, points),
            wishes_honoured=sum(any(_matches(w, h.duty) for h in held) for w in wishes),
            wishes_total=len(wishes),
            unwished_given=sum(any(_matches(u, h.duty) for u in p.unwishes) for h in held),
            longest_run=max((len(run) for run in self._duty_runs(p)), default=0),
            min_rest_hours=min(rests, default=None),
            spacing=sum(d - dt.timedelta(days=1) in dates for d in dates) + sum(n - 1 for n in dates.values()),
            away_from_home=sum(h.duty.district != home for h in held),
        )
