"""Reports: every figure equals a recount done another way, straight from the JSON documents.

The recount below reads the scenario and the roster as plain JSON (dicts, ISO strings) and recomputes
the figures with plain Python and the ``holidays`` package for the calendar: no timeline, no checker,
no load module. It follows the definitions of docs/load.md and docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import holidays
import pytest

from oncall.io import load_scenario
from oncall.model import PatientGroup, Scenario
from oncall.plots import FILES, caption, write_plots
from oncall.reports import build_report, localized, render_html, render_text, write_csv, write_xlsx
from oncall.roster import STATUS_JA, Roster
from tests.factories import greedy_roster, make_scenario

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
RISKS = ("cancer", "home_oxygen", "care_level_4_5", "other")
MONTH = 365.25 / 12
Json = dict[str, Any]


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


class Recount:
    """Figures of a roster recomputed from the scenario and roster JSON."""

    def __init__(self, scenario: Json, roster: Json) -> None:
        self.s, self.r = scenario, roster
        cal = scenario["calendar"]
        self.day_start = _time(cal["day_start"])
        self.blocks = {b["id"]: b for bs in cal["blocks"].values() for b in bs}
        self.jp = holidays.Japan(years=range(2020, 2032))  # type: ignore[attr-defined]
        self.ye = cal["year_end"]
        self.duties = roster["duties"]
        for d in self.duties:
            d["_start"], d["_end"] = dt.datetime.fromisoformat(d["start"]), dt.datetime.fromisoformat(d["end"])
            local = d["_start"]
            d["_date"] = local.date() - dt.timedelta(days=1) if local.time() < self.day_start else local.date()
            d["_cat"] = self.category(d["_date"])
            d["_block"] = self.blocks[d["block"]]
            d["_hours"] = (d["_end"] - d["_start"]).total_seconds() / 3600
        self.first = dt.date.fromisoformat(scenario["period"]["start"])
        self.last = dt.date.fromisoformat(scenario["period"]["end"])
        self.ndays = (self.last - self.first).days + 1

    # calendar ----------------------------------------------------------------------------------
    def year_end(self, day: dt.date) -> bool:
        s = tuple(int(x) for x in self.ye["start"].split("-"))
        e = tuple(int(x) for x in self.ye["end"].split("-"))
        return (day.month, day.day) >= s or (day.month, day.day) <= e

    def day_off(self, day: dt.date) -> bool:
        return self.year_end(day) or day.weekday() >= 5 or day in self.jp

    def category(self, day: dt.date) -> str:
        if self.year_end(day):
            return "year_end"
        if day.weekday() == 6 or day in self.jp:
            return "holiday"
        return "saturday" if day.weekday() == 5 else "weekday"

    def multiplier(self, day: dt.date) -> float:
        if self.year_end(day):
            return float(self.ye["points_multiplier"])
        if not self.day_off(day):
            return 1.0
        lo, hi = day, day
        while self.day_off(lo - dt.timedelta(days=1)):
            lo -= dt.timedelta(days=1)
        while self.day_off(hi + dt.timedelta(days=1)):
            hi += dt.timedelta(days=1)
        run = (hi - lo).days + 1
        return float(self.s["calendar"]["long_run_multiplier"]) if run >= self.s["calendar"]["long_run_days"] else 1.0

    def points(self, d: Json) -> float:
        b = d["_block"]
        start, end = _time(b["start"]), _time(b["end"])
        full = ((end.hour * 60 + end.minute - start.hour * 60 - start.minute) % 1440 or 1440) / 60
        # Points are kept to four decimals (a clipped night's share of a 1.5x block is a long fraction).
        return round(float(b["points"]) * self.multiplier(d["_date"]) * float(d["_hours"]) / full, 4)

    # load --------------------------------------------------------------------------------------
    def district_of_clinic(self) -> dict[str, str]:
        return {c["id"]: c["district"] for c in self.s["clinics"]}

    def call_weight(self) -> dict[str, float]:
        """Each duty's share of its district's calls, unnormalised: hours × the block's factor."""
        factor = {True: self.s["load"]["night_factor"], False: self.s["load"]["day_factor"]}
        return {d["id"]: d["_hours"] * factor[bool(d["_block"]["night"])] for d in self.duties}

    def duty_load(self) -> dict[str, tuple[float, float]]:
        """(visits, unregistered admissions) per duty id."""
        rates = self.s["load"]["rates"]
        months = self.ndays / MONTH
        visits: Counter[str] = Counter()
        admissions: Counter[str] = Counter()
        where = self.district_of_clinic()
        for g in self.s["patients"]:
            for risk in RISKS:
                n, r = g[risk], rates[risk]
                visits[where[g["clinic"]]] += n * r["calls"] * r["visit_fraction"] / 100 * months
                if g["hospital"] is None:
                    admissions[where[g["clinic"]]] += n * r["admissions"] / 100 * months
        weight = self.call_weight()
        total: dict[str, float] = dict.fromkeys((d["district"] for d in self.duties), 0.0)
        for d in self.duties:
            total[d["district"]] += weight[d["id"]]
        return {
            d["id"]: (
                visits[d["district"]] * weight[d["id"]] / total[d["district"]],
                admissions[d["district"]] * weight[d["id"]] / total[d["district"]],
            )
            for d in self.duties
        }

    # figures -----------------------------------------------------------------------------------
    def physicians(self) -> dict[str, Json]:
        load = self.duty_load()
        share = self.s["load"]["secondary_visit_share"]
        out: dict[str, Json] = {}
        for p in self.s["physicians"]:
            pid = p["id"]
            mine = [d for d in self.duties if pid in (d["primary"], d["secondary"])]
            # Runs of consecutive dates, the previous period's included, that hold a date of this roster.
            own = {d["_date"] for d in mine}
            dates = sorted(own | {dt.date.fromisoformat(x) for x in p["history"]["recent_duty_dates"]})
            runs: list[list[dt.date]] = []
            for day in dates:
                if runs and (day - runs[-1][-1]).days == 1:
                    runs[-1].append(day)
                else:
                    runs.append([day])
            best = max((len(run) for run in runs if own & set(run)), default=0)
            ends = [] if p["history"]["last_duty_end"] is None else [p["history"]["last_duty_end"]]
            rests = []
            prev = dt.datetime.fromisoformat(ends[0]) if ends else None
            if prev is not None and prev.tzinfo is None:
                prev = prev.replace(tzinfo=mine[0]["_start"].tzinfo if mine else dt.UTC)
            for d in sorted(mine, key=lambda d: d["_start"]):
                if prev is not None:
                    rests.append((d["_start"] - prev).total_seconds() / 3600)
                prev = d["_end"] if prev is None else max(prev, d["_end"])
            requestable = {(d["_date"], b) for d in self.duties for b in (d["block"], None)}
            wishes = [w for w in p["wishes"] if (dt.date.fromisoformat(w["date"]), w["block"]) in requestable]
            held = {(d["_date"], d["block"]) for d in mine}
            out[pid] = {
                **{c: sum(d["_cat"] == c for d in mine) for c in ("weekday", "saturday", "holiday", "year_end")},
                "duties": len(mine),
                "nights": sum(bool(d["_block"]["night"]) for d in mine),
                "points": sum(self.points(d) for d in mine),
                "longest_run": best,
                "min_rest_hours": min(rests) if rests else None,
                "wishes_total": len(wishes),
                "wishes_honoured": sum(
                    any(day == dt.date.fromisoformat(w["date"]) and w["block"] in (None, b) for day, b in held)
                    for w in wishes
                ),
                "visits": sum(load[d["id"]][0] * ((1 - share) if d["primary"] == pid else share) for d in mine),
            }
        return out

    def hospital_days(self) -> dict[tuple[str, dt.date], float]:
        load = self.duty_load()
        rates = self.s["load"]["rates"]
        where = self.district_of_clinic()
        weight = self.call_weight()
        out: dict[tuple[str, dt.date], float] = defaultdict(float)
        for h in self.s["hospitals"]:
            closed = {dt.date.fromisoformat(x) for x in h["closed_dates"]}
            for g in (g for g in self.s["patients"] if g["hospital"] == h["id"]):
                daily = sum(g[risk] * rates[risk]["admissions"] / 100 / MONTH for risk in RISKS)
                for day in (self.first + dt.timedelta(days=i) for i in range(self.ndays)):
                    if day not in closed:
                        out[(h["id"], day)] += daily
                        continue
                    # Closed: admitted where the district's duties of that date send their patients.
                    mine = [d for d in self.duties if d["district"] == where[g["clinic"]] and d["_date"] == day]
                    total = sum(weight[d["id"]] for d in mine)
                    for d in mine:
                        if d["backup_hospital"] is not None:
                            out[(d["backup_hospital"], day)] += daily * weight[d["id"]] / total
        for d in self.duties:
            if d["backup_hospital"] is not None:
                out[(d["backup_hospital"], d["_date"])] += load[d["id"]][1]
        return out

    def depth(self) -> dict[str, int]:
        """Physicians who could take some role of each duty, before anything is assigned."""
        where = self.district_of_clinic()
        rules = self.s["rules"]
        out = {}
        for d in self.duties:
            zone = d["_start"].tzinfo
            n = 0
            for p in self.s["physicians"]:
                covers = p["districts"] if p["districts"] is not None else [where[p["clinic"]]]
                if d["district"] not in covers or not set(p["roles"]) & set(d["_block"]["roles"]):
                    continue
                away = False
                for a in p["absences"]:
                    if len(a["start"]) == 10:
                        lo = dt.datetime.combine(dt.date.fromisoformat(a["start"]), dt.time(0), zone)
                        hi = dt.datetime.combine(
                            dt.date.fromisoformat(a["end"]) + dt.timedelta(days=1), dt.time(0), zone
                        )
                    else:
                        lo, hi = dt.datetime.fromisoformat(a["start"]), dt.datetime.fromisoformat(a["end"])
                        lo, hi = (x if x.tzinfo else x.replace(tzinfo=zone) for x in (lo, hi))
                    away = away or (lo < d["_end"] and d["_start"] < hi)
                if away:
                    continue
                last = p["history"]["last_duty_end"]
                if last is not None:
                    end = dt.datetime.fromisoformat(last)
                    end = end if end.tzinfo else end.replace(tzinfo=zone)
                    rest = p["caps"]["min_rest_hours"]
                    if rest is None:
                        employed = p["employment"] == "employed"
                        rest = rules["min_rest_hours_employed"] if employed else rules["min_rest_hours"]
                    if d["_start"] < end + dt.timedelta(hours=rest):
                        continue
                caps = p["caps"]
                holiday = d["_cat"] in ("holiday", "year_end")
                # The tail of the night begun before the period counts against no cap (docs/rules.md, caps).
                counted = d["_date"] >= dt.date.fromisoformat(self.s["period"]["start"])
                if counted and (caps["duties"] == 0 or (d["_block"]["night"] and caps["nights"] == 0)):
                    continue
                if counted and holiday and caps["holiday_duties"] == 0:
                    continue
                n += 1
            out[d["id"]] = n
        return out


def _case(scenario: Scenario, roster: Roster) -> tuple[Recount, Any]:
    recount = Recount(json.loads(scenario.model_dump_json()), json.loads(roster.to_json()))
    return recount, build_report(scenario, Roster.model_validate_json(roster.to_json()))


def _network() -> tuple[Scenario, Roster]:
    s = make_scenario()
    s.patients = [
        PatientGroup(clinic="n1", hospital="central", cancer=20, home_oxygen=5, care_level_4_5=30, other=40),
        PatientGroup(clinic="n1", cancer=10, care_level_4_5=15, other=20),
        PatientGroup(clinic="n2", home_oxygen=8, other=50),
        PatientGroup(clinic="s1", hospital="minami", cancer=12, other=30),
        PatientGroup(clinic="s2", cancer=4, care_level_4_5=25, other=35),
    ]
    s = Scenario.model_validate(s.model_dump())
    return s, greedy_roster(s)


def _regional() -> tuple[Scenario, Roster]:
    """The regional sample with a quick roster (greedy: it may break a rule, which a report must not mind)."""
    s = load_scenario(SAMPLES / "regional.yaml")
    s.pinned = []  # greedy ignores the rest after a pinned duty
    s = Scenario.model_validate(s.model_dump())
    return s, greedy_roster(s)


@pytest.mark.parametrize("make", [_network, _regional], ids=["network", "regional"])
def test_report_figures_equal_an_independent_recount(make: Any) -> None:
    scenario, roster = make()
    recount, report = _case(scenario, roster)
    assert scenario.patients, "the recount must cover loads"
    want = recount.physicians()
    got = report.physicians.set_index("id").to_dict("index")
    assert set(got) == set(want)
    for pid, w in want.items():
        g = got[pid]
        for key in ("weekday", "saturday", "holiday", "year_end", "duties", "nights", "longest_run"):
            assert g[key] == w[key], (pid, key)
        assert (g["wishes_total"], g["wishes_honoured"]) == (w["wishes_total"], w["wishes_honoured"]), pid
        assert g["points"] == pytest.approx(w["points"]), pid
        assert g["visits"] == pytest.approx(w["visits"], abs=1e-12), pid
        assert g["deviation"] == pytest.approx(g["points"] - g["target"])
        if w["min_rest_hours"] is None:
            assert g["min_rest_hours"] != g["min_rest_hours"] or g["min_rest_hours"] is None  # NaN or None
        else:
            assert g["min_rest_hours"] == pytest.approx(w["min_rest_hours"]), pid

    days = recount.hospital_days()
    table = report.hospital_days
    for row in table.itertuples(index=False):
        assert row.expected == pytest.approx(days.get((row.hospital_id, row.date), 0.0), abs=1e-12)
    hospitals = report.hospitals.set_index("id").to_dict("index")
    for h in scenario.hospitals:
        mine = {day: v for (hid, day), v in days.items() if hid == h.id}
        peak = max(mine.values())
        assert hospitals[h.id]["peak_admissions"] == pytest.approx(peak)
        assert hospitals[h.id]["peak_day"] == min(day for day, v in mine.items() if v == pytest.approx(peak))
        assert hospitals[h.id]["limit"] == pytest.approx(h.capacity_per_day * 0.8)
        standby = {d["_date"] for d in recount.duties if d["backup_hospital"] == h.id}
        assert hospitals[h.id]["standby_days"] == len(standby)

    depth = recount.depth()
    duties = report.duties.set_index("id")
    assert duties["depth"].to_dict() == depth
    districts = report.districts.set_index("id").to_dict("index")
    for d in scenario.districts:
        in_district = [x for x in recount.duties if x["district"] == d.id]
        assert districts[d.id]["min_depth"] == min(depth[x["id"]] for x in in_district)
        assert districts[d.id]["mean_depth"] == pytest.approx(
            sum(depth[x["id"]] for x in in_district) / len(in_district)
        )
        filled = sum(
            sum(x[role] is not None for role in ("primary", "secondary", "backup_hospital")) for x in in_district
        )
        assert (districts[d.id]["roles_filled"], districts[d.id]["roles_needed"]) == (filled, 3 * len(in_district))
        clinics = {c.id for c in scenario.clinics if c.district == d.id}
        assert districts[d.id]["patients"] == sum(g.total for g in scenario.patients if g.clinic in clinics)

    figure = report.summary.set_index("figure")["value"].to_dict()
    assert float(figure["公平性(負担点の幅)"]) == pytest.approx(report.check.fairness_spread, abs=1e-4)


def test_the_summary_speaks_the_office_language_and_never_says_none() -> None:
    scenario, roster = _network()
    scenario.patients = []  # no registered patients: no date of peak admissions
    figure = build_report(scenario, roster).summary.set_index("figure")["value"].to_dict()
    assert figure["ステータス"] == STATUS_JA[roster.status]
    assert not any("None" in str(v) or "nan" in str(v) for v in figure.values()), figure
    assert figure["受入上限に最も近い病院"].endswith(")") and ", " not in figure["受入上限に最も近い病院"]


def test_renderings_carry_every_table(tmp_path: Path) -> None:
    scenario, roster = _network()
    report = build_report(scenario, roster, lang="en")
    text = render_text(report, "en")
    assert "== Physicians ==" in text and "== Districts ==" in text and "Ichiro Aoki" in text
    html = render_html(report, "en")
    assert html.count("<table") == len(report.tables())
    written = write_csv(report, tmp_path / "csv")
    assert {p.name for p in written} == {f"{k}.csv" for k in report.tables()}
    write_xlsx(report, tmp_path / "report.xlsx", "ja")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "report.xlsx")
    assert book.sheetnames == ["概要", "医師別", "病院別", "病院別・日別の予想入院", "地区別", "当番別"]
    assert list(localized(report.physicians, "ja").columns)[:3] == ["ID", "名前", "持分"]


def test_per_duty_lists_name_people_with_the_id_only_where_two_share_a_name() -> None:
    scenario, roster = _network()
    twin = scenario.physicians[1]
    twin.name = scenario.physicians[0].name  # n1a and n1b are both 青木一郎 now
    table = localized(build_report(scenario, roster).duties, "ja")
    cells = set(table[["主当番", "副当番", "後方支援病院"]].to_numpy().ravel()) - {"—"}
    assert not cells & ({p.id for p in scenario.physicians} | {h.id for h in scenario.hospitals})
    assert {"青木一郎 (n1a)", "青木一郎 (n1b)", "佐藤恵", "中央病院"} <= cells, cells
    assert "青木一郎" not in cells
    html = render_html(build_report(scenario, roster), "ja")
    duties = html[html.index("<h2>当番別</h2>") :]
    assert "<td>青木一郎 (n1b)</td>" in duties and "<td>s2a</td>" not in duties


def _display_width(text: str) -> int:
    """Terminal columns: wide and full-width characters (kanji, kana) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_the_text_report_lines_up_japanese_by_display_width() -> None:
    scenario, roster = _network()
    report = build_report(scenario, roster)
    blocks = render_text(report).strip("\n").split("\n\n")
    for block in blocks:
        title, *lines = block.splitlines()
        assert len({_display_width(line) for line in lines}) == 1, (title, lines)
    header, *rows = next(b for b in blocks if b.startswith("== 医師別 ==")).splitlines()[1:]
    edge = _display_width(header[: header.index("名前") + 2])  # names are right-aligned under their header
    for row, name in zip(rows, report.physicians["name"], strict=True):
        assert _display_width(row[: row.index(name) + len(name)]) == edge, row


def test_the_html_report_embeds_its_plots_and_needs_no_other_file() -> None:
    import base64
    import io
    import re

    from matplotlib.image import imread

    scenario, roster = _network()
    html = render_html(build_report(scenario, roster), "ja")
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)">', html)
    assert [alt for _, alt in images] == [caption(name, "ja") for name in FILES]
    assert "医師別・日別の当番" in images[0][1]
    for data, _ in images:
        pixels = imread(io.BytesIO(base64.b64decode(data)), format="png")
        assert pixels.shape[0] > 300 and pixels.shape[1] > 600
    assert re.findall(r'(?:src|href)="(?!data:)', html) == []  # nothing to fetch beside the file
    assert "<img" not in render_html(build_report(scenario, roster), "ja", plots=False)


def test_plots_render_japanese_without_missing_glyphs(tmp_path: Path) -> None:
    # pytest turns warnings into errors here: a glyph missing from the font would fail this test.
    scenario, roster = _network()
    paths = write_plots(build_report(scenario, roster), tmp_path)
    assert [p.name for p in paths] == list(FILES)
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000
    english = write_plots(build_report(scenario, roster, lang="en"), tmp_path / "en", lang="en")
    assert all(p.exists() for p in english)
