"""The rule registry: the table of contents of the roster model.

Every hard rule and soft goal has a stable snake_case id used by the solver (which encodes it), the
checker (which verifies it independently), reports and explanations. The order here is the order
in which reports list them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from oncall.model import Physician
    from oncall.timeline import Duty

__all__ = ["CAPS", "COVER_HARD", "COVER_RULES", "COVER_SOFT", "HARD", "RULES", "SOFT", "Cap", "Rule", "rule"]


@dataclass(frozen=True)
class Rule:
    """A business rule: its id, kind and the sentence that states it."""

    id: str
    kind: Literal["hard", "soft"]
    title: str  # Japanese
    title_en: str
    statement: str  # the business rule in one sentence (English)

    def label(self, lang: str = "ja") -> str:
        """The rule's title in the requested language."""
        return self.title_en if lang == "en" else self.title


HARD: tuple[Rule, ...] = (
    Rule(
        "coverage",
        "hard",
        "当番の充足",
        "Coverage",
        "Every block of every district has the roles the district asks for there and a backup hospital.",
    ),
    Rule(
        "tiling",
        "hard",
        "時間の連続性",
        "Tiling",
        "For every district, duties and regular hours tile the period with no hole and no overlap.",
    ),
    Rule(
        "shared_role",
        "hard",
        "共有当番",
        "Shared roles",
        "A shared role names one person on the duty of every district it serves in each of its blocks.",
    ),
    Rule("absence", "hard", "不在日の当番", "Absence", "A doctor is never on duty during a declared absence."),
    Rule(
        "eligibility",
        "hard",
        "担当地区・役割",
        "Districts and roles",
        "A doctor only takes duties in districts they cover and in roles they accept.",
    ),
    Rule(
        "visit_distance",
        "hard",
        "往診距離",
        "Visit distance",
        "A doctor covers a district only if its centre, or else some clinic of it, lies within the visit distance "
        "of their clinic.",
    ),
    Rule(
        "one_duty_at_a_time",
        "hard",
        "重複当番",
        "One duty at a time",
        "A doctor holds one duty at a time; primary and secondary are different people.",
    ),
    Rule(
        "secondary_other_clinic",
        "hard",
        "同一医療機関の組合せ",
        "Partners from different clinics",
        "When the rule is on, primary and secondary of a duty come from different clinics.",
    ),
    Rule(
        "mentor",
        "hard",
        "指導医との組合せ",
        "Mentor",
        "A doctor with named mentors shares a duty only with one of them.",
    ),
    Rule(
        "never_pair",
        "hard",
        "組ませない医師",
        "Never paired",
        "Two doctors who must never be paired never share a duty.",
    ),
    Rule(
        "duty_cap",
        "hard",
        "当番回数の上限",
        "Duty cap",
        "A doctor takes no more duties in the period than their cap.",
    ),
    Rule(
        "night_cap",
        "hard",
        "夜間当番の上限",
        "Night cap",
        "A doctor takes no more night duties in the period than their cap.",
    ),
    Rule(
        "holiday_cap",
        "hard",
        "休日当番の上限",
        "Holiday cap",
        "A doctor takes no more holiday and 年末年始 duties in the period than their cap.",
    ),
    Rule(
        "weekend_night_cap",
        "hard",
        "週末・休日夜間の上限",
        "Weekend night cap",
        "A doctor takes no more nights starting on a Saturday, Sunday or holiday in the period than their cap.",
    ),
    Rule(
        "weekend_cap",
        "hard",
        "週末・休日当番の上限",
        "Weekend cap",
        "A doctor takes no more duties on Saturdays, Sundays and holidays in the period than their cap.",
    ),
    Rule(
        "holiday_night_cap",
        "hard",
        "休日夜間の上限",
        "Holiday night cap",
        "A doctor takes no more nights starting on a Sunday, holiday or 年末年始 date in the period than their cap.",
    ),
    Rule(
        "weekly_night_cap",
        "hard",
        "週あたり夜間の上限",
        "Nights per week",
        "A doctor takes no more nights starting in one ISO week (Monday to Sunday) than their cap.",
    ),
    Rule(
        "hours_cap",
        "hard",
        "当番時間の上限",
        "On-call hours cap",
        "A doctor's on-call hours within the period stay within their cap (employed doctors' working hours).",
    ),
    Rule(
        "duty_minimum",
        "hard",
        "当番回数の下限",
        "Minimum duties",
        "A doctor who asked for a minimum takes at least that many duties in the period.",
    ),
    Rule(
        "consecutive_days",
        "hard",
        "連続当番日数",
        "Consecutive days",
        "A doctor is on duty on no more consecutive dates than their limit, counting the previous period.",
    ),
    Rule(
        "consecutive_nights",
        "hard",
        "連続夜間の上限",
        "Consecutive nights",
        "A doctor has nights on no more consecutive dates than their limit.",
    ),
    Rule(
        "min_rest",
        "hard",
        "当番間の休息",
        "Minimum rest",
        "Between two duties of a doctor lie at least their minimum rest hours, also across periods.",
    ),
    Rule(
        "hospital_district",
        "hard",
        "後方支援病院の対象地区",
        "Hospital districts",
        "A backup hospital stands by only for districts it accepts.",
    ),
    Rule(
        "hospital_closed",
        "hard",
        "後方支援病院の休止日",
        "Hospital closed dates",
        "A backup hospital never stands by on a date it declared closed.",
    ),
    Rule(
        "hospital_closed_hours",
        "hard",
        "後方支援病院の休止時間",
        "Hospital closed hours",
        "A backup hospital never stands by for a duty that overlaps a time it declared closed.",
    ),
    Rule(
        "hospital_blocks",
        "hard",
        "後方支援病院の待機時間帯",
        "Hospital standby blocks",
        "A backup hospital stands by only in the blocks it accepts (night blocks, or the blocks it names).",
    ),
    Rule(
        "hospital_capacity",
        "hard",
        "後方支援病院の受入能力",
        "Hospital capacity",
        "A backup hospital stands by for no more districts at once than it can take.",
    ),
    Rule(
        "hospital_admissions",
        "hard",
        "後方支援病院の予想入院数",
        "Hospital admissions",
        "A backup hospital's expected admissions on each date stay within its daily capacity less the margin.",
    ),
    Rule(
        "hospital_standby_cap",
        "hard",
        "後方支援病院の待機日数上限",
        "Hospital standby cap",
        "A backup hospital stands by on no more days than its cap.",
    ),
    Rule(
        "hospital_per_day",
        "hard",
        "後方支援病院の日単位割当",
        "One hospital per day",
        "When hospitals are assigned per day, a district keeps one backup hospital for all blocks of a date.",
    ),
    Rule("pinned", "hard", "固定当番", "Pinned duties", "Pinned duties stay exactly as given."),
)

SOFT: tuple[Rule, ...] = (
    Rule(
        "fairness",
        "soft",
        "負担の公平性",
        "Fair share",
        "Each doctor's duty points stay close to their fair share of all points, counting carried points.",
    ),
    Rule(
        "fairness_category",
        "soft",
        "区分別の公平性",
        "Fair share per category",
        "Weekday, Saturday, holiday and 年末年始 points are each shared fairly.",
    ),
    Rule(
        "visit_balance",
        "soft",
        "往診負担の公平性",
        "Visit balance",
        "Each doctor's expected visits stay close to their fair share of all expected visits.",
    ),
    Rule(
        "requests",
        "soft",
        "希望日・不可日",
        "Requests",
        "Wished dates get a duty and unwished dates get none.",
    ),
    Rule(
        "spacing",
        "soft",
        "当番の間隔",
        "Spacing",
        "A doctor does not get duties on consecutive dates, nor two duties on one date.",
    ),
    Rule(
        "pairing",
        "soft",
        "経験者との組合せ",
        "Pairing",
        "A newer doctor is paired with an experienced partner.",
    ),
    Rule(
        "home_district",
        "soft",
        "自地区優先",
        "Home district",
        "A doctor's duties are in the district of their own clinic.",
    ),
    Rule(
        "hospital_spread",
        "soft",
        "後方支援の分散",
        "Hospital spread",
        "Backup standby is spread among hospitals in proportion to their capacity.",
    ),
)

RULES: dict[str, Rule] = {r.id: r for r in (*HARD, *SOFT)}

# The cover plan (主治医・副主治医) is a model of its own, solved after the rota (solver/cover.py) and checked
# by oncall/cover/check.py; its rules are a family apart so that the rota's model does not look for them.
COVER_HARD: tuple[Rule, ...] = (
    Rule(
        "cover_deputies",
        "hard",
        "副主治医の確保",
        "Deputies named",
        "Every 主治医 with enrolled patients has the number of 副主治医 their panel needs.",
    ),
    Rule(
        "cover_other_clinic",
        "hard",
        "副主治医は他院",
        "Deputy from another clinic",
        "A 副主治医 works at another clinic than their 主治医.",
    ),
    Rule(
        "cover_distance",
        "hard",
        "往診距離（16km）",
        "Visit distance",
        "A 副主治医's clinic lies within the visit distance of every district where the 主治医's patients live.",
    ),
    Rule(
        "cover_group",
        "hard",
        "連携型グループ内の連携",
        "Inside the group",
        "When 連携型 groups are set, a 主治医 and whoever covers them belong to the same group.",
    ),
    Rule(
        "cover_capacity",
        "hard",
        "副主治医の受持上限",
        "Deputy capacity",
        "A physician covers no more patients and colleagues than they take, and none if they take no cover.",
    ),
    Rule(
        "cover_answered",
        "hard",
        "不在時の対応医",
        "Absence answered",
        "Every stretch of a 主治医's absence in regular hours names a doctor who answers for the patients.",
    ),
    Rule(
        "cover_available",
        "hard",
        "対応医の在席",
        "Answerer available",
        "Whoever answers during an absence is neither absent nor on a rota duty at that time.",
    ),
    Rule(
        "cover_deputy_first",
        "hard",
        "副主治医が優先",
        "Deputy first",
        "A second cover answers only while every 副主治医 of the 主治医 is away or on a rota duty.",
    ),
)

COVER_SOFT: tuple[Rule, ...] = (
    Rule("cover_keep_pairs", "soft", "組合せの継続", "Keep pairs", "Last period's pairs are kept."),
    Rule(
        "cover_balance",
        "soft",
        "副主治医負担の平準化",
        "Cover balance",
        "No 副主治医 covers a much larger load (patients by class x absent days) than the others.",
    ),
    Rule("cover_reciprocal", "soft", "相互の組合せ", "Reciprocal pairs", "A 副主治医 is covered back by their 主治医."),
    Rule(
        "cover_keep_answers",
        "soft",
        "対応医の継続",
        "Keep answerers",
        "When re-planning, each stretch of absence keeps the answerer the plan in force names.",
    ),
    Rule(
        "cover_together",
        "soft",
        "当番と代診の合計",
        "Duties and cover together",
        "No doctor's rota duties and cover days together stand far above the others'.",
    ),
)

COVER_RULES: dict[str, Rule] = {r.id: r for r in (*COVER_HARD, *COVER_SOFT)}


def rule(rule_id: str) -> Rule:
    """The registered rule ``rule_id``, of the rota or of the cover plan (KeyError for an unknown id)."""
    return RULES[rule_id] if rule_id in RULES else COVER_RULES[rule_id]


def _whole_period(duty: Duty) -> str:
    return ""


def _iso_week(duty: Duty) -> str:
    year, week, _ = duty.day.isocalendar()
    return f"{year}-W{week:02d}"


def _one(duty: Duty) -> float:
    return 1.0


def _hours(duty: Duty) -> float:
    return duty.slot.hours


@dataclass(frozen=True)
class Cap:
    """A personal cap: its rule id, the field of ``Physician.caps`` that sets it and which duties count against
    it. The encoder, the feasibility check, diagnosis and reports read this table; a new cap is one row here
    plus its encoder and its check.

    A cap counts over the period, or over each stretch ``window`` names (an ISO week); each duty adds
    ``amount`` (one, or its hours, which the solver counts in ``1/scale``: minutes).

    >>> [c.rule for c in CAPS]  # doctest: +NORMALIZE_WHITESPACE
    ['duty_cap', 'night_cap', 'holiday_cap', 'weekend_night_cap', 'weekend_cap', 'holiday_night_cap',
     'weekly_night_cap', 'hours_cap']
    """

    rule: str
    field: str
    kind: Callable[[Duty], bool]  # whether a duty is of the kind the cap limits (a night, a holiday duty)
    noun: tuple[str, str]  # what it counts, (Japanese, English): the checker's "{n} night duties (cap 2)"
    window: Callable[[Duty], str] = _whole_period  # the stretch a duty counts in ("" for the whole period)
    amount: Callable[[Duty], float] = _one  # what a duty adds to its count
    scale: int = 1  # the solver counts amounts in 1/scale (hours in minutes)
    tail: bool = False  # whether the tail of the night begun before the period counts here (hours do)

    def limit(self, p: Physician) -> float | None:
        """The doctor's cap, None for no limit."""
        value: float | None = getattr(p.caps, self.field)
        return value

    def counts(self, duty: Duty) -> bool:
        """Whether ``duty`` counts against the cap. The tail of a night begun before the period counts against
        no count (the period where it started counted it), but its hours count: they are worked in this one."""
        return (self.tail or duty.counts_against_caps) and self.kind(duty)

    def over(self, total: float, limit: float) -> bool:
        """Whether ``total`` passes ``limit`` (hours compared to the minute)."""
        return round(total * self.scale) > round(limit * self.scale)


def _weekend(duty: Duty) -> bool:
    return duty.category != "weekday"


CAPS: tuple[Cap, ...] = (
    Cap("duty_cap", "duties", lambda d: True, ("当番", "duties")),
    Cap("night_cap", "nights", lambda d: d.night, ("夜間当番", "night duties")),
    Cap("holiday_cap", "holiday_duties", lambda d: d.holiday, ("休日当番", "holiday duties")),
    # A night starting on a Saturday, a Sunday, a holiday or a 年末年始 date: any category but weekday.
    Cap(
        "weekend_night_cap",
        "weekend_nights",
        lambda d: d.night and _weekend(d),
        ("週末・休日の夜間当番", "weekend and holiday nights"),
    ),
    Cap("weekend_cap", "weekend_duties", _weekend, ("週末・休日の当番", "weekend and holiday duties")),
    Cap("holiday_night_cap", "holiday_nights", lambda d: d.night and d.holiday, ("休日の夜間当番", "holiday nights")),
    Cap("weekly_night_cap", "nights_per_week", lambda d: d.night, ("週の夜間当番", "nights in the week"), _iso_week),
    Cap("hours_cap", "oncall_hours", lambda d: True, ("当番時間", "on-call hours"), amount=_hours, scale=60, tail=True),
)
