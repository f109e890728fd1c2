"""What both sheets share: reading headings, finding the heading row, and finding a doctor by id or name."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from oncall.importing.preview import ImportKind, Preview
from oncall.importing.problems import ImportFailed, SheetProblem
from oncall.importing.table import Table, read_table
from oncall.model import Physician, Scenario

__all__ = ["ID_HEADINGS", "NAME_HEADINGS", "DoctorIndex", "heading_row", "norm", "read_sheet", "text_of"]

ID_HEADINGS = frozenset({"id", "医師id", "医師番号"})
NAME_HEADINGS = frozenset({"氏名", "名前", "医師名", "医師", "name"})
_SPACE = re.compile(r"\s+")


def norm(value: Any) -> str:
    """A heading or a name as compared: NFKC (full-width letters and spaces made plain), no spaces, lower case.

    >>> norm("  山田　太郎 "), norm("ＩＤ")
    ('山田太郎', 'id')
    """
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value))).lower() if value is not None else ""


def text_of(value: Any) -> str | None:
    """A cell as text: a whole number typed into Excel (``101.0``) reads as ``101``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def heading_row(table: Table, headings: frozenset[str], within: int = 20) -> int | None:
    """Index of the first of the top ``within`` rows that has one of ``headings``."""
    for r, line in enumerate(table.rows[:within]):
        if any(norm(v) in headings for v in line):
            return r
    return None


class DoctorIndex:
    """The scenario's physicians, found by id or by name (spaces and width ignored)."""

    def __init__(self, scenario: Scenario) -> None:
        self.by_id = {p.id: p for p in scenario.physicians}
        self.by_name: dict[str, list[Physician]] = defaultdict(list)
        for p in scenario.physicians:
            self.by_name[norm(p.name)].append(p)

    def find(self, row: int, column: int, ident: str | None, name: str | None) -> Physician | SheetProblem:
        """The physician a row names (``column`` is where the id or name was read), or the problem."""
        if ident is not None:
            found = self.by_id.get(ident)
            return found if found is not None else SheetProblem.at(row, column, "unknown_doctor", value=ident)
        matches = self.by_name.get(norm(name), [])
        if len(matches) == 1:
            return matches[0]
        code = "ambiguous_doctor" if matches else "unknown_doctor"
        return SheetProblem.at(row, column, code, value=name)


def read_sheet(
    kind: ImportKind,
    data: bytes,
    scenario: Scenario,
    headings: frozenset[str],
    needed: tuple[str, str],
    read_rows: Callable[[Table, int, Scenario, Preview], None],
) -> Preview:
    """The preview of a file: read the table, find the heading row (``needed`` says what it must have, in
    Japanese and English), then let ``read_rows`` read what lies below it."""
    preview = Preview(kind=kind, scenario=scenario.name)
    try:
        table = read_table(data)
    except ImportFailed as exc:
        preview.errors = exc.problems
        return preview
    header = heading_row(table, headings)
    if header is None:
        preview.errors.append(SheetProblem.at(None, None, "no_header", needed=needed[0], needed_en=needed[1]))
        return preview
    read_rows(table, header, scenario, preview)
    if not preview.errors and not preview.rows:
        preview.errors.append(SheetProblem.at(None, None, "no_rows"))
    return preview
