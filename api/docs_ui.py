"""``/docs`` served by the app itself: Swagger UI's assets are vendored, so the page works offline.

The files in ``api/vendor/swagger-ui/`` are the npm package ``swagger-ui-dist`` (Apache-2.0; its LICENSE
and NOTICE lie beside them); ``api/vendor/README.md`` says which version and how to refresh them.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS", "ASSETS_URL", "install_docs"]

ASSETS = Path(__file__).parent / "vendor" / "swagger-ui"
ASSETS_URL = "/docs/assets"
_REDIRECT_URL = "/docs/oauth2-redirect"


def install_docs(app: FastAPI, docs_url: str = "/docs") -> None:
    """Serve Swagger UI at ``docs_url`` from the vendored assets (the app is made with ``docs_url=None``)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="swagger-ui")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(docs_url, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
            oauth2_redirect_url=_REDIRECT_URL,
            # Swagger UI would send the document to a public validator and show its badge.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(_REDIRECT_URL, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
