"""The web pages: server-rendered HTML (Jinja2) with htmx, served by the API's own app.

One router per page group; ``install_pages(app)`` adds them, the static files and the error page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from api.pages import auth, doctor, imports, office, repairs, roster
from api.pages.common import PageError, error_page

__all__ = ["STATIC", "install_pages"]

STATIC = Path(__file__).resolve().parent.parent / "static"
PAGE_ROUTERS = [auth.router, office.router, imports.router, repairs.router, roster.router, doctor.router]


def install_pages(app: FastAPI) -> None:
    """Add the page routers, ``/static`` and the error page to ``app``."""

    async def on_page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return error_page(request, exc)

    app.add_exception_handler(PageError, on_page_error)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
