"""Reports on a roster: per physician, per hospital (and hospital-day), per district and per duty.

The computations take a scenario and a roster and return pandas DataFrames; they read nothing and
write nothing. Hard-rule figures and soft-goal figures come from the checker (the specification),
loads from ``oncall.load``, depth from ``oncall.eligibility``. Column ids are stable snake_case
names (CSV keeps them); ``localized`` gives the headers people read, in Japanese or English.
The renderers at the end turn a report into text, HTML, CSV files or an XLSX workbook.

The roster's fairness in one figure is ``CheckReport.fairness_spread``: the distance, in duty points,
between the doctor furthest above their fair share and the one furthest below (docs/load.md).
"""

from __future__ import annotations

import base64
import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from oncall.checker import CheckReport, check
from oncall.cover.tables import COVER_COLUMNS, with_cover_load
from oncall.eligibility import compute_eligibility
from oncall.i18n import Lang, as_lang, pairs, text
from oncall.load import LoadModel, expected_load, hospital_days
from oncall.model import CATEGORIES, Scenario
from oncall.names import display_names
from oncall.roster import STATUS_JA, Roster
from oncall.timeline import Timeline

__all__ = [
    "COLUMNS",
    "Report",
    "build_report",
    "localized",
    "render_html",
    "render_text",
    "write_csv",
    "write_xlsx",
]

FRAGILE_SHOWN = 3  # the most fragile duties named per district

# Column id -> (Japanese header, English header).
# Column headings by column id (report.column.* in the catalogue); an id reads the same in both languages.
COLUMNS: dict[str, tuple[str, str]] = {"id": ("ID", "ID"), **pairs("report.column")}

_SUMMARY = pairs("report.summary")

_SECTIONS = pairs("report.section")


@dataclass
class Report:
    """Every table of a roster report, plus the checker's report they come from."""

    summary: pd.DataFrame  # one row per figure: figure, value
    physicians: pd.DataFrame
    hospitals: pd.DataFrame
    hospital_days: pd.DataFrame
    districts: pd.DataFrame
    duties: pd.DataFrame
    check: CheckReport

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by section id, in reading order."""
        return {
            "summary": self.summary,
            "physicians": self.physicians,
            "hospitals": self.hospitals,
            "hospital_days": self.hospital_days,
            "districts": self.districts,
            "duties": self.duties,
        }


def build_report(scenario: Scenario, roster: Roster, lang: str = "ja") -> Report:
    """Every table of the report on ``roster``; names and labels in ``lang``."""
    lang = as_lang(lang)
    tl = Timeline.build(scenario)
    load = expected_load(scenario, tl)
    rep = check(scenario, roster, lang=lang)
    duties = _duties(scenario, roster, tl, load, lang)
    physicians = with_cover_load(scenario, roster, _physicians(rep, duties, display_names(scenario.physicians, lang)))
    hospitals, days = _hospitals(scenario, roster, tl, load, rep, lang)
    districts = _districts(scenario, roster, tl, load, duties, lang)
    summary = _summary(roster, rep, physicians, hospitals, districts, lang)
    return Report(summary, physicians, hospitals, days, districts, duties, rep)


def _duties(scenario: Scenario, roster: Roster, tl: Timeline, load: LoadModel, lang: str) -> pd.DataFrame:
    """One row per duty of the period: who holds it (names; ids in hidden ``*_id`` columns), how many could
    have, what it is expected to bring."""
    eligibility = compute_eligibility(scenario, tl)
    entry = {rd.id: rd for rd in roster.duties}
    names = {d.id: d.label(lang) for d in scenario.districts}
    doctors, hospitals = display_names(scenario.physicians, lang), display_names(scenario.hospitals, lang)
    rows = []
    for duty in tl.duties:
        rd = entry.get(duty.id)
        pools = {role: eligibility.physicians(duty.lead(role), role) for role in duty.roles}
        held = {role: getattr(rd, role) if rd else None for role in ("primary", "secondary", "backup_hospital")}
        rows.append(
            {
                "id": duty.id,
                "district": names[duty.district],
                "date": duty.day,
                "block": duty.block.label(lang),
                "category": duty.category,
                "night": duty.night,
                "start": tl.local(duty.start).strftime("%Y-%m-%d %H:%M"),
                "hours": duty.slot.hours,
                "points": duty.slot.points,
                **{
                    role: (hospitals if role == "backup_hospital" else doctors).get(x, x) if x else None
                    for role, x in held.items()
                },
                "depth": len({p for pool in pools.values() for p in pool}),
                "depth_primary": len(pools.get("primary", [])),
                "depth_secondary": len(pools.get("secondary", [])),
                "calls": load.duties[duty.id].calls,
                "visits": load.duties[duty.id].visits,
                "admissions": load.duties[duty.id].admissions,
                "district_id": duty.district,
                **{f"{role}_id": x for role, x in held.items()},
                # who holds a role on this very duty: a shared role counts on its group's lead only
                "held_id": tuple(x for role, x in held.items() if x and role in (*duty.own_roles, "backup_hospital")),
            }
        )
    return pd.DataFrame(rows)


def _physicians(rep: CheckReport, duties: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """One row per physician: duties by category, points against fair share, rest, requests, visits."""
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    for row in duties.to_dict("records"):
        for pid in {row["primary_id"], row["secondary_id"]} & set(row["held_id"]):
            by_category[str(pid)][str(row["category"])] += 1
    rows: list[dict[str, object]] = []
    for f in rep.physicians:
        counts = by_category.get(f.id, Counter())
        rows.append(
            {
                "id": f.id,
                "name": names.get(f.id, f.name),
                "share": f.share,
                **{c: counts.get(c, 0) for c in CATEGORIES},
                "duties": f.duties,
                "nights": f.nights,
                "points": f.points["total"],
                "target": f.target["total"],
                "deviation": f.deviation["total"],
                "longest_run": f.longest_run,
                "min_rest_hours": f.min_rest_hours,
                "wishes_honoured": f.wishes_honoured,
                "wishes_total": f.wishes_total,
                "unwished_given": f.unwished_given,
                "visits": f.visits,
                "visit_target": f.visit_target,
                "visit_deviation": f.visit_deviation,
            }
        )
    return pd.DataFrame(rows)


def _hospitals(
    scenario: Scenario, roster: Roster, tl: Timeline, load: LoadModel, rep: CheckReport, lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per hospital (standby against capacity share, admissions against the limit) and per hospital-date."""
    standby = {rd.id: rd.backup_hospital for rd in roster.duties if rd.id in tl.by_id}
    days = hospital_days(scenario, tl, standby, load)
    names = display_names(scenario.hospitals, lang)
    capacity = {h.id: h.capacity_per_day for h in scenario.hospitals}
    district_names = {d.id: d.label(lang) for d in scenario.districts}
    sep = ", " if lang == "en" else "・"
    day_rows = [
        {
            "hospital": names[d.hospital],
            "date": d.day,
            "registered": d.registered,
            "from_standby": d.from_standby,
            "expected": d.expected,
            "limit": load.limit[d.hospital],
            "capacity_per_day": capacity[d.hospital],
            "use": d.expected / load.limit[d.hospital] if load.limit[d.hospital] > 0 else None,
            "districts": sep.join(district_names[x] for x in d.districts),
            "hospital_id": d.hospital,
        }
        for d in days
    ]
    total_standby = sum(f.standby for f in rep.hospitals) or 1.0
    total_capacity = sum(h.capacity_per_day for h in scenario.hospitals) or 1
    rows = []
    for f in rep.hospitals:
        mine = [d for d in days if d.hospital == f.id]
        rows.append(
            {
                "id": f.id,
                "name": names.get(f.id, f.name),
                "capacity_per_day": f.capacity_per_day,
                "limit": f.limit,
                "standby_days": f.standby_days,
                "standby": f.standby,
                "standby_share": f.standby / total_standby,
                "capacity_share": f.capacity_per_day / total_capacity,
                "standby_target": f.target,
                "standby_deviation": f.deviation,
                "mean_admissions": f.mean_admissions,
                "peak_admissions": f.peak_admissions,
                "peak_day": f.peak_day,
                "peak_use": f.peak_admissions / f.limit if f.limit > 0 else None,
                "days_over_limit": sum(d.expected > f.limit + 1e-9 for d in mine),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(day_rows)


def _districts(
    scenario: Scenario, roster: Roster, tl: Timeline, load: LoadModel, duties: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """Per district: coverage, depth (how many doctors could take each duty), the most fragile duties, load."""
    gaps = Counter(tl.by_id[g.duty].district for g in roster.gaps if g.duty in tl.by_id)
    rows = []
    for d in scenario.districts:
        mine = duties[duties["district_id"] == d.id]
        needed = sum(len(tl.by_id[k].roles) + 1 for k in mine["id"])
        filled = int(mine["primary"].notna().sum() + mine["secondary"].notna().sum())
        filled += int(mine["backup_hospital"].notna().sum())
        fragile = mine.sort_values(["depth", "start"]).head(FRAGILE_SHOWN)
        say: Lang = as_lang(lang)
        rows.append(
            {
                "id": d.id,
                "name": d.label(lang),
                "patients": load.patients.get(d.id, 0),
                "duties": len(mine),
                "roles_needed": needed,
                "roles_filled": filled,
                "coverage": filled / needed if needed else 1.0,
                "gaps": gaps.get(d.id, 0),
                "min_depth": int(mine["depth"].min()) if len(mine) else 0,
                "mean_depth": float(mine["depth"].mean()) if len(mine) else 0.0,
                "fragile": "; ".join(
                    f"{r.date:%m-%d} {r.block} ({text('word.people', say, n=r.depth)})"
                    for r in fragile.itertuples(index=False)
                ),
                "calls": float(mine["calls"].sum()),
                "visits": float(mine["visits"].sum()),
                "admissions": float(mine["admissions"].sum()),
            }
        )
    return pd.DataFrame(rows)


def _summary(
    roster: Roster,
    rep: CheckReport,
    physicians: pd.DataFrame,
    hospitals: pd.DataFrame,
    districts: pd.DataFrame,
    lang: str,
) -> pd.DataFrame:
    i = 1 if lang == "en" else 0
    needed = int(districts["roles_needed"].sum()) if len(districts) else 0
    filled = int(districts["roles_filled"].sum()) if len(districts) else 0
    top = physicians.sort_values("points", ascending=False).head(1)
    most = f"{top['name'].iloc[0]} ({top['points'].iloc[0]:.2f})" if len(top) else "—"
    busiest = "—"
    if len(hospitals) and hospitals["peak_use"].notna().any():
        row = hospitals.sort_values("peak_use", ascending=False).iloc[0]
        peak = f"{row['peak_admissions']:.2f} / {row['limit']:.2f}"
        day = row["peak_day"]
        busiest = f"{row['name']} ({peak})" if day is None or pd.isna(day) else f"{row['name']} ({peak}, {day})"
    values: dict[str, object] = {
        "scenario": roster.scenario,
        "status": roster.status if lang == "en" else STATUS_JA.get(roster.status, roster.status),
        "fairness_spread": round(rep.fairness_spread, 4),
        "visit_spread": round(rep.visit_spread, 4),
        "coverage": f"{filled}/{needed}",
        "violations": len(rep.violations),
        "most_points": most,
        "busiest_hospital": busiest,
    }
    return pd.DataFrame({"figure": [_SUMMARY[k][i] for k in values], "value": [str(v) for v in values.values()]})


# --- rendering -------------------------------------------------------------------------------------
COLUMNS.update(COVER_COLUMNS)  # the cover plan's columns of the physician table (oncall/cover/tables.py)
_HIDDEN = (
    "district_id",
    "hospital_id",
    "primary_id",
    "secondary_id",
    "backup_hospital_id",
    "held_id",
    "category",
    "night",
    "hours",
)


def localized(df: pd.DataFrame, lang: str = "ja") -> pd.DataFrame:
    """The table for people: internal columns dropped, headers in ``lang``, figures rounded, blanks as —."""
    i = 1 if lang == "en" else 0
    out = df.drop(columns=[c for c in _HIDDEN if c in df.columns])
    out = out.round(3)
    blank = out.isna()
    if blank.any().any():
        out = out.astype(object).mask(blank, "—")
    return out.rename(columns={c: COLUMNS[c][i] for c in out.columns if c in COLUMNS})


def _section(key: str, lang: str) -> str:
    return _SECTIONS[key][1 if lang == "en" else 0]


def render_text(report: Report, lang: str = "ja") -> str:
    """Every table as plain text, the duty table left out (it has a row per duty: use CSV or XLSX).

    Columns are padded by display width, a kanji or kana taking two columns of a terminal, so Japanese
    names and headers line up (pandas' East Asian width option; ambiguous characters count as narrow,
    as in Japanese terminals set to UTF-8).
    """
    parts = []
    with pd.option_context("display.unicode.east_asian_width", True, "display.unicode.ambiguous_as_wide", False):
        for key, df in report.tables().items():
            if key in ("duties", "hospital_days"):
                continue
            shown = localized(df, lang)
            text = shown.to_string(index=False, header=key != "summary")
            parts.append(f"== {_section(key, lang)} ==\n{text}")
    return "\n\n".join(parts) + "\n"


def render_html(report: Report, lang: str = "ja", plots: bool = True) -> str:
    """One HTML page with every table and, after the summary, the plots embedded as PNG data URIs: a
    single file that needs nothing beside it."""
    title = html.escape(str(report.summary["value"].iloc[0]))
    sections = [
        f"<h2>{_section(key, lang)}</h2>\n{localized(df, lang).to_html(index=False, na_rep='—', border=0)}"
        for key, df in report.tables().items()
    ]
    if plots:
        sections.insert(1, _figures_html(report, lang))
    body = "\n".join(sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8"><title>{title}</title>\n'
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}"
        "figure{margin:1em 0}img{max-width:100%;height:auto}</style></head>\n"
        f"<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
    )


def _figures_html(report: Report, lang: str) -> str:
    """The plots as ``<figure>`` elements whose images are inline PNG data URIs."""
    from oncall.plots import caption, render_plots  # oncall.plots draws from this module's Report

    figures = []
    for name, png in render_plots(report, lang).items():
        text = html.escape(caption(name, lang))
        data = base64.b64encode(png).decode("ascii")
        figures.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{text}"><figcaption>{text}</figcaption></figure>'
        )
    return f"<h2>{_section('plots', lang)}</h2>\n" + "\n".join(figures)


def write_csv(report: Report, directory: Path) -> list[Path]:
    """One CSV per table (column ids as headers, UTF-8 with BOM so spreadsheets read the Japanese)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for key, df in report.tables().items():
        path = directory / f"{key}.csv"
        df.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def write_xlsx(report: Report, path: Path, lang: str = "ja") -> None:
    """One workbook, one sheet per table, headers in ``lang``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for key, df in report.tables().items():
            localized(df, lang).to_excel(writer, sheet_name=_section(key, lang)[:31], index=False)
