"""Month boundaries: what the published roster of the previous period leaves to the next one.

``carry_over(previous, roster, scenario)`` returns the next period's scenario with each physician's
``history`` derived from the previous period's published roster:

- **rest**: ``last_duty_end`` is the end of the physician's last duty before the boundary, so the minimum
  rest runs across 12/31 → 1/1;
- **consecutive days**: ``recent_duty_dates`` is the run of duty dates that the new period can extend: the
  run reaching the previous period's last date, or, when that date has no duty, the run reaching the date
  before it (the tail of the last date's night, after midnight, is a duty of the last date, so a doctor
  who worked the 29th and 30th and takes that tail has three dates in a row);
- **fairness**: each physician's points above (+) or below (−) their fair share of the previous period
  (``oncall.fairness`` with no carried points: what they earned minus what they were due, given their
  absences, districts and caps) are kept per period in ``history.periods``; ``history.points`` sums the
  periods still inside the rolling window (12 months by default, per category), so last year's
  年末年始 still counts when the next one is rostered, and the year before last no longer does.

The night that crosses the boundary is one duty cut at midnight: the previous roster holds its head, the
next its tail. With ``continue_nights`` (the default) the tail is pinned to the head's primary,
secondary and hospital, and the rest of those who continue runs from the end of the tail, inside the new
roster. Who cannot continue (absent, no longer in the network, another district or role) is not pinned;
their rest then runs from midnight, and a note says why.

Only differences between doctors matter to the fair-share targets (``oncall.fairness``), so carrying the
deviation rather than raw points treats a doctor who was away half the previous month, or who joined
since, as neither owing nor owed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from oncall.eligibility import Eligibility, compute_eligibility
from oncall.errors import InvalidRoster, InvalidScenario
from oncall.fairness import fair_share
from oncall.feasibility import Ledger
from oncall.i18n import Lang, Problem, as_lang, coded, text
from oncall.model import CATEGORIES, CarriedPeriod, Category, History, Physician, Pin, Role, Scenario
from oncall.roster import GapRole, Roster
from oncall.timeline import Duty, Timeline, to_utc

__all__ = [
    "DEFAULT_WINDOW_MONTHS",
    "BoundaryOptions",
    "Carry",
    "CarryNote",
    "carry_over",
    "check_adjacent",
    "extendable_run",
    "months_before",
]

DEFAULT_WINDOW_MONTHS = 12
_ONE_DAY = dt.timedelta(days=1)
_GAP_ROLES: tuple[GapRole, ...] = ("primary", "secondary", "backup_hospital")


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (clamped to the month's last day).

    >>> months_before(dt.date(2028, 1, 1), 12)
    datetime.date(2027, 1, 1)
    >>> months_before(dt.date(2027, 3, 31), 1)
    datetime.date(2027, 2, 28)
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class BoundaryOptions:
    """How the previous period is carried: the fairness window per category and whether nights continue."""

    window_months: Mapping[Category, int] = field(
        default_factory=lambda: dict.fromkeys(CATEGORIES, DEFAULT_WINDOW_MONTHS)
    )
    continue_nights: bool = True

    def window_start(self, category: Category, start: dt.date) -> dt.date:
        """The earliest start of an earlier period whose points still count in ``category``."""
        return months_before(start, self.window_months.get(category, DEFAULT_WINDOW_MONTHS))


@dataclass(frozen=True)
class CarryNote:
    """Something the office should know about the boundary: a night that could not continue."""

    physician: str  # the physician, or the hospital for the backup_hospital role
    duty: str  # the tail duty id in the new period
    role: GapRole
    reason: str  # "absent", "left", "role", "district", "rest_after_previous", "cap_zero", "pinned_to_other",
    # and for hospitals "closed", "standby_cap", "max_districts", "admissions"

    def text(self, lang: str = "ja") -> str:
        """One line for people."""
        say: Lang = as_lang(lang)
        what = "carry.standby" if self.role == "backup_hospital" else "carry.night"
        because = text(f"carry.because.{self.reason}", say)
        return text(
            "carry.not_continued",
            say,
            duty=self.duty,
            role=self.role,
            who=self.physician,
            what=text(what, say),
            because=because,
        )


@dataclass(frozen=True)
class Carry:
    """The next period's scenario with its derived history, the pins that continue the crossing night, notes."""

    scenario: Scenario
    pins: list[Pin]
    notes: list[CarryNote]


def check_adjacent(previous: Scenario, roster: Roster, scenario: Scenario, prev_tl: Timeline) -> None:
    """Raise ``InvalidScenario`` unless ``scenario`` follows ``previous`` (the next date, the same zone, the same
    id for the same doctor), and ``InvalidRoster`` unless ``roster`` is a roster of ``previous``."""
    problems = []
    if previous.timezone != scenario.timezone:
        problems.append(Problem("boundary.zone", "timezone", zone=scenario.timezone, previous=previous.timezone))
    if previous.period.end + _ONE_DAY != scenario.period.start:
        end = previous.period.end
        problems.append(Problem("boundary.not_following", "period.start", start=scenario.period.start, end=end))
    before = {p.id: p for p in previous.physicians}
    for i, p in enumerate(scenario.physicians):
        was = before.get(p.id)
        # The same id for another person: a doctor may change clinic or name, not both at once.
        if was is not None and was.name != p.name and was.clinic != p.clinic:
            problems.append(
                Problem(
                    "boundary.same_id",
                    f"physicians[{i}]",
                    id=p.id,
                    name=p.name,
                    clinic=p.clinic,
                    was_name=was.name,
                    was_clinic=was.clinic,
                )
            )
    if problems:
        raise InvalidScenario(problems)
    known = prev_tl.by_id
    unknown = [d.id for d in roster.duties if d.id not in known]
    if roster.scenario != previous.name or unknown:
        what = (
            coded("roster.foreign_duty", duty=unknown[0])
            if unknown
            else coded("roster.other_scenario", scenario=repr(roster.scenario))
        )
        name = repr(previous.name)
        raise InvalidRoster(Problem("boundary.not_previous_roster", origin="previous roster", name=name, what=what))


def _run_to(dates: set[dt.date], last: dt.date) -> list[dt.date]:
    """The run of consecutive dates in ``dates`` that ends on ``last`` (empty when ``last`` is not in it)."""
    run: list[dt.date] = []
    day = last
    while day in dates:
        run.append(day)
        day -= _ONE_DAY
    return sorted(run)


def extendable_run(dates: set[dt.date], last: dt.date) -> list[dt.date]:
    """The run of consecutive dates in ``dates`` that a period starting after ``last`` can extend.

    Its first duty may be the tail of ``last``'s night, a duty of ``last``: so the run reaching ``last``,
    or, when ``last`` has no duty, the run reaching the date before.

    >>> d = dt.date
    >>> extendable_run({d(2026, 12, 29), d(2026, 12, 30)}, d(2026, 12, 31))
    [datetime.date(2026, 12, 29), datetime.date(2026, 12, 30)]
    >>> extendable_run({d(2026, 12, 28), d(2026, 12, 31)}, d(2026, 12, 31))
    [datetime.date(2026, 12, 31)]
    """
    return _run_to(dates, last) or _run_to(dates, last - _ONE_DAY)


def _deviation(previous: Scenario, prev_tl: Timeline, roster: Roster) -> dict[str, dict[Category, float]]:
    """Points each physician earned in the previous roster minus their fair share of it, per category."""
    plain = previous.model_copy(deep=True)
    for p in plain.physicians:
        p.history = p.history.model_copy(update={"points": {}, "periods": []})
    due = fair_share(plain, prev_tl).target
    earned: dict[str, dict[Category, float]] = defaultdict(lambda: dict.fromkeys(CATEGORIES, 0.0))
    for rd in roster.duties:
        duty = prev_tl.by_id[rd.id]
        factor = previous.rules.role_points.factor
        holders: dict[str | None, Role] = {rd.secondary: "secondary", rd.primary: "primary"}  # both: the primary's
        for pid, role in holders.items():
            if pid is not None and duty.lead(role) == duty.id:  # a shared role earns once, on its group's lead
                earned[pid][duty.category] += duty.slot.points * factor(role)
    return {p.id: {c: round(earned[p.id][c] - due[p.id][c], 4) for c in CATEGORIES} for p in previous.physicians}


def _ledger(
    p: Physician, entry: CarriedPeriod, previous: Scenario, start: dt.date, options: BoundaryOptions
) -> History:
    """The fairness ledger after the previous period: its entry, older entries still in some window, the sum."""
    old = list(p.history.periods)
    # Points typed by hand (or carried without a ledger) that the entries do not explain: one entry
    # dated just before the previous period, so they too leave the window in time.
    rest = {c: p.history.points.get(c, 0.0) - sum(e.points.get(c, 0.0) for e in old) for c in CATEGORIES}
    if any(abs(v) > 1e-9 for v in rest.values()):
        before = previous.period.start - _ONE_DAY
        old.append(CarriedPeriod(start=before, end=before, points={c: round(v, 4) for c, v in rest.items()}))
    earliest = min(options.window_start(c, start) for c in CATEGORIES)
    periods = [entry, *(e for e in old if e.start >= earliest)]
    points: dict[Category, float] = {}
    for c in CATEGORIES:
        since = options.window_start(c, start)
        points[c] = round(sum(e.points.get(c, 0.0) for e in periods if e.start >= since), 4)
    return History(points=points, periods=periods)


def carry_over(previous: Scenario, roster: Roster, scenario: Scenario, options: BoundaryOptions | None = None) -> Carry:
    """``scenario`` with every physician's history derived from the previous period's published ``roster``.

    Physicians who were not in the previous scenario keep the history they have. Raises
    ``InvalidScenario`` when the periods do not follow each other or their zones differ, and
    ``InvalidRoster`` when ``roster`` is not a roster of ``previous``.
    """
    options = options or BoundaryOptions()
    prev_tl = Timeline.build(previous)
    check_adjacent(previous, roster, scenario, prev_tl)
    new_tl = Timeline.build(scenario)
    last_day = previous.period.end

    held: dict[str, list[Duty]] = defaultdict(list)
    for rd in roster.duties:
        for pid in {rd.primary, rd.secondary} - {None}:
            assert pid is not None
            held[pid].append(prev_tl.by_id[rd.id])

    # The night that crosses the boundary: the previous roster's head, the new period's tail.
    heads = {
        (d.district, d.day, d.block.id): rd for rd in roster.duties if (d := prev_tl.by_id[rd.id]).end == prev_tl.end
    }
    tails = [d for d in new_tl.duties if d.start == new_tl.start and d.day < scenario.period.start]
    crossing = [(tail, heads[key]) for tail in tails if (key := (tail.district, tail.day, tail.block.id)) in heads]
    pinned = {(p.district, p.date, p.block, p.role): p.assignee for p in scenario.pinned}

    # Who would continue a crossing night: those rest from their duty before it.
    continuing: dict[tuple[str, GapRole], str] = {}
    if options.continue_nights:
        for tail, head in crossing:
            for role in _GAP_ROLES:
                who = getattr(head, role)
                if who is not None and (role == "backup_hospital" or role in tail.roles):
                    continuing[(tail.id, role)] = who

    deviation = _deviation(previous, prev_tl, roster)
    previous_ids = {p.id for p in previous.physicians}
    out = scenario.model_copy(deep=True)
    for p in out.physicians:
        if p.id not in previous_ids:
            continue
        before = previous.physician(p.id)
        entry = CarriedPeriod(start=previous.period.start, end=previous.period.end, points=deviation[p.id])
        history = _ledger(before, entry, previous, scenario.period.start, options)
        history.recent_duty_dates = extendable_run(
            set(before.history.recent_duty_dates) | {d.day for d in held.get(p.id, [])}, last_day
        )
        p.history = history
    notes: list[CarryNote] = []
    _set_rest(out, previous, held, set(continuing.values()), prev_tl.end)

    # Pin the tails to those who can continue; the others rest from midnight.
    out_tl = Timeline.build(out)
    eligibility = compute_eligibility(out, out_tl)
    ledger = Ledger(out, out_tl, eligibility)  # the hospitals' limits, tail by tail
    physicians = {p.id for p in out.physicians}
    pins: list[Pin] = []
    stopped: set[str] = set()
    for tail, _ in crossing:
        for role in _GAP_ROLES:
            who = continuing.get((tail.id, role))
            if who is None:
                continue
            pin_key = (tail.district, tail.day, tail.block.id, role)
            if pin_key in pinned:
                reason = None if pinned[pin_key] == who else "pinned_to_other"
            else:
                reason = _continuation_reason(ledger, eligibility, physicians, tail, role, who)
            if reason is not None:
                notes.append(CarryNote(who, tail.id, role, reason))
                if role != "backup_hospital":
                    stopped.add(who)
                continue
            if pin_key not in pinned:
                pins.append(Pin(district=tail.district, date=tail.day, block=tail.block.id, role=role, assignee=who))
    if stopped:
        _set_rest(out, previous, held, set(continuing.values()) - stopped, prev_tl.end, only=stopped)
    out.pinned = [*out.pinned, *pins]
    return Carry(Scenario.model_validate(out.model_dump()), pins, notes)


def _continuation_reason(
    ledger: Ledger, eligibility: Eligibility, physicians: set[str], tail: Duty, role: GapRole, who: str
) -> str | None:
    """Why ``who`` cannot continue the crossing night in ``role`` on ``tail`` (None: they can)."""
    if role == "backup_hospital":
        return _hospital_reason(ledger, who, tail)
    if who not in physicians:
        return "left"
    r: Role = "primary" if role == "primary" else "secondary"
    if who in eligibility.physicians(tail.id, r):
        return None
    excluded = eligibility.excluded.get((tail.id, r), {})
    return next((why for why, ids in excluded.items() if who in ids), "district")


# The hospital rule a continuation would break, as the note's reason.
_CARRY_REASON = {
    "hospital_district": "district",
    "hospital_closed": "closed",
    "hospital_standby_cap": "standby_cap",
    "hospital_capacity": "max_districts",
    "hospital_admissions": "admissions",
}


def _hospital_reason(ledger: Ledger, hid: str, tail: Duty) -> str | None:
    """Why hospital ``hid`` cannot continue standing by for ``tail`` (the feasibility check's rule as a note
    reason), or None, and then it stands by in ``ledger``."""
    if hid not in ledger.hospitals:
        return "left"
    unit = ledger.unit_key(tail)
    rule = ledger.hospital_blocking(hid, unit)
    if rule is not None:
        return _CARRY_REASON[rule]
    ledger.stand_by(hid, unit)
    return None


def _set_rest(
    out: Scenario,
    previous: Scenario,
    held: Mapping[str, list[Duty]],
    continuing: set[str],
    boundary: dt.datetime,
    only: set[str] | None = None,
) -> None:
    """Set ``last_duty_end``: the end of the last duty before the boundary, leaving out a crossing night's
    head for whoever continues it (their rest runs from the end of the tail, inside the new roster)."""
    previous_ids = {p.id for p in previous.physicians}
    for p in out.physicians:
        if p.id not in previous_ids or (only is not None and p.id not in only):
            continue
        before = previous.physician(p.id).history.last_duty_end
        ends = [to_utc(before, previous.zone)] if before is not None else []
        ends += [d.end for d in held.get(p.id, []) if d.end != boundary or p.id not in continuing]
        last = max(ends, default=None)
        p.history.last_duty_end = None if last is None else last.astimezone(previous.zone)
