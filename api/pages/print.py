"""The print view of a roster revision: ``GET /print/{revision_id}``, A4 pages of the 当番表 as HTML.

This route is the API's, for a key; the office's pages serve the same view at
``/office/revisions/{id}/print`` for a signed-in clerk (``api/pages/roster.py``), with a link back.
The page is standalone (``api/templates/print/roster.html`` has its own CSS and loads nothing; its
print button is hidden in print); print it from the browser or save it as PDF. Japanese by default;
English with ``?lang=en`` or an ``Accept-Language`` that prefers English.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from api.deps import AnyKey, RevisionId, StoreDep
from api.errors import NON_JSON_ERROR_RESPONSES
from api.lang import Language
from oncall.model import Scenario
from oncall.printing import CELL_PT, build_print_view
from oncall.roster import Roster
from oncall.xlsx import ROLE_COLUMNS

__all__ = ["render_print_html", "router"]

router = APIRouter(tags=["print"], responses=NON_JSON_ERROR_RESPONSES)

_templates = Environment(
    loader=PackageLoader("api", "templates"), autoescape=select_autoescape(), trim_blocks=True, lstrip_blocks=True
)


def render_print_html(scenario: Scenario, roster: Roster, lang: str = "ja", back: str | None = None) -> str:
    """The print view of ``roster`` as a standalone HTML document; ``back``: a link shown on screen only."""
    view = build_print_view(scenario, roster, "en" if lang == "en" else "ja")
    template = _templates.get_template("print/roster.html")
    return template.render(view=view, roles=ROLE_COLUMNS, cell_pt=CELL_PT, back=back)


@router.get("/print/{revision_id}", response_class=HTMLResponse)
def print_roster(
    revision_id: RevisionId,
    key: AnyKey,
    store: StoreDep,
    lang: Language,
) -> HTMLResponse:
    """The roster revision as A4 pages to print: one district a page (two when they fit), names, phones."""
    record, text = store.get_roster(revision_id)
    _, scenario = store.get_document(record.scenario_id, record.scenario_version)
    html = render_print_html(scenario, Roster.model_validate_json(text), lang)
    return HTMLResponse(html)
