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
from oncall.i18n import Lang, as_lang, text
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
    say: Lang = as_lang(lang)
    lines = [
        text("cover_cli.plan", say, status=plan.status, pairs=len(plan.pairs), kept=kept),
        text("cover_cli.absences", say, stretches=len(plan.answers), answered=answered, second=second),
        text("cover_cli.gaps", say, missing=missing, gaps=gaps),
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
        held = text("cover_cli.holds" if holds else "cover_cli.does_not_hold", lang)
        typer.echo(text("cover_cli.group", lang, gid=gid, name=name, principals=principals, gaps=gaps, holds=held))
    if published is not None:
        ch = plan_changes(published, ro.cover)
        dropped, added, changed, new = len(ch.pairs_dropped), len(ch.pairs_added), ch.answers_changed, ch.answers_new
        typer.echo(text("cover_cli.changes", lang, dropped=dropped, added=added, changed=changed, new=new))
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
    lang: LangOption = "ja",
) -> None:
    """Write the A4 letters for patients: 主治医, 副主治医, the district's on-call doctors, absences."""
    from oncall.letters import write_letters

    if (clinic is None) == (not every):
        _fail("give --clinic ID or --all (one of them)")
    sc = _guard(lambda: load_scenario(scenario))
    ro = _guard(lambda: load_roster(roster))
    count = _guard(lambda: write_letters(sc, ro, output, clinic, lang))
    typer.echo(text("letter.written", lang, path=output, n=count))
