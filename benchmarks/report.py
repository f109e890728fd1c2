"""Benchmark results as CSV, a markdown table and plots (matplotlib, PNG)."""

from __future__ import annotations

import csv
import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from benchmarks.peers import SOLVERS, Record

__all__ = ["comparison_rows", "markdown", "plot", "write_csv"]

_COLUMNS = [f.name for f in dataclasses.fields(Record) if f.name != "trajectory"]


def write_csv(records: Sequence[Record], results: Path, trajectories: Path) -> None:
    """One row per run; the improving solutions of each run in a second file."""
    with results.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(_COLUMNS)
        for r in records:
            w.writerow(["" if (x := getattr(r, c)) is None else x for c in _COLUMNS])
    with trajectories.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["instance", "seed", "solver", "seconds", "objective", "bound"])
        for r in records:
            for seconds, objective, bound in r.trajectory:
                w.writerow([r.instance, r.seed, r.solver, f"{seconds:.3f}", objective, "" if bound is None else bound])


def _num(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _key(r: Record) -> tuple[int, int, int]:
    return r.doctors, r.districts, r.seed


def comparison_rows(records: Sequence[Record]) -> list[tuple[str, int, dict[str, Record]]]:
    """Per instance and seed, the record of each solver."""
    by: dict[tuple[int, int, int], dict[str, Record]] = defaultdict(dict)
    names: dict[tuple[int, int, int], str] = {}
    for r in records:
        by[_key(r)][r.solver] = r
        names[_key(r)] = r.instance
    return [(names[k], k[2], by[k]) for k in sorted(by)]


def _versus(cp: Record | None, other: Record | None) -> str:
    """How much worse ``other``'s roster is than CP-SAT's: more gaps, or the objective difference."""
    if cp is None or other is None or other.gaps is None:
        return "–"
    if cp.gaps is None:
        return "–"
    if other.gaps != cp.gaps:
        return f"{other.gaps - cp.gaps:+d} gaps"
    if cp.objective is None or other.objective is None:
        return "–"
    diff = other.objective - cp.objective
    rel = f" ({diff / cp.objective:+.0%})" if cp.objective > 0 else ""
    return f"{diff:+.1f}{rel}"


def markdown(records: Sequence[Record], header: list[str]) -> str:
    """The results table (one row per run) and the comparison of each peer with CP-SAT."""
    lines = [*header, ""]
    lines.append(
        "| instance | seed | solver | status | gaps | objective | bound | gap | first (s) | best (s) "
        "| total (s) | build (s) | peak MB | spread |"
    )
    lines.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    order = {s: i for i, s in enumerate(SOLVERS)}
    for r in sorted(records, key=lambda r: (*_key(r), order[r.solver])):
        lines.append(
            f"| {r.instance} | {r.seed} | {r.solver} | {r.status} | {'–' if r.gaps is None else r.gaps} "
            f"| {_num(r.objective)} | {_num(r.bound)} | {_pct(r.gap)} | {_num(r.first_seconds)} "
            f"| {_num(r.best_seconds)} | {_num(r.total_seconds)} | {_num(r.build_seconds)} | {_num(r.peak_mb, 0)} "
            f"| {_num(r.spread, 1)} |"
        )
    lines += [
        "",
        "Peers against CP-SAT on the same instance and time limit (positive: worse than CP-SAT; a different "
        "number of gaps is compared first):",
        "",
        "| instance | seed | CP-SAT objective | greedy vs CP-SAT | HiGHS vs CP-SAT |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, seed, by in comparison_rows(records):
        cp = by.get("cp-sat")
        lines.append(
            f"| {name} | {seed} | {_num(cp.objective if cp else None)} | {_versus(cp, by.get('greedy'))} "
            f"| {_versus(cp, by.get('highs'))} |"
        )
    notes = [r for r in records if r.note]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {r.instance} seed {r.seed} {r.solver}: {r.note}" for r in notes]
    return "\n".join(lines) + "\n"


def plot(records: Sequence[Record], out: Path, prefix: str) -> list[Path]:
    """Time and gap against size, and objective against time; returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written: list[Path] = []
    colours = {"cp-sat": "tab:blue", "greedy": "tab:orange", "highs": "tab:green"}

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for solver, marker in (("cp-sat", "o"), ("highs", "s")):
        rs = [r for r in records if r.solver == solver]
        for ax, attr, label in ((axes[0], "first_seconds", "first roster"), (axes[0], "best_seconds", "best roster")):
            pts = [(r.doctors, getattr(r, attr)) for r in rs if getattr(r, attr) is not None]
            if pts:
                style = "-" if attr == "best_seconds" else ":"
                xs, ys = zip(*sorted(pts), strict=True)
                ax.plot(xs, ys, marker=marker, linestyle=style, color=colours[solver], label=f"{solver}: {label}")
        pts = [(r.doctors, r.build_seconds) for r in rs if r.build_seconds is not None]
        if pts and solver == "cp-sat":
            xs, ys = zip(*sorted(pts), strict=True)
            axes[0].plot(xs, ys, marker="^", linestyle="--", color="grey", label="model build")
        pts = [(r.doctors, 100 * r.gap) for r in rs if r.gap is not None]
        if pts:
            xs, ys = zip(*sorted(pts), strict=True)
            axes[1].plot(xs, ys, marker=marker, linestyle="", color=colours[solver], label=solver)
    axes[0].set(xscale="log", yscale="log", xlabel="doctors", ylabel="seconds", title="Time against size")
    axes[1].set(xscale="log", xlabel="doctors", ylabel="gap to bound (%)", title="Gap at the time limit")
    for ax in axes:
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    path = out / f"{prefix}_time_gap_vs_size.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)

    rows = comparison_rows(records)
    firsts = {}
    for name, seed, by in rows:  # one seed per size: the first
        firsts.setdefault(name, (seed, by))
    if firsts:
        fig, axes = plt.subplots(1, len(firsts), figsize=(4.2 * len(firsts), 3.8), squeeze=False)
        for ax, (name, (seed, by)) in zip(axes[0], firsts.items(), strict=True):
            for solver, r in by.items():
                if not r.trajectory:
                    continue
                if solver == "greedy":
                    ax.axhline(r.trajectory[0][1], color=colours[solver], linestyle="--", label="greedy")
                    continue
                ts = [t for t, _, _ in r.trajectory] + [r.time_limit]
                ys = [y for _, y, _ in r.trajectory]
                ys.append(ys[-1])
                ax.step(ts, ys, where="post", color=colours[solver], label=solver)
                if r.bound is not None:
                    ax.axhline(r.bound, color=colours[solver], linestyle=":", label=f"{solver} bound")
            ax.set(yscale="log", xlabel="seconds", ylabel="objective", title=f"{name}, seed {seed}")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=7)
        fig.tight_layout()
        path = out / f"{prefix}_objective_vs_time.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written
