"""The ``oncall`` command: solve, check, schema, generate, carry, repair, serve, keys, report.

Exit codes: 0 success; 1 the roster (or its cover plan) has gaps (solve) or hard violations (check); 2 bad input
(the message names the file, the field and the value; no traceback).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from oncall.cli_networks import NetworkOption, network_database, register_network_commands
from oncall.cli_web import register_web_commands
from oncall.errors import InvalidInput, OncallError
from oncall.generate import MIN_DOCTORS_PER_DISTRICT
from oncall.i18n import LANGS, Lang, Message, pairs, table, text
from oncall.io import load_scenario, output_target, save_scenario, write_output
from oncall.model import LIMITS, Scenario
from oncall.roster import Roster, load_roster, save_roster

if TYPE_CHECKING:
    from oncall.checker import CheckReport
    from oncall.storage.audit import Actor
    from oncall.storage.feeds import FeedStore
    from solver import Progress, SolveResult

__all__ = ["app"]


class _OneLineErrors(typer.core.TyperGroup):
    """Usage errors (an unknown option, a value out of range, a missing argument) as one line naming the
    option, exit 2, like every other input error of the command."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        def run(standalone: bool) -> Any:
            return super(_OneLineErrors, self).main(
                args, prog_name, complete_var, standalone, windows_expand_args=windows_expand_args, **extra
            )

        if not standalone_mode:
            return run(False)
        try:
            outcome = run(False)
        except typer.TyperException as exc:  # the command line's own usage errors
            code = int(getattr(exc, "exit_code", 2))
            if type(exc).__name__ == "NoArgsIsHelpError":  # the help is already printed
                sys.exit(code)
            typer.echo(f"error: {_usage_error(exc)}", err=True)
            sys.exit(code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(outcome if isinstance(outcome, int) else 0)


def _usage_error(exc: Exception) -> str:
    """``--seed: Input should be …`` for a value out of bounds; the parser's sentence for anything else."""
    param, ctx = getattr(exc, "param", None), getattr(exc, "ctx", None)
    hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
    said = str(getattr(exc, "message", None) or "").removeprefix("Value error, ")
    if type(exc).__name__ == "BadParameter" and param is not None and said:
        opts = getattr(param, "opts", None) or []
        place = "/".join(opts) if getattr(param, "param_type_name", "") == "option" else str(param.name).upper()
        return f"{place}: {' '.join(said.split())}{hint}"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    return " ".join(message.split()) + hint


app = typer.Typer(
    cls=_OneLineErrors,
    help="24/7 on-call rosters (当番表) for home medical care networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


LangOption = Annotated[Lang, typer.Option("--lang", help="Language of messages: ja (default) or en.")]
DeterministicTimeOption = Annotated[
    float | None,
    typer.Option(
        "--deterministic-time",
        min=0.0,
        help="Also stop each search phase after this much deterministic work (CP-SAT's units, roughly seconds "
        "of one core): with --workers 1 and a --seed the result is then the same however busy the machine is.",
    ),
]
MAX_SEED = 2**31 - 1  # CP-SAT's random seed is a 32-bit integer
MAX_WORKERS = 64
MAX_SECONDS = 24 * 3600.0
TimeLimit = Annotated[
    float, typer.Option("--time-limit", min=0.1, max=MAX_SECONDS, help="Seconds at most, model build included.")
]
Workers = Annotated[int | None, typer.Option("--workers", min=1, max=MAX_WORKERS, help="Search workers (default: 2).")]
Seed = Annotated[int, typer.Option("--seed", min=0, max=MAX_SEED, help="Random seed of the search.")]


def _fail(message: str, code: int = 2) -> NoReturn:
    for line in message.splitlines():
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(code)


_R = TypeVar("_R")


def _guard(action: Callable[[], _R], where: Path | None = None, lang: Lang = "ja", option: str | None = None) -> _R:
    """Run ``action``; turn the package's own errors, and a file that cannot be written, into a clean
    message in ``lang`` and exit code 2. ``where`` names the file an error found later (pins, in the solve)
    is in; ``option`` the output option whose path could not be written."""
    try:
        return action()
    except OncallError as exc:
        lines = exc.lines(lang)
        if option is not None:
            lines = [f"{option}: {line}" for line in lines]
        _fail("\n".join(f"{where}: {line}" if where is not None else line for line in lines))
    except OSError as exc:  # writing an output: no permission, a full disk, a read-only file system
        name = exc.filename2 or exc.filename
        problem = Message("output.unwritable", origin=str(name or ""), reason=exc.strerror or str(exc)).text(lang)
        _fail(f"{option}: {problem}" if option else problem)


def _folder(*paths: tuple[str, Path | None]) -> None:
    """Fail before any work when a path that must be a folder names an existing file."""
    for option, path in paths:
        if path is not None and path.exists() and not path.is_dir():
            _fail(f"{option}: {path} is a file, not a folder to write into")


def _writable(*paths: tuple[str, Path | None], lang: Lang = "ja") -> None:
    """Fail before a long solve when an output path names anything but a regular file (a directory, a FIFO,
    a device; a symlink counts as its target), given as (``option``, path) pairs."""
    for option, path in paths:
        if path is not None:
            _guard(lambda: output_target(path), lang=lang, option=option)  # noqa: B023  # called at once


# What solve, check and repair print (cli.* and status.* in the catalogue), by language.
T: dict[str, dict[str, Any]] = {lang: {**table("cli", lang), "statuses": table("status", lang)} for lang in LANGS}


# Messages of the commands other than solve/check/repair: key -> (Japanese, English); say.* in the catalogue.
MESSAGES = pairs("say")


def _say(key: str, lang: Lang | str, **values: object) -> str:
    """The message ``key`` in ``lang``, filled with ``values``.

    >>> _say("key_revoked", "en", prefix="ock_1a2b3c4d")
    'ock_1a2b3c4d: revoked'
    """
    ja, en = MESSAGES[key]
    return (en if lang == "en" else ja).format(**values)


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (.yaml, .yml or .json).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Roster JSON to write.")] = Path("roster.json"),
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Also write the 当番表 as XLSX.")] = None,
    time_limit: TimeLimit = 60.0,
    workers: Workers = None,
    seed: Seed = 0,
    deterministic_time: DeterministicTimeOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
    previous: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            "--previous",
            metavar="SCENARIO ROSTER",
            help="The previous period's scenario and published roster: rest, consecutive days and fairness "
            "points carry over (see `oncall carry`).",
        ),
    ] = None,
    carried: Annotated[
        Path | None,
        typer.Option("--carried", help="With --previous: also write the scenario with the carried history."),
    ] = None,
    lang: LangOption = "ja",
) -> None:
    """Build the roster of a scenario (and its cover plan when it has 主治医 panels) and write it as JSON (and XLSX)."""
    from oncall.services.solving import solve_checked
    from solver import SolveOptions

    _writable(("-o", output), ("--xlsx", xlsx), ("--carried", carried), lang=lang)
    sc = _guard(lambda: load_scenario(scenario), lang=lang)
    if previous is not None:
        sc = _carry(previous[0], previous[1], sc, lang)
        if carried is not None:
            _guard(lambda: save_scenario(sc, carried), lang=lang, option="--carried")
    elif carried is not None:
        _fail("--carried: needs --previous SCENARIO ROSTER")
    last = [0.0]

    def progress(p: Progress) -> None:
        if quiet or p.seconds - last[0] < 1.0:
            return
        last[0] = p.seconds
        typer.echo(progress_line(p, lang), err=True)

    options = SolveOptions(
        time_limit=time_limit, seed=seed, deterministic_time=deterministic_time, lang=lang, on_progress=progress
    )
    if workers is not None:
        options.workers = workers
    started = time.perf_counter()
    solved = _guard(lambda: solve_checked(sc, options), where=scenario, lang=lang)
    result, report, roster = solved.result, solved.report, solved.roster
    _guard(lambda: save_roster(roster, output), lang=lang, option="-o")
    written = [str(output)]
    if xlsx is not None:
        from oncall.xlsx import write_xlsx

        book = xlsx
        _guard(
            lambda: write_output(book, lambda tmp: write_xlsx(sc, roster, tmp, lang=lang)),
            lang=lang,
            option="--xlsx",
        )
        written.append(str(xlsx))
    # Gaps are listed below with their diagnosis; any other violation means the solver broke a hard
    # rule, a bug that must never pass silently.
    broken = [v for v in report.violations if v.rule != "coverage"]
    if result.problems:  # admissions the data make impossible to keep in limits: explained below, not a bug
        broken = [v for v in broken if v.rule != "hospital_admissions"]
    lines = _solve_summary(sc, result, report, time.perf_counter() - started, written, lang) + _cover_lines(
        roster, lang
    )
    for v in broken[:20]:
        lines.append(f"  ! [{v.rule}] {v.message}")
    typer.echo("\n".join(lines))
    if broken:
        raise typer.Exit(3)
    if roster.gaps or roster.status in ("infeasible", "unknown") or (roster.cover and roster.cover.has_gaps()):
        raise typer.Exit(1)


def _cover_lines(roster: Roster, lang: str) -> list[str]:
    """The cover plan's summary, when the roster has one."""
    if roster.cover is None:
        return []
    from oncall.cli_cover import cover_summary

    return [cover_summary(roster.cover, lang)]


def progress_line(p: Progress, lang: str) -> str:
    """A progress line of a long solve (on stderr), in the language of the messages.

    >>> from solver import Progress
    >>> progress_line(Progress(objective=12.5, bound=10.0, seconds=3.25), "ja")
    '  [   3.2秒] 目的関数 12.50  下界 10.00'
    """
    return str(T[lang]["progress"]).format(**asdict(p))


def _solve_summary(
    sc: Scenario, result: SolveResult, report: CheckReport, seconds: float, written: list[str], lang: str
) -> list[str]:
    """What ``oncall solve`` prints: status by phase, how far the soft goals were optimised, coverage,
    fairness, the checker's verdict (the very line ``oncall check`` prints) and the gaps with reasons."""
    t: dict[str, Any] = T[lang]
    roster = result.roster
    from oncall.timeline import Timeline

    tl = Timeline.build(sc)
    needed = sum(len(tl.by_id[d.id].roles) + 1 for d in roster.duties if d.id in tl.by_id)
    phases = ", ".join(f"{t['phases'][k]} {v}" for k, v in result.phases.items())
    soft = str(t[f"soft_{result.soft_goals}"]).format(source=t.get(result.roster_from, ""))
    lines = [
        f"{t['status']}: {t['statuses'][roster.status]}" + (f" (CP-SAT: {phases})" if phases else ""),
        f"{t['objective']}: {_num(result.objective)}  {t['bound']}: {_num(result.bound)}  "
        f"{t['gap']}: {_pct(result.gap)}",
        f"{t['soft']}: {soft}",
        f"{t['time']}: " + t["seconds"].format(total=seconds, build=result.build_seconds),
        f"{t['coverage']}: {needed - len(roster.gaps)}/{needed}  {t['gaps']}: {len(roster.gaps)}",
        f"{t['spread']}: {report.fairness_spread:.2f}",
        f"{t['checker']}: {report.verdict(lang)}",
        f"{t['written']}: {', '.join(written)}",
    ]
    lines += [f"  * {problem}" for problem in result.problems]
    lines += _gap_lines(roster, report, lang)
    return lines


def _gap_lines(roster: Roster, report: CheckReport, lang: str, shown: int = 20) -> list[str]:
    """The first gaps, each with its first reason in ``lang``; a gap without one (no roster was found) is named as the
    checker names it (date, block, district, role), never by its internal id."""
    from collections import defaultdict

    named: dict[str | None, list[str]] = defaultdict(list)
    for v in report.violations:
        if v.rule == "coverage":
            named[v.duty].append(v.message)
    taken: dict[str, int] = defaultdict(int)
    lines = []
    for gap in roster.gaps[:shown]:
        k, taken[gap.duty] = taken[gap.duty], taken[gap.duty] + 1
        plain = named[gap.duty][k] if k < len(named[gap.duty]) else f"{gap.duty} {gap.role}"
        reasons = gap.texts(lang)
        lines.append("  - " + (reasons[0] if reasons else plain))
    if len(roster.gaps) > shown:
        lines.append(f"  … (+{len(roster.gaps) - shown})")
    return lines


def _carry(prev_scenario: Path, prev_roster: Path, sc: Scenario, language: Lang, window: int | None = None) -> Scenario:
    """``sc`` with the history the previous period's roster leaves; notes on stderr."""
    from oncall.boundary import BoundaryOptions, carry_over
    from oncall.cover.continuity import carry_pairs
    from oncall.model import CATEGORIES

    before = _guard(lambda: load_scenario(prev_scenario), lang=language)
    published: Roster = _guard(lambda: load_roster(prev_roster), lang=language)
    options = BoundaryOptions() if window is None else BoundaryOptions(window_months=dict.fromkeys(CATEGORIES, window))
    carry = _guard(lambda: carry_over(before, published, sc, options), lang=language)
    lang = language
    typer.echo(text("cli.carried", lang, roster=prev_roster, name=sc.name, n=len(carry.pins)), err=True)
    for note in carry.notes:
        typer.echo(f"  * {note.text(lang)}", err=True)
    return carry_pairs(published, carry.scenario)


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.2f}%"


@app.command()
def check(
    scenario: Annotated[Path, typer.Argument(help="Scenario file.")],
    roster: Annotated[Path, typer.Argument(help="Roster JSON file.")],
    lang: LangOption = "ja",
    as_json: Annotated[bool, typer.Option("--json", help="Print violations and figures as JSON.")] = False,
    previous: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            "--previous",
            metavar="SCENARIO ROSTER",
            help="The previous period's scenario and published roster: consecutive days and rest are checked on "
            "the two rosters joined.",
        ),
    ] = None,
) -> None:
    """Check a roster against every hard rule; report the soft-goal figures. Exit 1 on a violation."""
    from oncall.checker import check as run_check

    sc = _guard(lambda: load_scenario(scenario), lang=lang)
    ro: Roster = _guard(lambda: load_roster(roster), lang=lang)
    before = None
    if previous is not None:
        before = (
            _guard(lambda: load_scenario(previous[0]), lang=lang),
            _guard(lambda: load_roster(previous[1]), lang=lang),
        )
    report = _guard(lambda: run_check(sc, ro, lang=lang, previous=before), lang=lang)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(report.summary(lang))
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file instead.")] = None,
    roster: Annotated[bool, typer.Option("--roster", help="The roster JSON schema instead.")] = False,
) -> None:
    """Print the JSON Schema of scenarios (or of rosters)."""
    doc = (Roster if roster else Scenario).model_json_schema()
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        path = output
        _guard(lambda: write_output(path, text), option="-o")


@app.command()
def generate(
    doctors: Annotated[
        int,
        typer.Option("--doctors", min=MIN_DOCTORS_PER_DISTRICT, max=LIMITS["physicians"], help="Number of physicians."),
    ] = 40,
    districts: Annotated[
        int | None,
        typer.Option(
            "--districts",
            min=1,
            max=LIMITS["districts"],
            help="Number of districts (default: one per ten doctors).",
        ),
    ] = None,
    month: Annotated[str, typer.Option("--month", help="Month, YYYY-MM.")] = "2027-01",
    seed: Annotated[int, typer.Option("--seed", min=0, max=MAX_SEED, help="Random seed.")] = 0,
    hospitals: Annotated[
        int | None, typer.Option("--hospitals", min=1, max=LIMITS["hospitals"], help="Number of hospitals.")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Scenario file (.yaml or .json).")] = None,
    patients: Annotated[
        bool, typer.Option("--patients/--no-patients", help="Enrolled patients of every clinic (default: with).")
    ] = True,
    shared: Annotated[
        bool,
        typer.Option(
            "--shared-roles",
            help="Share secondaries across districts (a network-wide night backup) and add the office's caps.",
        ),
    ] = False,
    lang: LangOption = "ja",
) -> None:
    """Write a realistic random scenario (seeded: the same seed gives the same scenario)."""
    from oncall.generate import default_districts
    from oncall.generate import generate as make

    if districts is None:
        districts = default_districts(doctors)
    try:
        sc = make(
            doctors=doctors,
            districts=districts,
            month=month,
            seed=seed,
            hospitals=hospitals,
            patients=patients,
            shared=shared,
        )
    except ValueError as exc:
        # The generator names the argument first ("doctors: ..."): name it as the option the user typed.
        _fail(
            f"--{exc}" if str(exc).split(":")[0] in ("doctors", "districts", "month", "hospitals", "seed") else str(exc)
        )
    if output is None:
        import yaml

        sys.stdout.write(yaml.safe_dump(sc.model_dump(mode="json", exclude_defaults=True), allow_unicode=True))
    else:
        path = output
        _guard(lambda: save_scenario(sc, path), lang=lang, option="-o")
        n = len(sc.physicians)
        typer.echo(_say("generated", lang, path=output, doctors=n, districts=len(sc.districts)), err=True)


# --- re-planning: `oncall carry` and `oncall repair` ---------------------------------------------------


@app.command()
def carry(
    previous_scenario: Annotated[Path, typer.Argument(help="The previous period's scenario.")],
    previous_roster: Annotated[Path, typer.Argument(help="The previous period's published roster.")],
    scenario: Annotated[Path, typer.Argument(help="The new period's scenario.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Scenario to write, with the carried history.")] = Path(
        "carried.yaml"
    ),
    window: Annotated[
        int | None, typer.Option("--window-months", min=1, max=120, help="Fairness window in months (default 12).")
    ] = None,
    lang: LangOption = "ja",
) -> None:
    """Carry a published roster into the next period: rest, consecutive days, fairness points, the night across."""
    _writable(("-o", output), lang=lang)
    sc = _guard(lambda: load_scenario(scenario), lang=lang)
    out = _carry(previous_scenario, previous_roster, sc, lang, window)
    _guard(lambda: save_scenario(out, output), lang=lang, option="-o")
    typer.echo(_say("written", lang, paths=output))


# Changes of `oncall repair`, given after SCENARIO ROSTER: option -> number of values.
_CHANGE_OPTIONS = {"--absence": 3, "--leave": 2, "--closed": 2, "--cap": 3}


def _parse_changes(args: list[str], reason: str | None, lang: Lang = "ja") -> list[Any]:
    """``--absence ID FROM TO``, ``--leave ID FROM``, ``--closed HOSPITAL DATE``, ``--cap ID NAME VALUE``."""
    from pydantic import TypeAdapter, ValidationError

    from oncall.io import format_validation_error
    from oncall.replan import Change

    adapter: TypeAdapter[Any] = TypeAdapter(Change)
    changes: list[Any] = []
    i = 0
    while i < len(args):
        option = args[i]
        n = _CHANGE_OPTIONS.get(option)
        if n is None:
            _fail(f"{option}: unknown option or misplaced value (changes come after SCENARIO ROSTER)")
        values = args[i + 1 : i + 1 + n]
        if len(values) < n or any(v.startswith("--") for v in values):
            _fail(f"{option}: needs {n} values ({' '.join(values) or 'none given'})")
        i += 1 + n
        data: dict[str, Any]
        if option == "--absence":
            data = {"kind": "absence", "physician": values[0], "start": values[1], "end": values[2]}
        elif option == "--leave":
            data = {"kind": "leave", "physician": values[0], "start": values[1]}
        elif option == "--closed":
            data = {"kind": "hospital_closed", "hospital": values[0], "date": values[1]}
        else:
            value = None if values[2].lower() in ("none", "null", "-") else values[2]
            data = {"kind": "cap", "physician": values[0], "cap": values[1], "value": value}
        try:
            changes.append(adapter.validate_python({**data, "reason": reason}))
        except ValidationError as exc:
            problems = format_validation_error(exc, lang)
            _fail("\n".join(f"{option} {' '.join(values)}: {p.split('.', 1)[-1]}" for p in problems))
    if not changes:
        _fail(
            "name at least one change: --absence ID FROM TO, --leave ID FROM, --closed HOSPITAL DATE, "
            "--cap ID NAME VALUE"
        )
    return changes


def _instant(text: str | None, sc: Scenario) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        _fail(f"--now: {text!r} is not an ISO date and time (e.g. 2027-01-14T09:00)")
    return value if value.tzinfo is not None else value.replace(tzinfo=sc.zone)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def repair(
    ctx: typer.Context,
    scenario: Annotated[Path, typer.Argument(help="Scenario file the roster was solved for.")],
    roster: Annotated[Path, typer.Argument(help="The published roster JSON.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Repaired (draft) roster to write.")] = Path(
        "repaired.json"
    ),
    scenario_out: Annotated[
        Path | None,
        typer.Option("--scenario-out", help="Also write the changed scenario (to check the draft against)."),
    ] = None,
    now: Annotated[
        str | None,
        typer.Option("--now", help="Duties started before this instant stay as published (default: the clock)."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (病欠, 学会, …), for the summary.")] = None,
    time_limit: TimeLimit = 20.0,
    workers: Workers = None,
    seed: Seed = 0,
    deterministic_time: DeterministicTimeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    lang: LangOption = "ja",
) -> None:
    """Repair a published roster after changes, with as few changed duties as possible.

    Changes follow SCENARIO ROSTER, any number of each: --absence ID FROM TO (dates, inclusive, or
    datetimes), --leave ID FROM (the doctor leaves from that date), --closed HOSPITAL DATE, --cap ID NAME VALUE
    (NAME: any field of a physician's caps, e.g. duties, nights, oncall_hours; VALUE none removes it).
    Exit 0 when every duty is covered, 1 when gaps remain, 2 on bad input, 3 if the checker finds a broken rule.
    """
    from oncall.replan import apply_changes, change_text, summary_text
    from oncall.services.solving import repair_checked
    from solver import SolveOptions

    _writable(("-o", output), ("--scenario-out", scenario_out), lang=lang)
    sc = _guard(lambda: load_scenario(scenario), lang=lang)
    published: Roster = _guard(lambda: load_roster(roster), lang=lang)
    changes = _parse_changes(list(ctx.args), reason, lang)
    freeze = _instant(now, sc)
    options = SolveOptions(time_limit=time_limit, seed=seed, deterministic_time=deterministic_time, lang=lang)
    if workers is not None:
        options.workers = workers
    started = time.perf_counter()
    applied = _guard(lambda: apply_changes(sc, changes, published, freeze, lang), where=scenario, lang=lang)
    result = _guard(lambda: repair_checked(applied, published, freeze, options, lang), where=scenario, lang=lang)
    seconds = time.perf_counter() - started
    report = result.report
    assert result.summary is not None
    summary = result.summary
    _guard(lambda: save_roster(result.roster, output), lang=lang, option="-o")
    written = [str(output)]
    if scenario_out is not None:
        _guard(lambda: save_scenario(result.scenario, scenario_out), lang=lang, option="--scenario-out")
        written.append(str(scenario_out))
    broken = [v for v in report.violations if v.rule != "coverage"]
    if as_json:
        typer.echo(summary.model_dump_json(indent=2))
    else:
        t = T[lang]
        shown = [change_text(c, lang) for c in changes]
        lines = [summary_text(summary, result.scenario, shown, lang)]
        lines.append(
            f"{t['status']}: {t['statuses'][result.result.status]}  {t['time']}: {seconds:.1f}s  "
            f"{t['checker']}: {report.verdict(lang)}"
        )
        lines.append(f"{t['written']}: {', '.join(written)}")
        lines += _gap_lines(result.roster, report, lang)
        for v in broken[:20]:
            lines.append(f"  ! [{v.rule}] {v.message}")
        typer.echo("\n".join(lines))
    if broken:
        raise typer.Exit(3)
    cover_gaps = result.roster.cover is not None and result.roster.cover.has_gaps()
    if result.roster.gaps or result.result.status in ("infeasible", "unknown") or cover_gaps:
        raise typer.Exit(1)


# --- the HTTP API: `oncall serve` and its API keys --------------------------------------------------

keys_app = typer.Typer(
    help="API keys of the HTTP API: staff keys read and write, hospital keys only read.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


class KeyRoleChoice(StrEnum):
    staff = "staff"
    hospital = "hospital"


def _api_database_url() -> str:
    """The database ``oncall serve`` uses (``ONCALL_DATA_DIR``, ``ONCALL_DATABASE_URL``)."""
    from api.settings import get_settings

    return _guard(get_settings).resolved_database_url()


@keys_app.command("create")
def keys_create(
    role: Annotated[KeyRoleChoice, typer.Option("--role", help="staff (read and write) or hospital (read only).")],
    name: Annotated[str, typer.Option("--name", help="Who or what the key is for.")] = "",
    network: NetworkOption = None,
    lang: LangOption = "ja",
) -> None:
    """Issue an API key of one network and print its token; only its hash is stored, so it is shown once."""
    from oncall.storage import Store

    store = Store(network_database(network)[0])
    record, token = _guard(lambda: store.create_key(role.value, name, _cli_actor()))
    typer.echo(token)
    role_text = _say(f"role_{record.role}", lang)
    typer.echo(_say("key_created", lang, prefix=record.prefix, role=role_text, name=name), err=True)


@keys_app.command("list")
def keys_list(network: NetworkOption = None, lang: LangOption = "ja") -> None:
    """List the keys of a network: prefix, role, name, created, revoked."""
    from oncall.storage import Store

    for k in _guard(Store(network_database(network)[0]).list_keys):
        at = f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else None
        state = _say("key_revoked_at", lang, at=at) if at else _say("key_active", lang)
        typer.echo(f"{k.prefix}\t{k.role}\t{k.name}\t{k.created_at:%Y-%m-%d %H:%M}Z\t{state}")


@keys_app.command("revoke")
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix, e.g. ock_1a2b3c4d (or the whole token).")],
    lang: LangOption = "ja",
) -> None:
    """Revoke a key: requests with its token get 401 from now on."""
    from oncall.storage import Store
    from oncall.storage.keys import token_prefix

    # The whole token works too (it is what its holder has); only its prefix is used, and shown.
    prefix = token_prefix(prefix) or prefix
    record = _guard(lambda: Store.open(_api_database_url()).revoke_key(prefix, _cli_actor()))
    typer.echo(_say("key_revoked", lang, prefix=record.prefix))


# --- calendar feeds: `oncall feeds` -------------------------------------------------------------------

feeds_app = typer.Typer(
    help="Calendar feeds (iCalendar subscription URLs) of a physician, a hospital, a district or the network.",
    no_args_is_help=True,
)
app.add_typer(feeds_app, name="feeds")


class FeedKindChoice(StrEnum):
    physician = "physician"
    hospital = "hospital"
    district = "district"
    network = "network"


BaseUrlOption = Annotated[
    str | None,
    typer.Option("--base-url", help="Where calendar apps reach the server (default: ONCALL_PUBLIC_URL)."),
]


def _feed_store(network: str | None = None, *, every_network: bool = False) -> FeedStore:
    """The feeds of ``network`` (the only one by default); of every network for the commands that name a
    feed by its prefix, which is unique in the database."""
    from oncall.storage import Store
    from oncall.storage.feeds import FeedStore

    if every_network:
        return FeedStore(_guard(lambda: Store.open(_api_database_url())).db)
    return FeedStore(network_database(network)[0])


def _cli_actor() -> Actor:
    """The audit log's name for changes made from the command line."""
    from oncall.storage.audit import Actor

    return Actor.cli()


def _feed_base_url(base_url: str | None) -> str:
    """Where calendar apps reach the server: --base-url, else ONCALL_PUBLIC_URL. Asked before anything is
    stored: a URL is printed once, so a feed issued (or rotated) without a base it can be printed on is lost."""
    from api.settings import PUBLIC_URL_PATTERN, get_settings

    if base_url is not None and re.fullmatch(PUBLIC_URL_PATTERN, base_url) is None:
        _fail(f"--base-url: expected an http(s) address such as https://oncall.example.org, got {base_url!r}")
    base = base_url or _guard(get_settings).public_url
    if base is None:
        _fail(
            "--base-url: no address for the feed URL: set ONCALL_PUBLIC_URL to where calendar apps reach the "
            "server (e.g. https://oncall.example.org) or pass --base-url; nothing was issued"
        )
    return base


def _print_urls(token: str, base: str) -> None:
    from oncall.feeds import feed_urls

    for url in feed_urls(base, token):
        typer.echo(url)


@feeds_app.command("issue")
def feeds_issue(
    kind: Annotated[FeedKindChoice, typer.Argument(help="physician, hospital, district or network.")],
    target: Annotated[str | None, typer.Argument(help="Id of the physician, hospital or district.")] = None,
    scenario: Annotated[
        int | None, typer.Option("--scenario", min=1, max=2**31 - 1, help="Only this scenario's rosters.")
    ] = None,
    alarm: Annotated[
        int | None, typer.Option("--alarm", min=0, max=10080, help="Reminder minutes before each duty.")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Who or what the feed is for.")] = "",
    base_url: BaseUrlOption = None,
    network: NetworkOption = None,
    lang: LangOption = "ja",
) -> None:
    """Issue a feed of one network and print its https and webcal URLs; only the token's hash is stored."""
    from oncall.errors import NotFound

    base = _feed_base_url(base_url)
    store = _feed_store(network)

    def find_problem() -> tuple[str, str] | None:
        try:
            return store.problem(kind.value, target, scenario, alarm)
        except NotFound as exc:
            if exc.field == "scenario_id":
                return "--scenario", str(exc)
            raise

    problem = _guard(find_problem)
    if problem is not None:
        _fail(f"{problem[0]}: {problem[1]}")
    record, token = _guard(
        lambda: store.issue(
            kind.value,
            target,
            scenario_id=scenario,
            lang=lang,
            alarm_minutes=alarm,
            name=name,
            actor=_cli_actor(),
        ),
        lang=lang,
    )
    _print_urls(token, base)
    what = f"{kind.value} feed {target}" if target else f"{kind.value} feed"
    typer.echo(f"{record.prefix}: {what} issued; the URL is not shown again", err=True)


@feeds_app.command("list")
def feeds_list(network: NetworkOption = None) -> None:
    """List the feeds of a network: prefix, kind, target, language, reminder, name, last read, revoked."""
    for f in _feed_store(network).list_feeds():
        used = f"read {f.last_used_at:%Y-%m-%d %H:%M}Z" if f.last_used_at else "never read"
        state = f"revoked {f.revoked_at:%Y-%m-%d %H:%M}Z" if f.revoked_at else "active"
        alarm = f"{f.alarm_minutes}min" if f.alarm_minutes is not None else "-"
        typer.echo("\t".join([f.prefix, f.kind, f.target or "*", f.lang, alarm, f.name, used, state]))


@feeds_app.command("update")
def feeds_update(
    prefix: Annotated[str, typer.Argument(help="The feed's prefix, e.g. ocf_1a2b3c4d.")],
    lang: Annotated[Lang | None, typer.Option("--lang", help="Language of the feed's texts: ja or en.")] = None,
    alarm: Annotated[
        int | None, typer.Option("--alarm", min=0, max=10080, help="Reminder minutes before each duty.")
    ] = None,
    no_alarm: Annotated[bool, typer.Option("--no-alarm", help="Remove the reminder.")] = False,
    name: Annotated[str | None, typer.Option("--name", help="Who or what the feed is for.")] = None,
) -> None:
    """Change a feed's language, reminder or name; its URL stays the same (no new subscription needed)."""
    if alarm is not None and no_alarm:
        _fail("--alarm/--no-alarm: give one or the other")
    changes: dict[str, object] = {}
    if lang is not None:
        changes["lang"] = lang
    if alarm is not None or no_alarm:
        changes["alarm_minutes"] = alarm
    if name is not None:
        changes["name"] = name
    if not changes:
        _fail("nothing to change: give --lang, --alarm, --no-alarm or --name")

    def change() -> tuple[Any, dict[str, Any]]:
        try:
            return _feed_store(every_network=True).update(prefix, changes, _cli_actor())
        except InvalidInput as exc:  # a field of the change, named as the option the user typed
            _fail(f"--{_FEED_OPTIONS.get(exc.field, exc.field)}: {exc.problem}")

    record, changed = _guard(change)
    alarm_text = f"{record.alarm_minutes} min" if record.alarm_minutes is not None else "none"
    what = "changed" if changed else "unchanged"
    typer.echo(f"{record.prefix}: {what}; language {record.lang}, reminder {alarm_text}, name {record.name!r}")


_FEED_OPTIONS = {"alarm_minutes": "alarm"}  # a feed's field -> the option of `oncall feeds update` that sets it


@feeds_app.command("revoke")
def feeds_revoke(prefix: Annotated[str, typer.Argument(help="The feed's prefix, e.g. ocf_1a2b3c4d.")]) -> None:
    """Revoke a feed: its URL answers 404 from now on."""
    record = _guard(lambda: _feed_store(every_network=True).revoke(prefix, _cli_actor()))
    typer.echo(f"{record.prefix}: revoked")


@feeds_app.command("rotate")
def feeds_rotate(
    prefix: Annotated[str, typer.Argument(help="The feed's prefix, e.g. ocf_1a2b3c4d.")],
    base_url: BaseUrlOption = None,
) -> None:
    """Give a feed a new secret URL (printed once); the old URL answers 404 from now on."""
    base = _feed_base_url(base_url)
    record, token = _guard(lambda: _feed_store(every_network=True).rotate(prefix, _cli_actor()))
    _print_urls(token, base)
    typer.echo(f"{record.prefix}: rotated; subscribe again with the new URL", err=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Start the HTTP API; SQLite in ONCALL_DATA_DIR (./oncall-data) unless ONCALL_DATABASE_URL is set."""
    import socket

    import uvicorn

    from api import create_app
    from api.settings import get_settings
    from oncall.storage import Store

    # Before anything starts: the settings, the address, the database. A second server started by
    # mistake must stop here, before its start-up marks the first one's running solves as failed.
    settings = _guard(get_settings)
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        _fail(f"--host/--port: cannot listen on {host}:{port}: {exc.strerror or exc}")
    _guard(lambda: Store.open(settings.resolved_database_url())).db.dispose()
    # Forwarded headers are trusted from ONCALL_FORWARDED_ALLOW_IPS only (in the app), not uvicorn's default.
    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=False)


@app.command()
def worker(
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            min=1,
            max=64,
            envvar="ONCALL_WORKER_CONCURRENCY",
            help="Jobs this worker runs at the same time.",
        ),
    ] = 1,
    check: Annotated[
        bool, typer.Option("--check", help="Do not work: exit 0 when the database, the broker and a worker answer.")
    ] = False,
) -> None:
    """Run solve and repair jobs from the broker (ONCALL_BROKER_URL) on the database (ONCALL_DATABASE_URL).

    Start any number, on any machine; each solve uses the CP-SAT workers its job asked for
    (ONCALL_SOLVER_WORKERS of the API that queued it)."""
    from api.settings import get_settings
    from oncall.storage import Store

    settings = _guard(get_settings)
    if not settings.broker_url:
        _fail("ONCALL_BROKER_URL is not set: workers take their jobs from a broker (redis://… or amqp://…)")
    from oncall.celery_app import CeleryDispatcher, WorkerSettings, ping_workers, run_worker

    store = _guard(lambda: Store.open(settings.resolved_database_url()))
    if check:
        try:
            dispatcher = CeleryDispatcher(store, settings.broker_url)
            try:
                dispatcher.check_broker()
            finally:
                dispatcher.close()
        except Exception as exc:
            store.db.dispose()
            _fail(f"ONCALL_BROKER_URL: the broker does not answer: {exc}", code=1)
        store.db.dispose()
        names = ping_workers(settings.broker_url)
        if not names:
            _fail("database and broker answer, but no worker answered a ping within 3 s", code=1)
        typer.echo(f"ok: database, broker, {len(names)} worker(s): {', '.join(names)}")
        return
    store.db.dispose()
    worker_settings = WorkerSettings(
        settings.resolved_database_url(),
        settings.solver_workers,
        settings.heartbeat_seconds,
        settings.job_stale_seconds,
    )
    run_worker(settings.broker_url, worker_settings, concurrency)


# --- reports: `oncall report` ------------------------------------------------------------------------


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


@app.command()
def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario file.")],
    roster: Annotated[Path, typer.Argument(help="Roster JSON file.")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="table (text), csv, xlsx or html.")
    ] = ReportFormat.table,
    plots: Annotated[Path | None, typer.Option("--plots", help="Also write the PNG plots into this folder.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (a folder for csv); default: print (xlsx: report.xlsx)."),
    ] = None,
    lang: LangOption = "ja",
) -> None:
    """Report on a roster: physicians, hospitals (expected admissions), districts (coverage, depth), plots."""
    from oncall.reports import build_report, render_html, render_text, write_csv, write_xlsx

    if fmt is ReportFormat.csv:
        _folder(("-o", output))
    else:
        _writable(("-o", output if fmt is not ReportFormat.xlsx else output or Path("report.xlsx")), lang=lang)
    _folder(("--plots", plots))
    sc = _guard(lambda: load_scenario(scenario), lang=lang)
    ro: Roster = _guard(lambda: load_roster(roster), lang=lang)
    if ro.scenario != sc.name:
        typer.echo(
            _say("other_roster", lang, roster=roster, got=ro.scenario, want=sc.name, scenario=scenario), err=True
        )
    rep = build_report(sc, ro, lang=lang)
    written: list[Path] = []
    if fmt is ReportFormat.csv:
        if output is None:
            for key, df in rep.tables().items():
                typer.echo(f"# {key}")
                typer.echo(df.to_csv(index=False), nl=False)
        else:
            folder = output
            written += _guard(lambda: write_csv(rep, folder))
    elif fmt is ReportFormat.xlsx:
        target = output or Path("report.xlsx")
        _guard(lambda: write_output(target, lambda tmp: write_xlsx(rep, tmp, lang=lang)), lang=lang, option="-o")
        written.append(target)
    else:
        text = render_html(rep, lang) if fmt is ReportFormat.html else render_text(rep, lang)
        if output is None:
            typer.echo(text, nl=False)
        else:
            path = output
            _guard(lambda: write_output(path, text), lang=lang, option="-o")
            written.append(output)
    if plots is not None:
        from oncall.plots import write_plots

        folder_of_plots = plots
        written += _guard(lambda: write_plots(rep, folder_of_plots, lang=lang))
    if written:
        typer.echo(_say("written", lang, paths=", ".join(str(p) for p in written)), err=True)


import oncall.cli_cover  # noqa: E402  (registers `oncall cover` and `oncall letters` on app)
import oncall.cli_import  # noqa: E402, F401  (registers `oncall import` on app)

register_web_commands(app)  # `oncall users`, `oncall links` (the web pages' accounts and links)
register_network_commands(app)  # `oncall networks` (the tenants of a deployment)


def main() -> None:
    """Entry point."""
    app()


if __name__ == "__main__":
    main()
