"""Imports of the office's spreadsheets into a scenario: template, preview, apply (staff keys only).

    GET  /scenarios/{id}/imports/{kind}/template   the XLSX to fill in (kind: physicians or requests)
    POST /scenarios/{id}/imports/{kind}/preview    multipart ``file`` → the preview, and a token when it is clean
    POST /scenarios/{id}/imports/{kind}/apply      multipart ``token`` (from the preview), or ``file`` and
                                                   ``version``: the scenario's next version

A preview stores nothing. Its token is kept in the server's memory for an hour (a restart forgets it: send
the file again); Applying is refused with 409 when the scenario changed after the preview.
The logic is oncall.services.imports, shared with the office's pages.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile
from pydantic import BaseModel, Field

from api.deps import ScenarioId, StaffKey, StoreDep, actor_of, import_previews
from api.errors import ERROR_RESPONSES, NON_JSON_ERROR_RESPONSES, ApiError, InvalidRequest
from api.lang import Language
from api.schemas import ScenarioSummary
from oncall import importing
from oncall.services import imports as import_service

router = APIRouter(prefix="/scenarios/{scenario_id}/imports", tags=["imports"], responses=ERROR_RESPONSES)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Kind = Annotated[importing.ImportKind, Path(description="physicians (the physician list) or requests (the month's).")]


class ImportPreview(BaseModel):
    """What the file would change; apply it with ``token`` (null when the file has problems)."""

    scenario_id: int
    version: int = Field(description="The scenario version the file was read against.")
    ok: bool = Field(description="True when the file has no problem and may be applied.")
    token: str | None = Field(description="Send it to …/apply to store the change; valid for an hour.")
    messages: list[str] = Field(description="The preview as people read it: summary, changes, problems.")
    preview: importing.Preview


class ImportApplied(BaseModel):
    """The scenario's new version made by an import."""

    scenario: ScenarioSummary
    changes: int = Field(description="Physicians added or changed, or doctor-dates whose mark changed.")


class ImportRejected(ApiError):
    """The file has problems; each detail is one, placed by its cell (``D12``) or row."""

    status = 422
    code = "invalid_import"


def _read(file: UploadFile) -> bytes:
    return file.file.read(importing.MAX_BYTES + 1)  # one byte over is enough to say it is too large


def _rejected(preview: importing.Preview, lang: str) -> ImportRejected:
    details = [
        (f"{p.column or ''}{p.row or ''}" or "(file)", p.message("en" if lang == "en" else "ja"))
        for p in preview.errors
    ]
    return ImportRejected(f"the file has {len(details)} problem(s); nothing was stored", details)


@router.get(
    "/{kind}/template",
    response_class=Response,
    responses={
        **NON_JSON_ERROR_RESPONSES,
        200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
    },
)
def import_template(scenario_id: ScenarioId, kind: Kind, _: StaffKey, store: StoreDep, lang: Language) -> Response:
    """The XLSX to fill in: the scenario's doctors, and for requests its dates with the marks it holds."""
    scenario = store.get_document(scenario_id)[1]
    make = importing.physicians_template if kind == "physicians" else importing.requests_template
    headers = {"Content-Disposition": f'attachment; filename="{kind}_template.xlsx"'}
    return Response(make(scenario, lang), media_type=XLSX, headers=headers)


@router.post("/{kind}/preview", response_model=ImportPreview)
def preview_import(
    scenario_id: ScenarioId,
    kind: Kind,
    _: StaffKey,
    store: StoreDep,
    request: Request,
    lang: Language,
    file: Annotated[UploadFile, File(description="The spreadsheet: XLSX, or CSV in UTF-8 or Shift_JIS.")],
) -> ImportPreview:
    """Read the file against the newest scenario version; nothing is stored."""
    pending, token = import_service.preview_import(store, import_previews(request), scenario_id, kind, _read(file))
    return ImportPreview(
        scenario_id=scenario_id,
        version=pending.version,
        ok=pending.preview.ok,
        token=token,
        messages=pending.preview.lines(lang),
        preview=pending.preview,
    )


@router.post("/{kind}/apply", response_model=ImportApplied)
def apply_import(
    scenario_id: ScenarioId,
    kind: Kind,
    key: StaffKey,
    store: StoreDep,
    request: Request,
    lang: Language,
    token: Annotated[str | None, Form(max_length=100, description="The token of a clean preview.")] = None,
    file: Annotated[UploadFile | None, File(description="Or the file itself, with `version`.")] = None,
    version: Annotated[
        int | None, Form(ge=1, le=2**31 - 1, description="With `file`: the version it was read against.")
    ] = None,
) -> ImportApplied:
    """Store the import as the scenario's next version; 409 when the scenario changed after the preview."""
    previews = import_previews(request)
    sent: importing.Preview | bytes
    if token is not None:
        pending = previews.get(token, scenario_id, kind)
        sent, seen = pending.preview, pending.version
    elif file is not None and version is not None:
        sent, seen = _read(file), version
    else:
        raise InvalidRequest("send the preview's token, or the file with its version", [("token", "missing")])
    stored, preview = import_service.apply_import(store, scenario_id, kind, seen, sent, actor_of(key))
    if not preview.ok:
        raise _rejected(preview, lang)
    if token is not None:
        previews.drop(token)
    return ImportApplied(
        scenario=ScenarioSummary.of(stored),
        changes=len(preview.physician_changes) + len(preview.request_changes),
    )
