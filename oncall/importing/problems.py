"""What can be wrong with an imported file, each problem in Japanese and English, placed by row and column.

:class:`SheetProblem` is placed by row and column of a spreadsheet; :meth:`SheetProblem.problem` turns it
into the catalogue's :class:`~oncall.i18n.Problem` where a whole document's problems are reported.

>>> SheetProblem.at(12, 4, "bad_date", value="1月32日").text("ja")
'12行目 D列: 日付が読めません（1月32日）'
>>> SheetProblem.at(12, 4, "bad_date", value="1月32日").text("en")
'row 12, column D: cannot read the date (1月32日)'
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, Field, computed_field

from oncall.i18n import Lang, Problem, both, pairs, text

__all__ = ["MESSAGES", "ImportFailed", "Lang", "SheetProblem"]


# code: (Japanese, English); the placeholders are filled from the problem's params.
MESSAGES = pairs("import")  # in the catalogue as import.<code> (oncall/texts/imports.py)


class SheetProblem(BaseModel):
    """One problem with an imported file: where (row and column as the spreadsheet shows them) and what."""

    row: int | None = Field(None, description="Row number as the spreadsheet shows it (1 = the first row).")
    column: str | None = Field(None, description="Column letter as the spreadsheet shows it (A, B, …).")
    code: str = Field(description="Stable code of the problem, e.g. `bad_date`, `unknown_doctor`.")
    params: dict[str, str] = Field(default_factory=dict, description="The values the message names.")

    @classmethod
    def at(cls, row: int | None, column: int | None, code: str, **params: Any) -> SheetProblem:
        """A problem at ``row`` and ``column`` (both counted from 1), naming ``params`` in its message."""
        letter = get_column_letter(column) if column else None
        return cls(row=row, column=letter, code=code, params={k: str(v) for k, v in params.items()})

    def message(self, lang: Lang = "ja") -> str:
        """What is wrong, without the place."""
        ja, en = MESSAGES[self.code]
        if lang != "en":
            return ja.format(**self.params)
        # A value named in both languages is given as `x` and `x_en`; the English text reads `x` as the latter.
        english = {k.removesuffix("_en"): v for k, v in self.params.items() if k.endswith("_en")}
        return en.format(**{**self.params, **english})

    def place(self, lang: Lang = "ja") -> str:
        """``12行目 D列`` or ``row 12, column D``; empty for the whole file."""
        if self.row and self.column:
            return text("import.row_column", lang, row=self.row, column=self.column)
        if self.row:
            return text("import.row", lang, row=self.row)
        return text("import.column", lang, column=self.column) if self.column else ""

    def text(self, lang: Lang = "ja") -> str:
        """The whole line: place and problem."""
        place = self.place(lang)
        return f"{place}: {self.message(lang)}" if place else self.message(lang)

    def problem(self, origin: str) -> Problem:
        """The same problem as the catalogue's :class:`~oncall.i18n.Problem` of the document ``origin``,
        its place (row, column) leading the text in the reader's language."""
        return Problem("import.sheet_line", origin=origin, line=both(self.text("ja"), self.text("en")))

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

    def __init__(self, problems: list[SheetProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems))
