"""Continuity of the cover plan: carrying pairs into the next period, counting what a re-plan changed."""

from __future__ import annotations

from dataclasses import dataclass

from oncall.cover.document import CoverPlan
from oncall.cover.model import Pair
from oncall.model import Scenario
from oncall.roster import Roster

__all__ = ["PlanChanges", "carry_pairs", "plan_changes"]


def carry_pairs(roster: Roster, scenario: Scenario) -> Scenario:
    """``scenario`` with the previous roster's pairs as ``cover.previous_pairs`` (pairs of doctors still there).

    Nothing changes when the new scenario has no cover section or the roster no cover plan.
    """
    if scenario.cover is None or roster.cover is None:
        return scenario
    here = {p.id for p in scenario.physicians}
    pairs = [
        Pair(principal=p.principal, deputy=p.deputy) for p in roster.cover.pairs if {p.principal, p.deputy} <= here
    ]
    cover = scenario.cover.model_copy(update={"previous_pairs": pairs})
    return scenario.model_copy(update={"cover": cover})


@dataclass(frozen=True)
class PlanChanges:
    """What a re-plan changed against the plan in force."""

    pairs_dropped: list[tuple[str, str]]
    pairs_added: list[tuple[str, str]]
    answers_changed: int  # stretches of the plan in force with another answerer now
    answers_new: int  # stretches the plan in force did not have (a new absence)


def plan_changes(before: CoverPlan, after: CoverPlan) -> PlanChanges:
    """Pairs dropped and added, answerers changed, stretches new."""
    old = {(p.principal, p.deputy) for p in before.pairs}
    new = {(p.principal, p.deputy) for p in after.pairs}
    was = {(a.principal, a.start, a.end): a.answerer for a in before.answers}
    changed = sum(1 for a in after.answers if (k := (a.principal, a.start, a.end)) in was and was[k] != a.answerer)
    fresh = sum(1 for a in after.answers if (a.principal, a.start, a.end) not in was)
    return PlanChanges(sorted(old - new), sorted(new - old), changed, fresh)
