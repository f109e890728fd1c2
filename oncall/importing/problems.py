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

from oncall.i18n import Lang, pairs

__all__ = ["MESSAGES", "ImportFailed", "Lang", "Problem"]


# code: (Japanese, English); the placeholders are filled from the problem's params.
MESSAGES = pairs("import")  # in the catalogue as import.<code> (oncall/texts/imports.py)


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
        if lang != "en":
            return ja.format(**self.params)
        # A value named in both languages is given as `x` and `x_en`; the English text reads `x` as the latter.
        english = {k.removesuffix("_en"): v for k, v in self.params.items() if k.endswith("_en")}
        return en.format(**{**self.params, **english})

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
