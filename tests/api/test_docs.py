"""``/docs`` works offline: the page names no outside address, and the app serves every asset it names."""

from __future__ import annotations

import fnmatch
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

import api
from tests import browser as chromium

ROOT = Path(__file__).resolve().parents[2]
browser = chromium.browser  # the module's chromium, a fixture
needs_chromium = chromium.needs_chromium


class _References(HTMLParser):
    """Every ``src`` and ``href`` of a page, and the inline scripts' text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _references(html: str) -> _References:
    parser = _References()
    parser.feed(html)
    return parser


def test_docs_page_names_no_outside_address(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    refs = _references(r.text)
    assert len(refs.urls) >= 3  # the script, the stylesheet, the icon
    assert not [u for u in refs.urls if "//" in u], refs.urls
    assert "http" not in "".join(refs.scripts)  # the inline set-up loads /openapi.json, from the app
    assert "validatorUrl" in "".join(refs.scripts)  # no badge fetched from the public validator


def test_every_asset_of_docs_answers_from_the_app(client: TestClient) -> None:
    refs = _references(client.get("/docs").text)
    for url in [*refs.urls, "/openapi.json"]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert len(r.content) > 100, url
    js = next(u for u in refs.urls if u.endswith(".js"))
    assert "SwaggerUIBundle" in client.get(js).text
    assert client.get("/docs/oauth2-redirect").status_code == 200


def test_redoc_from_a_cdn_is_gone(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404


def test_the_vendored_assets_their_licence_and_the_templates_are_package_data() -> None:
    """A non-editable ``pip install .`` takes only the files package-data names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["api"]
    package = Path(api.__file__).parent
    files = [
        p.relative_to(package).as_posix()
        for folder in ("vendor", "templates")
        for p in (package / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert {"vendor/swagger-ui/LICENSE", "templates/print/roster.html"} <= set(files)
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert missing == []


@needs_chromium
def test_swagger_ui_renders_in_chromium_with_nothing_from_outside(browser: Any, client: TestClient) -> None:
    """The browser reaches only the app (through the test client); any other address is refused and noted."""
    outside: list[str] = []

    def serve(route: Any) -> None:
        url = route.request.url
        if not url.startswith("http://testserver/"):
            outside.append(url)
            route.abort()
            return
        r = client.get(url.removeprefix("http://testserver"))
        route.fulfill(status=r.status_code, headers=dict(r.headers), body=r.content)

    page = browser.new_page()
    try:
        page.route("**/*", serve)
        page.goto("http://testserver/docs")
        page.wait_for_selector(".opblock", timeout=60_000)
        operations = page.locator(".opblock").count()
        title = page.locator(".info .title").inner_text()
    finally:
        page.close()
    assert outside == []
    assert operations >= 20 and title.startswith("oncall")
