"""Figures of re-planning on a sample: the absence sweep of a repair, and a month boundary.

    python -m benchmarks.replan sweep samples/regional.yaml roster.json [--first 2027-01-14 --days 3]
    python -m benchmarks.replan december samples/regional.yaml december.yaml
    python -m benchmarks.replan nohistory samples/regional.yaml january-nohistory.yaml
    python -m benchmarks.replan boundary december.yaml december.json january-carried.yaml january.json \
        [--plain january-nohistory.yaml january-nocarry.json]

``sweep`` makes each doctor absent for the window in turn (freeze at 09:00 of its first date) and prints
one JSON line per doctor, then the totals. ``december`` writes the previous month of a January sample:
the same network, the requests, absences, pins and history dropped; ``nohistory`` the sample without its
carried history (to solve it as if nothing came before). ``boundary`` measures two
consecutive rosters together: rest and consecutive days across the boundary (the night cut at midnight
merged back), who keeps the night across it, and the spread of the two-month deviation from fair share.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from oncall.checker import check
from oncall.fairness import fair_share
from oncall.io import load_scenario, save_scenario
from oncall.model import History, Period, Scenario
from oncall.replan import AbsenceChange, replan
from oncall.roster import Roster, load_roster
from oncall.timeline import Timeline
from solver import SolveOptions

__all__ = ["boundary_figures", "december_of", "sweep"]

Piece = tuple[dt.datetime, dt.datetime, str, dt.date]


def sweep(
    scenario: Scenario, roster: Roster, first: dt.date, days: int, time_limit: float = 30
) -> list[dict[str, Any]]:
    """Each doctor absent ``days`` dates from ``first`` in turn: what the repair changed, where, how fast."""
    tl = Timeline.build(scenario)
    last = first + dt.timedelta(days=days - 1)
    freeze = dt.datetime.combine(first, dt.time(9), tzinfo=scenario.zone)
    rows = []
    for p in scenario.physicians:
        held = [d for d in roster.duties if p.id in (d.primary, d.secondary) and first <= tl.by_id[d.id].day <= last]
        started = time.perf_counter()
        change = AbsenceChange(physician=p.id, start=first, end=last, reason="sweep")
        out = replan(scenario, roster, [change], freeze, SolveOptions(time_limit=time_limit), lang="en")
        wall = time.perf_counter() - started
        dates = [tl.by_id[r.duty].day for r in out.summary.reasons]
        rows.append(
            {
                "doctor": p.id,
                "held": len(held),
                "changed": out.summary.changed,
                "by_change": out.summary.by_change,
                "knock_on": out.summary.knock_on,
                "gaps": out.summary.gaps,
                "proven": out.summary.changes_proven,
                "checker_ok": check(out.scenario, out.roster).ok,
                "days_outside_window": max((max((first - d).days, (d - last).days, 0) for d in dates), default=0),
                "wall_seconds": round(wall, 2),
            }
        )
    return rows


def december_of(january: Scenario) -> Scenario:
    """The month before a scenario's period, same network: no requests, absences, pins or history."""
    start = january.period.start
    end = start - dt.timedelta(days=1)
    before = january.model_copy(deep=True)
    before.name = f"{january.name} (previous month)"
    before.period = Period(start=end.replace(day=1), end=end)
    before.pinned = []
    for p in before.physicians:
        p.history, p.absences, p.wishes, p.unwishes = History(), [], [], []
    for h in before.hospitals:
        h.closed_dates = [d for d in h.closed_dates if before.period.start <= d <= end]
    return Scenario.model_validate(before.model_dump())


def _pieces(scenario: Scenario, roster: Roster) -> dict[str, list[Piece]]:
    tl = Timeline.build(scenario)
    out: dict[str, list[Piece]] = defaultdict(list)
    for rd in roster.duties:
        d = tl.by_id[rd.id]
        for pid in {rd.primary, rd.secondary} - {None}:
            assert pid is not None
            out[pid].append((d.start, d.end, f"{d.district}-{d.block.id}-{d.day}", d.day))
    return out


def _points(scenario: Scenario, roster: Roster) -> dict[str, float]:
    tl = Timeline.build(scenario)
    out: dict[str, float] = defaultdict(float)
    for rd in roster.duties:
        for pid in {rd.primary, rd.secondary} - {None}:
            assert pid is not None
            out[pid] += tl.by_id[rd.id].slot.points
    return out


def boundary_figures(before: Scenario, first: Roster, after: Scenario, second: Roster) -> dict[str, Any]:
    """Two consecutive rosters measured together (``after`` may carry history: its fair share is taken without)."""
    both = _pieces(before, first)
    for pid, pieces in _pieces(after, second).items():
        both[pid] += pieces
    short_rests, long_runs = 0, 0
    shortest: float | None = None
    edge = Timeline.build(after).start
    for pid, pieces in both.items():
        pieces.sort()
        merged: list[Piece] = []
        for piece in pieces:
            if merged and merged[-1][1] == piece[0] and merged[-1][2] == piece[2]:
                merged[-1] = (merged[-1][0], piece[1], piece[2], piece[3])
            else:
                merged.append(piece)
        need = after.rest_hours(after.physician(pid)) if pid in {p.id for p in after.physicians} else 0.0
        for a, b in itertools.pairwise(merged):
            hours = (b[0] - a[1]).total_seconds() / 3600
            short_rests += hours < need
            if abs((a[1] - edge).total_seconds()) < 3 * 86400:
                shortest = hours if shortest is None else min(shortest, hours)
        run = 1
        days = sorted({m[3] for m in merged})
        cap = after.consecutive_cap(after.physician(pid)) if pid in {p.id for p in after.physicians} else 99
        for x, y in itertools.pairwise(days):
            run = run + 1 if (y - x).days == 1 else 1
            long_runs += run > cap
    heads = {d.district: d for d in first.duties if d.end == first.period.end}
    tails = {d.district: d for d in second.duties if d.start == second.period.start}
    roles = ("primary", "secondary", "backup_hospital")
    kept = sum(getattr(heads[k], r) == getattr(tails[k], r) for k in heads.keys() & tails.keys() for r in roles)
    plain = after.model_copy(deep=True)
    for p in plain.physicians:
        p.history = p.history.model_copy(update={"points": {}, "periods": []})
    due_before = fair_share(before, Timeline.build(before)).target
    due_after = fair_share(plain, Timeline.build(plain)).target
    earned_before, earned_after = _points(before, first), _points(after, second)
    devs = [
        earned_before[p.id] + earned_after[p.id] - due_before[p.id]["total"] - due_after[p.id]["total"]
        for p in plain.physicians
        if p.id in due_before
    ]
    return {
        "rests_below_minimum": short_rests,
        "shortest_rest_hours_near_boundary": shortest,
        "runs_over_limit": long_runs,
        "night_roles_kept_across_midnight": kept,
        "night_roles": 3 * len(heads),
        "two_month_spread": round(max(devs) - min(devs), 2),
        "two_month_stdev": round(statistics.pstdev(devs), 2),
    }


def main() -> None:
    """The command line above."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sweep")
    s.add_argument("scenario", type=Path)
    s.add_argument("roster", type=Path)
    s.add_argument("--first", type=dt.date.fromisoformat, default=dt.date(2027, 1, 14))
    s.add_argument("--days", type=int, default=3)
    for name in ("december", "nohistory"):
        d = sub.add_parser(name)
        d.add_argument("january", type=Path)
        d.add_argument("output", type=Path)
    b = sub.add_parser("boundary")
    b.add_argument("files", type=Path, nargs=4)
    b.add_argument("--plain", type=Path, nargs=2)
    args = parser.parse_args()
    if args.command == "sweep":
        rows = sweep(load_scenario(args.scenario), load_roster(args.roster), args.first, args.days)
        for row in rows:
            print(json.dumps(row))
        walls = [r["wall_seconds"] for r in rows]
        print(
            json.dumps(
                {
                    "doctors": len(rows),
                    "holding_duties_in_window": sum(1 for r in rows if r["held"]),
                    "knock_on_total": sum(r["knock_on"] for r in rows),
                    "knock_on_max": max(r["knock_on"] for r in rows),
                    "changes_outside_window_max_days": max(r["days_outside_window"] for r in rows),
                    "all_checker_ok": all(r["checker_ok"] for r in rows),
                    "all_proven": all(r["proven"] for r in rows),
                    "wall_mean": round(statistics.mean(walls), 2),
                    "wall_max": max(walls),
                }
            )
        )
    elif args.command == "december":
        save_scenario(december_of(load_scenario(args.january)), args.output)
    elif args.command == "nohistory":
        january = load_scenario(args.january)
        for p in january.physicians:
            p.history = History()
        save_scenario(january, args.output)
    else:
        dec, dec_roster, jan, jan_roster = args.files
        before = load_scenario(dec)
        first = load_roster(dec_roster)
        print(json.dumps(boundary_figures(before, first, load_scenario(jan), load_roster(jan_roster))))
        if args.plain:
            plain = boundary_figures(before, first, load_scenario(args.plain[0]), load_roster(args.plain[1]))
            print(json.dumps({"without_carry": plain}))


if __name__ == "__main__":
    main()
