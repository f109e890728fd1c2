"""A hospital's page, reached through its personal link: standby days, expected admissions per day against
capacity as a chart (inline SVG drawn on the server), the districts served, the hospital's calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from api.pages.common import DEFAULT_ZONE, PageError, page_lang, render
from api.pages.office import store_of
from oncall.services.personal import HospitalMonth, hospital_month, month_span, published_rosters
from oncall.storage.web import WebSession

__all__ = ["Bar", "Chart", "chart", "hospital_page"]

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 240, 40, 28, 12


@dataclass(frozen=True)
class Bar:
    """One date's bar: where it is drawn and what it says."""

    x: float
    y: float
    width: float
    height: float
    label: str
    over: bool
    title: str


@dataclass(frozen=True)
class Chart:
    """The geometry of the admissions chart (the template only draws it)."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    capacity_y: float
    ticks: tuple[tuple[float, str], ...]  # (y, label)


def chart(month: HospitalMonth) -> Chart:
    """Bars of expected admissions per date and a line at the daily limit, scaled to fit both."""
    top = max([month.capacity, *(v for _, v, _ in month.days), 0.1]) * 1.15
    plot_h = HEIGHT - BOTTOM - TOP
    n = max(1, len(month.days))
    step = (WIDTH - LEFT - 8) / n

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    bars = tuple(
        Bar(
            x=round(LEFT + i * step + step * 0.15, 1),
            y=y(value),
            width=round(step * 0.7, 1),
            height=round(plot_h * value / top, 1),
            label=str(day.day),
            over=value > month.capacity,
            title=f"{day.isoformat()}: {value:.2f}",
        )
        for i, (day, value, _) in enumerate(month.days)
    )
    ticks = tuple((y(v), f"{v:.1f}") for v in (0.0, top / 2, top / 1.15))
    return Chart(WIDTH, HEIGHT, bars, y(month.capacity), ticks)


def hospital_page(request: Request, session: WebSession, month: str | None, **extra: Any) -> Response:
    """The hospital's month: standby days, the chart, the districts served."""
    assert session.link is not None
    try:
        start = dt.date.fromisoformat(f"{month}-01") if month else dt.datetime.now(DEFAULT_ZONE).date()
    except ValueError:
        raise PageError(404, "not_found") from None
    first, last = month_span(start)
    published = published_rosters(store_of(request), first, last)
    found = hospital_month(published, session.link.subject, first, last, page_lang(request))
    standby = [(d, where) for d, _, where in found.days if where] if found else []
    context = {"hospital": found, "chart": chart(found) if found else None, "standby": standby, "month": first}
    return render(request, "me/hospital.html", context | extra, session)
