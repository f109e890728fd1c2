"""The grid service behind the office's 当番表 page: edits, who may take a cell, the quick verdict."""

from __future__ import annotations

import datetime as dt

from oncall.checker import check
from oncall.model import Absence
from oncall.services.grid import apply_edits, build_grid, candidates
from tests.factories import greedy_roster, make_scenario

WEEK = dt.date(2026, 12, 28)


def test_edits_clear_and_fill_cells_and_the_gap_list_follows() -> None:
    scenario = make_scenario(WEEK, 7)
    roster = greedy_roster(scenario)
    duty = roster.duties[3]
    cleared = apply_edits(roster, [(duty.id, "secondary", None)])
    assert next(d for d in cleared.duties if d.id == duty.id).secondary is None
    assert [(g.duty, g.role) for g in cleared.gaps] == [(duty.id, "secondary")]
    refilled = apply_edits(cleared, [(duty.id, "secondary", duty.secondary)])
    assert refilled.gaps == [] and refilled.duties == roster.duties
    grid = build_grid(scenario, cleared, {(duty.id, "secondary")})
    marked = [c for row in grid.rows for c in row.cells if c is not None and c.changed]
    assert [(c.duty, c.role, c.holder, c.label) for c in marked] == [(duty.id, "secondary", None, "")]
    assert {row.kind for row in grid.rows} >= {"weekday", "year_end"}


def test_who_may_take_a_cell_excludes_the_absent_and_the_busy() -> None:
    scenario = make_scenario(WEEK, 7)
    roster = greedy_roster(scenario)
    duty = next(d for d in roster.duties if d.district == "north" and d.start.day == 30)
    allowed = {pid for pid, _ in candidates(scenario, roster, duty.id, "primary")}
    assert duty.primary in allowed, "the holder may keep it"
    assert duty.secondary not in allowed, "one duty at a time: the secondary of the same duty is busy"
    assert not allowed & {"s1a", "s1b", "s2a", "s2b"}, "doctors of the south do not cover the north"
    absent = scenario.model_copy(deep=True)
    holder = next(p for p in absent.physicians if p.id == duty.primary)
    holder.absences.append(Absence(start=duty.start.date(), end=duty.start.date()))
    assert duty.primary not in {pid for pid, _ in candidates(absent, roster, duty.id, "primary")}
    hospitals = {hid for hid, _ in candidates(scenario, roster, duty.id, "backup_hospital")}
    assert hospitals == {"central"}, "the south's hospital does not serve the north"


def test_the_quick_verdict_finds_the_same_violations_without_the_figures() -> None:
    scenario = make_scenario(WEEK, 7)
    roster = apply_edits(greedy_roster(scenario), [(greedy_roster(scenario).duties[0].id, "primary", None)])
    full, quick = check(scenario, roster), check(scenario, roster, figures=False)
    assert quick.violations == full.violations and quick.violations
    assert full.physicians and not quick.physicians
