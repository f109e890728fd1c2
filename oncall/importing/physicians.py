"""The physician list: one row per doctor under a heading row; the columns it may have are ``COLUMNS``.

A row whose ID is in the scenario changes the fields its columns give (an empty cell leaves the field
as it is); a new ID adds a physician, who needs at least a name and a clinic. Doctors missing from the
file are kept: a list may hold only the doctors that change. Clinics and districts are named by id or
by name; clinics are not created by an import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oncall.importing.columns import ID_HEADINGS, norm, read_sheet, text_of
from oncall.importing.preview import FieldChange, PhysicianChange, Preview
from oncall.importing.problems import SheetProblem
from oncall.importing.table import Table
from oncall.model import Physician, Scenario

__all__ = ["COLUMNS", "Column", "apply_physicians", "physician_row", "preview_physicians"]

_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_SPLIT = re.compile(r"[,、，・/／;；\s]+")


class _Bad(ValueError):
    """A cell's value cannot be read; ``code`` is the problem (bad_value by default)."""

    def __init__(self, value: Any, code: str = "bad_value") -> None:
        super().__init__(value)
        self.value, self.code = value, code


def _text(value: Any, _: Scenario) -> str:
    return str(text_of(value))


def _ident(value: Any, _: Scenario) -> str:
    text = str(text_of(value))
    if not _ID.match(text):
        raise _Bad(text)
    return text


def _words(value: Any) -> list[str]:
    return [w for w in _SPLIT.split(str(text_of(value))) if w]


def _one_of(table: dict[str, Any]) -> Callable[[Any, Scenario], Any]:
    def read(value: Any, _: Scenario) -> Any:
        key = norm(value)
        if key not in table:
            raise _Bad(text_of(value))
        return table[key]

    return read


def _clinic(value: Any, scenario: Scenario) -> str:
    key = norm(value)
    found = next((c.id for c in scenario.clinics if key in (norm(c.id), norm(c.name))), None)
    if found is None:
        raise _Bad(text_of(value), "unknown_clinic")
    return found


def _districts(value: Any, scenario: Scenario) -> list[str]:
    out: list[str] = []
    for word in _words(value):
        key = norm(word)
        found = next((d.id for d in scenario.districts if key in (norm(d.id), norm(d.name), norm(d.name_en))), None)
        if found is None:
            raise _Bad(word, "unknown_district")
        out.append(found)
    return out


_ROLE = {"主": "primary", "主当番": "primary", "primary": "primary", "副": "secondary", "副当番": "secondary"}
_ROLE["secondary"] = "secondary"


def _roles(value: Any, _: Scenario) -> list[str]:
    roles = [_ROLE.get(norm(w)) for w in _words(value)]
    if not roles or None in roles:
        raise _Bad(text_of(value))
    return list(dict.fromkeys(r for r in roles if r))


def _number(kind: type[int] | type[float]) -> Callable[[Any, Scenario], Any]:
    def read(value: Any, _: Scenario) -> Any:
        try:
            number = float(str(text_of(value)).replace(",", ""))
        except ValueError as exc:
            raise _Bad(text_of(value)) from exc
        if number < 0 or (kind is int and not number.is_integer()):
            raise _Bad(text_of(value))
        return kind(number)

    return read


_YES_NO = {k: True for k in ("はい", "有", "あり", "○", "yes", "true", "1")} | {
    k: False for k in ("いいえ", "無", "なし", "×", "新人", "no", "false", "0")
}


@dataclass(frozen=True)
class Column:
    """A column of the physician list: the field it fills, its headings and how a cell is read."""

    field: str  # dotted: caps.duties
    ja: str
    en: str
    read: Callable[[Any, Scenario], Any]
    aliases: tuple[str, ...] = ()

    def headings(self) -> set[str]:
        """Every heading that names this column, as compared."""
        return {norm(h) for h in (self.ja, self.en, self.field, *self.aliases)}


COLUMNS: tuple[Column, ...] = (
    Column("id", "ID", "ID", _ident, ("医師ID", "医師番号")),
    Column("name", "氏名", "Name", _text, ("名前", "医師名")),
    Column("name_en", "氏名（英字）", "Name (English)", _text, ("英字氏名", "name_en")),
    Column("clinic", "医療機関", "Clinic", _clinic, ("医療機関ID", "診療所")),
    Column("districts", "担当地区", "Districts", _districts, ("地区",)),
    Column("roles", "役割", "Roles", _roles),
    Column(
        "employment",
        "雇用",
        "Employment",
        _one_of(
            {
                "開業": "owner",
                "開業医": "owner",
                "owner": "owner",
                "勤務": "employed",
                "勤務医": "employed",
                "employed": "employed",
            }
        ),
    ),
    Column("experienced", "経験", "Experienced", _one_of(_YES_NO)),
    Column("share", "持分", "Share", _number(float)),
    Column("caps.duties", "月上限回数", "Most duties", _number(int), ("上限回数", "max duties")),
    Column("caps.nights", "夜間上限", "Most nights", _number(int), ("max nights",)),
    Column("phone", "電話", "Phone", _text, ("電話番号",)),
    Column("email", "メール", "Email", _text, ("メールアドレス", "e-mail")),
)
_REQUIRED_NEW = ("name", "clinic")


def _columns(table: Table, header: int, errors: list[SheetProblem]) -> dict[int, Column]:
    found: dict[int, Column] = {}
    first: dict[str, int] = {}
    for c, value in enumerate(table.rows[header]):
        column = next((col for col in COLUMNS if norm(value) in col.headings()), None)
        if column is None:
            continue  # a column of the office's own (notes): left alone
        if column.field in first:
            errors.append(
                SheetProblem.at(
                    header + 1, c + 1, "duplicate_column", heading=text_of(value), other=first[column.field]
                )
            )
            continue
        first[column.field] = c + 1
        found[c] = column
    return found


def _read_row(
    table: Table, r: int, columns: dict[int, Column], scenario: Scenario, errors: list[SheetProblem]
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    ok = True
    for c, column in columns.items():
        cell = table.cell(r, c)
        if cell is None:
            continue
        try:
            values[column.field] = column.read(cell, scenario)
        except _Bad as bad:
            errors.append(
                SheetProblem.at(r + 1, c + 1, bad.code, field=column.ja, field_en=column.en.lower(), value=bad.value)
            )
            ok = False
    return values if ok else None


def _get(data: dict[str, Any], field: str) -> Any:
    for part in field.split("."):
        data = data.get(part) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


def _change(row: int, values: dict[str, Any], scenario: Scenario) -> PhysicianChange | None:
    current = next((p for p in scenario.physicians if p.id == values["id"]), None)
    before = current.model_dump(mode="json") if current is not None else {}
    fields = [
        FieldChange(field=f, before=_get(before, f), after=v)
        for f, v in values.items()
        if f != "id" and _get(before, f) != v
    ]
    if current is not None and not fields:
        return None
    name = values.get("name") or (current.name if current else "")
    return PhysicianChange(row=row, id=values["id"], name=name, new=current is None, fields=fields)


def _required(row: int, values: dict[str, Any], columns: dict[int, Column], known: set[str]) -> list[SheetProblem]:
    """Problems of a row: no id, or a new doctor without a name or a clinic."""
    where = {col.field: c + 1 for c, col in columns.items()}
    needed = ["id"] if "id" not in values else ([] if values["id"] in known else list(_REQUIRED_NEW))
    by_field = {col.field: col for col in COLUMNS}
    return [
        SheetProblem.at(row, where.get(f), "required", field=by_field[f].ja, field_en=by_field[f].en.lower())
        for f in needed
        if f not in values
    ]


def _read_rows(table: Table, header: int, scenario: Scenario, preview: Preview) -> None:
    columns = _columns(table, header, preview.errors)
    if "id" not in {col.field for col in columns.values()}:
        preview.errors.append(SheetProblem.at(header + 1, None, "missing_column", heading="ID"))
        return
    known = {p.id for p in scenario.physicians}
    seen: dict[str, int] = {}
    for r in range(header + 1, len(table.rows)):
        if all(v is None for v in table.rows[r]):
            continue
        values = _read_row(table, r, columns, scenario, preview.errors)
        if values is None:
            continue
        problems = _required(r + 1, values, columns, known)
        if problems:
            preview.errors += problems
            continue
        if values["id"] in seen:
            id_column = next(c for c, col in columns.items() if col.field == "id")
            preview.errors.append(
                SheetProblem.at(r + 1, id_column + 1, "duplicate_doctor", value=values["id"], other=seen[values["id"]])
            )
            continue
        seen[values["id"]] = r + 1
        preview.rows += 1
        preview.physicians.append(values)
        change = _change(r + 1, values, scenario)
        if change is not None:
            preview.physician_changes.append(change)


def preview_physicians(data: bytes, scenario: Scenario) -> Preview:
    """Read a physician list against ``scenario``: the rows understood, new and changed doctors, problems."""
    return read_sheet("physicians", data, scenario, ID_HEADINGS, ("「ID」の列", "an ID column"), _read_rows)


def _set(data: dict[str, Any], field: str, value: Any) -> None:
    *path, last = field.split(".")
    for part in path:
        data = data.setdefault(part, {})
    data[last] = value


def apply_physicians(preview: Preview, scenario: Scenario) -> list[dict[str, Any]]:
    """The scenario's physicians (as plain data) with the list's rows written in, new ones at the end."""
    physicians = [p.model_dump(mode="json", exclude_defaults=True) for p in scenario.physicians]
    by_id = {p["id"]: p for p in physicians}
    for values in preview.physicians:
        target = by_id.get(values["id"])
        if target is None:
            target = by_id[values["id"]] = {}
            physicians.append(target)
        for field, value in values.items():
            _set(target, field, value)
    return physicians


_SHOWN = {"primary": "主", "secondary": "副", "owner": "開業", "employed": "勤務", True: "はい", False: "いいえ"}


def _shown(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(str(_SHOWN.get(v, v)) for v in value)
    return _SHOWN.get(value, value) if isinstance(value, str | bool) else value


def physician_row(p: Physician) -> list[Any]:
    """A physician as a row of the list, in the order of ``COLUMNS``, as the list reads back."""
    data = p.model_dump(mode="json")
    return [_shown(_get(data, col.field)) for col in COLUMNS]
