"""What can be wrong with an imported file, each problem in Japanese and English, placed by row and column.

>>> Problem.at(12, 4, "bad_date", value="1月32日").text("ja")
'12行目 D列: 日付が読めません（1月32日）'
>>> Problem.at(12, 4, "bad_date", value="1月32日").text("en")
'row 12, column D: cannot read the date (1月32日)'
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, Field, computed_field

from oncall.i18n import Lang

__all__ = ["MESSAGES", "ImportFailed", "Lang", "Problem"]


# code: (Japanese, English); the placeholders are filled from the problem's params.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_spreadsheet": (
        "表計算ファイル（XLSX か CSV）ではありません",
        "not a spreadsheet (XLSX or CSV)",
    ),
    "old_xls": (
        "古い Excel 形式（.xls）は読めません。.xlsx で保存し直してください",
        "an old Excel file (.xls) cannot be read: save it as .xlsx",
    ),
    "too_large": (
        "ファイルが大きすぎます（{size} バイト、上限 {limit} バイト）",
        "the file is too large ({size} bytes; the limit is {limit})",
    ),
    "too_many_rows": ("行が多すぎます（{count} 行、上限 {limit} 行）", "too many rows ({count}; the limit is {limit})"),
    "too_many_columns": (
        "列が多すぎます（{count} 列、上限 {limit} 列）",
        "too many columns ({count}; the limit is {limit})",
    ),
    "encoding": (
        "文字コードが読めません。UTF-8 か Shift_JIS（CP932）で保存してください",
        "unknown text encoding: save the file as UTF-8 or Shift_JIS (CP932)",
    ),
    "csv": ("CSV として読めません（{reason}）", "cannot read it as CSV ({reason})"),
    "empty": ("シートが空です", "the sheet is empty"),
    "formula": (
        "数式は読めません（{formula}）。値として貼り付けてください",
        "a formula ({formula}) cannot be read: paste it as a value",
    ),
    "merged": (
        "結合されたセル（{cells}）は読めません。結合を解除してください",
        "merged cells ({cells}) cannot be read: unmerge them",
    ),
    "no_header": (
        "見出し行が見つかりません（{needed}）",
        "no heading row found ({needed_en})",
    ),
    "missing_column": ("列「{heading}」がありません", "the column “{heading}” is missing"),
    "duplicate_column": ("列「{heading}」は {other}列にもあります", "the column “{heading}” is also column {other}"),
    "bad_date": ("日付が読めません（{value}）", "cannot read the date ({value})"),
    "date_outside": (
        "{date} は期間（{start}〜{end}）の外です",
        "{date} is outside the period ({start} to {end})",
    ),
    "duplicate_date": ("{date} は {other}列にもあります", "{date} is also column {other}"),
    "unknown_mark": (
        "記号「{value}」が読めません（使える記号: {marks}）",
        "cannot read the mark “{value}” (marks: {marks})",
    ),
    "no_doctor": ("医師の ID も氏名もありません", "neither the doctor's id nor name is given"),
    "unknown_doctor": ("医師「{value}」はこのシナリオにいません", "no doctor “{value}” in this scenario"),
    "ambiguous_doctor": (
        "氏名「{value}」の医師が複数います。ID の列で指定してください",
        "several doctors are named “{value}”: give the id column",
    ),
    "duplicate_doctor": ("医師「{value}」は {other}行目にもあります", "the doctor “{value}” is also on row {other}"),
    "required": ("{field}が空です", "{field_en} is empty"),
    "bad_value": ("{field}が読めません（{value}）", "cannot read the {field_en} ({value})"),
    "unknown_clinic": ("医療機関「{value}」はこのシナリオにありません", "no clinic “{value}” in this scenario"),
    "unknown_district": ("地区「{value}」はこのシナリオにありません", "no district “{value}” in this scenario"),
    "no_rows": ("取り込む行がありません", "no rows to import"),
    "invalid_result": (
        "取り込むとシナリオが不正になります: {problem}",
        "the import makes the scenario invalid: {problem}",
    ),
}


class Problem(BaseModel):
    """One problem with an imported file: where (row and column as the spreadsheet shows them) and what."""

    row: int | None = Field(None, description="Row number as the spreadsheet shows it (1 = the first row).")
    column: str | None = Field(None, description="Column letter as the spreadsheet shows it (A, B, …).")
    code: str = Field(description="Stable code of the problem, e.g. `bad_date`, `unknown_doctor`.")
    params: dict[str, str] = Field(default_factory=dict, description="The values the message names.")

    @classmethod
    def at(cls, row: int | None, column: int | None, code: str, **params: Any) -> Problem:
        """A problem at ``row`` and ``column`` (both counted from 1), naming ``params`` in its message."""
        letter = get_column_letter(column) if column else None
        return cls(row=row, column=letter, code=code, params={k: str(v) for k, v in params.items()})

    def message(self, lang: Lang = "ja") -> str:
        """What is wrong, without the place."""
        ja, en = MESSAGES[self.code]
        return (en if lang == "en" else ja).format(**self.params)

    def place(self, lang: Lang = "ja") -> str:
        """``12行目 D列`` or ``row 12, column D``; empty for the whole file."""
        if lang == "en":
            parts = [f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else ""]
            return ", ".join(p for p in parts if p)
        return " ".join(
            p for p in (f"{self.row}行目" if self.row else "", f"{self.column}列" if self.column else "") if p
        )

    def text(self, lang: Lang = "ja") -> str:
        """The whole line: place and problem."""
        place = self.place(lang)
        return f"{place}: {self.message(lang)}" if place else self.message(lang)

    @computed_field(description="The whole line in Japanese, e.g. 12行目 D列: 日付が読めません（1月32日）.")  # type: ignore[prop-decorator]
    @property
    def ja(self) -> str:
        return self.text("ja")

    @computed_field(description="The whole line in English, e.g. row 12, column D: cannot read the date (1月32日).")  # type: ignore[prop-decorator]
    @property
    def en(self) -> str:
        return self.text("en")


class ImportFailed(ValueError):
    """A file that cannot be read at all (not a spreadsheet, too large, empty): the problems say why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems))
