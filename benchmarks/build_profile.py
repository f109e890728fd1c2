"""Where the model build spends its time: cProfile on CPU time, by rule encoder and by function.

    python -m benchmarks.build_profile                       # 600 doctors / 25 districts, January 2027, seed 1
    python -m benchmarks.build_profile --doctors 150 --districts 12 --month 2027-05 --seed 2 --top 30

The build is profiled cold (the first in its process, as ``oncall solve`` pays it) and timed on the
process's CPU clock, not the wall clock: on a shared machine wall time measures the neighbours too. The
profiler slows Python code more than native code, so the shares are a guide to where to look and the
unprofiled CPU seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.instances import Instance
from oncall.timeline import Timeline
from solver import build_model

__all__ = ["main", "shares"]


def shares(stats: pstats.Stats, total: float) -> list[tuple[str, float]]:
    """Cumulative CPU seconds of each rule encoder, of the variables, of the eligibility and of the fair
    share (which the fairness encoder's figure includes), largest first."""
    out: dict[str, float] = {}
    for (path, _, name), (_, _, _, cumulative, callers) in stats.stats.items():  # type: ignore[attr-defined]
        encoder = any(caller[2] == "build_model" for caller in callers)
        # The fair share is computed once per model, inside the first rule that asks for it.
        if path.endswith(".py") and (encoder or (name == "fair_share" and path.endswith("oncall/fairness.py"))):
            out["/".join(Path(path).parts[-2:]) + ":" + name] = cumulative
    return sorted(((k, v) for k, v in out.items() if v > 0.005 * total), key=lambda kv: -kv[1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build_profile", description=__doc__.split("\n")[0])
    parser.add_argument("--doctors", type=int, default=600)
    parser.add_argument("--districts", type=int, default=25)
    parser.add_argument("--month", default="2027-01")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=20, help="functions listed by their own time")
    args = parser.parse_args(argv)
    instance = Instance(args.doctors, args.districts, args.seed, args.month)
    scenario = instance.scenario()
    timeline = Timeline.build(scenario)
    profile = cProfile.Profile(time.process_time)
    started = time.process_time()
    profile.enable()
    rm = build_model(scenario, timeline)
    profile.disable()
    total = time.process_time() - started
    again = time.process_time()
    build_model(scenario, timeline)
    unprofiled = time.process_time() - again
    stats = pstats.Stats(profile)
    print(
        f"{instance.name} seed {instance.seed}: "
        f"{len(scenario.patients)} patient groups, {len(scenario.hospitals)} hospitals"
    )
    print(f"Model: {len(rm.vars.model.proto.variables)} variables, {len(rm.vars.model.proto.constraints)} constraints")
    print(f"CPU seconds: {total:.2f} profiled (cold); {unprofiled:.2f} unprofiled (warm: imports done)")
    print()
    print("| part of build_model | CPU s (profiled) | share |")
    print("|---|---:|---:|")
    for name, seconds in shares(stats, total):
        print(f"| {name} | {seconds:.2f} | {seconds / total:.1%} |")
    print()
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
