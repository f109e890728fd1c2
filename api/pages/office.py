"""The office's pages: the month overview, new scenarios, deadlines, and the monthly collection in forms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from api.pages.common import PageError, StaffSession, checked_form, render, web_store
from oncall.errors import InvalidScenario, NotFound, OncallError
from oncall.i18n import Problem
from oncall.io import parse_scenario_text
from oncall.model import ROLES, Scenario
from oncall.services import scenarios as scenario_service
from oncall.services.months import month_overview, scenario_state
from oncall.services.requests import add_entry
from oncall.services.scenarios import change_scenario, remove_entry
from oncall.storage import EntryKind, Store
from oncall.storage.audit import Actor
from oncall.storage.web import WebSession

router = APIRouter(prefix="/office", include_in_schema=False)

# The sample scenarios of a clone: beside the package (an editable install) or in the folder the server
# was started in (`pip install .` in a clone, then `oncall serve` there); a wheel alone ships none.
SAMPLE_FOLDERS = (Path(__file__).resolve().parents[2] / "samples", Path("samples"))
KINDS: tuple[EntryKind, ...] = ("absences", "wishes", "unwishes")


def staff_actor(session: WebSession) -> Actor:
    """The audit log's name for a change made by a signed-in clerk."""
    return Actor(f"staff {session.user.name}" if session.user else "staff")


def store_of(request: Request) -> Store:
    """The app's store."""
    store: Store = request.app.state.store
    return store


def _sample_folder() -> Path | None:
    return next((folder for folder in SAMPLE_FOLDERS if folder.is_dir()), None)


def samples() -> list[str]:
    """Names of the sample scenarios of the clone the server runs from (none from a wheel alone)."""
    folder = _sample_folder()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder else []


@router.get("")
def overview(request: Request, session: StaffSession) -> Response:
    """Every scenario with its state and collection deadline; forms to create one."""
    rows = month_overview(store_of(request), web_store(request))
    return render(request, "office/overview.html", {"rows": rows, "samples": samples()}, session)


async def _uploaded_scenario(form: Any) -> Scenario:
    sample = str(form.get("sample") or "")
    upload = form.get("file")
    if sample:
        if sample not in samples():
            raise InvalidScenario(Problem("page.no_sample", "sample", name=repr(sample)))
        folder = _sample_folder()
        assert folder is not None  # samples() found it
        text_ = (folder / f"{sample}.yaml").read_text(encoding="utf-8")
        return await run_in_threadpool(parse_scenario_text, text_, "yaml")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidScenario(Problem("page.choose_file", "file"))
    raw = await upload.read()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidScenario(Problem("input.not_utf8", origin=upload.filename)) from None
    fmt: Literal["json", "yaml"] = "json" if upload.filename.lower().endswith(".json") else "yaml"
    return await run_in_threadpool(parse_scenario_text, body, fmt)


@router.post("/scenarios")
async def create_scenario(request: Request, session: StaffSession) -> Response:
    """A new scenario from an uploaded file or a sample; the same validation messages as the API."""
    form = await checked_form(request, session)
    try:
        scenario = await _uploaded_scenario(form)
    except InvalidScenario as exc:
        await form.close()
        rows = month_overview(store_of(request), web_store(request))
        context = {"rows": rows, "samples": samples(), "problems": exc.problems}
        return render(request, "office/overview.html", context, session, status=422)
    await form.close()  # the uploaded file's spool
    record = scenario_service.create_scenario(store_of(request), scenario, staff_actor(session))
    return RedirectResponse(f"/office/scenarios/{record.id}", status_code=303)


def scenario_context(request: Request, scenario_id: int) -> dict[str, Any]:
    """What the scenario page shows: the document, its state, deadline, jobs and revisions."""
    store = store_of(request)
    try:
        record, scenario = store.get_document(scenario_id)
    except NotFound:
        raise PageError(404, "not_found") from None
    state, _ = scenario_state(store, record)
    deadline = web_store(request).deadline(scenario_id)
    local = deadline.astimezone(scenario.zone) if deadline else None
    return {
        "record": record,
        "scenario": scenario,
        "state": state,
        "deadline": local,
        "jobs": store.list_jobs(scenario_id)[:10],
        "revisions": store.list_revisions(scenario_id),
    }


@router.get("/scenarios/{scenario_id}")
def scenario_page(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """One scenario: deadline, physicians, hospitals, rules, solves and revisions."""
    return render(request, "office/scenario.html", scenario_context(request, scenario_id), session)


def _problem_page(request: Request, session: WebSession, scenario_id: int, problems: list[str]) -> Response:
    context = scenario_context(request, scenario_id) | {"problems": problems}
    return render(request, "office/scenario.html", context, session, status=422)


@router.post("/scenarios/{scenario_id}/deadline")
async def set_deadline(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """Set the collection deadline (a local date and time of the scenario's zone)."""
    form = await checked_form(request, session)
    _, scenario = store_of(request).get_document(scenario_id)
    try:
        local = dt.datetime.fromisoformat(str(form.get("deadline") or ""))
    except ValueError:
        return _problem_page(
            request, session, scenario_id, [f"deadline: not a date and time ({form.get('deadline')!r})"]
        )
    deadline = local.replace(tzinfo=scenario.zone) if local.tzinfo is None else local
    web_store(request).set_deadline(scenario_id, deadline, staff_actor(session))
    return RedirectResponse(f"/office/scenarios/{scenario_id}", status_code=303)


def _store_change(request: Request, session: WebSession, scenario_id: int, change: Any, reason: str) -> list[str]:
    """Apply ``change(document dict)`` and store the result as the next version; the problems, if any."""
    try:
        change_scenario(store_of(request), scenario_id, change, staff_actor(session), reason)
    except (OncallError, ValueError) as exc:
        return list(getattr(exc, "problems", [str(exc)]))
    return []


def _edit_document(
    request: Request, session: WebSession, scenario_id: int, change: Any, reason: str
) -> Response | None:
    """Apply ``change(document dict)`` and store the result as the next version; a problem page on error."""
    problems = _store_change(request, session, scenario_id, change, reason)
    return _problem_page(request, session, scenario_id, problems) if problems else None


@router.post("/scenarios/{scenario_id}/hospitals/{hospital_id}")
async def edit_hospital(request: Request, session: StaffSession, scenario_id: int, hospital_id: str) -> Response:
    """Change a hospital's daily capacity and closed dates (one ISO date a line)."""
    form = await checked_form(request, session)

    def change(doc: dict[str, Any]) -> None:
        hospital = next((h for h in doc["hospitals"] if h["id"] == hospital_id), None)
        if hospital is None:
            raise NotFound("hospital", hospital_id, field="hospital_id")
        hospital["capacity_per_day"] = str(form.get("capacity_per_day") or "")
        hospital["closed_dates"] = [line.strip() for line in str(form.get("closed_dates") or "").split() if line]

    failed = _edit_document(request, session, scenario_id, change, f"hospital {hospital_id}")
    return failed or RedirectResponse(f"/office/scenarios/{scenario_id}#hospitals", status_code=303)


@router.post("/scenarios/{scenario_id}/rules")
async def edit_rules(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """Change the network's rest hours and most consecutive days."""
    form = await checked_form(request, session)

    def change(doc: dict[str, Any]) -> None:
        for name in ("min_rest_hours", "min_rest_hours_employed", "max_consecutive_days"):
            doc["rules"][name] = str(form.get(name) or "")

    failed = _edit_document(request, session, scenario_id, change, "rules")
    return failed or RedirectResponse(f"/office/scenarios/{scenario_id}#rules", status_code=303)


def physician_context(request: Request, scenario_id: int, physician_id: str) -> dict[str, Any]:
    """A physician of the newest version, with their entries."""
    context = scenario_context(request, scenario_id)
    physician = next((p for p in context["scenario"].physicians if p.id == physician_id), None)
    if physician is None:
        raise PageError(404, "not_found")
    return context | {"physician": physician, "kinds": KINDS, "roles": ROLES, "cap_fields": CAP_FIELDS}


@router.get("/scenarios/{scenario_id}/physicians/{physician_id}")
def physician_page(request: Request, session: StaffSession, scenario_id: int, physician_id: str) -> Response:
    """A physician's absences, wishes and unwishes, with forms to add and remove them."""
    context = physician_context(request, scenario_id, physician_id)
    return render(request, "office/physician.html", context, session)


CAP_FIELDS = ("duties", "nights", "holiday_duties", "consecutive_days", "min_rest_hours")


def _physician_settings(form: Any, physician: dict[str, Any]) -> None:
    """Write the settings form into a physician of the document: caps, roles, districts, share."""
    physician["caps"] = {name: str(form.get(f"cap_{name}") or "").strip() or None for name in CAP_FIELDS}
    physician["roles"] = [str(role) for role in form.getlist("roles")]
    physician["districts"] = [str(d) for d in form.getlist("districts")] or None  # none: the clinic's district
    physician["share"] = str(form.get("share") or "").strip()


@router.post("/scenarios/{scenario_id}/physicians/{physician_id}")
async def edit_physician(request: Request, session: StaffSession, scenario_id: int, physician_id: str) -> Response:
    """Change a physician's caps, roles, districts and share; the scenario's validation messages on a problem."""
    form = await checked_form(request, session)
    context = physician_context(request, scenario_id, physician_id)  # 404 for an unknown physician

    def change(doc: dict[str, Any]) -> None:
        _physician_settings(form, next(p for p in doc["physicians"] if p["id"] == physician_id))

    problems = _store_change(request, session, scenario_id, change, f"physician {physician_id}")
    if problems:
        return render(request, "office/physician.html", context | {"problems": problems}, session, status=422)
    return RedirectResponse(f"/office/scenarios/{scenario_id}/physicians/{physician_id}?saved=1", status_code=303)


@router.post("/scenarios/{scenario_id}/physicians/{physician_id}/{kind}")
async def add_physician_entry(
    request: Request, session: StaffSession, scenario_id: int, physician_id: str, kind: EntryKind
) -> Response:
    """Add an absence, wish or unwish; the API's validation messages on a problem."""
    form = await checked_form(request, session)
    fields = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        await run_in_threadpool(
            add_entry, store_of(request), scenario_id, physician_id, kind, fields, staff_actor(session)
        )
    except InvalidScenario as exc:
        context = physician_context(request, scenario_id, physician_id) | {"problems": exc.problems}
        return render(request, "office/physician.html", context, session, status=422)
    return RedirectResponse(f"/office/scenarios/{scenario_id}/physicians/{physician_id}", status_code=303)


@router.post("/scenarios/{scenario_id}/physicians/{physician_id}/{kind}/{index}/remove")
async def remove_physician_entry(
    request: Request, session: StaffSession, scenario_id: int, physician_id: str, kind: EntryKind, index: int
) -> Response:
    """Remove the entry at ``index``."""
    await checked_form(request, session)
    remove_entry(store_of(request), scenario_id, physician_id, kind, index, None, staff_actor(session))
    return RedirectResponse(f"/office/scenarios/{scenario_id}/physicians/{physician_id}", status_code=303)
