"""The preview of an import: what the file holds, what it would change, and every problem found.

Nothing is stored by a preview. ``oncall.importing.apply`` turns an accepted preview into the new
scenario; the caller stores it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from oncall.i18n import text
from oncall.importing.marks import SYMBOL, Mark
from oncall.importing.problems import Lang, SheetProblem

__all__ = ["FieldChange", "ImportKind", "PhysicianChange", "Preview", "RequestChange"]

ImportKind = Literal["physicians", "requests"]


class FieldChange(BaseModel):
    """One field of a physician, before and after the import."""

    field: str = Field(description="The physician's field, e.g. `name`, `caps.duties`.")
    before: Any = None
    after: Any = None


class PhysicianChange(BaseModel):
    """A physician the import adds or changes."""

    row: int = Field(description="Row of the file.")
    id: str
    name: str
    new: bool = Field(description="True for a physician not yet in the scenario.")
    fields: list[FieldChange] = Field(default_factory=list, description="Fields that change (all, for a new one).")


class RequestChange(BaseModel):
    """One doctor and date whose mark changes: an absence, wish or unwish added or removed."""

    row: int
    column: str
    physician: str = Field(description="Physician id.")
    name: str
    date: dt.date
    before: Mark | None = Field(description="What the scenario holds for the date now (None: nothing).")
    after: Mark | None = Field(description="What the file asks for (None: nothing).")


class Preview(BaseModel):
    """What an import would do to a scenario; ``ok`` when it may be applied."""

    kind: ImportKind
    scenario: str = Field(description="Name of the scenario the file was read against.")
    rows: int = Field(0, description="Rows of the file understood (one per doctor).")
    errors: list[SheetProblem] = Field(default_factory=list)
    physician_changes: list[PhysicianChange] = Field(default_factory=list)
    request_changes: list[RequestChange] = Field(default_factory=list)
    physicians: list[dict[str, Any]] = Field(
        default_factory=list, description="Physician list: each row's values by field, as apply writes them."
    )
    requests: dict[str, dict[dt.date, Mark | None]] = Field(
        default_factory=dict, description="Request sheet: per physician id, the mark of every date column."
    )

    @property
    def ok(self) -> bool:
        """Whether the preview may be applied: no problem found."""
        return not self.errors

    def lines(self, lang: Lang = "ja") -> list[str]:
        """The preview as people read it: a summary, the changes, then the problems."""
        return [self._summary(lang), *self._change_lines(lang), *(p.text(lang) for p in self.errors)]

    def _summary(self, lang: Lang) -> str:
        changes = len(self.physician_changes) + len(self.request_changes)
        return text("import.summary", lang, rows=self.rows, changes=changes, problems=len(self.errors))

    def _change_lines(self, lang: Lang) -> list[str]:
        out: list[str] = []
        for p in self.physician_changes:
            what = text("import.new" if p.new else "import.changed", lang)
            fields = ", ".join(f"{f.field}: {f.before!s} → {f.after!s}" for f in p.fields if not p.new)
            out.append(f"{what} {p.id} {p.name}" + (f" ({fields})" if fields else ""))
        for r in self.request_changes:
            out.append(f"{r.name} ({r.physician}) {r.date:%Y-%m-%d}: {_mark(r.before, lang)} → {_mark(r.after, lang)}")
        return out


def _mark(mark: Mark | None, lang: Lang) -> str:
    if mark is None:
        return "—"
    return f"{SYMBOL[mark]} {text(f'mark.{mark}', lang)}"
