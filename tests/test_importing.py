"""Importing the office's spreadsheets: templates, previews with placed problems, and applying them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from oncall import importing
from oncall.errors import InvalidScenario
from oncall.importing.marks import read_mark
from oncall.importing.table import MAX_BYTES, MAX_UNPACKED
from oncall.model import Absence, Request, Scenario
from tests.factories import make_scenario

JAN = dt.date(2027, 1, 1)
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
BOMB = 50 * 1024 * 1024  # zeros: a few kB packed


@pytest.fixture
def month() -> Scenario:
    return make_scenario(start=JAN, days=31)


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def texts(preview: importing.Preview, lang: str = "ja") -> list[str]:
    return [p.text(lang) for p in preview.errors]  # type: ignore[arg-type]


def _fill(template: bytes, marks: dict[tuple[str, int], str]) -> bytes:
    """The request template with ``marks`` written by (physician id, day of January)."""
    book = load_workbook(io.BytesIO(template))
    ws = book.worksheets[0]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "ID")
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
    days = {ws.cell(header, c).value.day: c for c in range(3, ws.max_column) if ws.cell(header, c).value}
    for (pid, day), mark in marks.items():
        ws.cell(rows[pid], days[day]).value = mark
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the request sheet -----------------------------------------------------------------------------


def test_round_trip_template_filled_preview_apply(month: Scenario) -> None:
    template = importing.requests_template(month)
    unchanged = importing.preview("requests", template, month)
    assert unchanged.ok and unchanged.rows == 12 and unchanged.request_changes == []
    filled = _fill(template, {("n1a", 5): "×", ("n1a", 6): "×", ("n1a", 7): "×", ("n2a", 9): "○", ("s1a", 10): "△"})
    preview = importing.preview("requests", filled, month)
    assert preview.ok, texts(preview)
    assert len(preview.request_changes) == 5
    first = preview.request_changes[0]
    assert (first.physician, first.date, first.before, first.after) == ("n1a", dt.date(2027, 1, 5), None, "absent")
    new = importing.apply(preview, month)
    assert new.physician("n1a").absences == [Absence(start=dt.date(2027, 1, 5), end=dt.date(2027, 1, 7))]
    assert new.physician("n2a").wishes == [Request(date=dt.date(2027, 1, 9))]
    assert new.physician("s1a").unwishes == [Request(date=dt.date(2027, 1, 10))]
    # The template of the new scenario shows the marks, and reading it again changes nothing.
    again = importing.preview("requests", importing.requests_template(new), new)
    assert again.ok and again.request_changes == []


def test_a_mark_removed_removes_the_absence_and_keeps_other_dates(month: Scenario) -> None:
    month.physicians[0].absences = [Absence(start=dt.date(2026, 12, 30), end=dt.date(2027, 1, 3))]
    month.physicians[0].unwishes = [Request(date=dt.date(2027, 1, 8), block="wd_night")]
    filled = _fill(importing.requests_template(month), {("n1a", 2): ""})
    preview = importing.preview("requests", filled, month)
    assert [(c.date.day, c.before, c.after) for c in preview.request_changes] == [(2, "absent", None)]
    new = importing.apply(preview, month).physician("n1a")
    assert new.absences == [
        Absence(start=dt.date(2026, 12, 30), end=dt.date(2027, 1, 1)),  # the reason-less runs merged
        Absence(start=dt.date(2027, 1, 3), end=dt.date(2027, 1, 3)),
    ]
    assert new.unwishes == month.physicians[0].unwishes  # a request of one block is not the sheet's


def test_half_days_become_absences_of_hours(month: Scenario) -> None:
    preview = importing.preview(
        "requests", _fill(importing.requests_template(month), {("n1b", 4): "前", ("n1b", 5): "PM"}), month
    )
    absences = importing.apply(preview, month).physician("n1b").absences
    assert absences == [
        Absence(start=dt.datetime(2027, 1, 4, 0, 0), end=dt.datetime(2027, 1, 4, 12, 0)),
        Absence(start=dt.datetime(2027, 1, 5, 12, 0), end=dt.datetime(2027, 1, 6, 0, 0)),
    ]


@pytest.mark.parametrize(
    ("text", "mark"),
    [("×", "absent"), ("✕", "absent"), ("x", "absent"), ("X", "absent"), ("Ｘ", "absent"), ("休", "absent"),
     ("△", "unwish"), ("▲", "unwish"), ("○", "wish"), ("〇", "wish"), ("◯", "wish"), ("希", "wish"),
     ("前", "absent_am"), ("ＡＭ", "absent_am"), ("午後休", "absent_pm"), ("", None), ("-", None), (None, None)],
)  # fmt: skip
def test_marks_and_their_variants(text: str | None, mark: str | None) -> None:
    assert read_mark(text) == mark


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_each_encoding_japanese_excel_writes(month: Scenario, encoding: str) -> None:
    rows = [
        ["氏名", "1/5(火)", "1月6日", "2027-01-07", "備考"],
        ["", "火", "水", "木", ""],
        ["青木 一郎", "×", "休", "", "学会"],
        ["江藤花子", "", "○", "△", ""],
    ]
    preview = importing.preview("requests", csv_bytes(rows, encoding), month)
    assert preview.ok, texts(preview)
    assert {(c.physician, c.date.day, c.after) for c in preview.request_changes} == {
        ("n1a", 5, "absent"), ("n1a", 6, "absent"), ("n2a", 6, "wish"), ("n2a", 7, "unwish")
    }  # fmt: skip


def test_excel_unicode_text_utf16_tab_separated(month: Scenario) -> None:
    text = "氏名\t1/5\t1/6\r\n青木一郎\t×\t○\r\n"
    preview = importing.preview("requests", text.encode("utf-16"), month)
    assert preview.ok, texts(preview)
    assert [(c.date.day, c.after) for c in preview.request_changes] == [(5, "absent"), (6, "wish")]


def test_each_problem_names_its_row_and_column_in_japanese_and_english(month: Scenario) -> None:
    rows = [
        ["当番表 休み希望"],
        ["ID", "氏名", "2027-01-05", "1月32日", "2027-02-01", "1/6"],
        ["n1a", "", "×", "", "", "?"],
        ["", "山田太郎", "", "", "", ""],
        ["n1a", "", "", "", "", ""],
        ["", "", "×", "", "", ""],
    ]
    preview = importing.preview("requests", xlsx(rows), month)
    assert texts(preview) == [
        "2行目 D列: 日付が読めません（1月32日）",
        "2行目 E列: 2027-02-01 は期間（2027-01-01〜2027-01-31）の外です",
        "3行目 F列: 記号「?」が読めません（使える記号: × 前 後 △ ○）",
        "4行目 B列: 医師「山田太郎」はこのシナリオにいません",
        "5行目 A列: 医師「青木一郎」は 3行目にもあります",
        "6行目: 医師の ID も氏名もありません",
    ]
    assert texts(preview, "en")[0] == "row 2, column D: cannot read the date (1月32日)"
    with pytest.raises(InvalidScenario, match="row 2, column D") as raised:
        importing.apply(preview, month)
    # The CLI and the API show the refusal in the reader's language, Japanese by default.
    assert raised.value.lines("en")[0].endswith("row 2, column D: cannot read the date (1月32日)")
    assert raised.value.lines()[0].endswith("取り込んだ表の 2行目 D列: 日付が読めません（1月32日）")


# --- hostile files ---------------------------------------------------------------------------------


def _formula_and_merged() -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(["ID", "氏名", "2027-01-05"])
    ws.append(["n1a", "", '=IF(1,"×","")'])
    ws.merge_cells("A4:C4")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip_of(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["表計算ファイル（XLSX か CSV）ではありません"]),
        (OLE + bytes(100), ["古い Excel 形式（.xls）は読めません。.xlsx で保存し直してください"]),
        (_zip_of("word/document.xml", b"<w/>"), ["表計算ファイル（XLSX か CSV）ではありません"]),
        (b"a" * (MAX_BYTES + 1), [f"ファイルが大きすぎます（{MAX_BYTES + 1} バイト、上限 {MAX_BYTES} バイト）"]),
        (_zip_of("xl/bomb.xml", bytes(BOMB)), [f"ファイルが大きすぎます（{BOMB} バイト、上限 {MAX_UNPACKED} バイト）"]),
        (b"\xff\xfe\xfd\x80\x81", ["文字コードが読めません。UTF-8 か Shift_JIS（CP932）で保存してください"]),
        (b"", ["シートが空です"]),
        (xlsx([]), ["シートが空です"]),
        (b"\n\n,,\n", ["シートが空です"]),
        (_formula_and_merged(), ["4行目 A列: 結合されたセル（A4:C4）は読めません。結合を解除してください",
                                 "2行目 C列: 数式は読めません（=IF(1,\"×\",\"\")）。値として貼り付けてください"]),
        (xlsx([["メモ"], ["なにか"]]), ["見出し行が見つかりません（「ID」か「氏名」の列と日付の列）"]),
        (xlsx([["ID", "2027-01-05"]]), ["取り込む行がありません"]),
    ],
)  # fmt: skip
def test_a_hostile_file_gets_a_clear_line(month: Scenario, data: bytes, expected: list[str]) -> None:
    preview = importing.preview("requests", data, month)
    assert texts(preview) == expected
    assert preview.rows == 0 and preview.request_changes == []


# --- the physician list ----------------------------------------------------------------------------


def test_physician_list_adds_and_changes_doctors(month: Scenario) -> None:
    rows = [
        ["ID", "氏名", "医療機関", "担当地区", "役割", "雇用", "経験", "月上限回数", "電話"],
        ["n1a", "青木一郎", "n1", "", "主・副", "開業", "はい", "4", "090-1111-2222"],
        ["x9", "新井 望", "南二医院", "北部、south", "副", "勤務", "いいえ", "", ""],
    ]
    preview = importing.preview("physicians", xlsx(rows), month)
    assert preview.ok, texts(preview)
    changed, new = preview.physician_changes
    assert (changed.id, changed.new) == ("n1a", False)
    assert {f.field: (f.before, f.after) for f in changed.fields} == {
        "caps.duties": (None, 4), "phone": (None, "090-1111-2222")
    }  # fmt: skip
    assert (new.id, new.new) == ("x9", True)
    scenario = importing.apply(preview, month)
    added = scenario.physician("x9")
    assert (added.clinic, added.districts, added.roles) == ("s2", ["north", "south"], ["secondary"])
    assert (added.employment, added.experienced) == ("employed", False)
    assert scenario.physician("n1a").caps.duties == 4
    assert len(scenario.physicians) == 13


def test_physician_template_reads_back_without_change(month: Scenario) -> None:
    preview = importing.preview("physicians", importing.physicians_template(month), month)
    assert preview.ok, texts(preview)
    assert preview.rows == 12 and preview.physician_changes == []


def test_physician_list_problems_are_placed(month: Scenario) -> None:
    rows = [
        ["ID", "氏名", "医療機関", "担当地区", "役割", "月上限回数"],
        ["n1a", "", "どこか", "", "", ""],
        ["new1", "", "", "", "", ""],
        ["n2a", "", "", "西部", "院長", "-1"],
        ["n1b", "", "", "", "", ""],
        ["n1b", "", "", "", "", ""],
        ["bad id!", "", "", "", "", ""],
    ]
    preview = importing.preview("physicians", xlsx(rows), month)
    assert texts(preview) == [
        "2行目 C列: 医療機関「どこか」はこのシナリオにありません",
        "3行目 B列: 氏名が空です",
        "3行目 C列: 医療機関が空です",
        "4行目 D列: 地区「西部」はこのシナリオにありません",
        "4行目 E列: 役割が読めません（院長）",
        "4行目 F列: 月上限回数が読めません（-1）",
        "6行目 A列: 医師「n1b」は 5行目にもあります",
        "7行目 A列: IDが読めません（bad id!）",
    ]
    assert texts(preview, "en")[1] == "row 3, column B: name is empty"


def test_a_change_that_breaks_the_scenario_is_a_problem_of_the_preview(month: Scenario) -> None:
    preview = importing.preview("physicians", xlsx([["ID", "持分"], ["n1a", 11]]), month)
    assert [p.code for p in preview.errors] == ["invalid_result"]
    assert "physicians[0].share" in texts(preview)[0] and texts(preview)[0].startswith(
        "取り込むとシナリオが不正になります"
    )
    with pytest.raises(InvalidScenario):
        importing.apply(preview, month)


def test_request_template_marks_weekdays_holidays_and_offers_the_marks(month: Scenario) -> None:
    ws = load_workbook(io.BytesIO(importing.requests_template(month))).worksheets[0]
    header = 4
    assert (ws.cell(header, 1).value, ws.cell(header, 2).value) == ("ID", "氏名")
    new_year = ws.cell(header, 3)
    assert new_year.value == dt.datetime(2027, 1, 1) and new_year.fill.fgColor.rgb.endswith("FCE4E4")
    assert [ws.cell(header + 1, 3).value, ws.cell(header + 2, 3).value] == ["金", "元日"]
    assert ws.cell(header + 2, 4).value == "年末年始" and ws.cell(header + 2, 7).value is None  # 1/2, 1/5
    assert ws.cell(header, 4 + 7).fill.fgColor.rgb.endswith("DDEBF7")  # Saturday 1/9
    assert [ws.cell(r, 2).value for r in range(header + 3, header + 15)] == [p.name for p in month.physicians]
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"×,前,後,△,○"'
    assert str(validation.sqref) == "C7:AG18"
    assert not ws.merged_cells.ranges


def test_day_numbers_as_headings_are_placed_in_the_period(month: Scenario) -> None:
    preview = importing.preview("requests", xlsx([["ID", 5, "6日", 31.0], ["n1a", "×", "", "○"]]), month)
    assert preview.ok, texts(preview)
    assert [(c.date, c.after) for c in preview.request_changes] == [
        (dt.date(2027, 1, 5), "absent"), (dt.date(2027, 1, 31), "wish")
    ]  # fmt: skip
    two_months = make_scenario(start=JAN, days=45)
    assert texts(importing.preview("requests", xlsx([["ID", 5], ["n1a", "×"]]), two_months)) == [
        "1行目 B列: 日付が読めません（5）"
    ]
