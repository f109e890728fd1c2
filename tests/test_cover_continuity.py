"""Continuity of the cover plan: carried pairs, a doctor leaving, an absence added mid-month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncall.cli import app
from oncall.cover.continuity import carry_pairs, plan_changes
from oncall.io import load_scenario, save_scenario
from oncall.model import Absence, Scenario
from oncall.roster import Roster, load_roster, save_roster
from solver.cover import solve_cover
from tests.factories import greedy_roster, make_scenario
from tests.test_cover import cover_scenario, solved

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "regional_cover.yaml"
ROTA = ROOT / "tests" / "data" / "regional-roster.json"


@pytest.fixture(scope="module")
def regional() -> tuple[Scenario, Roster]:
    s, roster = load_scenario(SAMPLE), load_roster(ROTA)
    roster.cover = solve_cover(s, roster)
    return s, roster


def test_nothing_changed_keeps_every_pair(regional: tuple[Scenario, Roster]) -> None:
    s, roster = regional
    assert roster.cover is not None
    again = carry_pairs(roster, s)
    plan = solve_cover(again, roster)
    assert {(p.principal, p.deputy) for p in plan.pairs} == {(p.principal, p.deputy) for p in roster.cover.pairs}
    assert all(p.kept for p in plan.pairs)


def test_after_one_doctor_leaves_only_their_pairs_change(regional: tuple[Scenario, Roster]) -> None:
    s, roster = regional
    assert roster.cover is not None
    count: dict[str, int] = {}
    for p in roster.cover.pairs:
        count[p.deputy] = count.get(p.deputy, 0) + 1
    pinned = {p.assignee for p in s.pinned}
    leaving = max((d for d in count if d not in pinned), key=lambda d: (count[d], d))  # a busy 副主治医
    data = s.model_dump()
    data["physicians"] = [p for p in data["physicians"] if p["id"] != leaving]
    for key in ("panels", "doctors"):
        data["cover"][key] = [x for x in data["cover"][key] if x["physician"] != leaving]
    after = carry_pairs(roster, Scenario.model_validate(data))
    assert after.cover is not None and len(after.cover.previous_pairs) < len(roster.cover.pairs)
    rota = roster.model_copy(update={"cover": None})
    plan = solve_cover(after, rota)
    before = {(p.principal, p.deputy) for p in roster.cover.pairs}
    now = {(p.principal, p.deputy) for p in plan.pairs}
    assert {pair for pair in before if leaving not in pair} <= now
    orphans = {p for p, d in before if d == leaving}
    assert orphans and {p for p, _ in now - before} == orphans
    assert not plan.unpaired


def test_oncall_carry_carries_the_pairs(tmp_path: Path) -> None:
    prev = cover_scenario()
    roster = solved(prev)
    assert roster.cover is not None
    nxt = make_scenario(start=dt.date(2027, 1, 11))
    data = nxt.model_dump()
    data["cover"] = {"panels": [{"physician": p, "other": 10} for p in ("n1a", "n2a", "s1a", "s2a")]}
    for name, doc in (("prev.yaml", prev), ("next.yaml", Scenario.model_validate(data))):
        save_scenario(doc, tmp_path / name)
    save_roster(roster, tmp_path / "prev.json")
    args = [
        "carry",
        tmp_path / "prev.yaml",
        tmp_path / "prev.json",
        tmp_path / "next.yaml",
        "-o",
        tmp_path / "out.yaml",
    ]
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    out = load_scenario(tmp_path / "out.yaml")
    assert out.cover is not None
    carried = {(p.principal, p.deputy) for p in out.cover.previous_pairs}
    assert carried == {(p.principal, p.deputy) for p in roster.cover.pairs}


def test_an_absence_added_mid_month_changes_only_its_own_cover() -> None:
    s = cover_scenario()
    roster = solved(s)
    published = roster.cover
    assert published is not None
    s.physician("s2a").absences.append(Absence(start=dt.date(2027, 1, 6), end=dt.date(2027, 1, 6)))
    plan = solve_cover(s, roster, published=published)
    ch = plan_changes(published, plan)
    assert (ch.pairs_dropped, ch.pairs_added, ch.answers_changed, ch.answers_new) == ([], [], 0, 1)
    # now the 副主治医 who answers n1a on 1/5 falls ill that day: that stretch alone changes hands
    first = next(a for a in plan.answers if a.principal == "n1a" and a.start.day == 5)
    s.physician(str(first.answerer)).absences.append(Absence(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 5)))
    again = solve_cover(s, roster, published=plan)
    ch = plan_changes(plan, again)
    assert first.answerer == "n2a"  # n2a is a 主治医 too: their own patients need an answer on 1/5 (new)
    assert (ch.pairs_dropped, ch.pairs_added, ch.answers_changed, ch.answers_new) == ([], [], 1, 1)
    replaced = next(a for a in again.answers if a.principal == "n1a" and a.start.day == 5)
    assert replaced.answerer not in (None, "n2a") and replaced.role == "second"


def test_oncall_cover_replans_with_fewest_changes(tmp_path: Path) -> None:
    s = cover_scenario()
    roster = greedy_roster(s)
    save_scenario(s, tmp_path / "s.yaml")
    save_roster(roster, tmp_path / "r.json")
    runner = CliRunner()
    first = runner.invoke(app, ["cover", str(tmp_path / "s.yaml"), str(tmp_path / "r.json")])
    assert first.exit_code == 0, first.output
    s.physician("s2a").absences.append(Absence(start=dt.date(2027, 1, 6), end=dt.date(2027, 1, 6)))
    save_scenario(s, tmp_path / "s.yaml")
    again = runner.invoke(app, ["cover", str(tmp_path / "s.yaml"), str(tmp_path / "r.json"), "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert "Changes: pairs -0 +0; answerers changed 0; new stretches 1" in again.output
