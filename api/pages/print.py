"""The print view of a roster revision: ``GET /print/{revision_id}``, A4 pages of the 当番表 as HTML.

The page is standalone (``api/templates/print/roster.html`` has its own CSS and loads nothing); print it
from the browser or save it as PDF. Japanese by default; English with ``?lang=en`` or an
``Accept-Language`` that prefers English.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from api.deps import AnyKey, RevisionId, StoreDep
from api.errors import ERROR_RESPONSES
from oncall.model import Scenario
from oncall.printing import CELL_PT, build_print_view
from oncall.roster import Roster
from oncall.xlsx import ROLE_COLUMNS

__all__ = ["render_print_html", "router"]

router = APIRouter(tags=["print"], responses=ERROR_RESPONSES)

_templates = Environment(
    loader=PackageLoader("api", "templates"), autoescape=select_autoescape(), trim_blocks=True, lstrip_blocks=True
)


class Lang(StrEnum):
    ja = "ja"
    en = "en"


def render_print_html(scenario: Scenario, roster: Roster, lang: str = "ja") -> str:
    """The print view of ``roster`` as a standalone HTML document."""
    view = build_print_view(scenario, roster, "en" if lang == "en" else "ja")
    return _templates.get_template("print/roster.html").render(view=view, roles=ROLE_COLUMNS, cell_pt=CELL_PT)


def _language(lang: Lang | None, accept_language: str | None) -> str:
    """``?lang=`` first, then whether the browser's first choice is English; Japanese by default.

    >>> _language(None, "en-GB,en;q=0.9,ja;q=0.8"), _language(None, "ja,en;q=0.5"), _language(Lang.en, "ja")
    ('en', 'ja', 'en')
    """
    if lang is not None:
        return lang.value
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "ja"


@router.get("/print/{revision_id}", response_class=HTMLResponse)
def print_roster(
    revision_id: RevisionId,
    key: AnyKey,
    store: StoreDep,
    lang: Annotated[Lang | None, Query(description="ja or en; default from Accept-Language, else ja.")] = None,
    accept_language: Annotated[str | None, Header(description="`en…` first asks for English.")] = None,
) -> HTMLResponse:
    """The roster revision as A4 pages to print: one district a page (two when they fit), names, phones."""
    record, text = store.get_roster(revision_id)
    _, scenario = store.get_document(record.scenario_id, record.scenario_version)
    html = render_print_html(scenario, Roster.model_validate_json(text), _language(lang, accept_language))
    return HTMLResponse(html)
