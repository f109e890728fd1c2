"""The roster grid (当番表) the office reads and edits: dates down, districts across, one column per role.

A cell names its holder (a physician or a hospital) or a gap with its reasons. Edits are
``(duty id, role, holder or None)`` triples applied to a stored roster; the candidates for a cell are the
physicians the eligibility step admits (district, role, absence, rest, a cap of zero) who hold no
overlapping duty in the edited roster, or the hospitals serving the district and open that date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from oncall.checker import CheckReport
from oncall.eligibility import compute_eligibility
from oncall.model import BlockTemplate, Scenario
from oncall.roster import GapRole, Roster, RosterGap
from oncall.storage import RevisionRecord, Store
from oncall.timeline import Duty, Timeline

__all__ = [
    "ROLES",
    "Edit",
    "EditedGrid",
    "GridCell",
    "GridRow",
    "RosterGrid",
    "apply_edits",
    "build_grid",
    "candidates",
    "candidates_of",
    "edited_grid",
]

ROLES: tuple[GapRole, ...] = ("primary", "secondary", "backup_hospital")
Edit = tuple[str, GapRole, str | None]
DayKind = Literal["weekday", "saturday", "holiday", "year_end"]


@dataclass(frozen=True)
class GridCell:
    """One role of one duty."""

    duty: str
    role: GapRole
    holder: str | None
    label: str
    reasons: tuple[str, ...]
    changed: bool
    needed: bool  # the block asks for this role


@dataclass(frozen=True)
class GridRow:
    """One block of one date: its cells, district by district, role by role."""

    day: dt.date
    block: str
    start: str  # local HH:MM
    kind: DayKind
    holiday: str | None
    cells: tuple[GridCell | None, ...]  # None where a district has no duty in this block


@dataclass(frozen=True)
class RosterGrid:
    """The whole grid and the names of its columns."""

    districts: tuple[tuple[str, str], ...]  # (id, name)
    rows: tuple[GridRow, ...]


def _names(scenario: Scenario, lang: str) -> dict[str, str]:
    people = {p.id: (p.name_en if lang == "en" and p.name_en else p.name) for p in scenario.physicians}
    hospitals = {h.id: (h.name_en if lang == "en" and h.name_en else h.name) for h in scenario.hospitals}
    return {**people, **hospitals}


def apply_edits(roster: Roster, edits: list[Edit]) -> Roster:
    """``roster`` with each edit made (a filled gap leaves the gap list; a cleared cell joins it)."""
    duties = {d.id: d.model_copy() for d in roster.duties}
    gaps = {(g.duty, g.role): g for g in roster.gaps}
    for duty_id, role, holder in edits:
        if duty_id not in duties:
            raise KeyError(duty_id)
        duties[duty_id] = duties[duty_id].model_copy(update={role: holder})
        if holder is None:
            gaps.setdefault((duty_id, role), RosterGap(duty=duty_id, role=role, reasons=[]))
        else:
            gaps.pop((duty_id, role), None)
    return roster.model_copy(update={"duties": list(duties.values()), "gaps": list(gaps.values())})


def _day_kind(timeline: Timeline, day: dt.date) -> DayKind:
    if timeline.calendar.is_year_end(day):
        return "year_end"
    kind = timeline.calendar.day_type(day)
    return "holiday" if kind == "holiday" else ("saturday" if kind == "saturday" else "weekday")


def build_grid(scenario: Scenario, roster: Roster, edited: set[tuple[str, str]], lang: str = "ja") -> RosterGrid:
    """The grid of ``roster``; cells in ``edited`` (duty id, role) are marked as changed."""
    timeline = Timeline.build(scenario)
    names = _names(scenario, lang)
    reasons = {(g.duty, g.role): tuple(g.texts(lang)) for g in roster.gaps}
    by_slot: dict[tuple[dt.datetime, str], dict[str, GridCell]] = defaultdict(dict)
    slot_of: dict[tuple[dt.datetime, str], dt.date] = {}
    known = timeline.by_id
    for d in roster.duties:
        duty = known.get(d.id)
        if duty is None:
            continue
        key = (d.start, d.block)
        slot_of[key] = duty.day
        for role in ROLES:
            holder = getattr(d, role)
            needed = role == "backup_hospital" or role in duty.roles
            label = names.get(holder, holder) if holder else ""
            cell = GridCell(d.id, role, holder, label, reasons.get((d.id, role), ()), (d.id, role) in edited, needed)
            by_slot[key][f"{d.district}/{role}"] = cell
    districts = tuple((x.id, x.name_en if lang == "en" and x.name_en else x.name) for x in scenario.districts)
    rows = []
    for key in sorted(by_slot):
        day = slot_of[key]
        block = next(b for b in _blocks(scenario) if b.id == key[1])
        cells = tuple(by_slot[key].get(f"{did}/{role}") for did, _ in districts for role in ROLES)
        rows.append(
            GridRow(
                day=day,
                block=block.name_en if lang == "en" and block.name_en else block.name,
                start=f"{key[0].astimezone(scenario.zone):%H:%M}",
                kind=_day_kind(timeline, day),
                holiday=timeline.calendar.holiday_name(day),
                cells=cells,
            )
        )
    return RosterGrid(districts, tuple(rows))


def _blocks(scenario: Scenario) -> list[BlockTemplate]:
    return scenario.block_templates()


def candidates(
    scenario: Scenario, roster: Roster, duty_id: str, role: GapRole, lang: str = "ja"
) -> list[tuple[str, str]]:
    """(id, name) of who may hold ``role`` on the duty, given everything else ``roster`` assigns."""
    return candidates_of(scenario, roster, [(duty_id, role)], lang)[(duty_id, role)]


def candidates_of(
    scenario: Scenario, roster: Roster, cells: list[tuple[str, GapRole]], lang: str = "ja"
) -> dict[tuple[str, GapRole], list[tuple[str, str]]]:
    """:func:`candidates` of several cells, the timeline and eligibility computed once."""
    timeline = Timeline.build(scenario)
    names = _names(scenario, lang)
    eligibility = compute_eligibility(scenario, timeline) if any(r != "backup_hospital" for _, r in cells) else None
    held: dict[str, list[tuple[str, str]]] = defaultdict(list)  # physician → (duty id, role) held
    for d in roster.duties:
        for r in ("primary", "secondary"):
            holder = getattr(d, r)
            if holder:
                held[holder].append((d.id, r))
    out: dict[tuple[str, GapRole], list[tuple[str, str]]] = {}
    for duty_id, role in cells:
        duty = timeline.by_id[duty_id]
        if role == "backup_hospital" or eligibility is None:
            out[(duty_id, role)] = [
                (h.id, names[h.id])
                for h in scenario.hospitals
                if duty.district in h.districts and duty.day not in h.closed_dates
            ]
            continue

        def busy(pid: str, duty: Duty = duty, duty_id: str = duty_id, role: GapRole = role) -> bool:
            for other_id, other_role in held.get(pid, []):
                other = timeline.by_id.get(other_id)
                if other is None or (other_id, other_role) == (duty_id, role):
                    continue
                if other.start < duty.end and duty.start < other.end:
                    return True
            return False

        out[(duty_id, role)] = [(p, names[p]) for p in eligibility.physicians(duty_id, role) if not busy(p)]
    return out


@dataclass(frozen=True)
class EditedGrid:
    """A revision's grid with the office's unsaved edits, and (after an edit) the checker's verdict on them."""

    record: RevisionRecord
    scenario: Scenario
    roster: Roster  # the edited roster
    grid: RosterGrid
    report: CheckReport | None
    published: int | None  # the scenario's published revision (the base of a publication)
    others: list[RevisionRecord]  # the scenario's other revisions, to compare with


def edited_grid(
    store: Store, revision_id: int, edits: list[Edit], lang: str = "ja", verdict: bool = False
) -> EditedGrid:
    """The grid of a stored revision with ``edits`` applied; NotFound for an unknown revision, KeyError for an
    edit of a duty the roster does not have."""
    from oncall.checker import check

    record, text = store.get_roster(revision_id)
    _, scenario = store.get_document(record.scenario_id, record.scenario_version)
    edited = apply_edits(Roster.model_validate_json(text), edits)
    grid = build_grid(scenario, edited, {(d, r) for d, r, _ in edits}, lang)
    report = check(scenario, edited, lang=lang, figures=False) if verdict else None
    published = store.get_scenario(record.scenario_id).published_revision_id
    others = [r for r in store.list_revisions(record.scenario_id) if r.id != revision_id]
    return EditedGrid(record, scenario, edited, grid, report, published, others)
