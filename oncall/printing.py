"""The printed 当番表: the data of the print view, one district per A4 page (two when they fit).

Dates down; per district the primary, the secondary and the backup hospital across; names, not ids;
Saturdays, holidays and 年末年始 marked; gaps in red; the on-call line's number on every page. The cells
say what the office's XLSX says (``oncall.xlsx``), so the print and the workbook never disagree.
``api/pages/print.py`` renders this with the template ``api/templates/print/roster.html``.

Two districts share a page when the estimated width of both, at the print's type size, fits the printable
width of A4 portrait; the browser test measures the real width.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from oncall.calendar import YEAR_END_NAME, JapaneseCalendar
from oncall.i18n import Lang
from oncall.model import DayType, District, Scenario
from oncall.roster import Roster
from oncall.xlsx import ROLE_COLUMNS, TEXT, WEEKDAYS, _holiday_label, _period_label, _Sheets

__all__ = ["CELL_PT", "PRINTABLE_MM", "PrintLine", "PrintPage", "PrintRow", "PrintView", "build_print_view"]

PRINTABLE_MM = 190.0  # A4 portrait, 210 mm, less 10 mm margins each side
CELL_PT = 9.5  # type size of the table; nothing printed is smaller than 9 pt
_PX_PER_MM = 96 / 25.4
_CELL_PADDING_PX = 8  # 3 px each side and the borders, as the template's CSS sets them
_HALF_WIDTH_EM = 0.6  # a Latin letter or digit, generously

EXTRA_TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "line": "当番電話",
        "contact": "連絡先",
        "district": "地区",
        "year_end": YEAR_END_NAME,
        "sheet": "地区",
        "print": "印刷する",
        "back": "当番表に戻る",
    },
    "en": {
        "line": "On-call line",
        "contact": "Contact",
        "district": "District",
        "year_end": "New Year",
        "page": "Page",
        "print": "Print",
        "back": "Back to the roster",
    },
}


@dataclass(frozen=True)
class PrintLine:
    """One line of a cell: an optional block label, then a name (or the gap mark)."""

    label: str | None
    text: str
    gap: bool


@dataclass(frozen=True)
class PrintRow:
    """One date: its labels, its day type and, per district of the page, the three role cells."""

    day: dt.date
    date: str
    weekday: str
    holiday: str
    day_type: DayType
    year_end: bool
    cells: list[list[list[PrintLine]]]  # [district][role] -> lines


@dataclass(frozen=True)
class PrintDistrict:
    """A district as its page heads it."""

    id: str
    label: str
    phone: str | None


@dataclass(frozen=True)
class PrintPage:
    """One A4 page: one or two districts, every date."""

    number: int
    districts: list[PrintDistrict]
    rows: list[PrintRow]


@dataclass(frozen=True)
class PrintView:
    """Everything the print template shows."""

    lang: Lang
    title: str
    scenario: str
    phone: str | None
    gaps: int
    text: dict[str, str]
    pages: list[PrintPage] = field(default_factory=list)


def _em(text: str) -> float:
    """Width of ``text`` in ems: full-width characters one, others a little over half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else _HALF_WIDTH_EM for ch in text)


def _line_text(line: PrintLine) -> str:
    return f"{line.label} {line.text}" if line.label else line.text


def _column_px(cells: list[list[PrintLine]], heading: str) -> float:
    widest = max([_em(heading), *(_em(_line_text(x)) for lines in cells for x in lines)])
    return widest * CELL_PT * 96 / 72 + _CELL_PADDING_PX


class _Builder:
    def __init__(self, scenario: Scenario, roster: Roster, lang: Lang) -> None:
        self.scenario, self.lang = scenario, lang
        self.sheets = _Sheets(scenario, roster, lang)  # the cells exactly as the XLSX writes them
        self.calendar = JapaneseCalendar(scenario.calendar)
        self.text = {**TEXT[lang], **EXTRA_TEXT[lang]}

    def cells(self, day: dt.date, district: District) -> list[list[PrintLine]]:
        return [
            [PrintLine(x.label, x.text, x.gap) for x in self.sheets.lines(day, district.id, role)]
            for role in ROLE_COLUMNS
        ]

    def row(self, day: dt.date, districts: list[District]) -> PrintRow:
        name = self.calendar.holiday_name(day)
        year_end = self.calendar.is_year_end(day)
        holiday = _holiday_label(name, self.lang)
        if year_end and name != YEAR_END_NAME:
            holiday = f"{holiday}・{self.text['year_end']}" if holiday else self.text["year_end"]
        return PrintRow(
            day=day,
            date=f"{day.month}/{day.day}",
            weekday=WEEKDAYS[self.lang][day.weekday()],
            holiday=holiday,
            day_type=self.calendar.day_type(day),
            year_end=year_end,
            cells=[self.cells(day, d) for d in districts],
        )

    def width_px(self, rows: list[PrintRow], index: int) -> float:
        """Estimated printed width of the columns of district ``index`` of ``rows``."""
        return sum(
            _column_px([r.cells[index][k] for r in rows], self.text[role]) for k, role in enumerate(ROLE_COLUMNS)
        )

    def date_columns_px(self, rows: list[PrintRow]) -> float:
        return sum(
            _column_px([[PrintLine(None, text, False)] for text in texts], self.text[key])
            for key, texts in (
                ("date", [r.date for r in rows]),
                ("weekday", [r.weekday for r in rows]),
                ("holiday", [r.holiday for r in rows]),
            )
        )

    def district(self, d: District) -> PrintDistrict:
        return PrintDistrict(d.id, d.label(self.lang), d.phone)

    def pages(self) -> list[PrintPage]:
        districts = self.scenario.districts
        dates = self.scenario.period.dates()
        rows = [self.row(day, districts) for day in dates]
        widths = [self.width_px(rows, i) for i in range(len(districts))]
        printable = PRINTABLE_MM * _PX_PER_MM - self.date_columns_px(rows)
        groups: list[list[int]] = []
        for i in range(len(districts)):
            last = groups[-1] if groups else None
            if last is not None and len(last) == 1 and widths[last[0]] + widths[i] <= printable:
                last.append(i)
            else:
                groups.append([i])
        return [
            PrintPage(
                number=n,
                districts=[self.district(districts[i]) for i in group],
                rows=[PrintRow(**{**r.__dict__, "cells": [r.cells[i] for i in group]}) for r in rows],
            )
            for n, group in enumerate(groups, start=1)
        ]


def build_print_view(scenario: Scenario, roster: Roster, lang: Lang = "ja") -> PrintView:
    """The print view of ``roster``: pages of one or two districts, with every text the template shows."""
    if lang not in EXTRA_TEXT:
        raise ValueError(f"lang: expected one of {sorted(EXTRA_TEXT)}, got {lang!r}")
    builder = _Builder(scenario, roster, lang)
    title = builder.text["title"].format(period=_period_label(scenario, lang))
    return PrintView(
        lang=lang,
        title=title,
        scenario=scenario.name,
        phone=scenario.phone,
        gaps=len(roster.gaps),
        text=builder.text,
        pages=builder.pages(),
    )
