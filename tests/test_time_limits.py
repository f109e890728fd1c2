"""Every solve runs within its time limit (issue 17, item 7): the fair-share programme, which also runs
inside API requests (the checker), and the CP-SAT phases, whose limit covers the model build too."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest

from oncall.errors import SolveError
from tests.factories import make_scenario


def test_a_failing_fair_share_programme_is_a_solve_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from ortools.math_opt.core.python import solver

    from oncall.fairness import fair_share
    from oncall.timeline import Timeline

    def broken(*_: object, **__: object) -> None:
        raise AttributeError("'StatusNotOk' object has no attribute 'canonical_code'")  # what OR-Tools raised

    scenario = make_scenario(days=2)
    monkeypatch.setattr(solver, "solve", broken)
    with pytest.raises(SolveError, match="fair share: the allocation programme failed"):
        fair_share(scenario, Timeline.build(scenario))


def test_the_fair_share_programme_runs_with_a_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from ortools.math_opt.core.python import solver

    from oncall.fairness import FAIR_SHARE_SECONDS, fair_share
    from oncall.timeline import Timeline

    seen: list[Any] = []
    solve = solver.solve

    def spy(model: Any, solver_type: Any, init: Any, params: Any, *rest: Any) -> Any:
        seen.append(params)
        return solve(model, solver_type, init, params, *rest)

    scenario = make_scenario(days=2)
    monkeypatch.setattr(solver, "solve", spy)
    fair_share(scenario, Timeline.build(scenario))
    assert seen and all(p.time_limit.ToTimedelta() == dt.timedelta(seconds=FAIR_SHARE_SECONDS) for p in seen)


def test_the_time_limit_covers_the_model_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that takes 50 of the 60 seconds leaves the search at most the 10 that remain."""
    solving = importlib.import_module("solver.solve")  # the package exports the function under the same name

    now = [0.0]

    class FakeClock:
        def __init__(self) -> None:
            self.started = now[0]

        def __call__(self) -> float:
            return now[0] - self.started

    build = solving.build_model

    def slow_build(*args: Any, **kwargs: Any) -> Any:
        model = build(*args, **kwargs)
        now[0] += 50.0  # the build "took" 50 s
        return model

    limits: list[float] = []
    run_phase = solving.run_phase

    def spy(model: Any, options: Any, time_limit: float, *rest: Any) -> Any:
        limits.append(time_limit)
        return run_phase(model, options, min(time_limit, 5.0), *rest)

    monkeypatch.setattr(solving, "Clock", FakeClock)
    monkeypatch.setattr(solving, "build_model", slow_build)
    monkeypatch.setattr(solving, "run_phase", spy)
    solving.solve(make_scenario(days=2), solving.SolveOptions(time_limit=60, workers=1))
    assert limits and max(limits) <= 10.0, limits
