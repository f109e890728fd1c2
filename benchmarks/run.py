"""Run the benchmark suite and write the table and plots.

    python -m benchmarks.run --mode quick     # 6 instances, 10 s per solve: a smoke test of every size
    python -m benchmarks.run --mode full      # 33 instances, 60 s per solve: the real suite
    python -m benchmarks.run --mode full --only "600d25 2027-01" --time-limit 2 --out /tmp/smoke
                                              # one instance of the suite: a smoke test of the full mode

Every run (instance x seed x solver) happens in a fresh process, so its peak memory is its own and no
run warms another's caches. Results go to ``benchmarks/results/<mode>.{csv,md}``,
``<mode>_trajectories.csv`` and ``<mode>_*.png``; the markdown table is also printed and, with the default
``--out``, written into ``benchmarks/README.md`` between its markers for the mode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.instances import MODES, TIME_LIMITS, Instance, Mode, suite
from benchmarks.machine import describe
from benchmarks.peers import SOLVERS, Record, SolverName, run_one
from benchmarks.report import markdown, plot, write_csv
from solver import SolveOptions

__all__ = ["header", "isolated", "main", "run_suite", "update_readme"]

RESULTS = Path(__file__).parent / "results"
README = Path(__file__).parent / "README.md"


def update_readme(readme: Path, mode: str, text: str, plots: bool = True) -> bool:
    """Put ``text`` (and the plots) between the README's markers for ``mode``; False when it has none."""
    begin, end = f"<!-- results:{mode} -->", f"<!-- /results:{mode} -->"
    if not readme.exists():
        return False
    current = readme.read_text(encoding="utf-8")
    if begin not in current or end not in current:
        return False
    head, rest = current.split(begin, 1)
    _, tail = rest.split(end, 1)
    images = (
        f"\n![time and gap against size](results/{mode}_time_gap_vs_size.png)\n\n"
        f"![objective against time](results/{mode}_objective_vs_time.png)\n"
        if plots
        else ""
    )
    readme.write_text(f"{head}{begin}\n{text}{images}{end}{tail}", encoding="utf-8")
    return True


def header(mode: str, instances: Sequence[Instance], time_limit: float) -> list[str]:
    """The lines above the table: machine, versions, settings, seeds."""
    machine = describe()
    seeds = sorted({i.seed for i in instances})
    months = ", ".join(sorted({i.month for i in instances}))
    sizes = ", ".join(dict.fromkeys(i.label for i in instances))
    return [
        f"## Benchmark results, {mode} mode ({dt.date.today().isoformat()})",
        "",
        f"- Machine: {machine.line()}",
        f"- CP-SAT: {SolveOptions().describe()}; time limit {time_limit:g} s per solve after the model build",
        f"- HiGHS: same model as a MIP, same two phases, time limit {time_limit:g} s, "
        f"threads {min(2, machine.cores)}, mip_rel_gap 0",
        "- Greedy: the office's round-robin rota, priced with the solver's objective (`solver.evaluate`)",
        f"- Instances: generated (`oncall.generate`, with enrolled patients: the full model), "
        f"{len(instances)} of them; months {months}; sizes: {sizes}; seeds {seeds}",
        "- Every roster passed the independent checker with no hard violation beyond the gaps listed.",
    ]


def isolated(instance: Instance, solver: SolverName, time_limit: float, **kwargs: Any) -> Record:
    """``run_one`` in a fresh process: its peak memory is its own, and no run warms another's caches."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(run_one, instance, solver, time_limit, **kwargs).result()


def run_suite(
    instances: Sequence[Instance],
    time_limit: float,
    solvers: Sequence[SolverName] = SOLVERS,
    isolate: bool = True,
    echo: Callable[[str], None] = print,
    settings: dict[str, Any] | None = None,
) -> list[Record]:
    """Run every solver on every instance; ``isolate`` gives each run its own process; ``settings``
    override ``SolveOptions`` fields of the CP-SAT runs (e.g. a deterministic stop for a test)."""
    threads = min(2, describe().cores)
    records: list[Record] = []
    for inst in instances:
        for solver in solvers:
            started = time.perf_counter()
            workers = threads if solver == "highs" else None
            run = isolated if isolate else run_one
            rec = run(inst, solver, time_limit, workers=workers, settings=settings if solver == "cp-sat" else None)
            records.append(rec)
            echo(
                f"{inst.name} seed {inst.seed} {solver:7s} {rec.status:9s} gaps={rec.gaps} "
                f"objective={rec.objective} bound={rec.bound} ({time.perf_counter() - started:.1f} s)"
            )
    return records


def write(records: Sequence[Record], out: Path, prefix: str, head: list[str]) -> str:
    """CSV, trajectories, markdown and plots under ``out``; returns the markdown."""
    out.mkdir(parents=True, exist_ok=True)
    write_csv(records, out / f"{prefix}.csv", out / f"{prefix}_trajectories.csv")
    text = markdown(records, head)
    (out / f"{prefix}.md").write_text(text)
    plot(records, out, prefix)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=MODES, default="quick")
    parser.add_argument("--time-limit", type=float, help="seconds per solve (default: by mode)")
    parser.add_argument("--solvers", default=",".join(SOLVERS), help="comma-separated subset of " + ",".join(SOLVERS))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--only", metavar="NAME", help='instances whose name contains NAME (e.g. "600d25 2027-01"): a smoke test'
    )
    args = parser.parse_args(argv)
    mode: Mode = args.mode
    time_limit = args.time_limit or TIME_LIMITS[mode]
    solvers = [s for s in args.solvers.split(",") if s]
    unknown = [s for s in solvers if s not in SOLVERS]
    if unknown:
        parser.error(f"unknown solver(s): {', '.join(unknown)}")
    instances = suite(mode)
    if args.only:
        instances = [i for i in instances if args.only in i.name]
        if not instances:
            parser.error(f"--only {args.only!r}: no instance of the {mode} mode has that in its name")
    started = time.perf_counter()
    records = run_suite(instances, time_limit, solvers, echo=lambda s: print(s, file=sys.stderr))
    head = header(mode, instances, time_limit)
    head.append(f"- Wall time of the whole run: {time.perf_counter() - started:.0f} s")
    text = write(records, args.out, mode, head)
    print(text)
    # A run of part of the suite, or with a time limit other than the mode's, never replaces the README's tables.
    whole = not args.only and time_limit == TIME_LIMITS[mode]
    if args.out == RESULTS and whole and update_readme(README, mode, text):
        print(f"(table written to {README.relative_to(Path.cwd()) if README.is_relative_to(Path.cwd()) else README})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
