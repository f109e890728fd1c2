"""``oncall import``: read the office's physician list or monthly request sheet into a scenario.

    oncall import physicians SCENARIO FILE [-o OUT] [--apply] [--lang en]
    oncall import requests SCENARIO FILE [-o OUT] [--apply] [--lang en]
    oncall import template physicians|requests SCENARIO [-o FILE] [--lang en]

The preview is printed first: the rows read, each change, each problem with its row and column. The new
scenario is written only with ``--apply`` and only when the file has no problem (to OUT, by default over
SCENARIO); exit 2 when the file has problems.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from oncall import importing
from oncall.cli import LangOption, _fail, _guard, app
from oncall.i18n import Lang
from oncall.io import load_scenario, save_scenario
from oncall.model import Scenario

__all__ = ["import_app"]

import_app = typer.Typer(
    help="Import the office's spreadsheets (XLSX or CSV): the physician list and the monthly request sheet.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")


class Sheet(StrEnum):
    physicians = "physicians"
    requests = "requests"


ScenarioArg = Annotated[Path, typer.Argument(help="Scenario file (.yaml, .yml or .json).")]
FileArg = Annotated[Path, typer.Argument(help="The spreadsheet: .xlsx, or .csv in UTF-8 or Shift_JIS.")]
OutOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Scenario to write with --apply (default: SCENARIO itself).")
]
ApplyOption = Annotated[bool, typer.Option("--apply", help="Write the new scenario (only when there is no problem).")]


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(importing.MAX_BYTES + 1)  # one byte over is enough to say it is too large
    except OSError as exc:
        _fail(f"{path}: cannot read: {exc.strerror}")


def _run(kind: importing.ImportKind, scenario: Path, file: Path, output: Path | None, apply: bool, lang: Lang) -> None:
    sc = _guard(lambda: load_scenario(scenario))
    preview = importing.preview(kind, _read(file), sc)
    lines = preview.lines(lang)
    typer.echo(lines[0])
    for line in lines[1 : 1 + len(preview.physician_changes) + len(preview.request_changes)]:
        typer.echo(f"  {line}")
    if not preview.ok:
        _fail("\n".join(f"{file}: {p.text(lang)}" for p in preview.errors))
    if not apply:
        typer.echo("(not written: add --apply)" if lang == "en" else "（書き込んでいません: --apply で書き込みます）")
        return
    new: Scenario = _guard(lambda: importing.apply(preview, sc))
    target = output or scenario
    _guard(lambda: save_scenario(new, target))
    typer.echo(("Written: " if lang == "en" else "出力: ") + str(target))


def _import_command(kind: importing.ImportKind, doc: str) -> None:
    """``oncall import KIND``: the same command for each kind of sheet."""

    def command(
        scenario: ScenarioArg,
        file: FileArg,
        output: OutOption = None,
        apply: ApplyOption = False,
        lang: LangOption = "ja",
    ) -> None:
        _run(kind, scenario, file, output, apply, lang)

    import_app.command(name=kind, help=doc)(command)


_import_command("physicians", "Import a physician list: new doctors are added, listed ones changed, others kept.")
_import_command("requests", "Import a monthly request sheet: absences (×, 前, 後), unwished (△) and wished (○) dates.")


@import_app.command()
def template(
    sheet: Annotated[Sheet, typer.Argument(help="physicians or requests.")],
    scenario: ScenarioArg,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="XLSX to write.")] = None,
    lang: LangOption = "ja",
) -> None:
    """Write the XLSX template to fill in: the scenario's doctors, and for requests its dates."""
    sc = _guard(lambda: load_scenario(scenario))
    make = importing.physicians_template if sheet is Sheet.physicians else importing.requests_template
    target = output or Path(f"{sheet.value}_template.xlsx")
    _guard(lambda: _write(target, make(sc, lang)))
    typer.echo(("Written: " if lang == "en" else "出力: ") + str(target))


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` atomically: a failed write leaves no half file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
