"""The tuning study behind the solver's defaults: CP-SAT portfolios on the same instances and time limit.

    python -m benchmarks.portfolio                  # about 8 minutes on 2 cores
    python -m benchmarks.portfolio --time-limit 60  # about 40 minutes
    python -m benchmarks.portfolio --time-limit 60 --instance 600d25   # one instance
    python -m benchmarks.portfolio --only quick_restart   # only the variants whose names contain this

Each variant changes ``SolveOptions`` step by step from CP-SAT's own defaults to the solver's:
the number of workers, the named full-problem subsolver, the presolve rounds, the LP in every worker,
the warm start (the solver's defaults), and last a quick_restart worker beside max_lp: better rosters
at 120 doctors after 10 s, none after 60 s, and a weaker bound at 600 doctors, so not a default.
Results go to ``benchmarks/results/portfolio.{csv,md}``; the table is also printed and written into
``benchmarks/README.md`` between its markers for that study (``portfolio``, ``portfolio_60s_600d25``).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.instances import Instance
from benchmarks.machine import describe
from benchmarks.peers import Record
from benchmarks.report import write_csv
from benchmarks.run import README, RESULTS, isolated, update_readme

__all__ = ["INSTANCES", "VARIANTS", "main"]

# From CP-SAT's defaults on this machine to the solver's defaults, one change at a time.
_PLAIN: dict[str, Any] = {"subsolvers": (), "presolve_iterations": 3, "linearization_level": 1, "warm_start": False}
_MAX_LP: dict[str, Any] = {**_PLAIN, "workers": 2, "subsolvers": ("max_lp",)}
VARIANTS: dict[str, dict[str, Any]] = {
    "CP-SAT portfolio, 2 workers": {**_PLAIN, "workers": 2},
    "CP-SAT portfolio, 8 workers": {**_PLAIN, "workers": 8},
    "max_lp + LNS, 2 workers": _MAX_LP,
    "+ one presolve round": {**_MAX_LP, "presolve_iterations": 1},
    "+ LP in every worker": {**_MAX_LP, "presolve_iterations": 1, "linearization_level": 2},
    "+ warm start (the defaults)": {},
    "+ quick_restart beside max_lp": {"subsolvers": ("quick_restart", "max_lp")},
}
INSTANCES = [Instance(40, 4, 1), Instance(40, 4, 2), Instance(40, 4, 3), Instance(120, 8, 1), Instance(600, 25, 1)]


def _cell(r: Record) -> str:
    obj = "–" if r.objective is None else f"{r.objective:.1f}"
    bound = "–" if r.bound is None else f"{r.bound:.1f}"
    return f"{obj} / {bound}" + (" ✓" if r.status == "optimal" else "")


def markdown(results: dict[str, list[Record]], time_limit: float, instances: Sequence[Instance] = INSTANCES) -> str:
    """Objective / bound per variant and instance, and the mean ratio to the best objective found."""
    names = [f"{i.name} s{i.seed}" for i in instances]
    best: list[float | None] = []
    for k in range(len(instances)):
        found = [obj for rs in results.values() if (obj := rs[k].objective) is not None]
        best.append(min(found) if found else None)
    lines = [
        f"## Portfolio study ({describe().line()}; time limit {time_limit:g} s after the build)",
        "",
        "Objective / bound at the time limit (✓ proven optimal); the last column is the mean of objective over",
        "the best objective any variant found on that instance (1.00 = always the best).",
        "",
        "| variant | " + " | ".join(names) + " | mean ratio to best |",
        "|---|" + "---:|" * (len(names) + 1),
    ]
    for variant, rs in results.items():
        ratios = [r.objective / b for r, b in zip(rs, best, strict=True) if r.objective is not None and b]
        mean = f"{statistics.mean(ratios):.2f}" if ratios else "–"
        lines.append(f"| {variant} | " + " | ".join(_cell(r) for r in rs) + f" | {mean} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.portfolio", description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--only", default="", help="run only the variants whose names contain this text")
    parser.add_argument("--instance", default="", help="run only the instances whose names contain this text")
    args = parser.parse_args(argv)
    instances = [i for i in INSTANCES if args.instance in i.name]
    results: dict[str, list[Record]] = {}
    for variant, settings in VARIANTS.items():
        if args.only not in variant:
            continue
        results[variant] = []
        for inst in instances:
            rec = isolated(inst, "cp-sat", args.time_limit, settings=settings)
            rec.note = variant
            results[variant].append(rec)
            print(f"{variant}: {inst.name} seed {inst.seed}: {_cell(rec)}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    records = [r for rs in results.values() for r in rs]
    suffix = "" if args.time_limit == 10.0 else f"_{args.time_limit:g}s"
    if args.only or args.instance:  # a partial study: kept beside the whole one
        suffix += "_" + re.sub(r"[^A-Za-z0-9]+", "-", f"{args.instance} {args.only}".strip()).strip("-")
    write_csv(records, args.out / f"portfolio{suffix}.csv", args.out / f"portfolio{suffix}_trajectories.csv")
    text = markdown(results, args.time_limit, instances)
    (args.out / f"portfolio{suffix}.md").write_text(text)
    print(text)
    if args.out == RESULTS and update_readme(README, f"portfolio{suffix}", text, plots=False):
        print(f"(table written to {README})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
