"""``oncall cover`` and ``oncall letters``: the 主治医・副主治医 cover plan and the letters for patients.

    oncall cover SCENARIO ROSTER [-o OUT] [--workers N] [--time-limit S] [--lang en]
    oncall letters SCENARIO ROSTER (--clinic ID | --all) -o letters.pdf

``cover`` solves the plan after the rota and writes the roster with its ``cover`` section (to OUT, by
default over ROSTER, atomically: a failed solve leaves the file as it was).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oncall.cli import LangOption, _fail, _guard, app
from oncall.cover.document import CoverPlan
from oncall.io import load_scenario
from oncall.roster import load_roster, save_roster

__all__ = ["cover", "cover_summary", "letters"]

ScenarioArg = Annotated[Path, typer.Argument(help="Scenario file with a `cover` section.")]
RosterArg = Annotated[Path, typer.Argument(help="Roster JSON file (the solved rota).")]


def cover_summary(plan: CoverPlan, lang: str = "ja") -> str:
    """Pairs, kept pairs, answered stretches and gaps in one paragraph."""
    answered = sum(1 for a in plan.answers if a.answerer)
    second = sum(1 for a in plan.answers if a.role == "second")
    kept = sum(1 for p in plan.pairs if p.kept)
    missing = sum(u.missing for u in plan.unpaired)
    gaps = len(plan.answers) - answered
    if lang == "en":
        lines = [
            f"Cover plan: {plan.status}; {len(plan.pairs)} pairs ({kept} kept from the previous period)",
            f"Absences in regular hours: {answered} of {len(plan.answers)} answered ({second} by a second cover)",
            f"Gaps: {missing} deputies missing, {gaps} stretches with nobody",
        ]
    else:
        lines = [
            f"副主治医計画: {plan.status}、組合せ {len(plan.pairs)}（前期から継続 {kept}）",
            f"主治医の不在（診療時間内）: {len(plan.answers)}件中 {answered}件に対応医（第二対応 {second}件）",
            f"欠員: 副主治医の不足 {missing}、対応医なし {gaps}件",
        ]
    reasons = [f"  {u.principal}: {'; '.join(u.reasons)}" for u in plan.unpaired]
    reasons += [
        f"  {a.principal} {a.start:%m/%d %H:%M}: {'; '.join(a.reasons)}" for a in plan.answers if not a.answerer
    ]
    return "\n".join(lines + reasons)


@app.command()
def cover(
    scenario: ScenarioArg,
    roster: RosterArg,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of over ROSTER.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="CP-SAT workers.")] = 1,
    time_limit: Annotated[float | None, typer.Option(min=0.1, help="Seconds per phase; none: to the optimum.")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Ignore the roster's cover plan in force.")] = False,
    lang: LangOption = "ja",
) -> None:
    """Pair every 主治医 with 副主治医 and name who answers during each absence; exit 1 on a gap.

    On a roster that already has a cover plan, re-plan with the fewest changes to it (unless --fresh).
    """
    from oncall.cover.continuity import plan_changes
    from oncall.cover.tables import group_status
    from solver.cover import solve_cover

    sc = _guard(lambda: load_scenario(scenario))
    ro = _guard(lambda: load_roster(roster))
    if sc.cover is None:
        _fail(f"{scenario}: cover: the scenario has no cover section (see docs/scenario.md)")
    published = None if fresh else ro.cover
    ro.cover = solve_cover(sc, ro, published=published, workers=workers, time_limit=time_limit)
    _guard(lambda: save_roster(ro, output or roster))
    typer.echo(cover_summary(ro.cover, lang))
    for gid, name, principals, gaps, holds in group_status(sc, ro):
        typer.echo(
            f"Group {gid} ({name}): {principals} doctors with patients, {gaps} gaps; 24-hour cover "
            + ("holds" if holds else "does NOT hold")
            if lang == "en"
            else f"グループ {gid}（{name}）: 主治医{principals}名、欠員{gaps}件、24時間体制 "
            + ("確保" if holds else "未確保")
        )
    if published is not None:
        ch = plan_changes(published, ro.cover)
        dropped, added, changed, new = len(ch.pairs_dropped), len(ch.pairs_added), ch.answers_changed, ch.answers_new
        typer.echo(
            f"Changes: pairs -{dropped} +{added}; answerers changed {changed}; new stretches {new}"
            if lang == "en"
            else f"変更: 組合せ 解消{dropped}・新規{added}、対応医の変更 {changed}件、新しい不在 {new}件"
        )
        for p, d in ch.pairs_dropped:
            typer.echo(f"  - {p} / {d}")
    if ro.cover.has_gaps():
        raise typer.Exit(1)


@app.command()
def letters(
    scenario: ScenarioArg,
    roster: Annotated[Path, typer.Argument(help="Roster JSON file with its cover plan.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The PDF to write.")],
    clinic: Annotated[str | None, typer.Option("--clinic", help="Letters of this clinic's 主治医.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Letters of every clinic's 主治医.")] = False,
) -> None:
    """Write the A4 letters for patients: 主治医, 副主治医, the district's on-call doctors, absences."""
    from oncall.letters import write_letters

    if (clinic is None) == (not every):
        _fail("give --clinic ID or --all (one of them)")
    sc = _guard(lambda: load_scenario(scenario))
    ro = _guard(lambda: load_roster(roster))
    count = _guard(lambda: write_letters(sc, ro, output, clinic))
    typer.echo(f"出力: {output}（{count}通）")
