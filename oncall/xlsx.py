"""The roster as the association office's Excel workbook (当番表).

Sheet 1 is the 当番表: one row per date; per district a group of columns 主当番 / 副当番 / 後方支援病院.
A cell lists the people of each rostered block of the date, each line prefixed by the block's label when
the date has more than one block; gaps read （欠員） in red, with the solver's reasons as a cell comment.
Saturdays are light blue, Sundays, holidays and 年末年始 light red. Sheet 2 (医師別集計) counts duties,
nights, holiday duties and duty points per physician, from the roster and the timeline alone.

Printing (A4): the 当番表 prints one district (or two that fit at full size) per page width, the date
columns and the header rows repeated on every page, the title in the page header and page numbers in the
footer. Its scale is computed from the column widths: 100 % unless one district is wider than the
paper, and never below what keeps the 11 pt text at 9 pt or more on paper (``MIN_PRINTED_SIZE``).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from oncall.calendar import JapaneseCalendar
from oncall.cover.tables import add_cover_sheets
from oncall.i18n import LANGS, Lang, as_lang, table, text
from oncall.model import Role, Scenario
from oncall.names import display_names
from oncall.roster import GapRole, Roster, RosterDuty
from oncall.timeline import Duty, Timeline

__all__ = ["write_xlsx"]

ROLE_COLUMNS: tuple[GapRole, ...] = ("primary", "secondary", "backup_hospital")

TEXT: dict[str, dict[str, str]] = {lang: table("xlsx", lang) for lang in LANGS}  # xlsx.* in the catalogue
# Spelled out rather than strftime("%B"), which follows the process locale.
WEEKDAYS: dict[str, tuple[str, ...]] = {lang: tuple(text("word.weekdays", lang).split()) for lang in LANGS}
EN_HOLIDAYS = {
    "元日": "New Year's Day",
    "成人の日": "Coming of Age Day",
    "建国記念の日": "National Foundation Day",
    "天皇誕生日": "Emperor's Birthday",
    "春分の日": "Vernal Equinox Day",
    "昭和の日": "Showa Day",
    "憲法記念日": "Constitution Day",
    "みどりの日": "Greenery Day",
    "こどもの日": "Children's Day",
    "海の日": "Marine Day",
    "山の日": "Mountain Day",
    "敬老の日": "Respect for the Aged Day",
    "秋分の日": "Autumnal Equinox Day",
    "スポーツの日": "Sports Day",
    "体育の日": "Health and Sports Day",
    "文化の日": "Culture Day",
    "勤労感謝の日": "Labour Thanksgiving Day",
    "振替休日": "substitute holiday",
    "国民の休日": "Citizens' Holiday",
    "年末年始": "New Year holidays",
}

SATURDAY_FILL = PatternFill("solid", fgColor="DDEBF7")
HOLIDAY_FILL = PatternFill("solid", fgColor="FCE4E4")
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
GAP_COLOR = "C00000"
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_ROWS = 4  # title, subtitle, district group headers, role headers
FIRST_DISTRICT_COLUMN = 4  # after date, weekday, holiday name

BODY_SIZE = 11  # points, every cell but the title
TITLE_SIZE = 14
MIN_PRINTED_SIZE = 9  # points on paper: the least scale keeps BODY_SIZE at this size or more
MIN_SCALE = math.ceil(100 * MIN_PRINTED_SIZE / BODY_SIZE)  # per cent
# A4 in points, and the side margins: the printable width of a page.
A4_POINTS = {"landscape": 841.89, "portrait": 595.28}
SIDE_MARGIN_INCHES = 0.4
# An Excel column width unit is the width of a digit of the default font (Calibri 11: 7 pixels at
# 96 dpi), so a column of width w is 7w pixels, 5.25w points.
POINTS_PER_WIDTH = 7 * 72 / 96


@dataclass
class _Entry:
    """A block of a date in one district: the scenario's duty and what the roster holds for it."""

    start: dt.datetime
    day: dt.date  # the date the block belongs to
    label: str
    duty_id: str
    held: RosterDuty | None  # None when the roster lacks the duty: every role is a gap
    needed: frozenset[str] = frozenset(("primary", "secondary", "backup_hospital"))  # the block's roles


@dataclass
class _Tally:
    """Duty counts and points of one physician (or of everyone)."""

    duties: int = 0
    nights: int = 0
    holiday_duties: int = 0
    points: float = 0.0

    def add(self, duty: Duty, factor: float = 1.0) -> None:
        """Count one duty held (in either role), its points times the role's factor (``rules.role_points``)."""
        self.duties += 1
        self.nights += duty.night
        self.holiday_duties += duty.holiday
        self.points += duty.slot.points * factor

    def merge(self, other: _Tally) -> None:
        """Add another tally into this one."""
        self.duties += other.duties
        self.nights += other.nights
        self.holiday_duties += other.holiday_duties
        self.points += other.points

    def values(self) -> list[str | int | float]:
        """The sheet's columns, points rounded as shown."""
        return [self.duties, self.nights, self.holiday_duties, round(self.points, 2)]


@dataclass
class _Line:
    """One line of a cell: an optional block label and a name, or a gap."""

    label: str | None
    text: str
    gap: bool
    reasons: list[str]


def _width(text: str) -> int:
    """Display width in Excel's units: full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _holiday_label(name: str | None, lang: str) -> str:
    """The holiday's name in ``lang``; jpholiday names a substitute day e.g. "春分の日 振替休日".

    >>> _holiday_label("春分の日 振替休日", "en")
    'Vernal Equinox Day substitute holiday'
    """
    if not name:
        return ""
    if lang != "en":
        return name
    return " ".join(EN_HOLIDAYS.get(part, part) for part in name.split())


def _period_label(scenario: Scenario, lang: str) -> str:
    start, end = scenario.period.start, scenario.period.end
    whole_month = start.day == 1 and (end + dt.timedelta(days=1)).day == 1 and start.month == end.month
    say: Lang = as_lang(lang)
    if whole_month:
        return text("word.month_of_year", say, year=start.year, month=text(f"month.{start.month}", say))
    first, last = (text("word.date", say, year=d.year, month=d.month, day=d.day) for d in (start, end))
    return text("word.date_span", say, start=first, end=last)


class _Sheets:
    """Builds both sheets of one workbook."""

    def __init__(self, scenario: Scenario, roster: Roster, lang: str) -> None:
        self.scenario = scenario
        self.roster = roster
        self.lang = lang
        self.t = TEXT[lang]
        self.timeline = Timeline.build(scenario)
        self.calendar = JapaneseCalendar(scenario.calendar)
        self.physicians = {p.id: p for p in scenario.physicians}
        self.doctor_names = display_names(scenario.physicians, lang)
        self.hospital_names = display_names(scenario.hospitals, lang)
        self.gap_reasons: dict[tuple[str, str], list[str]] = {(g.duty, g.role): g.texts(lang) for g in roster.gaps}
        # Place each roster duty on the date its block belongs to (a night belongs to its evening).
        self.entries: dict[tuple[dt.date, str], list[_Entry]] = defaultdict(list)
        held = {d.id: d for d in roster.duties}
        for duty in self.timeline.duties:
            needed = frozenset((*duty.roles, "backup_hospital"))
            entry = _Entry(duty.start, duty.day, duty.block.label(lang), duty.id, held.pop(duty.id, None), needed)
            self.entries[duty.day, duty.district].append(entry)
        zone = scenario.zone
        for rd in held.values():  # duties the scenario does not know: still show what the roster says
            block = next((b for b in scenario.block_templates() if b.id == rd.block), None)
            day = rd.start.astimezone(zone).date()
            label = block.label(lang) if block else rd.block
            self.entries[day, rd.district].append(_Entry(rd.start, day, label, rd.id, rd))
        for entries in self.entries.values():
            entries.sort(key=lambda e: e.start)

    # --- names ----------------------------------------------------------------------------------
    def physician_name(self, pid: str) -> str:
        return self.doctor_names.get(pid, pid)

    def hospital_name(self, hid: str) -> str:
        return self.hospital_names.get(hid, hid)

    # --- sheet 1 --------------------------------------------------------------------------------
    def lines(self, row_day: dt.date, district: str, role: GapRole) -> list[_Line]:
        """What one cell lists: a line per block of the date (the first date also shows the night
        carried over from the day before the period, labelled with that date)."""
        entries = list(self.entries.get((row_day, district), []))
        if row_day == self.scenario.period.start:
            entries = self.entries.get((row_day - dt.timedelta(days=1), district), []) + entries
        out: list[_Line] = []
        for e in entries:
            label = e.label if e.day == row_day else f"{e.day.month}/{e.day.day} {e.label}"
            assignee = getattr(e.held, role) if e.held is not None else None
            if assignee is None and role not in e.needed:
                out.append(_Line(label, "—", False, []))  # the block has no such role: nobody is missing
            elif assignee is None:
                out.append(_Line(label, self.t["gap"], True, self.gap_reasons.get((e.duty_id, role), [])))
            else:
                name = self.hospital_name(assignee) if role == "backup_hospital" else self.physician_name(assignee)
                if e.held is not None and role in e.held.shared:  # one person for several districts
                    name += self.t["shared"]
                out.append(_Line(label, name, False, []))
        if role == "backup_hospital" and len(out) > 1 and len({(x.text, x.gap) for x in out}) == 1:
            # One hospital for the whole date (the usual per-day standby): name it once.
            out = [_Line(None, out[0].text, out[0].gap, [r for x in out for r in x.reasons])]
        if len(out) == 1:
            out[0].label = None
        return out

    def write_cell(self, ws: Any, row: int, col: int, lines: list[_Line]) -> int:
        """Fill a roster cell; return its display width."""
        cell = ws.cell(row=row, column=col)
        texts = [f"{x.label} {x.text}" if x.label else x.text for x in lines]
        if lines and all(x.gap for x in lines):
            cell.value = "\n".join(texts)
            cell.font = Font(size=BODY_SIZE, color=GAP_COLOR, bold=True)
        elif any(x.gap for x in lines):
            # Only the gap turns red; the names sharing the cell stay black.
            red = InlineFont(color=GAP_COLOR, b=True, sz=BODY_SIZE)
            parts: list[str | TextBlock] = []
            for i, (x, text) in enumerate(zip(lines, texts, strict=True)):
                sep = "\n" if i else ""
                if x.gap:
                    prefix = f"{sep}{x.label} " if x.label else sep
                    if prefix:
                        parts.append(prefix)
                    parts.append(TextBlock(red, x.text))
                else:
                    parts.append(sep + text)
            cell.value = CellRichText(parts)
        else:
            cell.value = "\n".join(texts) if texts else None
        reasons = [r for x in lines for r in x.reasons]
        if reasons:
            cell.comment = Comment("\n".join(dict.fromkeys(reasons)), "oncall", width=320, height=140)
        cell.alignment = WRAP
        cell.border = BORDER
        return max((_width(t) for t in texts), default=0)

    def roster_sheet(self, ws: Any) -> None:
        t = self.t
        districts = self.scenario.districts
        last_col = FIRST_DISTRICT_COLUMN - 1 + 3 * len(districts)
        ws.title = t["roster_sheet"]
        ws.cell(row=1, column=1, value=t["title"].format(period=_period_label(self.scenario, self.lang)))
        ws.cell(row=1, column=1).font = Font(size=TITLE_SIZE, bold=True)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
        gaps = len(self.roster.gaps)
        subtitle = f"{self.scenario.name}　{t['gaps'].format(n=gaps) if gaps else t['no_gaps']}"
        ws.cell(row=2, column=1, value=subtitle)
        if gaps:
            ws.cell(row=2, column=1).font = Font(size=BODY_SIZE, color=GAP_COLOR, bold=True)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)

        for col, key in enumerate(("date", "weekday", "holiday"), start=1):
            ws.cell(row=3, column=col, value=t[key])
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        for i, district in enumerate(districts):
            first = FIRST_DISTRICT_COLUMN + 3 * i
            ws.cell(row=3, column=first, value=district.label(self.lang))
            ws.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
            for k, role in enumerate(ROLE_COLUMNS):
                ws.cell(row=4, column=first + k, value=t[role])
        for row in (3, 4):
            for col in range(1, last_col + 1):
                cell = ws.cell(row=row, column=col)
                cell.font = Font(size=BODY_SIZE, bold=True)
                cell.fill = HEADER_FILL
                cell.alignment = CENTRE
                cell.border = BORDER

        widths = [6, 5, 10] + [8] * (3 * len(districts))
        widths[2] = max(widths[2], _width(t["holiday"]) + 2)
        for i in range(3 * len(districts)):
            widths[3 + i] = max(widths[3 + i], _width(t[ROLE_COLUMNS[i % 3]]) + 2)
        for r, day in enumerate(self.scenario.period.dates(), start=HEADER_ROWS + 1):
            day_type = self.calendar.day_type(day)
            fill = SATURDAY_FILL if day_type == "saturday" else HOLIDAY_FILL if day_type == "holiday" else None
            weekday = WEEKDAYS[self.lang][day.weekday()]
            holiday = _holiday_label(self.calendar.holiday_name(day), self.lang)
            widths[2] = max(widths[2], _width(holiday) + 2)
            date_cell = ws.cell(row=r, column=1, value=day)
            date_cell.number_format = "m/d"
            ws.cell(row=r, column=2, value=weekday)
            ws.cell(row=r, column=3, value=holiday or None)
            for col in (1, 2, 3):
                ws.cell(row=r, column=col).alignment = CENTRE
                ws.cell(row=r, column=col).border = BORDER
            most_lines = 1
            for i, district in enumerate(districts):
                for k, role in enumerate(ROLE_COLUMNS):
                    col = FIRST_DISTRICT_COLUMN + 3 * i + k
                    lines = self.lines(day, district.id, role)
                    most_lines = max(most_lines, len(lines))
                    widths[col - 1] = max(widths[col - 1], self.write_cell(ws, r, col, lines) + 2)
            if fill is not None:
                for col in range(1, last_col + 1):
                    ws.cell(row=r, column=col).fill = fill
            # Excel does not grow rows for wrapped text written by a library; size them for the lines.
            ws.row_dimensions[r].height = 15 * most_lines + 3
        widths = [min(width, 48) for width in widths]
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = ws.cell(row=HEADER_ROWS + 1, column=FIRST_DISTRICT_COLUMN)
        _print_by_district(ws, widths)

    # --- sheet 2 --------------------------------------------------------------------------------
    def summary_sheet(self, ws: Any) -> None:
        t = self.t
        ws.title = t["summary_sheet"]
        keys = ("physician", "clinic", "district", "duties", "nights", "holiday_duties", "points")
        for col, key in enumerate(keys, start=1):
            cell = ws.cell(row=1, column=col, value=t[key])
            cell.font = Font(size=BODY_SIZE, bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = CENTRE
            cell.border = BORDER
        tallies = {p.id: _Tally() for p in self.scenario.physicians}
        by_id = self.timeline.by_id
        for rd in self.roster.duties:
            duty = by_id.get(rd.id)
            if duty is None:
                continue
            factor = self.scenario.rules.role_points.factor
            holders: dict[str | None, Role] = {rd.secondary: "secondary", rd.primary: "primary"}
            for pid, role in holders.items():
                if pid is not None and duty.lead(role) == duty.id:  # a shared role counts once, on its lead
                    tallies.setdefault(pid, _Tally()).add(duty, factor(role))
        clinics = {c.id: c for c in self.scenario.clinics}
        districts = {d.id: d for d in self.scenario.districts}
        rows: list[list[str | int | float]] = []
        for pid, tally in tallies.items():
            p = self.physicians.get(pid)
            clinic = clinics.get(p.clinic) if p else None
            district = districts.get(clinic.district) if clinic else None
            name = clinic.name if clinic else ""
            where = district.label(self.lang) if district else ""
            rows.append([self.physician_name(pid), name, where, *tally.values()])
        total = _Tally()
        for tally in tallies.values():
            total.merge(tally)
        totals: list[str | int | float] = [t["total"], "", "", *total.values()]
        widths = [_width(t[k]) + 4 for k in keys]
        for r, values in enumerate([*rows, totals], start=2):
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=col, value=value)
                cell.border = BORDER
                if col >= 4:
                    cell.alignment = Alignment(horizontal="right")
                widths[col - 1] = max(widths[col - 1], _width(str(value)) + 2)
        for col in range(1, len(keys) + 1):
            ws.cell(row=len(rows) + 2, column=col).font = Font(size=BODY_SIZE, bold=True)
        widths = [min(width, 40) for width in widths]
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows) + 1}"
        # Portrait when the table fits at a legible size, else landscape.
        landscape = 100 * _printable("portrait") / sum(widths) < MIN_SCALE
        scale = _scale([sum(widths)], "landscape" if landscape else "portrait")
        _print_setup(ws, "1:1", scale, title_cols="A:A", landscape=landscape)


def _print_by_district(ws: Any, widths: list[int]) -> None:
    """Print the 当番表 a page width per district (or per two that fit at full size), the date columns and
    the header rows on every page, the title in the page header."""
    dates = sum(widths[: FIRST_DISTRICT_COLUMN - 1])
    groups = [sum(widths[c : c + 3]) for c in range(FIRST_DISTRICT_COLUMN - 1, len(widths), 3)]
    pages = _district_pages(dates, groups, _printable("landscape"))
    breaks = [FIRST_DISTRICT_COLUMN - 1 + 3 * (page[-1] + 1) for page in pages[:-1]]
    scale = _scale([dates + sum(groups[i] for i in page) for page in pages])
    _print_setup(ws, f"{HEADER_ROWS - 1}:{HEADER_ROWS}", scale, title_cols="A:C", breaks=breaks)
    ws.oddHeader.center.text = ws.cell(row=1, column=1).value


def _printable(orientation: str) -> float:
    """Points across an A4 page between the side margins."""
    return A4_POINTS[orientation] - 2 * SIDE_MARGIN_INCHES * 72


def _district_pages(titles: float, groups: Sequence[float], room: float) -> list[list[int]]:
    """The districts printed on each page width (column widths in Excel units, ``room`` in points): one,
    or two consecutive ones when both fit beside the repeated date columns at full size.

    >>> _district_pages(20, [40, 40, 20, 20, 20, 150], 120 * POINTS_PER_WIDTH)
    [[0, 1], [2, 3], [4], [5]]
    """
    pages: list[list[int]] = []
    used = 0.0
    for i, width in enumerate(groups):
        if pages and len(pages[-1]) < 2 and (titles + used + width) * POINTS_PER_WIDTH <= room:
            pages[-1].append(i)
            used += width
        else:
            pages.append([i])
            used = width
    return pages


def _scale(page_widths: Sequence[float], orientation: str = "landscape") -> int:
    """The print scale in per cent that fits the widest page (Excel units) on the paper, at most 100 and
    never below ``MIN_SCALE``: a district wider than that runs onto a second page width instead."""
    widest = max(page_widths) * POINTS_PER_WIDTH
    return max(MIN_SCALE, min(100, math.floor(100 * _printable(orientation) / widest)))


def _print_setup(
    ws: Any, title_rows: str, scale: int, title_cols: str, breaks: list[int] | None = None, landscape: bool = True
) -> None:
    """A4 at ``scale`` per cent, a new page width after each column in ``breaks``, the title rows and
    columns repeated on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = scale
    ws.sheet_properties.pageSetUpPr.fitToPage = False  # Excel ignores manual page breaks when fitting
    for column in breaks or []:
        ws.col_breaks.append(Break(id=column))  # the page ends after this column (1-based)
    ws.print_title_rows = title_rows
    ws.print_title_cols = title_cols
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_INCHES
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "&P / &N"


def write_xlsx(scenario: Scenario, roster: Roster, path: Path, lang: str = "ja") -> None:
    """Write the 当番表 and the per-physician summary as an .xlsx file, atomically."""
    if lang not in TEXT:
        raise ValueError(f"lang: expected one of {sorted(TEXT)}, got {lang!r}")
    sheets = _Sheets(scenario, roster, lang)
    wb = Workbook()
    sheets.roster_sheet(wb.active)
    sheets.summary_sheet(wb.create_sheet())
    add_cover_sheets(wb, scenario, roster, lang)  # pairs and absence cover, when the roster has a cover plan
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        wb.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
