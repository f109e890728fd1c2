"""The office's repair pages: after an absence, repair the published roster (doctor, from–to, reason), watch
the job, read every changed duty with its reason, and open the draft to publish it.

They call the same service as the API (``oncall.services.repairs``): the same validation, the same 409
when the roster to repair is no longer the published one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api.deps import solve_seconds
from api.pages.common import PageError, StaffSession, checked_form, page_lang, render
from api.pages.office import scenario_context, staff_actor, store_of
from api.pages.texts import text
from oncall.errors import Conflict, InvalidChange, NotFound
from oncall.i18n import Problem
from oncall.io import messages_of
from oncall.replan import AbsenceChange, ReplanSummary
from oncall.services.repairs import freeze_instant, get_repair, list_repairs, start_repair
from oncall.storage.repairs import RepairRecord
from oncall.storage.web import WebSession

router = APIRouter(prefix="/office", include_in_schema=False)


def _repairs_context(request: Request, scenario_id: int) -> dict[str, Any]:
    context = scenario_context(request, scenario_id)
    published = store_of(request).get_scenario(scenario_id).published_revision_id
    return context | {"repairs": list_repairs(store_of(request), scenario_id), "published": published}


def _repairs_page(request: Request, session: WebSession, scenario_id: int, status: int = 200, **extra: Any) -> Response:
    context = _repairs_context(request, scenario_id) | extra
    return render(request, "office/repairs.html", context, session, status=status)


@router.get("/scenarios/{scenario_id}/repairs")
def repairs_page(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """The scenario's repairs, and the form that starts one after an absence."""
    return _repairs_page(request, session, scenario_id)


def _absence(form: Any) -> AbsenceChange:
    fields = {k: str(form.get(k) or "") for k in ("physician", "start", "end", "reason")}
    try:
        return AbsenceChange.model_validate({"kind": "absence"} | {k: v for k, v in fields.items() if v})
    except ValidationError as exc:
        raise InvalidChange([m.source("changes.0") for m in messages_of(exc.errors())]) from None


def _freeze(form: Any, zone: dt.tzinfo) -> dt.datetime:
    raw = str(form.get("freeze") or "")
    try:
        return freeze_instant(dt.datetime.fromisoformat(raw) if raw else None, zone)
    except (OverflowError, ValueError):
        raise InvalidChange(Problem("page.not_datetime", "freeze", value=repr(raw))) from None


@router.post("/scenarios/{scenario_id}/repairs")
async def start(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """Start a repair of the published roster after an absence; the API's messages on a problem."""
    form = await checked_form(request, session)
    context = _repairs_context(request, scenario_id)
    settings = request.app.state.settings
    try:
        if context["published"] is None:
            raise Conflict(text("repair_unpublished", page_lang(request)), "base")
        change, freeze = _absence(form), _freeze(form, context["scenario"].zone)
        limit = float(str(form.get("time_limit") or 0) or 0) or None
        seconds = solve_seconds(settings, min(limit, settings.max_solve_seconds) if limit else None)
        repair = await run_in_threadpool(
            start_repair, store_of(request), request.app.state.runner, scenario_id,
            context["published"], [change], freeze, seconds, 0, change.reason, staff_actor(session),
            page_lang(request),
        )  # fmt: skip
    except (InvalidChange, Conflict, ValueError) as exc:
        status = 409 if isinstance(exc, Conflict) else 422
        return _repairs_page(request, session, scenario_id, status, problems=str(exc).split("; "))
    return RedirectResponse(f"/office/repairs/{repair.id}", status_code=303)


def _repair_context(request: Request, repair_id: int) -> dict[str, Any]:
    try:
        repair: RepairRecord = get_repair(store_of(request), repair_id)
    except NotFound:
        raise PageError(404, "not_found") from None
    store = store_of(request)
    _, scenario = store.get_document(repair.scenario_id, repair.scenario_version)
    summary = None if repair.summary is None else ReplanSummary.model_validate(repair.summary)
    names = {p.id: p.name_en if page_lang(request) == "en" and p.name_en else p.name for p in scenario.physicians}
    names |= {h.id: h.name_en if page_lang(request) == "en" and h.name_en else h.name for h in scenario.hospitals}
    districts = {d.id: d.name for d in scenario.districts}
    job = store.get_job(repair.job_id)
    return {"repair": repair, "summary": summary, "names": names, "districts": districts, "job": job,
            "zone": scenario.zone}  # fmt: skip


@router.get("/repairs/{repair_id}")
def repair_page(request: Request, session: StaffSession, repair_id: int) -> Response:
    """A repair: its progress (polled by htmx), then every changed duty with its reason and the draft."""
    return render(request, "office/repair.html", _repair_context(request, repair_id), session)


@router.get("/repairs/{repair_id}/progress")
def repair_progress(request: Request, session: StaffSession, repair_id: int) -> Response:
    """The fragment the repair page polls."""
    return render(request, "partials/repair.html", _repair_context(request, repair_id), session)
