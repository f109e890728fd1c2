"""Dependencies of the routes, as ``Annotated`` aliases: settings, store, runner, keys, bodies, ids."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Forbidden, InvalidRequest, Unauthorized, UnsupportedMediaType
from api.settings import Settings
from oncall.errors import InvalidScenario
from oncall.i18n import Problem
from oncall.io import SOURCE, parse_scenario_text
from oncall.jobs import JobRunner
from oncall.model import Scenario
from oncall.services.imports import ImportPreviews
from oncall.storage import KeyRecord, Store
from oncall.storage.audit import Actor

__all__ = [
    "SCENARIO_MEDIA_TYPES",
    "AnyKey",
    "JobId",
    "PhysicianId",
    "RevisionId",
    "Runner",
    "ScenarioBody",
    "ScenarioId",
    "SettingsDep",
    "StaffKey",
    "StoreDep",
    "actor_of",
    "import_previews",
    "reads_personal_data",
    "solve_seconds",
]

_MAX_ID = 2**31 - 1  # ids are 32-bit integers on every backend


def _id(what: str) -> object:
    return Path(ge=1, le=_MAX_ID, description=f"Id of the {what}.")


ScenarioId = Annotated[int, _id("scenario")]
JobId = Annotated[int, _id("solve job")]
RevisionId = Annotated[int, _id("revision")]
PhysicianId = Annotated[str, Path(min_length=1, max_length=64, description="Id of the physician in the scenario.")]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.runner
    return runner


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]
Runner = Annotated[JobRunner, Depends(_runner)]

_bearer = HTTPBearer(auto_error=False, description="An API key from `oncall keys create`: `Bearer ock_…`.")


def _any_key(
    store: StoreDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> KeyRecord:
    if credentials is None:
        raise Unauthorized("send an API key: Authorization: Bearer <token>")
    key = store.authenticate(credentials.credentials)
    if key is None:
        raise Unauthorized("unknown or revoked API key")
    return key


def _staff_key(request: Request, key: Annotated[KeyRecord, Depends(_any_key)]) -> KeyRecord:
    if key.role != "staff":
        if request.method in ("GET", "HEAD"):  # a read that only the office may do (the audit log)
            raise Forbidden(f"a {key.role} key cannot read this; it needs a staff key")
        raise Forbidden(f"a {key.role} key may only read; writing needs a staff key")
    return key


def reads_personal_data(key: KeyRecord) -> bool:
    """Whether requests with ``key`` may read the doctors' personal data: staff keys only. A hospital key
    reads scenarios through ``oncall.privacy.hospital_view``; the office's own routes (a physician's
    entries, repairs, swaps, feed subscriptions, the audit log) take a ``StaffKey``."""
    return key.role == "staff"


def solve_seconds(settings: Settings, requested: float | None) -> float:
    """The time limit of a solve or repair: the one requested, within the server's bounds (else 422)."""
    if requested is not None and requested > settings.max_solve_seconds:
        raise InvalidRequest(
            f"time_limit is at most {settings.max_solve_seconds:g} seconds on this server",
            [("time_limit", f"at most {settings.max_solve_seconds:g}")],
        )
    return requested or min(settings.default_solve_seconds, settings.max_solve_seconds)


def actor_of(key: KeyRecord) -> Actor:
    """The audit log's name for a request made with ``key``."""
    return Actor.of_key(key.id, key.prefix, key.name)


AnyKey = Annotated[KeyRecord, Depends(_any_key)]
StaffKey = Annotated[KeyRecord, Depends(_staff_key)]


def require_json(request: Request, _: StaffKey) -> None:
    """415 for a body that is not JSON, before it is parsed (and echoed back in a 422); after the key,
    so that a request without one still gets 401 and a hospital key 403."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise UnsupportedMediaType(
            f"send the body as application/json, not {media or 'without a content type'}",
            [("Content-Type", "application/json")],
        )


SCENARIO_MEDIA_TYPES: dict[str, Literal["json", "yaml"]] = {
    "application/json": "json",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
}


async def _scenario_body(request: Request) -> Scenario:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = SCENARIO_MEDIA_TYPES.get(media)
    if fmt is None:
        raise UnsupportedMediaType(
            f"send the scenario as application/json or application/yaml, not {media or 'without a content type'}",
            [("Content-Type", "application/json, application/yaml or text/yaml")],
        )
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidScenario(Problem("input.not_utf8", origin=SOURCE)) from exc
    # Parsing and validating a large scenario takes a while: off the event loop.
    return await run_in_threadpool(parse_scenario_text, text, fmt)


ScenarioBody = Annotated[Scenario, Depends(_scenario_body)]


def import_previews(request: Request) -> ImportPreviews:
    """The app's clean import previews awaiting apply (the API's and the pages' alike)."""
    state = request.app.state
    if not hasattr(state, "import_previews"):
        state.import_previews = ImportPreviews()
    previews: ImportPreviews = state.import_previews
    return previews
