"""Import the office's spreadsheets: the physician list and the monthly request sheet (XLSX or CSV).

    preview(kind, data, scenario) -> Preview      pure: nothing is stored
    apply(preview, scenario) -> Scenario          the new scenario, validated; the caller stores it
    physicians_template(scenario) -> bytes        XLSX to fill in
    requests_template(scenario) -> bytes          XLSX: the scenario's doctors down, its dates across

The formats, the marks and the limits are described in docs/import.md. Modules:

    table        bytes → grid of cells; size limits, formulas, merged cells, encodings
    columns      headings and finding doctors, shared by both sheets
    marks        × △ ○ 前 後 and their variants
    physicians   the physician list
    requests     the request sheet
    preview      the Preview model
    problems     problems placed by row and column, in Japanese and English
    templates    the XLSX templates
"""

from __future__ import annotations

from oncall.errors import InvalidScenario
from oncall.i18n import Message
from oncall.importing.physicians import apply_physicians, preview_physicians
from oncall.importing.preview import ImportKind, Preview
from oncall.importing.problems import Problem
from oncall.importing.requests import apply_requests, preview_requests
from oncall.importing.table import MAX_BYTES
from oncall.importing.templates import physicians_template, requests_template
from oncall.io import parse_scenario
from oncall.model import Scenario

__all__ = [
    "MAX_BYTES",
    "ImportKind",
    "Preview",
    "Problem",
    "apply",
    "physicians_template",
    "preview",
    "requests_template",
]

SOURCE = "import"


def _new_scenario(p: Preview, scenario: Scenario) -> Scenario:
    doc = scenario.model_dump(mode="json", exclude_defaults=True)
    if p.kind == "physicians":
        doc["physicians"] = apply_physicians(p, scenario)
    else:
        doc["physicians"] = [ph.model_dump(mode="json", exclude_defaults=True) for ph in apply_requests(p, scenario)]
    return parse_scenario(doc, SOURCE)


def preview(kind: ImportKind, data: bytes, scenario: Scenario) -> Preview:
    """What the file would change in ``scenario``, with every problem placed by row and column."""
    result = preview_physicians(data, scenario) if kind == "physicians" else preview_requests(data, scenario)
    if result.ok:
        try:
            _new_scenario(result, scenario)
        except InvalidScenario as exc:  # e.g. a doctor left without a role
            result.errors += [
                Problem.at(None, None, "invalid_result", problem=line.removeprefix(f"{SOURCE}: "))
                for line in exc.problems
            ]
    return result


def apply(p: Preview, scenario: Scenario) -> Scenario:
    """The scenario with the accepted preview written in; InvalidScenario if the preview has problems."""
    if not p.ok:
        # The spreadsheet's own problems keep their place (row, column) in the text, in English as before.
        raise InvalidScenario([Message("", origin=SOURCE, fallback=problem.text("en")) for problem in p.errors])
    return _new_scenario(p, scenario)
