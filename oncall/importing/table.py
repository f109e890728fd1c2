"""Bytes of an uploaded file to a grid of cell values: XLSX (openpyxl) or CSV (UTF-8, with or without
BOM, or Shift_JIS/CP932 as Japanese Excel writes it; tab-separated too, and UTF-16 as Excel's "Unicode
text" writes it), refusing what cannot be read safely.

Refused, each with a problem naming the place: a file over MAX_BYTES (or an XLSX whose contents unpack
to more than MAX_UNPACKED), an old .xls or any other non-spreadsheet, more than MAX_ROWS rows or
MAX_COLUMNS columns, formulas (the stored value may be stale or absent), merged cells (the value sits in
one cell of the range only), and an empty first sheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from oncall.importing.problems import ImportFailed, SheetProblem

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "MAX_UNPACKED", "Table", "read_table"]

MAX_BYTES = 2 * 1024 * 1024  # a year of requests for 200 doctors is well under 200 kB
MAX_UNPACKED = 40 * 1024 * 1024  # an XLSX is a zip: a small file may unpack to gigabytes
MAX_ROWS = 2000
MAX_COLUMNS = 400  # dates across: a year and a few columns more
_XLSX = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(frozen=True)
class Table:
    """The first sheet's values; ``rows[0][0]`` is cell A1. Text is stripped; empty cells are None."""

    rows: list[list[Any]]

    def cell(self, row: int, column: int) -> Any:
        """The value at ``row``, ``column`` counted from 0 (None past the end of a short row)."""
        line = self.rows[row]
        return line[column] if column < len(line) else None


def _fail(code: str, row: int | None = None, column: int | None = None, **params: Any) -> ImportFailed:
    return ImportFailed([SheetProblem.at(row, column, code, **params)])


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _check_size(rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise _fail("too_many_rows", count=rows, limit=MAX_ROWS)
    if columns > MAX_COLUMNS:
        raise _fail("too_many_columns", count=columns, limit=MAX_COLUMNS)


def _read_xlsx(data: bytes) -> list[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise _fail("not_spreadsheet") from exc
    if unpacked > MAX_UNPACKED:
        raise _fail("too_large", size=unpacked, limit=MAX_UNPACKED)
    try:
        book = load_workbook(io.BytesIO(data), data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise _fail("not_spreadsheet") from exc
    sheet = book.worksheets[0]
    _check_size(sheet.max_row, sheet.max_column)
    problems = [
        SheetProblem.at(r.min_row, r.min_col, "merged", cells=r.coord)
        for r in sorted(sheet.merged_cells.ranges, key=str)
    ]
    rows: list[list[Any]] = []
    for line in sheet.iter_rows():
        values: list[Any] = []
        for cell in line:
            if cell.data_type == "f":
                formula = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "=…")
                problems.append(SheetProblem.at(cell.row, cell.column, "formula", formula=str(formula)[:40]))
                values.append(None)
            else:
                values.append(_clean(cell.value))
        rows.append(values)
    if problems:
        raise ImportFailed(problems)
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16, tab-separated
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _fail("encoding") from exc
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail("encoding")


def _read_csv(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    if "\x00" in text:  # no text a Japanese office saves holds NUL characters: a binary file
        raise _fail("not_spreadsheet")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        rows = [[_clean(v) for v in line] for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise _fail("csv", reason=str(exc)) from exc
    _check_size(len(rows), max((len(r) for r in rows), default=0))
    return rows


def read_table(data: bytes) -> Table:
    """The first sheet of an XLSX, or the rows of a CSV; raises ImportFailed naming what is wrong."""
    if len(data) > MAX_BYTES:
        raise _fail("too_large", size=len(data), limit=MAX_BYTES)
    if data.startswith(_OLE):
        raise _fail("old_xls")
    rows = _read_xlsx(data) if data.startswith(_XLSX) else _read_csv(data)
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    if not rows:
        raise _fail("empty")
    return Table(rows)
