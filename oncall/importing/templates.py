"""The XLSX templates the office downloads, fills in and imports again.

``requests_template``: the scenario's doctors down (ID, 氏名), the period's dates across with a weekday
row and a holiday row (Saturdays blue, Sundays, holidays and 年末年始 red), the marks the scenario already
holds filled in, and a drop-down list of the marks in every cell. ``physicians_template``: the columns of
``physicians.COLUMNS`` with the scenario's doctors, drop-down lists for clinics, districts, roles,
employment and experience. A second sheet explains the marks, or holds the lists; the import reads the
first sheet only. No cell is merged and no cell holds a formula (the import refuses both).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from oncall.calendar import JapaneseCalendar
from oncall.i18n import LANGS, table
from oncall.importing.marks import ALSO, MARK_LABELS, SYMBOL
from oncall.importing.physicians import COLUMNS, physician_row
from oncall.importing.problems import Lang
from oncall.importing.requests import current_marks
from oncall.model import Scenario
from oncall.xlsx import HEADER_FILL, HOLIDAY_FILL, SATURDAY_FILL, WEEKDAYS, _holiday_label, _period_label

__all__ = ["physicians_template", "requests_template"]

_HEADER_ROW = 4  # title, legend, a blank row, then the headings
_FIRST_DATE_COLUMN = 3
# template.* in the catalogue; an id heading reads the same in both languages.
_TEXT = {lang: {**table("template", lang), "id": "ID"} for lang in LANGS}


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _legend(lang: Lang) -> str:
    return "　".join(f"{SYMBOL[m]} {MARK_LABELS[m][1 if lang == 'en' else 0]}" for m in SYMBOL)


def _date_headings(ws: Worksheet, scenario: Scenario, lang: Lang) -> None:
    cal = JapaneseCalendar(scenario.calendar)
    for i, day in enumerate(scenario.period.dates()):
        c = _FIRST_DATE_COLUMN + i
        ws.cell(_HEADER_ROW, c, day).number_format = "m/d"
        ws.cell(_HEADER_ROW + 1, c, WEEKDAYS[lang][day.weekday()])
        ws.cell(_HEADER_ROW + 2, c, _holiday_label(cal.holiday_name(day), lang) or None)
        day_type = cal.day_type(day)
        fill = HOLIDAY_FILL if day_type == "holiday" else SATURDAY_FILL if day_type == "saturday" else None
        for r in range(_HEADER_ROW, _HEADER_ROW + 3):
            cell = ws.cell(r, c)
            cell.alignment = Alignment(horizontal="center", vertical="center", text_rotation=0)
            if fill is not None:
                cell.fill = fill
        ws.column_dimensions[get_column_letter(c)].width = 5.5


def _mark_list() -> DataValidation:
    marks = ",".join(SYMBOL.values())
    return DataValidation(
        type="list",
        formula1=f'"{marks}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="記号 / Mark",
        error=f"{marks} / {_legend('en')}",
    )


def _help_sheet(book: Workbook, lang: Lang) -> None:
    t = _TEXT[lang]
    ws = book.create_sheet(t["help"])
    ws.append([t["legend"], t["meaning"], t["also"]])
    for mark, symbol in SYMBOL.items():
        ws.append([symbol, MARK_LABELS[mark][1 if lang == "en" else 0], " ".join(ALSO[mark])])
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 24


def requests_template(scenario: Scenario, lang: Lang = "ja") -> bytes:
    """The request sheet of ``scenario`` as XLSX bytes, with the marks it already holds."""
    t = _TEXT[lang]
    book = Workbook()
    ws = book.active
    ws.title = t["sheet"]
    ws.cell(1, 1, t["title"].format(period=_period_label(scenario, lang), name=scenario.name)).font = Font(bold=True)
    ws.cell(2, 1, _legend(lang))
    dates = scenario.period.dates()
    notes = _FIRST_DATE_COLUMN + len(dates)
    for c, heading in ((1, t["id"]), (2, t["name"]), (notes, t["notes"])):
        ws.cell(_HEADER_ROW, c, heading).fill = HEADER_FILL
    _date_headings(ws, scenario, lang)
    validation = _mark_list()
    ws.add_data_validation(validation)
    first = _HEADER_ROW + 3
    for r, p in enumerate(scenario.physicians, start=first):
        ws.cell(r, 1, p.id)
        ws.cell(r, 2, p.label(lang))
        marks = current_marks(p, set(dates), scenario.zone)
        for i, day in enumerate(dates):
            if day in marks:
                ws.cell(r, _FIRST_DATE_COLUMN + i, SYMBOL[marks[day]])
    last = first + len(scenario.physicians) - 1
    validation.add(f"{get_column_letter(_FIRST_DATE_COLUMN)}{first}:{get_column_letter(notes - 1)}{last}")
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions[get_column_letter(notes)].width = 24
    ws.freeze_panes = ws.cell(first, _FIRST_DATE_COLUMN)
    _help_sheet(book, lang)
    return _save(book)


def _lists_sheet(book: Workbook, scenario: Scenario, lang: Lang) -> dict[str, str]:
    """A sheet of the choices; returns the range of each column's list by field."""
    ws = book.create_sheet(_TEXT[lang]["lists"])
    choices = {
        "clinic": [c.id for c in scenario.clinics],
        "districts": [d.id for d in scenario.districts],
        "roles": ["主", "副", "主、副"],
        "employment": ["開業", "勤務"],
        "experienced": ["はい", "いいえ"],
    }
    ranges: dict[str, str] = {}
    for c, (field, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(c)
        ws.cell(1, c, field)
        for r, value in enumerate(values, start=2):
            ws.cell(r, c, value)
        ranges[field] = f"'{ws.title}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def physicians_template(scenario: Scenario, lang: Lang = "ja", rows: int = 200) -> bytes:
    """The physician list of ``scenario`` as XLSX bytes: its doctors, and room for ``rows`` more."""
    book = Workbook()
    ws = book.active
    ws.title = _TEXT[lang]["physicians"]
    for c, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, c, column.en if lang == "en" else column.ja)
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = 14
    for p in scenario.physicians:
        ws.append(physician_row(p))
    last = len(scenario.physicians) + 1 + rows
    ranges = _lists_sheet(book, scenario, lang)
    for c, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(c)
        if column.field in ("phone", "id"):
            for r in range(2, last + 1):
                ws.cell(r, c).number_format = "@"  # 090… keeps its leading zero
        if column.field in ranges:
            # districts may list several: the list offers one, and the cell takes more typed by hand
            validation = DataValidation(type="list", formula1=ranges[column.field], allow_blank=True)
            validation.showErrorMessage = column.field != "districts"
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last}")
    ws.freeze_panes = "C2"
    return _save(book)
