"""The monthly request sheet: doctors down, dates across, a mark per cell (see ``marks``).

The heading row is the first row with an ``ID`` or ``氏名`` heading; every other heading of that row is a
date (``2027-01-05``, ``2027/1/5``, ``1/5``, ``1月5日``, ``5日``, ``5`` or a date cell; a trailing
``(火)`` is ignored), except notes columns (``備考``). Rows without a doctor and without marks (the
weekday row of the template) are skipped. For each listed doctor the sheet decides every date it has a
column for: whole-date absences, half-day absences and wishes and unwishes of the whole date are
replaced there; absences of other hours, requests of one block and other dates are kept.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from openpyxl.utils import get_column_letter

from oncall.importing.columns import ID_HEADINGS, NAME_HEADINGS, DoctorIndex, norm, read_sheet, text_of
from oncall.importing.marks import HALF_DAYS, SYMBOL, Mark, read_mark
from oncall.importing.preview import Preview, RequestChange
from oncall.importing.problems import SheetProblem
from oncall.importing.table import Table
from oncall.model import Absence, Physician, Request, Scenario

__all__ = ["apply_requests", "current_marks", "preview_requests"]

NOTE_HEADINGS = frozenset({"備考", "メモ", "note", "notes", "医療機関", "clinic", "地区", "district"})
_WEEKDAY = re.compile(r"\s*[(（][^)）]*[)）]\s*$")
_FULL = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[/月](\d{1,2})日?$")
_DAY = re.compile(r"^(\d{1,2})日?$")


def _date_heading(value: Any, scenario: Scenario) -> dt.date | None:
    """The date a heading names; None when it is no date. Month-day and day alone are placed in the period."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    shown = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    text = _WEEKDAY.sub("", unicodedata.normalize("NFKC", shown).strip())
    period = scenario.period
    try:
        if m := _FULL.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH_DAY.match(text):
            years = sorted({period.start.year, period.end.year})
            candidates = [dt.date(y, int(m[1]), int(m[2])) for y in years]
            return next((d for d in candidates if period.start <= d <= period.end), candidates[0])
        if m := _DAY.match(text):
            day = int(m[1])
            inside = [d for d in period.dates() if d.day == day]
            if len(inside) > 1:  # a period longer than a month has two 5th: give the month too
                return None
            return inside[0] if inside else dt.date(period.start.year, period.start.month, day)
    except ValueError:
        return None
    return None


def _date_columns(table: Table, header: int, scenario: Scenario, errors: list[SheetProblem]) -> dict[int, dt.date]:
    """Column index → date, for every date heading of the heading row; problems for the rest."""
    columns: dict[int, dt.date] = {}
    first: dict[dt.date, int] = {}
    period, row = scenario.period, header + 1
    for c, value in enumerate(table.rows[header]):
        heading = norm(value)
        if not heading or heading in ID_HEADINGS | NAME_HEADINGS | NOTE_HEADINGS:
            continue
        day = _date_heading(value, scenario)
        if day is None:
            errors.append(SheetProblem.at(row, c + 1, "bad_date", value=text_of(value)))
        elif not period.start <= day <= period.end:
            errors.append(SheetProblem.at(row, c + 1, "date_outside", date=day, start=period.start, end=period.end))
        elif day in first:
            errors.append(SheetProblem.at(row, c + 1, "duplicate_date", date=day, other=_letter(first[day])))
        else:
            columns[c], first[day] = day, c
    return columns


def _letter(column: int) -> str:
    return str(get_column_letter(column + 1))


def _heading_column(table: Table, header: int, headings: frozenset[str]) -> int | None:
    return next((c for c, v in enumerate(table.rows[header]) if norm(v) in headings), None)


def _row_marks(
    table: Table, r: int, columns: dict[int, dt.date], errors: list[SheetProblem]
) -> dict[dt.date, Mark | None] | None:
    """The marks of row ``r`` by date; None when a cell cannot be read (its problem is added)."""
    marks: dict[dt.date, Mark | None] = {}
    ok = True
    for c, day in columns.items():
        try:
            marks[day] = read_mark(table.cell(r, c))
        except ValueError:
            errors.append(
                SheetProblem.at(r + 1, c + 1, "unknown_mark", value=table.cell(r, c), marks=" ".join(SYMBOL.values()))
            )
            ok = False
    return marks if ok else None


def _only_marks(table: Table, r: int, columns: dict[int, dt.date]) -> bool:
    """Whether row ``r`` holds marks and nothing else (a doctor's row whose doctor was left out)."""
    cells = [table.cell(r, c) for c in columns]
    try:
        return any([read_mark(v) for v in cells])
    except ValueError:
        return False  # the weekday row, the holiday row, a note


def _read_rows(table: Table, header: int, scenario: Scenario, preview: Preview) -> None:
    columns = _date_columns(table, header, scenario, preview.errors)
    id_col = _heading_column(table, header, ID_HEADINGS)
    name_col = _heading_column(table, header, NAME_HEADINGS)
    doctors = DoctorIndex(scenario)
    seen: dict[str, int] = {}
    for r in range(header + 1, len(table.rows)):
        ident = text_of(table.cell(r, id_col)) if id_col is not None else None
        name = text_of(table.cell(r, name_col)) if name_col is not None else None
        if ident is None and name is None:
            if _only_marks(table, r, columns):
                preview.errors.append(SheetProblem.at(r + 1, None, "no_doctor"))
            continue
        where = (id_col if ident is not None else name_col) or 0
        found = doctors.find(r + 1, where + 1, ident, name)
        if isinstance(found, SheetProblem):
            preview.errors.append(found)
            continue
        if found.id in seen:
            other = seen[found.id]
            preview.errors.append(SheetProblem.at(r + 1, where + 1, "duplicate_doctor", value=found.name, other=other))
            continue
        seen[found.id] = r + 1
        preview.rows += 1
        marks = _row_marks(table, r, columns, preview.errors)
        if marks is not None:
            preview.requests[found.id] = marks
            preview.request_changes += _changes(found, marks, r + 1, columns, scenario.zone)


def _changes(
    p: Physician, marks: dict[dt.date, Mark | None], row: int, columns: dict[int, dt.date], zone: Any
) -> list[RequestChange]:
    now = current_marks(p, set(marks), zone)
    column_of = {day: c for c, day in columns.items()}
    return [
        RequestChange(
            row=row, column=_letter(column_of[d]), physician=p.id, name=p.name, date=d, before=now.get(d), after=m
        )
        for d, m in sorted(marks.items())
        if now.get(d) != m
    ]


def preview_requests(data: bytes, scenario: Scenario) -> Preview:
    """Read a request sheet against ``scenario``: the marks understood, the changes, every problem."""
    needed = ("「ID」か「氏名」の列と日付の列", "an ID or 氏名 column and date columns")
    return read_sheet("requests", data, scenario, ID_HEADINGS | NAME_HEADINGS, needed, _read_rows)


# --- what the scenario holds, and writing the sheet into it -------------------------------------------


def _whole_days(a: Absence) -> set[dt.date] | None:
    """The dates of a whole-date absence; None for one of exact hours."""
    if isinstance(a.start, dt.datetime) or isinstance(a.end, dt.datetime):
        return None
    n = (a.end - a.start).days + 1
    return {a.start + dt.timedelta(days=i) for i in range(n)}


def _half_day(a: Absence, zone: Any) -> tuple[dt.date, Mark] | None:
    """The date and mark of an absence that is exactly a half day as the sheet writes it."""
    if not isinstance(a.start, dt.datetime) or not isinstance(a.end, dt.datetime):
        return None
    start = a.start.astimezone(zone).replace(tzinfo=None) if a.start.tzinfo else a.start
    end = a.end.astimezone(zone).replace(tzinfo=None) if a.end.tzinfo else a.end
    for mark in HALF_DAYS:
        s, e = _half_day_range(start.date(), mark)
        if (start, end) == (s, e):
            return start.date(), mark
    return None


def _half_day_range(day: dt.date, mark: Mark) -> tuple[dt.datetime, dt.datetime]:
    begin, end = HALF_DAYS[mark]
    stop = (
        dt.datetime.combine(day, end) if end is not None else dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    )
    return dt.datetime.combine(day, begin), stop


def current_marks(p: Physician, dates: set[dt.date], zone: Any = None) -> dict[dt.date, Mark]:
    """What the physician's absences, wishes and unwishes say of each of ``dates``, as sheet marks."""
    out: dict[dt.date, Mark] = {}
    kinds: tuple[tuple[list[Request], Mark], ...] = ((p.wishes, "wish"), (p.unwishes, "unwish"))
    for requests, mark in kinds:
        for req in requests:
            if req.block is None and req.date in dates:
                out[req.date] = mark
    for a in p.absences:
        half = _half_day(a, zone)
        if half is not None and half[0] in dates:
            out[half[0]] = half[1]
    for a in p.absences:
        out.update(dict.fromkeys((_whole_days(a) or set()) & dates, "absent"))
    return out


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive dates as (first, last) pairs.

    >>> _runs([dt.date(2027, 1, 5), dt.date(2027, 1, 6), dt.date(2027, 1, 9)])
    [(datetime.date(2027, 1, 5), datetime.date(2027, 1, 6)), (datetime.date(2027, 1, 9), datetime.date(2027, 1, 9))]
    """
    runs: list[tuple[dt.date, dt.date]] = []
    for d in sorted(days):
        if runs and d - runs[-1][1] == dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _with_marks(p: Physician, marks: dict[dt.date, Mark | None], zone: Any) -> Physician:
    """The physician with the sheet's dates replaced by its marks; whole-date absences merged into runs."""
    dates = set(marks)
    days_by_reason: dict[str | None, set[dt.date]] = {None: {d for d, m in marks.items() if m == "absent"}}
    hours: list[Absence] = []
    for a in p.absences:
        days = _whole_days(a)
        if days is not None:
            days_by_reason.setdefault(a.reason, set()).update(days - dates)
        elif (half := _half_day(a, zone)) is None or half[0] not in dates:
            hours.append(a)
    absences = [
        Absence(start=s, end=e, reason=reason)
        for reason, days in days_by_reason.items()
        for s, e in _runs(sorted(days))
    ]
    absences.sort(key=lambda a: a.start)
    absences += hours + [
        Absence(start=s, end=e) for s, e in (_half_day_range(d, m) for d, m in sorted(marks.items()) if m in HALF_DAYS)
    ]
    wishes = [r for r in p.wishes if r.block is not None or r.date not in dates]
    unwishes = [r for r in p.unwishes if r.block is not None or r.date not in dates]
    wishes += [Request(date=d) for d, m in sorted(marks.items()) if m == "wish"]
    unwishes += [Request(date=d) for d, m in sorted(marks.items()) if m == "unwish"]
    return p.model_copy(update={"absences": absences, "wishes": wishes, "unwishes": unwishes})


def apply_requests(preview: Preview, scenario: Scenario) -> list[Physician]:
    """The scenario's physicians with the sheet's marks written in (not yet validated as a scenario)."""
    return [
        _with_marks(p, preview.requests[p.id], scenario.zone) if p.id in preview.requests else p
        for p in scenario.physicians
    ]
