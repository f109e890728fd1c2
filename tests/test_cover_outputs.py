"""The cover plan in the XLSX workbook and in `oncall report`."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from oncall.reports import build_report, render_text
from oncall.xlsx import write_xlsx
from tests.factories import greedy_roster
from tests.test_cover import cover_scenario, solved


def test_the_workbook_has_a_sheet_of_pairs_and_one_of_cover_days(tmp_path: Path) -> None:
    s = cover_scenario()
    roster = solved(s)
    assert roster.cover is not None
    write_xlsx(s, roster, tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    pairs = [row for row in wb["副主治医"].iter_rows(min_row=2, values_only=True)]
    name = {p.id: p.name for p in s.physicians}
    assert {(a, b) for a, b, _ in pairs} == {(name[p.principal], name[p.deputy]) for p in roster.cover.pairs}
    days = [row for row in wb["不在時の対応"].iter_rows(min_row=2, values_only=True)]
    assert len(days) == len(roster.cover.answers)
    first = roster.cover.answers[0]
    assert days[0][:4] == (
        name[first.principal],
        f"{first.start:%Y-%m-%d %H:%M}",
        f"{first.end:%Y-%m-%d %H:%M}",
        name[str(first.answerer)],
    )
    write_xlsx(s, greedy_roster(s), tmp_path / "plain.xlsx")
    assert "副主治医" not in load_workbook(tmp_path / "plain.xlsx").sheetnames


def test_report_shows_cover_load_beside_rota_load() -> None:
    s = cover_scenario()
    roster = solved(s)
    assert roster.cover is not None
    table = build_report(s, roster).physicians.set_index("id")
    for pid in table.index:
        assert table.loc[pid, "cover_colleagues"] == sum(1 for p in roster.cover.pairs if p.deputy == pid)
        answered = [a for a in roster.cover.answers if a.answerer == pid]
        assert table.loc[pid, "cover_stretches"] == len(answered)
        assert table.loc[pid, "duties"] >= 0  # the rota load stays in the same row
    assert table["cover_patients"].sum() == 23 + 15 + 20 + 12
    assert "副主治医（主治医数）" in render_text(build_report(s, roster))
    assert "Absence cover (hours)" in render_text(build_report(s, roster, lang="en"), lang="en")
    plain = build_report(s, greedy_roster(s)).physicians
    assert "cover_colleagues" not in plain.columns


def test_oncall_cover_reports_per_group_whether_24_hour_cover_holds(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from oncall.cli import app
    from oncall.io import save_scenario
    from oncall.roster import save_roster

    groups = [
        {"id": "g1", "name": "北", "clinics": ["n1", "n2"]},
        {"id": "g2", "name": "南", "clinics": ["s1", "s2"]},
    ]
    s = cover_scenario(groups=groups, doctors=[{"physician": p, "takes_cover": False} for p in ("s1b", "s1c")])
    s.physician("s2b").absences.append(s.physician("s1a").absences[0])  # s2b, s2c away in s1a's afternoon
    s.physician("s2c").absences.append(s.physician("s1a").absences[0])
    s.physician("s2a").absences.append(s.physician("s1a").absences[0])  # and s2a: nobody left for either
    save_scenario(s, tmp_path / "s.yaml")
    save_roster(greedy_roster(s), tmp_path / "r.json")
    result = CliRunner().invoke(app, ["cover", str(tmp_path / "s.yaml"), str(tmp_path / "r.json"), "--lang", "en"])
    assert result.exit_code == 1, result.output  # a gap
    assert "Group g1 (北): 2 doctors with patients, 0 gaps; 24-hour cover holds" in result.output
    assert "Group g2 (南): 2 doctors with patients, 2 gaps; 24-hour cover does NOT hold" in result.output


def test_a_roster_without_a_plan_has_no_cover_key_and_one_with_a_plan_keeps_it() -> None:
    import json

    s = cover_scenario()
    plain = greedy_roster(s)
    assert "cover" not in plain.model_dump() and "cover" not in json.loads(plain.to_json())
    planned = solved(s)
    assert json.loads(planned.to_json())["cover"]["pairs"]
    assert planned.model_dump(mode="json")["cover"] == json.loads(planned.to_json())["cover"]
