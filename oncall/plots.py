"""Plots of a roster report as PNG images: who carries what, and how close each hospital comes to its limit.

Three figures, Japanese labels by default (the IPAex Gothic font of ``matplotlib-fontja``, so kanji and
kana render instead of empty boxes) and English with ``lang="en"``:

- ``duties_heatmap.png``: duty points per doctor and date, heaviest doctor on top;
- ``fair_share.png``: each doctor's points against their fair share, furthest above on top;
- ``hospital_admissions.png``: each hospital's expected admissions per date against its capacity and
  its limit, the hospital closest to its limit first and marked.

Only ``matplotlib.figure.Figure`` is used (never pyplot), so nothing depends on a display or on a
global backend; the font is set inside an ``rc_context`` for the drawing only. ``render_plots`` gives
the PNG bytes (the HTML report embeds them), ``write_plots`` writes them as files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from oncall.i18n import LANGS, as_lang, text
from oncall.reports import Report

__all__ = ["FILES", "caption", "render_plots", "write_plots"]

FILES = ("duties_heatmap.png", "fair_share.png", "hospital_admissions.png")
_CAPTIONS = {
    "duties_heatmap.png": "heat_title",
    "fair_share.png": "fair_title",
    "hospital_admissions.png": "adm_caption",
}
WEEKDAYS: dict[str, tuple[str, ...]] = {lang: tuple(text("word.weekdays_short", lang).split()) for lang in LANGS}


def _t(key: str, lang: str, **kw: Any) -> str:
    """The plots' text ``key`` (``plot.<key>`` in the catalogue) in ``lang``."""
    return text(f"plot.{key}", as_lang(lang), **kw)


def _font() -> str:
    """Register the bundled Japanese font with matplotlib and return its family name."""
    import matplotlib_fontja  # noqa: F401  (registers IPAex Gothic with the font manager on import)
    from matplotlib_fontja.matplotlib_fontja import FONT_NAME

    return str(FONT_NAME)


def _date_label(day: dt.date, lang: str) -> str:
    return f"{day.month}/{day.day}\n{WEEKDAYS[lang][day.weekday()]}"


def caption(name: str, lang: str = "ja") -> str:
    """What the figure ``name`` (one of ``FILES``) shows, in ``lang``: its alternative text in HTML."""
    return _t(_CAPTIONS[name], lang)


def _heatmap(report: Report, lang: str, path: IO[bytes]) -> None:
    duties = report.duties.to_dict("records")
    people = report.physicians.sort_values(["points", "duties"], ascending=False).to_dict("records")
    days: list[dt.date] = sorted({d["date"] for d in duties})
    row_of = {p["id"]: i for i, p in enumerate(people)}
    col_of = {day: j for j, day in enumerate(days)}
    grid = np.zeros((len(people), len(days)))
    for d in duties:
        for pid in {d["primary_id"], d["secondary_id"]} & set(d["held_id"]):  # a shared role once
            if pid in row_of:
                grid[row_of[pid], col_of[d["date"]]] += float(d["points"])
    fig = Figure(figsize=(max(8.0, 0.32 * len(days) + 3), max(4.0, 0.24 * len(people) + 1.6)), dpi=110)
    ax = fig.add_subplot()
    cmap = ListedColormap(["#f7f7f7", *_oranges(8)])
    image = ax.imshow(grid, aspect="auto", cmap=cmap, interpolation="nearest", vmin=0)
    ax.set_yticks(range(len(people)))
    ax.set_yticklabels([f"{p['name']} ({p['points']:.1f})" for p in people], fontsize=7)
    ax.set_xticks(range(len(days)))
    holidays = {d["date"] for d in duties if d["category"] in ("holiday", "year_end")}
    labels = ax.set_xticklabels([_date_label(day, lang) for day in days], fontsize=6)
    for label, day in zip(labels, days, strict=True):
        if day in holidays:
            label.set_color("#c0392b")
    ax.set_title(_t("heat_title", lang), fontsize=11)
    fig.colorbar(image, ax=ax, label=_t("points", lang), fraction=0.03, pad=0.01)
    fig.tight_layout()
    fig.savefig(path, format="png")


def _oranges(n: int) -> list[str]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["YlOrRd"]
    return [to_hex(cmap(float(x))) for x in np.linspace(0.2, 0.95, n)]


def _fair_share(report: Report, lang: str, path: IO[bytes]) -> None:
    people = report.physicians.sort_values("deviation")
    fig = Figure(figsize=(8.0, max(4.0, 0.22 * len(people) + 1.4)), dpi=110)
    ax = fig.add_subplot()
    y = np.arange(len(people))
    over = people["deviation"].to_numpy() > 0
    colors = np.where(over, "#d35400", "#2e86c1")
    ax.barh(y, people["points"], color=colors, height=0.7)
    ax.scatter(people["target"], y, marker="|", s=160, color="black", zorder=3, label=_t("target", lang))
    ax.set_yticks(y)
    ax.set_yticklabels(
        [f"{n} ({d:+.1f})" for n, d in zip(people["name"], people["deviation"], strict=True)], fontsize=7
    )
    ax.set_xlabel(_t("points", lang))
    ax.set_title(_t("fair_title", lang), fontsize=11)
    handles = [
        ax.scatter([], [], marker="s", color="#d35400", label=_t("over", lang)),
        ax.scatter([], [], marker="s", color="#2e86c1", label=_t("under", lang)),
    ]
    ax.legend(handles=[*handles, ax.collections[0]], loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="png")


def _admissions(report: Report, lang: str, path: IO[bytes]) -> None:
    hospitals = report.hospitals.to_dict("records")
    for h in hospitals:
        h["peak_use"] = float(h["peak_use"]) if pd.notna(h["peak_use"]) else 0.0
    hospitals.sort(key=lambda h: -h["peak_use"])
    days_table = report.hospital_days.to_dict("records")
    n = max(1, len(hospitals))
    fig = Figure(figsize=(11.0, 2.4 * n + 1.0), dpi=110)
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    all_days: list[dt.date] = sorted({d["date"] for d in days_table})
    x = {day: i for i, day in enumerate(all_days)}
    for k, (ax, h) in enumerate(zip(axes, hospitals, strict=False)):
        mine = [d for d in days_table if d["hospital_id"] == h["id"]]
        xs = [x[d["date"]] for d in mine]
        registered = [d["registered"] for d in mine]
        ax.bar(xs, registered, color="#95a5a6", label=_t("registered", lang))
        ax.bar(xs, [d["from_standby"] for d in mine], bottom=registered, color="#2e86c1", label=_t("standby", lang))
        ax.axhline(h["capacity_per_day"], color="black", linewidth=1.0, label=_t("capacity", lang))
        ax.axhline(h["limit"], color="#c0392b", linestyle="--", linewidth=1.2, label=_t("limit", lang))
        ax.set_ylim(0, h["capacity_per_day"] * 1.08)
        ax.set_ylabel(_t("admissions", lang), fontsize=8)
        if h["peak_day"] is not None:
            title = _t("panel", lang, name=h["name"], peak=h["peak_admissions"], day=h["peak_day"], use=h["peak_use"])
        else:
            title = f"{h['name']}: {_t('none', lang)}"
        if k == 0:
            title = f"{_t('closest', lang)}  {title}"
            ax.set_facecolor("#fdf2e9")
            ax.legend(loc="upper right", fontsize=7, ncols=4)
        ax.set_title(title, fontsize=9, loc="left", color="#c0392b" if k == 0 else "black")
    axes[-1].set_xticks(range(len(all_days)))
    axes[-1].set_xticklabels([_date_label(day, lang) for day in all_days], fontsize=6)
    if hospitals:
        fig.suptitle(_t("adm_title", lang, name=hospitals[0]["name"], use=hospitals[0]["peak_use"]), fontsize=11)
    fig.tight_layout()
    fig.savefig(path, format="png")


def render_plots(report: Report, lang: str = "ja") -> dict[str, bytes]:
    """The three figures of ``report`` as PNG bytes, by file name (in the order of ``FILES``)."""
    lang = as_lang(lang)
    draw: dict[str, Callable[[Report, str, IO[bytes]], None]] = dict(
        zip(FILES, (_heatmap, _fair_share, _admissions), strict=True)
    )
    images: dict[str, bytes] = {}
    with rc_context({"font.family": "sans-serif", "font.sans-serif": [_font(), "DejaVu Sans"]}):
        for name, plot in draw.items():
            buffer = io.BytesIO()
            plot(report, lang, buffer)
            images[name] = buffer.getvalue()
    return images


def write_plots(report: Report, directory: Path, lang: str = "ja") -> list[Path]:
    """Write the three PNG figures of ``report`` into ``directory``; return their paths."""
    images = render_plots(report, lang)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, png in images.items():
        path = directory / name
        path.write_bytes(png)
        paths.append(path)
    return paths
