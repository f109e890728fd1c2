"""The office's roster pages: solving with progress, the grid and its edits, diff, publish, repairs,
swaps awaiting approval and the audit log. They call the same services and stores as the API."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError

from api.deps import solve_seconds
from api.pages.common import PageError, StaffSession, checked_form, page_lang, render
from api.pages.office import staff_actor, store_of
from api.pages.print import render_print_html
from oncall.diff import diff_rosters
from oncall.errors import Conflict, NotFound, OncallError
from oncall.jobs import JobRunner
from oncall.roster import Roster
from oncall.services import publishing, solving
from oncall.services import swaps as swap_service
from oncall.services.grid import Edit, apply_edits, candidates, edited_grid
from oncall.services.revisions import RosterRefused, store_edited_roster
from oncall.storage.audit import list_audit

router = APIRouter(prefix="/office", include_in_schema=False)
_EDITS: TypeAdapter[list[Edit]] = TypeAdapter(list[Edit])


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.runner
    return runner


@router.post("/scenarios/{scenario_id}/solves")
async def start_solve(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """Queue a solve of the newest version and go to its progress page."""
    form = await checked_form(request, session)
    try:
        limit = float(str(form.get("time_limit") or 0)) or None
    except ValueError:
        limit = None
    settings = request.app.state.settings
    seconds = solve_seconds(settings, min(limit, settings.max_solve_seconds) if limit else None)
    store = store_of(request)
    job = await run_in_threadpool(
        solving.start_solve, store, _runner(request), scenario_id, seconds, 0, staff_actor(session)
    )
    return RedirectResponse(f"/office/solves/{job.id}", status_code=303)


def _job_context(request: Request, job_id: int) -> dict[str, Any]:
    try:
        job = store_of(request).get_job(job_id)
    except NotFound:
        raise PageError(404, "not_found") from None
    return {"job": job, "elapsed": job.elapsed()}


@router.get("/solves/{job_id}")
def solve_page(request: Request, session: StaffSession, job_id: int) -> Response:
    """A solve's progress: state, objective and bound as they move (polled by htmx), cancel."""
    return render(request, "office/solve.html", _job_context(request, job_id), session)


@router.get("/solves/{job_id}/progress")
def solve_progress(request: Request, session: StaffSession, job_id: int) -> Response:
    """The progress fragment the solve page polls."""
    return render(request, "partials/progress.html", _job_context(request, job_id), session)


@router.post("/solves/{job_id}/cancel")
async def cancel_solve(request: Request, session: StaffSession, job_id: int) -> Response:
    """Cancel a queued or running solve."""
    await checked_form(request, session)
    await run_in_threadpool(solving.cancel_solve, store_of(request), _runner(request), job_id, staff_actor(session))
    return RedirectResponse(f"/office/solves/{job_id}", status_code=303)


def _revision(request: Request, revision_id: int) -> tuple[Any, Any, Roster]:
    store = store_of(request)
    try:
        record, text = store.get_roster(revision_id)
    except NotFound:
        raise PageError(404, "not_found") from None
    _, scenario = store.get_document(record.scenario_id, record.scenario_version)
    return record, scenario, Roster.model_validate_json(text)


def _edits(raw: str) -> list[Edit]:
    try:
        return _EDITS.validate_json(raw or "[]")
    except ValidationError:
        raise PageError(422, "not_found") from None


def grid_context(request: Request, revision_id: int, edits: list[Edit], verdict: bool = False) -> dict[str, Any]:
    """The grid of a revision with ``edits`` applied, and (after an edit) the checker's verdict."""
    try:
        view = edited_grid(store_of(request), revision_id, edits, page_lang(request), verdict)
    except NotFound:
        raise PageError(404, "not_found") from None
    except KeyError:
        raise PageError(422, "not_found") from None
    return {
        "record": view.record,
        "scenario": view.scenario,
        "grid": view.grid,
        "edits": json.dumps(edits),
        "edit_count": len(edits),
        "report": view.report,
        "base": view.published,
        "others": view.others,
    }


@router.get("/revisions/{revision_id}")
def roster_page(request: Request, session: StaffSession, revision_id: int) -> Response:
    """The 当番表 grid of a revision."""
    return render(request, "office/roster.html", grid_context(request, revision_id, []), session)


@router.get("/revisions/{revision_id}/print")
def print_page(request: Request, session: StaffSession, revision_id: int) -> Response:
    """The revision's print view (A4, one district a page or two), with a print button and a way back."""
    _, scenario, roster = _revision(request, revision_id)
    html = render_print_html(scenario, roster, page_lang(request), back=f"/office/revisions/{revision_id}")
    return HTMLResponse(html)


@router.get("/revisions/{revision_id}/cell")
def cell_chooser(
    request: Request, session: StaffSession, revision_id: int, duty: str, role: str, edits: str = ""
) -> Response:
    """Who may take a cell: the fragment htmx puts above the grid."""
    record, scenario, roster = _revision(request, revision_id)
    if role not in ("primary", "secondary", "backup_hospital"):
        raise PageError(404, "not_found")
    changes = _edits(edits)
    edited = apply_edits(roster, changes)
    holder = next((getattr(d, role) for d in edited.duties if d.id == duty), None)
    choices = candidates(scenario, edited, duty, role, page_lang(request))  # type: ignore[arg-type]
    context = {"record": record, "duty": duty, "role": role, "choices": choices, "holder": holder, "edits": edits}
    return render(request, "partials/chooser.html", context, session)


@router.post("/revisions/{revision_id}/edit")
async def edit_cell(request: Request, session: StaffSession, revision_id: int) -> Response:
    """Change who holds a cell; the grid comes back with the change marked and the checker's verdict."""
    form = await checked_form(request, session)
    edits = _edits(str(form.get("edits") or ""))
    role = str(form.get("role") or "")
    if role not in ("primary", "secondary", "backup_hospital"):
        raise PageError(422, "not_found")
    holder = str(form.get("holder") or "") or None
    edits = [e for e in edits if (e[0], e[1]) != (str(form.get("duty")), role)]
    edits.append((str(form.get("duty")), role, holder))  # type: ignore[arg-type]
    context = await run_in_threadpool(grid_context, request, revision_id, edits, True)
    htmx = bool(request.headers.get("hx-request"))
    context["oob"] = htmx  # the chooser closes once the grid shows the change
    template = "partials/grid.html" if htmx else "office/roster.html"
    return render(request, template, context, session)


@router.post("/revisions/{revision_id}/save")
async def save_revision(request: Request, session: StaffSession, revision_id: int) -> Response:
    """Store the edited roster as a new draft revision, if the checker passes it."""
    form = await checked_form(request, session)
    edits = _edits(str(form.get("edits") or ""))
    record, _, roster = _revision(request, revision_id)
    edited = apply_edits(roster, edits)
    try:
        stored = await run_in_threadpool(
            store_edited_roster,
            store_of(request),
            record.scenario_id,
            record.scenario_version,
            edited,
            staff_actor(session),
            page_lang(request),
        )
    except RosterRefused:
        context = grid_context(request, revision_id, edits, True)
        return render(request, "office/roster.html", context, session, status=422)
    return RedirectResponse(f"/office/revisions/{stored.id}", status_code=303)


@router.get("/revisions/{revision_id}/diff")
def diff_page(request: Request, session: StaffSession, revision_id: int, against: int) -> Response:
    """What changed from revision ``against`` to this one."""
    record, scenario, after = _revision(request, revision_id)
    other, _, before = _revision(request, against)
    if other.scenario_id != record.scenario_id:
        raise PageError(422, "not_found")
    diff = diff_rosters(before, after)
    names = {p.id: p.name for p in scenario.physicians} | {h.id: h.name for h in scenario.hospitals}
    context = {"record": record, "other": other, "diff": diff, "names": names, "scenario": scenario}
    return render(request, "office/diff.html", context, session)


@router.post("/revisions/{revision_id}/publish")
async def publish(request: Request, session: StaffSession, revision_id: int) -> Response:
    """Publish with the API's re-check and conflicts; a 409 page names what stands in the way."""
    form = await checked_form(request, session)
    raw = str(form.get("base") or "")
    base = int(raw) if raw.isdigit() else None
    try:
        await run_in_threadpool(publishing.publish_revision, store_of(request), revision_id, base, staff_actor(session))
    except Conflict as exc:
        details = getattr(exc, "details", [])
        context = grid_context(request, revision_id, []) | {"conflict": str(exc), "conflict_details": details}
        return render(request, "office/roster.html", context, session, status=409)
    return RedirectResponse(f"/office/revisions/{revision_id}?published=1", status_code=303)


@router.get("/swaps")
def swaps_page(request: Request, session: StaffSession, scenario_id: int | None = None) -> Response:
    """Swaps and give-aways, those awaiting approval first."""
    store = store_of(request)
    ids = [scenario_id] if scenario_id else [s.id for s in store.list_scenarios(20)]
    swaps = [s for sid in ids for s in swap_service.list_swaps(store, sid)]
    swaps.sort(key=lambda s: (s.state != "proposed", -s.id))
    return render(request, "office/swaps.html", {"swaps": swaps}, session)


@router.post("/swaps/{swap_id}/{decision}")
async def decide_swap(request: Request, session: StaffSession, swap_id: int, decision: str) -> Response:
    """Approve (into a draft revision) or refuse a proposed swap."""
    await checked_form(request, session)
    store = store_of(request)
    try:
        if decision == "approve":
            lang = page_lang(request)
            await run_in_threadpool(
                lambda: swap_service.approve_swap(store, swap_id, None, staff_actor(session), lang=lang)
            )
        elif decision == "refuse":
            swap_service.refuse_swap(store, swap_id, None, staff_actor(session))
        else:
            raise PageError(404, "not_found")
    except OncallError as exc:
        swaps = swap_service.list_swaps(store, swap_service.get_swap(store, swap_id).scenario_id)
        return render(request, "office/swaps.html", {"swaps": swaps, "problems": [str(exc)]}, session, status=409)
    return RedirectResponse("/office/swaps", status_code=303)


@router.get("/audit")
def audit_page(request: Request, session: StaffSession, scenario_id: int | None = None) -> Response:
    """Who changed what, when and why (newest first)."""
    entries = list_audit(store_of(request).db, scenario_id=scenario_id, limit=200)
    return render(request, "office/audit.html", {"entries": entries}, session)
