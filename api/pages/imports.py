"""The office's import pages: upload a physician list or a request sheet, see the preview, accept or discard.

Nothing is stored until the preview is accepted; the same service as the API's imports
(``oncall.services.imports``): the same problems by row and column, the same 409 when the scenario
changed after the preview.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from api.deps import import_previews
from api.pages.common import PageError, StaffSession, checked_form, page_lang, render
from api.pages.office import scenario_context, staff_actor, store_of
from api.pages.texts import text
from oncall import importing
from oncall.errors import Conflict, NotFound
from oncall.services.imports import apply_import, preview_import
from oncall.storage.web import WebSession

router = APIRouter(prefix="/office/scenarios/{scenario_id}/import", include_in_schema=False)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS: tuple[importing.ImportKind, ...] = ("physicians", "requests")


def _kind(value: object) -> importing.ImportKind:
    if value not in KINDS:
        raise PageError(404, "not_found")
    return "physicians" if value == "physicians" else "requests"


def _page(request: Request, session: WebSession, scenario_id: int, status: int = 200, **extra: Any) -> Response:
    context = scenario_context(request, scenario_id) | {"kinds": KINDS} | extra
    return render(request, "office/import.html", context, session, status=status)


@router.get("")
def import_page(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """The upload form and the two templates."""
    return _page(request, session, scenario_id)


@router.get("/{kind}/template")
def import_template(request: Request, session: StaffSession, scenario_id: int, kind: str) -> Response:
    """The XLSX to fill in, in the reader's language."""
    chosen = _kind(kind)
    _, scenario = store_of(request).get_document(scenario_id)
    make = importing.physicians_template if chosen == "physicians" else importing.requests_template
    headers = {"Content-Disposition": f'attachment; filename="{chosen}_template.xlsx"'}
    return Response(make(scenario, page_lang(request)), media_type=XLSX, headers=headers)


@router.post("")
async def preview(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """Read the uploaded file and show what it would change and every problem; nothing is stored."""
    form = await checked_form(request, session)
    kind, upload = _kind(form.get("kind")), form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        await form.close()
        return _page(request, session, scenario_id, 422, problems=[f"file: {_text(request, 'choose_file')}"])
    data = await upload.read(importing.MAX_BYTES + 1)  # one byte over is enough to say it is too large
    await form.close()
    store = store_of(request)
    pending, token = await run_in_threadpool(preview_import, store, import_previews(store), scenario_id, kind, data)
    lang = page_lang(request)
    status = 200 if pending.preview.ok else 422
    return _page(request, session, scenario_id, status, preview=pending.preview, lines=pending.preview.lines(lang),
                 token=token, kind=kind, filename=upload.filename)  # fmt: skip


@router.post("/accept")
async def accept(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """Store the previewed import as the scenario's next version; refused when the scenario changed."""
    form = await checked_form(request, session)
    kind, token = _kind(form.get("kind")), str(form.get("token") or "")
    previews = import_previews(store_of(request))
    try:
        pending = previews.get(token, scenario_id, kind)
        record, _ = await run_in_threadpool(
            apply_import, store_of(request), scenario_id, kind, pending.version, pending.preview, staff_actor(session)
        )
    except NotFound:
        return _page(request, session, scenario_id, 404, problems=[_text(request, "import_expired")])
    except Conflict:
        previews.drop(token)
        return _page(request, session, scenario_id, 409, stale=True)
    previews.drop(token)
    return RedirectResponse(f"/office/scenarios/{scenario_id}?imported={record.version}", status_code=303)


@router.post("/discard")
async def discard(request: Request, session: StaffSession, scenario_id: int) -> Response:
    """Forget the preview; nothing was stored."""
    form = await checked_form(request, session)
    store = store_of(request)
    store.get_scenario(scenario_id)  # 404 for a scenario of another network (or none)
    import_previews(store).drop(str(form.get("token") or ""))
    return RedirectResponse(f"/office/scenarios/{scenario_id}/import", status_code=303)


def _text(request: Request, key: str) -> str:
    return text(key, page_lang(request))
