"""The browser tests' machinery: the app served by uvicorn in a thread on a free port and a temporary
SQLite database, Debian's chromium driven by Playwright, axe-core injected into every page, screenshots.

Without chromium (or Playwright) the browser tests skip and say why. axe-core comes from npm
(``npm install --prefix .ci/node axe-core@4.14.1``, as ``.ci/run`` does); without it they fail in CI,
naming the command, rather than pass without the check, and skip elsewhere, saying why.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api import Settings, create_app

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artefacts" / "web"
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    """Debian's chromium, or a skip that says why."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does it as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[dev]')")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(data_dir: Path) -> Iterator[tuple[str, Any]]:
    """The app on 127.0.0.1 in a thread, until the block ends; yields its base URL and the app."""
    settings = Settings(
        data_dir=data_dir,
        database_url=None,
        max_solve_seconds=60,
        default_solve_seconds=20,
        solver_workers=1,
        job_poll_seconds=0.1,
    )
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def check_accessibility(page: Any) -> None:
    """axe-core on the page as it is: no serious or critical violation."""
    if not AXE.exists():
        # .ci/run installs it; elsewhere (a developer's machine without npm) say so and skip, as for chromium.
        missing = f"axe-core is missing at {AXE}: run `npm install --prefix .ci/node axe-core@4.14.1`"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: " + "; ".join(bad)


def look(page: Any, name: str) -> None:
    """Check the page with axe and keep screenshots at desktop and phone width; nothing overflows the phone."""
    check_accessibility(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=str(ARTEFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=str(ARTEFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)
    assert overflow <= 1, f"{name}: the page is {overflow}px wider than a phone (wide tables must scroll inside)"
