"""Restarts of the soft-goal phase under a fresh presolve (``SolveOptions.restarts``, ``solver.solve``)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from ortools.sat.python import cp_model

from oncall.checker import check
from oncall.generate import generate
from oncall.model import Scenario
from solver.solve import Phase, RestartWhen, SolveResult
from solver.terms import OBJECTIVE_SCALE
from tests.solving import steady

solving = importlib.import_module("solver.solve")  # the package exports the function under the same name


@pytest.fixture(scope="module")
def network() -> Scenario:
    # 12 doctors in 2 districts over January: small enough for a proof, rich enough to need a search.
    return generate(12, 2, "2027-01", 1)


@pytest.fixture(scope="module")
def plain(network: Scenario) -> SolveResult:
    """The network solved in one round: no restarts, no neighbourhood search first."""
    result: SolveResult = solving.solve(network, steady(30, restarts=0))
    return result


def test_a_restart_is_due_below_the_cheapest_penalty_and_after_the_distance_halved() -> None:
    when = RestartWhen(below=3000)
    assert not when.due(3000)  # a roster one away-duty from the bound: nothing to rule out yet
    assert when.due(2999)
    again = RestartWhen(below=3000, last=1000)
    assert not again.due(600) and again.due(500)


@dataclass(frozen=True)
class Round:
    """One run of a phase: whether it could stop for a restart, its extra CP-SAT settings, the number of
    constraints of its model, and what it returned."""

    restartable: bool
    settings: dict[str, Any]
    constraints: int
    phase: Phase


def _rounds(monkeypatch: pytest.MonkeyPatch) -> list[Round]:
    """Every run of a phase during the solves that follow, in order."""
    rounds: list[Round] = []
    run_phase = solving.run_phase

    def spy(model: cp_model.CpModel, options: Any, *args: Any, **kwargs: Any) -> Phase:
        phase: Phase = run_phase(model, options, *args, **kwargs)
        restart = args[3] if len(args) > 3 else kwargs.get("restart")
        rounds.append(Round(restart is not None, dict(options.cp_sat), len(model.proto.constraints), phase))
        return phase

    monkeypatch.setattr(solving, "run_phase", spy)
    return rounds


def test_restarts_reach_the_optimum_of_a_solve_without_them(
    network: Scenario, plain: SolveResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds = _rounds(monkeypatch)
    restarted = solving.solve(network, steady(30))
    assert plain.status == restarted.status == "optimal"
    assert restarted.objective == plain.objective and restarted.bound == plain.bound
    assert sum(r.phase.restart for r in rounds) >= 1, "no restart happened: the test shows nothing"
    assert not check(network, restarted.roster, figures=False).violations
    # Every roster found in every round is reported, in order.
    assert restarted.best_seconds is not None


def test_a_round_that_finds_no_roster_in_time_keeps_the_previous_rounds(
    network: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_phase = solving.run_phase
    calls: list[Phase] = []

    def out_of_time_after_a_restart(*args: Any, **kwargs: Any) -> Phase:
        if calls and calls[-1].restart:
            idle = cp_model.CpSolver()
            idle.solve(cp_model.CpModel())  # a solver that ran, as one stopped by the clock has
            phase = Phase(idle, cp_model.UNKNOWN, [])
        else:
            phase = run_phase(*args, **kwargs)
        calls.append(phase)
        return phase

    monkeypatch.setattr(solving, "run_phase", out_of_time_after_a_restart)
    result = solving.solve(network, steady(30))
    stopped = [phase for phase in calls if phase.restart]
    assert stopped, "no round stopped for a restart: the test shows nothing"
    assert result.soft_goals == "best_found" and result.roster_from == "soft_phase"
    assert result.objective == stopped[0].solver.objective_value / OBJECTIVE_SCALE
    assert not result.roster.gaps
    assert not check(network, result.roster, figures=False).violations


def test_hinted_models_never_restart(network: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    rounds = _rounds(monkeypatch)
    solving.solve(network, steady(5, hint_above=0))
    assert rounds and not any(r.restartable for r in rounds)


def test_lns_first_searches_neighbourhoods_then_proves_from_the_best_roster(
    network: Scenario, plain: SolveResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds = _rounds(monkeypatch)
    wide = solving.solve(network, steady(30, lns_first_above=0))
    # The coverage phase may come first (this network's heuristic roster leaves gaps); then the two rounds.
    assert len(rounds) >= 2 and not any(r.settings for r in rounds[:-2])
    lns, portfolio = rounds[-2:]
    first = lns.phase
    assert lns.settings.get("use_lns_only") is True and "use_lns_only" not in portfolio.settings
    assert portfolio.constraints == lns.constraints + 1, (
        "the second round knows the objective is at most the first round's roster"
    )
    assert first.solved
    # The proof of the second round holds for the whole model: the same optimum as the usual solve.
    assert plain.status == wide.status == "optimal"
    assert wide.objective == plain.objective and wide.bound == plain.bound
    assert wide.objective is not None and wide.objective <= first.solver.objective_value / OBJECTIVE_SCALE
    assert not check(network, wide.roster, figures=False).violations


def test_models_below_the_threshold_never_search_neighbourhoods_only(
    network: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds = _rounds(monkeypatch)
    solving.solve(network, steady(5))
    assert rounds and not any(r.settings.get("use_lns_only") for r in rounds)
