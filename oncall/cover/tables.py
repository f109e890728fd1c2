"""The cover plan in tables: each doctor's cover load for `oncall report`, and the XLSX sheets.

``cover_load`` gives per physician the 主治医 and patients they cover as 副主治医 and the stretches and
hours they answer; the report puts these columns beside the rota load. ``add_cover_sheets`` adds two
sheets to the roster workbook: the pairs, and per absence stretch who answers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from openpyxl.styles import Font

from oncall.cover.facts import panels
from oncall.i18n import Lang, as_lang, pairs, table, text
from oncall.model import Scenario
from oncall.roster import Roster

__all__ = ["COVER_COLUMNS", "add_cover_sheets", "cover_load", "group_status", "with_cover_load"]

COVER_COLUMNS: dict[str, tuple[str, str]] = pairs("cover_column")  # oncall/texts/cover.py


def _sheets(lang: Lang) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """The titles and headings of the two cover sheets in ``lang``."""
    t = table("cover_sheet", lang)
    pair_head = (t["principal"], t["deputy"], t["kept"])
    return t["pairs"], t["answers"], pair_head, (t["principal"], t["start"], t["end"], t["answerer"], t["as"], t["why"])


def cover_load(scenario: Scenario, roster: Roster) -> dict[str, dict[str, float]]:
    """Per physician: colleagues and patients covered as 副主治医, stretches and hours answered."""
    out = {p.id: dict.fromkeys(COVER_COLUMNS, 0.0) for p in scenario.physicians}
    if roster.cover is None or scenario.cover is None:
        return out
    staffing = panels(scenario)
    for pair in roster.cover.pairs:
        row = out.setdefault(pair.deputy, dict.fromkeys(COVER_COLUMNS, 0.0))
        row["cover_colleagues"] += 1
        row["cover_patients"] += staffing[pair.principal].patients if pair.principal in staffing else 0
    for a in roster.cover.answers:
        if a.answerer:
            row = out.setdefault(a.answerer, dict.fromkeys(COVER_COLUMNS, 0.0))
            row["cover_stretches"] += 1
            row["cover_hours"] += round((a.end - a.start).total_seconds() / 3600, 2)
    return out


def with_cover_load(scenario: Scenario, roster: Roster, physicians: pd.DataFrame) -> pd.DataFrame:
    """The report's physician table with the cover columns beside the rota load (unchanged without a plan)."""
    if roster.cover is None or physicians.empty:
        return physicians
    load = cover_load(scenario, roster)
    out = physicians.copy()
    for column in COVER_COLUMNS:
        out[column] = [load.get(str(pid), {}).get(column, 0.0) for pid in out["id"]]
    return out


def add_cover_sheets(wb: Any, scenario: Scenario, roster: Roster, lang: str = "ja") -> None:
    """The pairs sheet and the absence-cover sheet (nothing without a cover plan)."""
    if roster.cover is None:
        return
    say: Lang = as_lang(lang)
    pairs_title, answers_title, pair_head, answer_head = _sheets(say)

    def name(pid: str | None) -> str:
        if pid is None:
            return "—"
        p = scenario.physician(pid)
        return (p.name_en or p.name) if lang == "en" else p.name

    ws = wb.create_sheet(pairs_title)
    ws.append(list(pair_head))
    for pair in roster.cover.pairs:
        ws.append([name(pair.principal), name(pair.deputy), "○" if pair.kept else ""])
    ws2 = wb.create_sheet(answers_title)
    ws2.append(list(answer_head))
    zone = scenario.zone
    for a in roster.cover.answers:
        role = {"deputy": pair_head[1], "second": text("cover_sheet.second", say)}.get(a.role or "", "")
        start, end = a.start.astimezone(zone), a.end.astimezone(zone)
        ws2.append(
            [
                name(a.principal),
                f"{start:%Y-%m-%d %H:%M}",
                f"{end:%Y-%m-%d %H:%M}",
                name(a.answerer),
                role,
                "; ".join(a.reasons),
            ]
        )
    for sheet in (ws, ws2):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"


def group_status(scenario: Scenario, roster: Roster) -> list[tuple[str, str, int, int, bool]]:
    """Per 連携型 group: id, name, 主治医 with patients, gaps, and whether 24-hour cover holds (no gap)."""
    if scenario.cover is None or roster.cover is None:
        return []
    staffing = panels(scenario)
    gaps: dict[str, int] = {}
    for u in roster.cover.unpaired:
        gaps[u.principal] = gaps.get(u.principal, 0) + u.missing
    for a in roster.cover.answers:
        if a.answerer is None:
            gaps[a.principal] = gaps.get(a.principal, 0) + 1
    out = []
    for g in scenario.cover.groups:
        members = [p for p in staffing if scenario.physician(p).clinic in g.clinics]
        n = sum(gaps.get(p, 0) for p in members)
        out.append((g.id, g.name, len(members), n, n == 0))
    return out
