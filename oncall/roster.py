"""The roster document: the JSON other tools read (see docs/roster.md for the exact shape)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from oncall.cover.document import CoverPlan
from oncall.errors import InvalidRoster, InvalidScenario
from oncall.i18n import Lang, render, table
from oncall.io import messages_of, parse_json, read_text, write_output
from oncall.model import EARLIEST_DATE, LATEST_DATE

__all__ = [
    "STATUS_JA",
    "GapRole",
    "Roster",
    "RosterDuty",
    "RosterGap",
    "RosterPeriod",
    "RosterRegularHours",
    "Status",
    "load_roster",
    "save_roster",
]

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
GapRole = Literal["primary", "secondary", "backup_hospital"]
# A roster's status as office staff read it.
STATUS_JA: dict[str, str] = table("status", "ja")  # status.<status> in the catalogue


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _aware(v: dt.datetime) -> dt.datetime:
    """``v`` at its own fixed UTC offset, as JSON will hold it.

    A time in a zone's repeated hour (the autumn change of daylight saving) never compares equal to a time
    in another zone, even at the same instant (PEP 495); with a fixed offset a roster made in memory
    compares the same as one read back from its JSON.
    """
    offset = v.utcoffset()
    if offset is None:
        raise ValueError(f"{v.isoformat()} has no UTC offset")
    if not EARLIEST_DATE <= v.date() <= LATEST_DATE:
        raise ValueError(f"{v.isoformat()} is out of range (dates from {EARLIEST_DATE} to {LATEST_DATE})")
    return v.astimezone(dt.timezone(offset))


class RosterPeriod(_Doc):
    start: dt.datetime = Field(description="Local midnight of the first date, with offset.")
    end: dt.datetime = Field(description="Local midnight after the last date, with offset.")

    _aware_times = field_validator("start", "end")(_aware)


class RosterDuty(_Doc):
    id: str = Field(description="Stable id: depends only on the district and the start.")
    district: str
    block: str = Field(description="Block template id.")
    start: dt.datetime
    end: dt.datetime
    primary: str | None = Field(description="Physician id, or null for a gap.")
    secondary: str | None = Field(description="Physician id, or null for a gap.")
    backup_hospital: str | None = Field(description="Hospital id, or null for a gap.")
    shared: dict[Literal["primary", "secondary"], str] = Field(
        default_factory=dict,
        description="Roles held by a shared role (docs/roster.md#shared-roles): role -> shared role id; the same "
        "person is named on the duty of every district the shared role serves in this block. Absent when empty.",
        exclude_if=lambda v: not v,  # a roster without shared roles keeps the document shape it always had
    )

    _aware_times = field_validator("start", "end")(_aware)


class RosterRegularHours(_Doc):
    district: str
    start: dt.datetime
    end: dt.datetime

    _aware_times = field_validator("start", "end")(_aware)


class RosterGap(_Doc):
    duty: str
    role: GapRole
    reasons: list[str] = Field(
        default_factory=list,
        description="Why nobody holds the role, as text in the language it was written or read in.",
    )
    causes: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The reasons as codes with parameters (docs/roster.md#gap-reasons), shown in the "
        "reader's language; absent in rosters written before codes, whose `reasons` are shown as they are.",
        exclude_if=lambda v: not v,  # a roster without codes keeps the document shape it always had
    )

    def texts(self, lang: str = "ja") -> list[str]:
        """The reasons in ``lang`` (the stored text when the gap carries no codes)."""
        shown: Lang = "en" if lang == "en" else "ja"
        return [render(cause, shown) for cause in self.causes] if self.causes else list(self.reasons)


class Roster(_Doc):
    """A roster: who is on which duty, plus the gaps that could not be filled."""

    scenario: str
    timezone: str
    period: RosterPeriod
    status: Status
    objective: float | None = None
    bound: float | None = None
    duties: list[RosterDuty]
    regular_hours: list[RosterRegularHours] = Field(default_factory=list)
    gaps: list[RosterGap] = Field(default_factory=list)
    cover: CoverPlan | None = Field(
        None,
        description="The 主治医・副主治医 cover plan (docs/roster.md#cover); absent when there is none.",
        exclude_if=lambda v: v is None,  # a roster without a plan keeps the document shape it always had
    )

    def in_language(self, lang: str) -> Roster:
        """The same roster with its gap reasons shown in ``lang`` (itself when nothing changes)."""
        if all(g.reasons == g.texts(lang) for g in self.gaps):
            return self
        gaps = [g.model_copy(update={"reasons": g.texts(lang)}) for g in self.gaps]
        return self.model_copy(update={"gaps": gaps})

    def to_json(self) -> str:
        """The roster JSON, times in the roster's zone with their offset."""
        return self.model_dump_json(indent=2) + "\n"


def load_roster(path: Path) -> Roster:
    """Read a roster JSON file; errors name the file, the field and the problem."""
    try:
        data = parse_json(read_text(path), str(path))
    except InvalidScenario as exc:  # the file itself: unreadable, too large, not JSON, nested too deeply
        raise InvalidRoster(exc.messages) from exc
    try:
        return Roster.model_validate(data)
    except ValidationError as exc:
        raise InvalidRoster([m.source(str(path)) for m in messages_of(exc.errors())]) from exc


def save_roster(roster: Roster, path: Path) -> None:
    """Write the roster atomically: a failed write never leaves half a file behind."""
    write_output(path, roster.to_json())
