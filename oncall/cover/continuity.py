"""Continuity of the cover plan: carrying pairs into the next period, counting what a re-plan changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from oncall.cover.document import CoverPlan
from oncall.cover.model import Pair
from oncall.model import Scenario
from oncall.roster import Roster

__all__ = ["CoverReplan", "PairChange", "PlanChanges", "carry_pairs", "plan_changes", "replan_text"]


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


class PairChange(BaseModel):
    """A pair of the plan in force that a re-plan ended, and why there was no other way."""

    principal: str = Field(description="Physician id of the 主治医.")
    deputy: str = Field(description="Physician id of the 副主治医 they had.")
    cause: Literal["left", "excluded", "forced"] = Field(
        description="left: one of them is no longer in the scenario (or has no panel); excluded: a hard rule now "
        "forbids the pair (`rule`); forced: the pair is still allowed, but every plan keeping it leaves more "
        "gaps or breaks a 副主治医's capacity."
    )
    rule: str | None = Field(None, description="The cover rule that forbids the pair, for cause `excluded`.")


class CoverReplan(BaseModel):
    """What a repair changed in the cover plan: pairs change only when there is no other way."""

    pairs_kept: int
    pairs_dropped: list[PairChange] = Field(default_factory=list)
    pairs_added: list[tuple[str, str]] = Field(default_factory=list, description="(主治医, 副主治医) pairs new.")
    answers_changed: int = Field(description="Stretches of the plan in force with another answerer now.")
    answers_new: int = Field(description="Stretches of absence the plan in force did not have.")
    proven: bool = Field(description="The plan is optimal: keeping the pairs outweighs every goal but fewer gaps.")


_CAUSES = {
    "left": (
        "{p} / {d}: どちらかが名簿にいない（または受持患者がない）",
        "{p} / {d}: one of them left (or has no panel)",
    ),
    "excluded": ("{p} / {d}: 規則 {rule} により組めなくなった", "{p} / {d}: rule {rule} now forbids the pair"),
    "forced": (
        "{p} / {d}: 続けると欠員が増えるか受持上限を超える（他に方法がない）",
        "{p} / {d}: keeping it would leave more gaps or exceed a capacity (no other way)",
    ),
}


def replan_text(c: CoverReplan, lang: str = "ja") -> list[str]:
    """The cover part of a repair's summary for people."""
    en = lang == "en"
    if not c.pairs_dropped and not c.pairs_added:
        head = (
            f"Cover plan: every pair kept ({c.pairs_kept})"
            if en
            else f"副主治医計画: 組合せはすべて継続（{c.pairs_kept}）"
        )
    else:
        proven = ("proven" if c.proven else "not proven") if en else ("証明済み" if c.proven else "未証明")
        head = (
            f"Cover plan: {len(c.pairs_dropped)} pair(s) changed only because there was no other way ({proven}); "
            f"{c.pairs_kept} kept, {len(c.pairs_added)} new"
            if en
            else f"副主治医計画: 他に方法がないため組合せを{len(c.pairs_dropped)}件変更（{proven}）、"
            f"継続{c.pairs_kept}件、新規{len(c.pairs_added)}件"
        )
    lines = [head]
    for x in c.pairs_dropped:
        ja, en_text = _CAUSES[x.cause]
        lines.append("  - " + (en_text if en else ja).format(p=x.principal, d=x.deputy, rule=x.rule))
    lines += [f"  + {p} / {d}" for p, d in c.pairs_added]
    lines.append(
        f"  Answerers changed {c.answers_changed}; new stretches {c.answers_new}"
        if en
        else f"  対応医の変更 {c.answers_changed}件、新しい不在 {c.answers_new}件"
    )
    return lines
