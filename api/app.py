"""The application factory: settings, database and migrations, the job runner, error mapping, routers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from api.docs_ui import install_docs
from api.errors import install_error_handlers
from api.limits import BodyLimit
from api.logs import hide_feed_secrets
from api.pages import install_pages
from api.pages import print as print_page
from api.proxy import trust_proxy
from api.routers import ROUTERS, imports
from api.routers.feeds import CALENDAR, GZIP_MIN_BYTES
from api.routers.revisions import XLSX
from api.settings import Settings, get_settings
from oncall.jobs import JobRunner
from oncall.services.feeds import FeedService
from oncall.storage import Store
from oncall.storage.feeds import FeedStore

__all__ = ["create_app"]

hide_feed_secrets()  # on import, so that an app served by any means logs no feed secret

DESCRIPTION = """\
24/7 on-call rosters (当番表) for home medical care networks: scenarios, the monthly collection of
absences and requests, solve jobs, roster revisions and publishing.

Every request but `/health` needs an API key: `Authorization: Bearer ock_…` (`oncall keys create`).
Staff keys read and write; hospital keys only read. Errors share one shape:
`{"error": {"code", "message", "details": [{"field", "problem"}]}}`.
"""


def _operation_id(route: APIRoute) -> str:
    """``create_scenario`` → ``createScenario``."""
    head, *rest = route.name.split("_")
    return head + "".join(part.title() for part in rest)


# Wall-clock values of the scenario carry no UTC offset, but JSON Schema's `time` and `date-time` formats
# (RFC 3339) demand one: the document names them `partial-time` (RFC 3339's offset-free time) and
# `local-date-time`, so that validators hold responses to what is actually promised.
_LOCAL_DATETIMES = ("Absence", "History")  # scenario models whose datetimes may be naive (scenario zone)


def _document_local_times(node: Any, datetimes: bool = False) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time":
            node["format"] = "partial-time"
        elif datetimes and node.get("format") == "date-time":
            node["format"] = "local-date-time"
        for value in node.values():
            _document_local_times(value, datetimes)
    elif isinstance(node, list):
        for value in node:
            _document_local_times(value, datetimes)


def _openapi_with_local_times(app: FastAPI) -> Callable[[], dict[str, Any]]:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _document_local_times(schema)
            components = schema.get("components", {}).get("schemas", {})
            for name in _LOCAL_DATETIMES:
                _document_local_times(components.get(name), datetimes=True)
        return app.openapi_schema or {}

    return openapi


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API, bound to ``settings`` (default: the environment's); the database is migrated on start."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hide_feed_secrets()  # again: the server has set up its log handlers by now
        store = await run_in_threadpool(Store.open, settings.resolved_database_url())
        runner = JobRunner(
            store,
            max_parallel=settings.max_parallel_solves,
            solver_workers=settings.solver_workers,
            poll_seconds=settings.job_poll_seconds,
        )
        await run_in_threadpool(runner.start)
        app.state.store = store
        app.state.runner = runner
        app.state.feeds = FeedService(FeedStore(store.db), settings.feed_settings())
        try:
            yield
        finally:
            await run_in_threadpool(runner.stop)
            store.db.dispose()

    app = FastAPI(
        title="oncall",
        version="0.1.0",
        summary="当番表 API",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        separate_input_output_schemas=False,
        docs_url=None,  # served from vendored assets by install_docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    # JSON (scenarios, rosters) compressed for clients that accept gzip; calendars compress themselves,
    # once per rendering and with their own ETag; XLSX is a zip already.
    app.add_middleware(
        GZipMiddleware,
        minimum_size=GZIP_MIN_BYTES,
        compresslevel=6,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, CALENDAR.split(";")[0], XLSX),
    )
    if settings.forwarded_allow_ips:
        trust_proxy(app, settings.forwarded_allow_ips)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(imports.router)
    app.include_router(print_page.router)
    install_docs(app)
    install_pages(app)  # the web pages (api/pages), their templates and static files
    app.openapi = _openapi_with_local_times(app)  # type: ignore[method-assign]
    return app
