"""The marks of the monthly request sheet (休み・希望調査表), one per doctor and date.

| mark | also read | meaning | stored as |
| --- | --- | --- | --- |
| × | ✕ ✖ ✗ x X 休 不 | absent the whole date (終日不在) | an absence of that date |
| 前 | AM 午前休 | absent in the morning, 00:00–12:00 (so not on the night before) | an absence 00:00–12:00 |
| 後 | PM 午後休 | absent from noon, 12:00–24:00 (so not on that night) | an absence 12:00–24:00 |
| △ | ▲ 避 | would rather not (できれば避けたい) | an unwish of that date |
| ○ | 〇 ◯ ◎ 希 | wishes a duty (希望) | a wish of that date |
| (empty) | - ー ・ | nothing | — |

Letters are read in any case and width (ｘ, Ｘ, am, ＡＭ).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, Literal

from oncall.i18n import pairs

__all__ = ["ALSO", "HALF_DAYS", "MARKS", "MARK_LABELS", "SYMBOL", "Mark", "read_mark"]

Mark = Literal["absent", "absent_am", "absent_pm", "unwish", "wish"]

SYMBOL: dict[Mark, str] = {"absent": "×", "absent_am": "前", "absent_pm": "後", "unwish": "△", "wish": "○"}
ALSO: dict[Mark, tuple[str, ...]] = {
    "absent": ("✕", "✖", "✗", "x", "休", "不"),
    "absent_am": ("am", "午前休"),
    "absent_pm": ("pm", "午後休"),
    "unwish": ("▲", "避"),
    "wish": ("〇", "◯", "◎", "希"),
}
MARKS: dict[str, Mark] = {
    **{symbol: mark for mark, symbol in SYMBOL.items()},
    **{alias: mark for mark, aliases in ALSO.items() for alias in aliases},
}
_BLANK = {"-", "ー", "・", "―", "－"}
MARK_LABELS: dict[Mark, tuple[str, str]] = pairs("mark")  # type: ignore[assignment]  # oncall/texts/imports.py
# The hours of a half-day absence, local wall-clock; the end is exclusive (24:00 is the next midnight).
HALF_DAYS: dict[Mark, tuple[dt.time, dt.time | None]] = {
    "absent_am": (dt.time(0, 0), dt.time(12, 0)),
    "absent_pm": (dt.time(12, 0), None),
}


def read_mark(value: Any) -> Mark | None:
    """The mark a cell holds, None for an empty cell; ValueError for anything else.

    >>> read_mark("×"), read_mark("Ｘ"), read_mark(" ○ "), read_mark("AM"), read_mark(None)
    ('absent', 'absent', 'wish', 'absent_am', None)
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if not text or text in _BLANK:
        return None
    mark = MARKS.get(text) or MARKS.get(str(value).strip())
    if mark is None:
        raise ValueError(str(value))
    return mark
