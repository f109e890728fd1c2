"""Roster revisions: drafts from solves, published with optimistic concurrency, read as JSON or XLSX."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response

from api.deps import AnyKey, RevisionId, ScenarioId, StaffKey, StoreDep, actor_of, require_json
from api.errors import ERROR_RESPONSES, ApiError, InvalidRequest
from api.schemas import PublishRequest, Revision
from oncall.cover.document import CoverPlan
from oncall.diff import RosterDiff, diff_rosters
from oncall.errors import NotFound
from oncall.i18n import Lang, pick_lang
from oncall.roster import Roster
from oncall.services import cover, publishing
from oncall.services.revisions import RosterRefused, store_edited_roster
from oncall.storage import KeyRecord, Store

router = APIRouter(tags=["revisions"], responses=ERROR_RESPONSES)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"


_ROSTER_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": Roster,
        "description": "The roster JSON (docs/roster.md), as stored but for the gap reasons, which are shown in the "
        "reader's language; or the 当番表 as XLSX.",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    }
}


@dataclass(frozen=True)
class _Rendering:
    xlsx: bool
    lang: Lang


def _rendering(
    format: Annotated[
        RosterFormat | None, Query(alias="format", description="json or xlsx; overrides the Accept header.")
    ] = None,
    lang: Annotated[
        Lang | None,
        Query(description="Language of the gap reasons and of the XLSX (names, labels); default: Accept-Language."),
    ] = None,
    accept: Annotated[str | None, Header(description=f"`{XLSX}` asks for the XLSX.")] = None,
    accept_language: Annotated[
        str | None, Header(description="Language of the texts when `?lang=` is not given.")
    ] = None,
) -> _Rendering:
    """How the client wants the roster: ``?format=`` first, then the Accept header; JSON by default. Its
    texts (gap reasons, the XLSX's labels) in ``?lang=``, else the Accept-Language header's, else Japanese."""
    xlsx = format == RosterFormat.xlsx or (format is None and XLSX in (accept or ""))
    return _Rendering(xlsx, lang if lang is not None else pick_lang(accept_language))


Rendering = Annotated[_Rendering, Depends(_rendering)]


def _roster_response(store: Store, revision_id: int, rendering: _Rendering, key: KeyRecord) -> Response:
    """The roster as ``key`` may read it: a hospital key reads it without its cover plan, which tells when each
    主治医 is away (oncall/privacy.py)."""
    record, text = store.get_roster(revision_id)
    if key.role == "hospital":
        stored = Roster.model_validate_json(text)
        if stored.cover is not None:
            text = stored.model_copy(update={"cover": None}).to_json()
    headers = {"X-Revision-Id": str(record.id), "X-Revision-Published": str(record.published).lower()}
    if not rendering.xlsx:
        roster = Roster.model_validate_json(text)
        shown = roster.in_language(rendering.lang)
        if shown is not roster:  # reasons kept as codes, read in another language than they were written in
            text = shown.to_json()
        return Response(text.encode("utf-8"), media_type="application/json", headers=headers)
    from oncall.xlsx import write_xlsx

    _, scenario = store.get_document(record.scenario_id, record.scenario_version)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        write_xlsx(scenario, Roster.model_validate_json(text), path, lang=rendering.lang)
        data = path.read_bytes()
    headers["Content-Disposition"] = f'attachment; filename="roster-{record.id}.xlsx"'
    return Response(data, media_type=XLSX, headers=headers)


@router.get("/scenarios/{scenario_id}/revisions", response_model=list[Revision])
def list_revisions(scenario_id: ScenarioId, _: AnyKey, store: StoreDep) -> list[Revision]:
    """List the scenario's roster revisions, newest first."""
    return [Revision.of(r) for r in store.list_revisions(scenario_id)]


class RosterRejected(ApiError):
    """An uploaded roster breaks hard rules of its scenario."""

    status = 422
    code = "invalid_roster"


@router.post(
    "/scenarios/{scenario_id}/revisions", status_code=201, response_model=Revision, dependencies=[Depends(require_json)]
)
def add_revision(
    scenario_id: ScenarioId,
    roster: Roster,
    key: StaffKey,
    store: StoreDep,
    version: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Scenario version the roster is for; default: the newest.")
    ] = None,
    lang: Annotated[Lang, Query(description="Language of the checker's messages.")] = "ja",
) -> Revision:
    """Store an edited roster (e.g. a swap) as a draft revision, if the checker finds no broken hard rule."""
    try:
        stored = store_edited_roster(store, scenario_id, version, roster, actor_of(key), lang=lang)
    except RosterRefused as exc:
        raise RosterRejected(str(exc), exc.details) from None
    return Revision.of(stored)


@router.get("/scenarios/{scenario_id}/published", response_class=Response, responses=_ROSTER_RESPONSES)
def get_published_roster(scenario_id: ScenarioId, key: AnyKey, store: StoreDep, rendering: Rendering) -> Response:
    """The current (published) roster of the scenario's period; 404 while none is published."""
    return _roster_response(store, store.get_published(scenario_id).id, rendering, key)


@router.get("/revisions/{revision_id}", response_class=Response, responses=_ROSTER_RESPONSES)
def get_revision(revision_id: RevisionId, key: AnyKey, store: StoreDep, rendering: Rendering) -> Response:
    """The revision's roster: JSON by default, XLSX with ``?format=xlsx`` or ``Accept: <xlsx type>``."""
    return _roster_response(store, revision_id, rendering, key)


@router.get("/revisions/{revision_id}/info", response_model=Revision)
def get_revision_info(revision_id: RevisionId, _: AnyKey, store: StoreDep) -> Revision:
    """The revision's metadata: status, objective, gaps, checker violations, whether it is published."""
    return Revision.of(store.get_revision(revision_id))


@router.get("/revisions/{revision_id}/cover", response_model=CoverPlan)
def get_revision_cover(revision_id: RevisionId, _: StaffKey, store: StoreDep) -> CoverPlan:
    """The revision's 主治医・副主治医 cover plan (the roster's ``cover`` section, docs/roster.md#cover); 404 when
    the roster has none (its scenario has no cover section, or the roster was stored without a plan).

    Staff keys only: who answers when tells when each 主治医 is away, which hospital keys do not read."""
    return cover.revision_cover(store, revision_id)


class StaleRevision(ApiError):
    """Publishing would put on the calendars a roster that breaks the newest rules or repeats another's."""

    status = 409
    code = "conflict"


@router.post("/revisions/{revision_id}/publish", response_model=Revision)
def publish_revision(revision_id: RevisionId, body: PublishRequest, key: StaffKey, store: StoreDep) -> Revision:
    """Make the revision the current roster of its period, if ``base`` is still the published one (else 409).

    Also 409 when the scenario changed since the revision was made and the revision now breaks a hard rule
    of the newest version (an absence declared since: repair it), or when another scenario already has a
    published roster for one of its districts on one of its dates (feeds would show both). Publishing the
    revision that is already published changes nothing.
    """
    try:
        published = publishing.publish_revision(
            store, revision_id, body.base, actor_of(key), body.reason, key_id=key.id
        )
    except publishing.StalePublication as exc:
        raise StaleRevision(str(exc), exc.details) from None
    return Revision.of(published)


@router.get("/revisions/{revision_id}/diff", response_model=RosterDiff)
def diff_revisions(
    revision_id: RevisionId,
    against: Annotated[int, Query(ge=1, le=2**31 - 1, description="The revision to compare with (the earlier one).")],
    _: AnyKey,
    store: StoreDep,
) -> RosterDiff:
    """What changed from revision ``against`` to this one: duties whose holders differ, who gains, who loses."""
    this, after = store.get_roster(revision_id)
    try:
        that, before = store.get_roster(against)
    except NotFound:
        raise NotFound("revision", against, field="against") from None
    if that.scenario_id != this.scenario_id:
        raise InvalidRequest(
            "revisions of different scenarios cannot be compared",
            [("against", f"revision {against} is of scenario {that.scenario_id}, not {this.scenario_id}")],
        )
    return diff_rosters(Roster.model_validate_json(before), Roster.model_validate_json(after))
