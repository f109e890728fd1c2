"""``oncall import``: the preview printed, the scenario written only with --apply, exit 2 on problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner, Result

from oncall.cli import app
from oncall.io import load_scenario, save_scenario
from tests.factories import make_scenario
from tests.test_importing import JAN, _fill, csv_bytes

runner = CliRunner()


def invoke(*args: object) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "jan.yaml"
    save_scenario(make_scenario(start=JAN, days=31), path)
    return path


def test_template_filled_previewed_then_applied(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    template = tmp_path / "requests_template.xlsx"
    assert invoke("import", "template", "requests", scenario, "-o", template).exit_code == 0
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(_fill(template.read_bytes(), {("n1a", 5): "×", ("n2b", 8): "○"}))
    before = scenario.read_text(encoding="utf-8")
    shown = invoke("import", "requests", scenario, filled)
    assert shown.exit_code == 0, shown.output
    assert "変更 2 件" in shown.output and "青木一郎 (n1a) 2027-01-05: — → × 休み" in shown.output
    assert scenario.read_text(encoding="utf-8") == before  # a preview writes nothing
    out = tmp_path / "new.yaml"
    applied = invoke("import", "requests", scenario, filled, "-o", out, "--apply", "--lang", "en")
    assert applied.exit_code == 0, applied.output
    assert "Written:" in applied.output
    new = load_scenario(out)
    assert [a.start for a in new.physician("n1a").absences] == [dt.date(2027, 1, 5)]
    assert [w.date for w in new.physician("n2b").wishes] == [dt.date(2027, 1, 8)]


def test_a_cp932_csv_with_problems_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    sheet = tmp_path / "requests.csv"
    sheet.write_bytes(csv_bytes([["氏名", "1/5", "2/1"], ["青木一郎", "×", ""], ["誰か", "", ""]], "cp932"))
    before = scenario.read_text(encoding="utf-8")
    result = invoke("import", "requests", scenario, sheet, "--apply")
    assert result.exit_code == 2
    assert f"error: {sheet}: 1行目 C列: 2027-02-01 は期間（2027-01-01〜2027-01-31）の外です" in result.output
    assert f"error: {sheet}: 3行目 A列: 医師「誰か」はこのシナリオにいません" in result.output
    assert scenario.read_text(encoding="utf-8") == before


def test_physician_list_applied_in_place(tmp_path: Path) -> None:
    scenario = _scenario(tmp_path)
    sheet = tmp_path / "physicians.csv"
    sheet.write_bytes(csv_bytes([["ID", "氏名", "医療機関"], ["z1", "新井望", "北一クリニック"]], "utf-8-sig"))
    result = invoke("import", "physicians", scenario, sheet, "--apply")
    assert result.exit_code == 0, result.output
    assert load_scenario(scenario).physician("z1").clinic == "n1"


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = invoke("import", "physicians", _scenario(tmp_path), tmp_path / "none.xlsx")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {tmp_path / 'none.xlsx'}: cannot read: No such file or directory"
    ]
