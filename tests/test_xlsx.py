"""The Excel 当番表: one row per date, district column groups, names not ids, gaps in red."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from oncall.generate import generate
from oncall.model import Scenario
from oncall.roster import Roster, RosterDuty, RosterGap, RosterPeriod
from oncall.timeline import Timeline
from oncall.xlsx import write_xlsx

FIRST_ROW = 5  # title, subtitle, district headers, role headers
GAP_DAY = dt.date(2027, 1, 5)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return generate(12, 2, "2027-01", seed=3)


def _roster(scenario: Scenario) -> Roster:
    """Every duty filled in turn by the physicians of its district, except district d01 on 1/5."""
    tl = Timeline.build(scenario)
    zone = scenario.zone
    duties: list[RosterDuty] = []
    gaps: list[RosterGap] = []
    for i, d in enumerate(tl.duties):
        people = [p.id for p in scenario.physicians if d.district in scenario.districts_of(p)]
        gap = d.district == "d01" and d.day == GAP_DAY
        duties.append(
            RosterDuty(
                id=d.id,
                district=d.district,
                block=d.block.id,
                start=d.start.astimezone(zone),
                end=d.end.astimezone(zone),
                primary=None if gap else people[i % len(people)],
                secondary=people[(i + 1) % len(people)],
                backup_hospital=None if gap else scenario.hospitals[0].id,
            )
        )
        if gap:
            gaps.append(RosterGap(duty=d.id, role="primary", reasons=["北部の医師が全員学会で不在"]))
            gaps.append(RosterGap(duty=d.id, role="backup_hospital", reasons=["受入可能な病院なし"]))
    return Roster(
        scenario=scenario.name,
        timezone=scenario.timezone,
        period=RosterPeriod(start=tl.start.astimezone(zone), end=tl.end.astimezone(zone)),
        status="feasible",
        duties=duties,
        gaps=gaps,
    )


def _row_of(ws: Any, day: dt.date) -> int:
    for row in range(FIRST_ROW, ws.max_row + 1):
        value = ws.cell(row=row, column=1).value
        if isinstance(value, dt.datetime) and value.date() == day:
            return row
    raise AssertionError(f"no row for {day}")


@pytest.fixture(scope="module")
def workbook(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("xlsx") / "当番表.xlsx"
    write_xlsx(scenario, _roster(scenario), path)
    assert not list(path.parent.glob(".*.tmp")), "the temporary file is gone"
    return openpyxl.load_workbook(path)


def test_sheets_and_title(workbook: Any) -> None:
    assert workbook.sheetnames == ["当番表", "医師別集計"]
    ws = workbook["当番表"]
    assert ws["A1"].value == "当番表 2027年1月"
    assert "欠員 2 件" in ws["A2"].value


def test_one_row_per_date(workbook: Any, scenario: Scenario) -> None:
    ws = workbook["当番表"]
    dates = [ws.cell(row=r, column=1).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert [d.date() for d in dates] == scenario.period.dates()
    assert ws.cell(row=FIRST_ROW, column=1).number_format == "m/d"
    assert [ws.cell(row=FIRST_ROW + k, column=2).value for k in range(7)] == list("金土日月火水木")
    assert ws.cell(row=_row_of(ws, dt.date(2027, 1, 11)), column=3).value == "成人の日"
    assert ws.cell(row=_row_of(ws, dt.date(2027, 1, 2)), column=3).value == "年末年始"


def test_district_headers(workbook: Any, scenario: Scenario) -> None:
    ws = workbook["当番表"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for i, district in enumerate(scenario.districts):
        col = 4 + 3 * i
        assert ws.cell(row=3, column=col).value == district.name
        letters = [openpyxl.utils.get_column_letter(col + k) for k in range(3)]
        assert f"{letters[0]}3:{letters[2]}3" in merged
        assert [ws.cell(row=4, column=col + k).value for k in range(3)] == ["主当番", "副当番", "後方支援病院"]
    assert ws.freeze_panes == "D5"
    assert ws.page_setup.orientation == "landscape"
    # Issue 17.19: no longer fitted to one page width (every district squeezed onto it), but printed at a
    # fixed scale a district or two per page width (test_districts_print_a_page_width_each_at_a_legible_size).
    assert not ws.sheet_properties.pageSetUpPr.fitToPage


def test_names_not_ids(workbook: Any, scenario: Scenario) -> None:
    ws = workbook["当番表"]
    row = _row_of(ws, dt.date(2027, 1, 6))  # a Wednesday: one block, no label
    text = ws.cell(row=row, column=4).value
    assert text in {p.name for p in scenario.physicians}
    assert ws.cell(row=row, column=6).value == scenario.hospitals[0].name


def test_a_name_two_physicians_share_carries_the_id(scenario: Scenario, tmp_path: Path) -> None:
    roster = _roster(scenario)
    row_duty = next(d for d in roster.duties if d.district == "d01" and d.start.date() == dt.date(2027, 1, 6))
    first, second = scenario.physician(row_duty.primary or ""), scenario.physician(row_duty.secondary or "")
    twins = scenario.model_copy(deep=True)
    twins.physician(second.id).name = first.name
    path = tmp_path / "twins.xlsx"
    write_xlsx(twins, roster, path)
    ws = openpyxl.load_workbook(path)["当番表"]
    row = _row_of(ws, dt.date(2027, 1, 6))
    assert ws.cell(row=row, column=4).value == f"{first.name} ({first.id})"
    assert ws.cell(row=row, column=5).value == f"{first.name} ({second.id})"
    assert ws.cell(row=row, column=6).value == scenario.hospitals[0].name  # a name no one else has: no id


def test_blocks_are_labelled_when_a_date_has_several(workbook: Any, scenario: Scenario) -> None:
    ws = workbook["当番表"]
    lines = ws.cell(row=_row_of(ws, dt.date(2027, 1, 10)), column=4).value.split("\n")  # a Sunday
    assert [line.split(" ")[0] for line in lines] == ["休日日中", "休日夜間"]
    first = ws.cell(row=FIRST_ROW, column=4).value.split("\n")
    assert first[0].startswith("12/31 休日夜間 "), "the night carried over from the day before the period"


def test_gaps_are_marked_in_red(workbook: Any) -> None:
    ws = workbook["当番表"]
    row = _row_of(ws, GAP_DAY)
    cell = ws.cell(row=row, column=4)
    assert cell.value == "（欠員）"
    assert cell.font.color.rgb.endswith("C00000")
    assert "学会" in cell.comment.text
    assert ws.cell(row=row, column=6).value == "（欠員）"
    assert ws.cell(row=row, column=5).value != "（欠員）"


def test_a_role_the_block_does_not_have_is_not_a_gap(scenario: Scenario, tmp_path: Path) -> None:
    data = scenario.model_dump()
    for blocks in data["calendar"]["blocks"].values():
        for block in blocks:
            block["roles"] = ["primary"]  # a network with one doctor on call
    one = Scenario.model_validate(data)
    roster = _roster(one)
    for duty in roster.duties:
        duty.secondary = None
    path = tmp_path / "one.xlsx"
    write_xlsx(one, roster, path)
    ws = openpyxl.load_workbook(path)["当番表"]
    row = _row_of(ws, dt.date(2027, 1, 12))
    assert ws.cell(row=row, column=5).value == "—"  # the secondary column: nobody is due
    rgb = getattr(ws.cell(row=row, column=5).font.color, "rgb", None)
    assert not (isinstance(rgb, str) and rgb.endswith("C00000"))  # not in the gaps' red
    gaps = [c for r in ws.iter_rows(min_row=FIRST_ROW) for c in r if c.value and "（欠員）" in str(c.value)]
    assert {(c.row, c.column) for c in gaps} == {(_row_of(ws, GAP_DAY), 4), (_row_of(ws, GAP_DAY), 6)}


def test_weekend_colours(workbook: Any) -> None:
    ws = workbook["当番表"]
    saturday = ws.cell(row=_row_of(ws, dt.date(2027, 1, 9)), column=1).fill.fgColor.rgb
    sunday = ws.cell(row=_row_of(ws, dt.date(2027, 1, 10)), column=1).fill.fgColor.rgb
    holiday = ws.cell(row=_row_of(ws, dt.date(2027, 1, 11)), column=1).fill.fgColor.rgb
    weekday = ws.cell(row=_row_of(ws, dt.date(2027, 1, 12)), column=1).fill.fill_type
    assert saturday.endswith("DDEBF7")
    assert sunday == holiday and sunday.endswith("FCE4E4")
    assert weekday is None


def test_summary_per_physician(workbook: Any, scenario: Scenario) -> None:
    ws = workbook["医師別集計"]
    header = [c.value for c in ws[1]]
    assert header == ["医師", "医療機関", "地区", "当番回数", "うち夜間", "うち休日", "ポイント"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows[:-1]] == [p.name for p in scenario.physicians]
    total = rows[-1]
    assert total[0] == "合計"
    duties = Timeline.build(scenario).duties
    filled = 2 * len(duties) - sum(1 for d in duties if d.district == "d01" and d.day == GAP_DAY)
    assert total[3] == filled == sum(r[3] for r in rows[:-1])
    assert 0 < total[4] < total[3]


# --- printing ---------------------------------------------------------------------------------------
A4_POINTS = {"landscape": 297 / 25.4 * 72, "portrait": 210 / 25.4 * 72}


def _points(ws: Any, column: int) -> float:
    """A column's printed width at 100 %: Excel's width unit is a digit of Calibri 11, 7 px at 96 dpi."""
    return float(ws.column_dimensions[openpyxl.utils.get_column_letter(column)].width) * 7 * 72 / 96


def _printed_sizes(ws: Any) -> set[float]:
    """Font sizes of every text on the sheet, rich-text runs included."""
    sizes: set[float] = set()
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            sizes.add(cell.font.sz)
            if isinstance(cell.value, openpyxl.cell.rich_text.CellRichText):
                sizes |= {run.font.sz for run in cell.value if not isinstance(run, str)}
    return sizes


def _effective_scale(ws: Any) -> float:
    """The scale the sheet prints at: a fixed scale, or what fitting its width onto N pages needs."""
    if not ws.sheet_properties.pageSetUpPr.fitToPage:
        return float(ws.page_setup.scale) / 100
    room = A4_POINTS[ws.page_setup.orientation] - 72 * (ws.page_margins.left + ws.page_margins.right)
    width = sum(_points(ws, c) for c in range(1, ws.max_column + 1))
    return min(1.0, float(room * (ws.page_setup.fitToWidth or 1) / width))


def test_districts_print_a_page_width_each_at_a_legible_size(tmp_path: Path) -> None:
    four = generate(40, 4, "2027-01", seed=3)
    path = tmp_path / "four.xlsx"
    write_xlsx(four, _roster(four), path)
    wb = openpyxl.load_workbook(path, rich_text=True)
    ws = wb["当番表"]
    scale = _effective_scale(ws)
    assert None not in _printed_sizes(ws)
    assert min(_printed_sizes(ws)) * scale >= 9, (scale, _printed_sizes(ws))
    room = A4_POINTS["landscape"] - 72 * (ws.page_margins.left + ws.page_margins.right)
    edges = [3, *(b.id for b in ws.col_breaks.brk), ws.max_column]  # a page ends after each break
    assert len(edges) - 1 >= 2, "four districts do not share one page width"
    dates = sum(_points(ws, c) for c in (1, 2, 3))  # repeated on every page
    for first, last in itertools.pairwise(edges):
        assert (last - first) % 3 == 0 and 3 <= last - first <= 6, "one or two whole districts a page"
        assert (dates + sum(_points(ws, c) for c in range(first + 1, last + 1))) * scale <= room
    assert (ws.print_title_rows, ws.print_title_cols) == ("$3:$4", "$A:$C")
    assert ws.oddHeader.center.text == "当番表 2027年1月"
    assert ws.oddFooter.center.text == "&P / &N"
    summary = wb["医師別集計"]
    scale = _effective_scale(summary)
    assert min(_printed_sizes(summary)) * scale >= 9
    room = A4_POINTS[summary.page_setup.orientation] - 72 * (summary.page_margins.left + summary.page_margins.right)
    assert sum(_points(summary, c) for c in range(1, summary.max_column + 1)) * scale <= room
    assert summary.print_title_rows == "$1:$1"


def test_english(scenario: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"an older file is replaced")
    write_xlsx(scenario, _roster(scenario), path, lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Roster", "Per physician"]
    ws = wb["Roster"]
    assert ws["A1"].value == "Duty roster January 2027"
    assert ws.cell(row=FIRST_ROW, column=2).value == "Fri"
    assert ws.cell(row=FIRST_ROW, column=3).value == "New Year's Day"
    assert [ws.cell(row=4, column=4 + k).value for k in range(3)] == ["Primary", "Secondary", "Backup hospital"]
    assert ws.cell(row=3, column=4).value == scenario.districts[0].name_en
    row = _row_of(ws, dt.date(2027, 1, 6))
    assert ws.cell(row=row, column=4).value in {p.name_en for p in scenario.physicians}
    assert ws.cell(row=_row_of(ws, GAP_DAY), column=4).value == "(vacant)"


def test_unknown_language(scenario: Scenario, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lang"):
        write_xlsx(scenario, _roster(scenario), tmp_path / "x.xlsx", lang="fr")
