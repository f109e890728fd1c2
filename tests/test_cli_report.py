"""``oncall report`` end to end, and ``oncall solve`` naming the hospital and date it cannot keep in limits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from oncall.io import save_scenario
from oncall.model import PatientGroup, Scenario
from oncall.plots import FILES
from oncall.roster import load_roster
from tests.factories import greedy_roster, make_scenario
from tests.test_cli import FAST, invoke


def _files(tmp_path: Path) -> tuple[Path, Path]:
    s = make_scenario(days=3)
    s.patients = [
        PatientGroup(clinic="n1", hospital="central", cancer=10, other=30),
        PatientGroup(clinic="s2", other=50),
    ]
    s = Scenario.model_validate(s.model_dump())
    scenario, roster = tmp_path / "scenario.yaml", tmp_path / "roster.json"
    save_scenario(s, scenario)
    roster.write_text(greedy_roster(s).to_json(), encoding="utf-8")
    return scenario, roster


def test_report_as_a_table_in_japanese_and_english(tmp_path: Path) -> None:
    scenario, roster = _files(tmp_path)
    ja = invoke("report", scenario, roster)
    assert ja.exit_code == 0, ja.output
    assert ja.stdout.startswith("== 概要 ==")
    assert "公平性(負担点の幅)" in ja.stdout and "== 医師別 ==" in ja.stdout and "青木一郎" in ja.stdout
    en = invoke("report", scenario, roster, "--lang", "en")
    assert "Fairness (spread of points)" in en.stdout and "Ichiro Aoki" in en.stdout


def test_report_formats_and_plots(tmp_path: Path) -> None:
    scenario, roster = _files(tmp_path)
    result = invoke("report", scenario, roster, "--format", "csv", "-o", tmp_path / "csv", "--plots", tmp_path / "png")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(
        f"{k}.csv" for k in ("summary", "physicians", "hospitals", "hospital_days", "districts", "duties")
    )
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == sorted(FILES)
    header = (tmp_path / "csv" / "physicians.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,name,share,weekday,saturday,holiday,year_end,duties,nights,points,target")
    assert invoke("report", scenario, roster, "--format", "csv").stdout.startswith("# summary\nfigure,value\n")
    html = tmp_path / "report.html"
    assert invoke("report", scenario, roster, "--format", "html", "-o", html).exit_code == 0
    assert html.read_text(encoding="utf-8").count("<table") == 6
    xlsx = tmp_path / "report.xlsx"
    assert invoke("report", scenario, roster, "--format", "xlsx", "-o", xlsx, "--lang", "en").exit_code == 0
    assert load_workbook(xlsx).sheetnames[:3] == ["Summary", "Physicians", "Hospitals"]


def test_report_notes_speak_japanese_by_default_and_english_on_request(tmp_path: Path) -> None:
    scenario, roster = _files(tmp_path)
    other = tmp_path / "other.json"
    other.write_text(roster.read_text(encoding="utf-8").replace('"test-network"', '"elsewhere"'), encoding="utf-8")
    out = tmp_path / "r.html"
    ja = invoke("report", scenario, other, "--format", "html", "-o", out)
    assert ja.exit_code == 0, ja.output
    assert ja.stderr.splitlines() == [
        f"注意: {other} はシナリオ「elsewhere」の当番表で「test-network」のものではありません。"
        f"{scenario} に照らして集計します",
        f"出力: {out}",
    ]
    en = invoke("report", scenario, other, "--format", "html", "-o", out, "--lang", "en")
    assert en.stderr.splitlines()[0].startswith(f"warning: {other} is a roster of 'elsewhere', not of 'test-network'")
    assert en.stderr.splitlines()[1] == f"Written: {out}"


def test_report_on_bad_files_exits_2(tmp_path: Path) -> None:
    scenario, _ = _files(tmp_path)
    result = invoke("report", scenario, tmp_path / "missing.json")
    assert result.exit_code == 2 and "missing.json" in result.stderr


def test_report_output_paths_of_the_wrong_kind_exit_2_before_any_work(tmp_path: Path) -> None:
    scenario, roster = _files(tmp_path)
    a_file = tmp_path / "taken.txt"
    a_file.write_text("keep me", encoding="utf-8")
    cases = [
        (["--format", "xlsx", "-o", tmp_path], f"error: -o: {tmp_path} is a directory, not a file to write"),
        (["--format", "html", "-o", tmp_path], f"error: -o: {tmp_path} is a directory, not a file to write"),
        (["--format", "csv", "-o", a_file], f"error: -o: {a_file} is a file, not a folder to write into"),
        (["--plots", a_file], f"error: --plots: {a_file} is a file, not a folder to write into"),
    ]
    for args, message in cases:
        result = invoke("report", scenario, roster, *args, "--lang", "en")
        assert result.exit_code == 2
        assert result.stderr == message + "\n"
    assert a_file.read_text(encoding="utf-8") == "keep me"


def test_solve_names_the_date_and_hospital_that_cannot_absorb_the_admissions(tmp_path: Path) -> None:
    s = make_scenario(days=3)
    s.patients = [PatientGroup(clinic="n1", other=1500), PatientGroup(clinic="s1", other=1500)]
    s.hospitals[0].capacity_per_day = 1
    s.hospitals[1].closed_dates = [dt.date(2027, 1, 5)]
    path, roster = tmp_path / "over.yaml", tmp_path / "roster.json"
    save_scenario(Scenario.model_validate(s.model_dump()), path)
    result = invoke("solve", path, "-o", roster, "--quiet", "--lang", "en", *FAST)
    assert result.exit_code == 1, result.output  # infeasible, explained; 3 would mean a broken hard rule
    assert "Status: infeasible" in result.stdout
    assert "  * 2027-01-05: Central Hospital cannot absorb the expected admissions" in result.stdout
    assert "over their admission limit on 2027-01-05 (Central Hospital" in result.stdout
    assert load_roster(roster).status == "infeasible"
