"""Re-planning a published roster: apply a change to the scenario, repair the roster, explain the diff.

A change is one of: a new absence, a doctor leaving from a date, a hospital closing on a date, a changed
personal cap. ``apply_changes`` writes them into the scenario, sparing the past: an absence that
overlaps a duty the doctor has already started begins when that duty ends (a note says so), and a change
that the duties already started or past would break under (a cap already exceeded, a hospital already on
standby) is refused with ``InvalidChange`` naming the change. ``replan`` then calls the minimal-change
repair (``solver.repair``) and builds the summary: which duty-roles changed, who gains and who loses, and
why — vacated by the change, a knock-on move that made room, or a gap filled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from oncall.checker import Violation, check
from oncall.cover.continuity import CoverReplan, replan_text
from oncall.diff import RosterDiff, diff_rosters
from oncall.errors import InvalidChange
from oncall.i18n import Problem, as_lang, text
from oncall.io import messages_of
from oncall.model import LIMITS, Absence, Caps, DateOrDateTime, Hospital, Note, Physician, Scenario, _check_absence
from oncall.roster import GapRole, Roster, RosterDuty
from oncall.rules import CAPS
from oncall.timeline import Timeline, absence_interval
from solver.solve import SolveOptions

__all__ = [
    "AbsenceChange",
    "Applied",
    "CapChange",
    "Change",
    "HospitalClosedChange",
    "LeaveChange",
    "Replan",
    "ReplanSummary",
    "RoleReason",
    "apply_changes",
    "change_text",
    "frozen_conflicts",
    "replan",
    "summarize",
    "summary_text",
]

_ROLES: tuple[GapRole, ...] = ("primary", "secondary", "backup_hospital")
# Every personal cap a change may set: the fields of ``oncall.model.Caps`` (a new cap needs nothing here).
CAP_NAMES: tuple[str, ...] = tuple(Caps.model_fields)


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    reason: Note | None = Field(
        None, max_length=500, description="Why (学会, 病欠, …); shown in the summary and the audit log."
    )


class AbsenceChange(_Change):
    """A new absence of one physician: whole dates (inclusive) or an exact datetime range."""

    kind: Literal["absence"] = "absence"
    physician: str = Field(min_length=1, max_length=64, description="Id of the physician.")
    start: DateOrDateTime = Field(description="A date (whole day) or a datetime (naive = scenario zone).")
    end: DateOrDateTime = Field(description="A date (inclusive) or a datetime (exclusive).")


class LeaveChange(_Change):
    """A physician leaves the rota from a date to the end of the period."""

    kind: Literal["leave"] = "leave"
    physician: str = Field(min_length=1, max_length=64, description="Id of the physician.")
    start: dt.date = Field(description="The first date without the physician.")


class HospitalClosedChange(_Change):
    """A backup hospital cannot stand by on a date (blocks belonging to that date)."""

    kind: Literal["hospital_closed"] = "hospital_closed"
    hospital: str = Field(min_length=1, max_length=64, description="Id of the hospital.")
    date: dt.date = Field(description="The date it is closed.")


class CapChange(_Change):
    """A physician's personal cap changes (null removes it: the network rule, or no limit, applies)."""

    kind: Literal["cap"] = "cap"
    physician: str = Field(min_length=1, max_length=64, description="Id of the physician.")
    cap: str = Field(description=f"Which cap: {', '.join(CAP_NAMES)}.", json_schema_extra={"enum": list(CAP_NAMES)})
    # Bounded here only so that no number is beyond reason; the cap's own range is checked with the change.
    value: float | None = Field(
        ge=-LIMITS["cap"], le=LIMITS["cap"], description="The new cap; null removes the personal cap."
    )

    @field_validator("cap")
    @classmethod
    def _known_cap(cls, value: str) -> str:
        if value not in CAP_NAMES:
            expected = ", ".join(repr(n) for n in CAP_NAMES[:-1]) + f" or {CAP_NAMES[-1]!r}"
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return value


Change = Annotated[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange, Field(discriminator="kind")]


@dataclass(frozen=True)
class Applied:
    """The changed scenario, the changes as applied (absences cut at the freeze), and notes for people."""

    scenario: Scenario
    changes: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange]
    notes: list[str]


def _frozen_roster(roster: Roster, frozen: set[str]) -> Roster:
    """The roster with every duty that has not started emptied: what the past alone holds."""
    duties = [
        d if d.id in frozen else d.model_copy(update={"primary": None, "secondary": None, "backup_hospital": None})
        for d in roster.duties
    ]
    return roster.model_copy(update={"duties": duties, "gaps": []})


def _past_violations(scenario: Scenario, roster: Roster, frozen: set[str], lang: str) -> list[Violation]:
    # The cover plan is not part of the past: a repair plans it again after the rota (oncall.services.solving).
    report = check(scenario, _frozen_roster(roster, frozen).model_copy(update={"cover": None}), lang=lang)
    return [
        v
        for v in report.violations
        if v.rule not in ("coverage", "tiling") and (v.rule != "pinned" or v.duty in frozen)
    ]


def frozen_conflicts(
    before: Scenario, after: Scenario, roster: Roster, frozen: set[str], lang: str = "ja"
) -> list[Violation]:
    """Hard-rule violations that the duties already started or past commit under ``after`` but not under
    ``before``: what a change would make the past break, which no repair can undo."""
    seen = {(v.rule, v.duty, v.people) for v in _past_violations(before, roster, frozen, lang)}
    return [v for v in _past_violations(after, roster, frozen, lang) if (v.rule, v.duty, v.people) not in seen]


def _local(instant: dt.datetime, scenario: Scenario) -> dt.datetime:
    return instant.astimezone(scenario.zone)


def apply_changes(
    scenario: Scenario,
    changes: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange],
    roster: Roster,
    freeze: dt.datetime,
    lang: str = "ja",
) -> Applied:
    """Write ``changes`` into a copy of ``scenario``, sparing the duties of ``roster`` started before ``freeze``.

    Raises ``InvalidChange`` naming ``changes[i]`` and the field: an unknown physician or hospital, an
    absence that ends before it starts, a date outside the period, a cap the past already exceeds.
    """
    out = scenario.model_copy(deep=True)
    past = _Past(scenario, Timeline.build(scenario), roster, freeze)
    physicians = {p.id: p for p in out.physicians}
    hospitals = {h.id: h for h in out.hospitals}
    problems: list[Problem] = []
    notes: list[str] = []
    applied: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange] = []
    for i, change in enumerate(changes):
        where = f"changes[{i}]"
        if isinstance(change, AbsenceChange | LeaveChange | CapChange) and change.physician not in physicians:
            problems.append(Problem("repair.unknown_physician", f"{where}.physician", id=repr(change.physician)))
            continue
        changed = True
        if isinstance(change, HospitalClosedChange):
            found = _close_hospital(past, change, where, hospitals)
        elif isinstance(change, CapChange):
            found = _change_cap(change, where, physicians[change.physician])
        else:
            found, changed = _add_absence(past, change, where, physicians[change.physician], notes, lang)
        problems += found
        if not found and changed:
            applied.append(change)
    if problems:
        raise InvalidChange(problems)
    return Applied(_validated(past, out, applied, changes, lang), applied, notes)


@dataclass(frozen=True)
class _Past:
    """The scenario before the changes, its timeline, the roster and its duties started before the freeze."""

    scenario: Scenario
    timeline: Timeline
    roster: Roster
    freeze: dt.datetime

    @property
    def frozen(self) -> set[str]:
        return {d.id for d in self.timeline.duties if d.start < self.freeze}

    @property
    def held(self) -> dict[str, RosterDuty]:
        return {d.id: d for d in self.roster.duties}


def _close_hospital(
    past: _Past, change: HospitalClosedChange, where: str, hospitals: dict[str, Hospital]
) -> list[Problem]:
    """Close a hospital on a date (problems when it is unknown, the date outside, or it stands by already)."""
    scenario, frozen, held = past.scenario, past.frozen, past.held
    h = hospitals.get(change.hospital)
    if h is None:
        return [Problem("repair.unknown_hospital", f"{where}.hospital", id=repr(change.hospital))]
    if not scenario.period.start - dt.timedelta(days=1) <= change.date <= scenario.period.end:
        return [Problem("repair.date_outside", f"{where}.date", date=change.date)]
    started = [
        d
        for d in past.timeline.duties
        if d.day == change.date and d.id in frozen and held[d.id].backup_hospital == h.id
    ]
    if started:
        return [Problem("repair.stands_by", f"{where}.date", hospital=h.id, date=change.date, duty=started[0].id)]
    if change.date not in h.closed_dates:
        h.closed_dates.append(change.date)
    return []


def _change_cap(change: CapChange, where: str, p: Physician) -> list[Problem]:
    """Set a personal cap (problems when the value is not a whole number or out of the cap's range)."""
    value: float | int | None = change.value
    if value is not None and change.cap not in ("min_rest_hours", "oncall_hours"):  # the two in hours
        if value != int(value):
            return [Problem("repair.whole_cap", f"{where}.value", cap=change.cap, value=repr(value))]
        value = int(value)
    try:
        p.caps = Caps.model_validate({**p.caps.model_dump(), change.cap: value})
    except ValidationError as exc:
        return [m.at(f"{where}.value") for m in messages_of(exc.errors())]
    return []


def _add_absence(
    past: _Past, change: AbsenceChange | LeaveChange, where: str, p: Physician, notes: list[str], lang: str
) -> tuple[list[Problem], bool]:
    """Add the absence (or leave) of ``change`` to ``p``, cut where duties already started end: the
    problems, and whether anything was added."""
    scenario = past.scenario
    if isinstance(change, LeaveChange):
        if change.start > scenario.period.end:
            return [Problem("repair.after_period", f"{where}.start", start=change.start)], False
        absence = Absence(start=change.start, end=scenario.period.end, reason=change.reason or "leave")
    else:
        absence = Absence(start=change.start, end=change.end, reason=change.reason)
        bad = _check_absence(where, absence)
        if bad is not None:
            return [bad], False
        first, last = _dates_of(absence)
        if last < scenario.period.start - dt.timedelta(days=1) or first > scenario.period.end:
            return [Problem("repair.outside_period", f"{where}.start", start=change.start, end=change.end)], False
    try:
        start, end = absence_interval(absence, scenario.zone)
    except (OverflowError, ValueError):
        return [Problem("repair.out_of_range", f"{where}.start", start=absence.start, end=absence.end)], False
    spared = _spare_the_past(past, absence, (start, end), where, p, notes, lang)
    if spared is None:
        return [], False
    p.absences.append(spared)
    return [], True


def _spare_the_past(
    past: _Past,
    absence: Absence,
    interval: tuple[dt.datetime, dt.datetime],
    where: str,
    p: Physician,
    notes: list[str],
    lang: str,
) -> Absence | None:
    """The past stays as it is: an absence begins when the duties it overlaps that have started end (None
    when nothing of it is left)."""
    start, end = interval
    scenario, frozen, held = past.scenario, past.frozen, past.held
    under_way = [
        d.end
        for d in past.timeline.duties
        if d.id in frozen and p.id in (held[d.id].primary, held[d.id].secondary) and d.start < end and start < d.end
    ]
    if not under_way:
        return absence
    cut = max(under_way)
    if cut >= end:
        notes.append(text("repair.note_within_started", as_lang(lang), where=where))
        return None
    at = f"{_local(cut, scenario):%m-%d %H:%M}"
    notes.append(text("repair.note_keeps_started", as_lang(lang), where=where, who=p.id, at=at))
    return Absence(start=_local(cut, scenario), end=_local(end, scenario), reason=absence.reason)


def _validated(
    past: _Past,
    out: Scenario,
    applied: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange],
    changes: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange],
    lang: str,
) -> Scenario:
    """The changed scenario, validated; raises ``InvalidChange`` when the past breaks a rule under it."""
    try:
        result = Scenario.model_validate(out.model_dump())
    except ValidationError as exc:
        raise InvalidChange([m.within("changes") for m in messages_of(exc.errors())]) from exc
    conflicts = frozen_conflicts(past.scenario, result, past.roster, past.frozen, lang)
    if conflicts:
        raise InvalidChange([_breach("repair.breaks_the_past", _blame(applied, changes, v), v) for v in conflicts])
    # A started duty whose holder the scenario itself no longer allows (changed since the roster was
    # published: a doctor removed, an absence added directly) cannot be repaired: the past stays.
    stuck = [v for v in _past_violations(result, past.roster, past.frozen, lang) if v.rule in _HOLDER_RULES]
    if stuck:
        raise InvalidChange([_breach("repair.past_stuck", "base", v) for v in stuck])
    return result


# Hard rules whose breach means a holder cannot hold the duty at all (the repair keeps started duties).
_HOLDER_RULES = ("eligibility", "absence", "hospital_district", "hospital_closed")


def _dates_of(absence: Absence) -> tuple[dt.date, dt.date]:
    """The first and last local dates an absence touches (as written, without a zone)."""
    first = absence.start.date() if isinstance(absence.start, dt.datetime) else absence.start
    last = absence.end.date() if isinstance(absence.end, dt.datetime) else absence.end
    return first, last


def _subject(change: AbsenceChange | LeaveChange | HospitalClosedChange | CapChange) -> str:
    return change.hospital if isinstance(change, HospitalClosedChange) else change.physician


def _breach(code: str, field: str, v: Violation) -> Problem:
    """A problem at ``field`` about the broken rule ``v``, worded in the reader's language when shown."""
    return Problem(code, field, violation=v.kept() if v.code else v.message)


def _blame(
    applied: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange],
    changes: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange],
    v: Violation,
) -> str:
    """The change a violation of the past is due to: one of the kind that can cause it, about one of its people."""
    kinds: tuple[type, ...] = (AbsenceChange, LeaveChange)
    if v.rule in {*(c.rule for c in CAPS), "consecutive_days", "min_rest"}:
        kinds = (CapChange,)
    elif v.rule.startswith("hospital_"):
        kinds = (HospitalClosedChange,)
    for i, c in enumerate(changes):
        if c in applied and isinstance(c, kinds) and _subject(c) in v.people:
            return f"changes[{i}]" + (".value" if isinstance(c, CapChange) else "")
    return "changes"


class RoleReason(BaseModel):
    """One duty-role that changed hands, and why."""

    duty: str = Field(description="Duty id.")
    district: str
    block: str
    start: dt.datetime
    end: dt.datetime
    role: GapRole
    before: str | None = Field(description="Holder in the published roster (null: a gap).")
    after: str | None = Field(description="Holder in the repaired roster (null: a gap).")
    cause: Literal["change", "knock_on", "filled", "vacated"] = Field(
        description="change: the change took it from its holder; knock_on: moved to make room for covering "
        "the vacated roles; filled: a gap of the published roster filled; vacated: left empty (nobody could take it)."
    )
    change: int | None = Field(None, description="Index of the change that vacated it, for cause `change`.")
    why: str = Field(description="One sentence for people.")


class ReplanSummary(BaseModel):
    """What a repair changed: counts, every changed duty-role with its reason, and who gains and loses."""

    frozen_before: dt.datetime = Field(description="Duties that started before this instant were kept as published.")
    frozen_duties: int
    changed: int = Field(description="Duty-roles of later duties whose holder differs from the published roster.")
    by_change: int = Field(description="Of those, roles the change itself took from their holder.")
    knock_on: int = Field(description="Of those, roles moved to make room (changes beyond the ones the change forced).")
    filled: int = Field(description="Gaps of the published roster now filled (not counted in `changed`).")
    gaps: int = Field(description="Roles the repaired roster leaves empty.")
    changes_proven: bool = Field(description="Whether no roster covering as much changes fewer duty-roles (proven).")
    notes: list[str] = Field(default_factory=list)
    reasons: list[RoleReason]
    diff: RosterDiff
    cover: CoverReplan | None = Field(
        None, description="What changed in the cover plan (null: the scenario has no cover section)."
    )


@dataclass(frozen=True)
class Replan:
    """The changed scenario, the repair result and its summary."""

    scenario: Scenario
    roster: Roster
    summary: ReplanSummary
    wall_seconds: float
    status: str


def _cause(
    change: AbsenceChange | LeaveChange | HospitalClosedChange | CapChange,
    scenario: Scenario,
    duty: RosterDuty,
    role: GapRole,
    holder: str,
) -> bool:
    """Whether ``change`` takes ``role`` of ``duty`` from ``holder``."""
    if isinstance(change, HospitalClosedChange):
        return role == "backup_hospital" and change.hospital == holder
    if role == "backup_hospital" or change.physician != holder:
        return False
    if isinstance(change, CapChange):
        return True
    zone = scenario.zone
    if isinstance(change, LeaveChange):
        s, e = absence_interval(Absence(start=change.start, end=scenario.period.end), zone)
    else:
        s, e = absence_interval(Absence(start=change.start, end=change.end), zone)
    return duty.start < e and s < duty.end


def _label(scenario: Scenario, pid: str | None, lang: str) -> str:
    if pid is None:
        return text("replan.empty", as_lang(lang))
    for p in scenario.physicians:
        if p.id == pid:
            return f"{p.label(lang)} ({pid})"
    for h in scenario.hospitals:
        if h.id == pid:
            return h.label(lang)
    return pid


def change_text(change: AbsenceChange | LeaveChange | HospitalClosedChange | CapChange, lang: str) -> str:
    """One change as people read it, in ``lang``."""
    say = as_lang(lang)
    why = f" ({change.reason})" if change.reason else ""
    if isinstance(change, AbsenceChange):
        return text("replan.absent", say, who=change.physician, start=change.start, end=change.end, why=why)
    if isinstance(change, LeaveChange):
        return text("replan.leaves", say, who=change.physician, start=change.start, why=why)
    if isinstance(change, HospitalClosedChange):
        return text("replan.closed", say, hospital=change.hospital, date=change.date, why=why)
    value = text("replan.cap_none", say) if change.value is None else f"{change.value:g}"
    return text("replan.cap", say, who=change.physician, cap=change.cap, value=value, why=why)


def summarize(
    scenario: Scenario,
    before: Roster,
    after: Roster,
    applied: Applied,
    freeze: dt.datetime,
    frozen: int,
    changes_proven: bool,
    lang: str = "ja",
) -> ReplanSummary:
    """Every changed duty-role with its cause, the counts, and who gains and loses."""
    say = as_lang(lang)
    old = {d.id: d for d in before.duties}
    reasons: list[RoleReason] = []
    for d in after.duties:
        a = old.get(d.id)
        if a is None:
            continue
        for role in _ROLES:
            was, now = getattr(a, role), getattr(d, role)
            if was == now:
                continue
            index = None
            if was is None:
                cause: Literal["change", "knock_on", "filled", "vacated"] = "filled"
                why = text("replan.filled", say)
            else:
                index = next(
                    (i for i, c in enumerate(applied.changes) if _cause(c, scenario, a, role, was)),
                    None,
                )
                if index is not None:
                    cause = "change"
                    why = change_text(applied.changes[index], lang)
                else:
                    cause = "knock_on"
                    why = text("replan.knock_on", say)
                if now is None:
                    cause = "vacated" if index is None else cause
                    why += text("replan.nobody", say)
            reasons.append(
                RoleReason(
                    duty=d.id,
                    district=d.district,
                    block=d.block,
                    start=d.start,
                    end=d.end,
                    role=role,
                    before=was,
                    after=now,
                    cause=cause,
                    change=index if cause == "change" else None,
                    why=why,
                )
            )
    changed = [r for r in reasons if r.before is not None]
    by_change = sum(1 for r in changed if r.cause == "change")
    return ReplanSummary(
        frozen_before=freeze,
        frozen_duties=frozen,
        changed=len(changed),
        by_change=by_change,
        knock_on=len(changed) - by_change,
        filled=sum(1 for r in reasons if r.cause == "filled"),
        gaps=len(after.gaps),
        changes_proven=changes_proven,
        notes=list(applied.notes),
        reasons=reasons,
        diff=diff_rosters(before, after),
    )


def replan(
    scenario: Scenario,
    published: Roster,
    changes: list[AbsenceChange | LeaveChange | HospitalClosedChange | CapChange],
    freeze: dt.datetime,
    options: SolveOptions | None = None,
    lang: str = "ja",
) -> Replan:
    """Apply ``changes`` to ``scenario`` and repair ``published`` with the fewest changes (``solver.repair``).

    ``options`` is a ``solver.SolveOptions`` (default: 20 seconds at most). Raises ``InvalidChange`` for a
    change that cannot be applied, ``InvalidRoster`` when ``published`` is not a roster of the scenario.
    """
    from oncall.services.solving import repair_checked  # the one repair step (rota, cover plan, checker)

    if freeze.tzinfo is None:
        freeze = freeze.replace(tzinfo=scenario.zone)
    applied = apply_changes(scenario, changes, published, freeze, lang)
    opts = options or SolveOptions(time_limit=20.0, lang=lang)
    solved = repair_checked(applied, published, freeze, opts, lang)
    assert solved.summary is not None
    return Replan(applied.scenario, solved.roster, solved.summary, solved.result.wall_seconds, solved.result.status)


def summary_text(summary: ReplanSummary, scenario: Scenario, changes: list[str], lang: str = "ja") -> str:
    """The summary for people: the change, the counts, each changed duty-role with its reason, gains and losses."""
    say = as_lang(lang)
    zone = scenario.zone
    blocks = {b.id: b for b in scenario.block_templates()}
    districts = {d.id: d for d in scenario.districts}
    frozen_at = f"{summary.frozen_before.astimezone(zone):%Y-%m-%d %H:%M}"
    lines = [text("replan.changes", say, changes="; ".join(changes))]
    lines.append(text("replan.kept", say, at=frozen_at, n=summary.frozen_duties))
    proven = text("replan.proven" if summary.changes_proven else "replan.not_proven", say)
    counts = summary.model_dump(include={"changed", "by_change", "knock_on", "filled", "gaps"})
    lines.append(text("replan.counts", say, proven=proven, **counts))
    lines += [f"  * {n}" for n in summary.notes]
    for r in summary.reasons:
        block = blocks.get(r.block)
        district = districts.get(r.district)
        where = (
            f"{r.start.astimezone(zone):%m-%d %H:%M} {block.label(lang) if block else r.block} "
            f"{district.label(lang) if district else r.district} {text(f'replan.role.{r.role}', say)}"
        )
        lines.append(f"  - {where}: {_label(scenario, r.before, lang)} → {_label(scenario, r.after, lang)} ({r.why})")
    if summary.cover is not None:
        lines += replan_text(summary.cover, lang)
    moves = [f"{p.id} {p.net:+d}" for p in summary.diff.people if p.net]
    if moves:
        lines.append(text("replan.moves", say, moves=", ".join(moves)))
    return "\n".join(lines)
