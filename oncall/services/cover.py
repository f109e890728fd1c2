"""The 主治医・副主治医 cover plan as part of solving: planned after the rota, re-planned with the fewest changes
to the plan in force, and the explanation of every pair a re-plan ended (there was no other way)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncall.cover.continuity import CoverReplan, PairChange, plan_changes
from oncall.cover.document import CoverPlan
from oncall.errors import NotFound
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.storage import Store

if TYPE_CHECKING:
    from solver import SolveOptions

__all__ = ["explain_replan", "plan_cover", "revision_cover"]


def plan_cover(scenario: Scenario, roster: Roster, options: SolveOptions, published: CoverPlan | None) -> Roster:
    """``roster`` with its cover plan when the scenario has a cover section (re-planned with the fewest changes
    to ``published`` when there is one), else ``roster`` as it is."""
    if scenario.cover is None:
        return roster
    from solver.cover import solve_cover

    # A solve that stops on deterministic work (tests, benchmarks) plans the cover to the optimum: one
    # worker and a fixed seed make that reproducible. Otherwise each of its two phases gets a quarter of the
    # rota's time limit, so that a job stays within the runner's deadline (limit + max(60 s, limit)); the
    # regional sample's plan is proven optimal in seconds (benchmarks/README.md).
    limit = None if options.deterministic_time is not None else max(1.0, options.time_limit / 4)
    plan = solve_cover(
        scenario, roster, published=published, workers=options.workers, seed=options.seed, time_limit=limit
    )
    return roster.model_copy(update={"cover": plan})


def explain_replan(scenario: Scenario, roster: Roster, published: CoverPlan) -> CoverReplan:
    """What the re-planned cover of ``roster`` changed against ``published``, each ended pair with its cause:
    a doctor left, a hard rule now forbids the pair (which one), or keeping it costs a gap (forced)."""
    from solver.cover import FILTERS, build_cover_model

    assert roster.cover is not None
    changes = plan_changes(published, roster.cover)
    model = build_cover_model(scenario, roster, published)
    here = {p.id for p in scenario.physicians}
    dropped = []
    for principal, deputy in changes.pairs_dropped:
        if not {principal, deputy} <= here or principal not in model.staffing:
            dropped.append(PairChange(principal=principal, deputy=deputy, cause="left"))
            continue
        rule = next((r for r, allowed in FILTERS.items() if not allowed(model, principal, deputy, None)), None)
        cause = "forced" if rule is None else "excluded"
        dropped.append(PairChange(principal=principal, deputy=deputy, cause=cause, rule=rule))
    return CoverReplan(
        pairs_kept=len(roster.cover.pairs) - len(changes.pairs_added),
        pairs_dropped=dropped,
        pairs_added=changes.pairs_added,
        answers_changed=changes.answers_changed,
        answers_new=changes.answers_new,
        proven=roster.cover.status == "optimal",
    )


def revision_cover(store: Store, revision_id: int) -> CoverPlan:
    """The cover plan of a stored revision; NotFound when its roster has none."""
    _, text = store.get_roster(revision_id)
    plan = Roster.model_validate_json(text).cover
    if plan is None:
        raise NotFound("cover plan of revision", revision_id, field="revision_id")
    return plan
