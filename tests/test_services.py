"""The service layer without HTTP: solving with the cover plan, repairs that keep the cover pairs, and the
summary that says when a pair changed because there was no other way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall.model import Scenario
from oncall.replan import AbsenceChange, Applied, replan, summary_text
from oncall.services.solving import repair_checked, solve_checked
from tests.solving import steady
from tests.test_cover import cover_scenario, solved

JST = ZoneInfo("Asia/Tokyo")
FREEZE = dt.datetime(2027, 1, 4, 0, 0, tzinfo=JST)


def _pairs(roster: object) -> set[tuple[str, str]]:
    cover = getattr(roster, "cover", None)
    assert cover is not None
    return {(p.principal, p.deputy) for p in cover.pairs}


def test_solving_plans_the_cover_after_the_rota_and_checks_both() -> None:
    s = cover_scenario()
    out = solve_checked(s, steady(2))
    assert out.roster.cover is not None and out.roster.cover.pairs
    assert not [v for v in out.report.violations if v.rule.startswith("cover_")]
    assert {p.principal for p in out.roster.cover.pairs} == {"n1a", "n2a", "s1a", "s2a"}


def test_a_repair_with_nothing_to_change_keeps_every_pair_and_says_so() -> None:
    s = cover_scenario()
    published = solved(s)
    out = repair_checked(Applied(s, [], []), published, FREEZE, steady(2), "en")
    assert _pairs(out.roster) == _pairs(published)
    assert out.summary is not None and out.summary.cover is not None
    assert out.summary.cover.pairs_dropped == [] and out.summary.cover.pairs_added == []
    assert "every pair kept" in summary_text(out.summary, s, [], "en")


def test_a_pair_changes_only_when_there_is_no_other_way_and_the_summary_says_why() -> None:
    s = cover_scenario()
    published = solved(s)
    pairs = sorted(_pairs(published))
    principal, deputy = pairs[0]
    data = s.model_dump()
    data["cover"]["doctors"] = [{"physician": deputy, "takes_cover": False}]  # no longer takes any cover
    changed = Scenario.model_validate(data)
    out = repair_checked(Applied(changed, [], []), published, FREEZE, steady(2), "en")
    now = _pairs(out.roster)
    assert {p for p in pairs if deputy not in p} <= now  # every pair not involving them is kept
    assert out.summary is not None and out.summary.cover is not None
    dropped = {(x.principal, x.deputy): x for x in out.summary.cover.pairs_dropped}
    assert set(dropped) == {p for p in pairs if p[1] == deputy}
    assert all(x.cause == "excluded" and x.rule == "cover_capacity" for x in dropped.values())
    text = summary_text(out.summary, changed, [], "en")
    assert "only because there was no other way" in text and f"{principal} / {deputy}: rule cover_capacity" in text
    assert "他に方法がない" in summary_text(out.summary, changed, [], "ja")


def test_an_absence_added_mid_month_is_answered_without_changing_a_pair() -> None:
    s = cover_scenario()
    published = solved(s)
    change = AbsenceChange(physician="n2a", start=dt.date(2027, 1, 8), end=dt.date(2027, 1, 8))
    out = replan(s, published, [change], FREEZE, steady(2), lang="en")
    assert _pairs(out.roster) == _pairs(published)
    assert out.summary.cover is not None and out.summary.cover.answers_new >= 1
    assert out.roster.cover is not None
    assert any(a.principal == "n2a" and a.answerer for a in out.roster.cover.answers)


def test_oncall_solve_writes_the_cover_plan_of_a_scenario_with_panels(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from oncall.cli import app
    from oncall.io import save_scenario
    from oncall.roster import load_roster
    from tests.solving import steady_cli

    save_scenario(cover_scenario(), tmp_path / "s.yaml")
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        app, ["solve", str(tmp_path / "s.yaml"), "-o", str(out), *steady_cli(2), "--lang", "en"]
    )
    roster = load_roster(out)
    assert roster.cover is not None and roster.cover.pairs, result.output
    assert "Cover plan:" in result.output
    assert result.exit_code == (1 if roster.gaps or roster.cover.has_gaps() else 0), result.output
