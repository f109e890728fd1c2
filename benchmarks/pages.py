"""Server time per web page for the regional sample: the median of N requests per page.

The app runs in-process (Starlette's TestClient: the whole ASGI stack, routing, sessions, database,
templates; no network) on a temporary SQLite database holding the regional sample, a solved and
published roster, a staff account and a physician's and a hospital's personal link.

    python -m benchmarks.pages [--requests 20] [--time-limit 30]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from api import Settings, create_app
from benchmarks.machine import describe
from oncall.io import load_scenario
from oncall.storage import Store
from oncall.storage.web import WebStore
from solver import SolveOptions, solve

__all__ = ["main", "measure"]

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "regional.yaml"
PASSWORD = "benchmark password"


def _timed(call: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _scene(store: Store, web: WebStore, time_limit: float) -> tuple[int, int, str, str]:
    scenario = load_scenario(SAMPLE)
    record = store.create_scenario(scenario)
    result = solve(scenario, SolveOptions(time_limit=time_limit))
    revision = store.add_revision(record.id, 1, result.roster, 0)
    store.publish(revision.id, None)
    web.create_user("office", PASSWORD)
    doctor = scenario.physicians[0].id
    _, physician_token = web.issue_link("physician", doctor)
    _, hospital_token = web.issue_link("hospital", scenario.hospitals[0].id)
    return record.id, revision.id, physician_token, hospital_token


def measure(n: int, time_limit: float) -> list[tuple[str, float, int]]:
    """(page, median milliseconds, status) of each page."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=Path(tmp), database_url=None, solver_workers=1))
        with TestClient(app, follow_redirects=False) as office:
            store: Store = app.state.store
            web = WebStore(store.db)
            sid, rev, physician_token, hospital_token = _scene(store, web, time_limit)
            month = store.get_scenario(sid).period_start.strftime("%Y-%m")
            token = re.search(r'name="csrf_token" value="([^"]+)"', office.get("/login").text)
            assert token
            office.post("/login", data={"name": "office", "password": PASSWORD, "csrf_token": token.group(1)})
            grid = office.get(f"/office/revisions/{rev}").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', grid)
            cell = re.search(r"cell\?duty=([^&]+)&(?:amp;)?role=primary", grid)
            assert csrf and cell
            physician = TestClient(app, follow_redirects=False)
            physician.get(f"/my/{physician_token}")
            hospital = TestClient(app, follow_redirects=False)
            hospital.get(f"/my/{hospital_token}")
            edit = {"csrf_token": csrf.group(1), "edits": "[]", "duty": cell.group(1), "role": "primary", "holder": ""}
            pages: list[tuple[str, Callable[[], object]]] = [
                ("GET /login", lambda: office.get("/login")),
                ("GET /office", lambda: office.get("/office")),
                ("GET /office/scenarios/{id}", lambda: office.get(f"/office/scenarios/{sid}")),
                ("GET …/physicians/{pid}", lambda: office.get(f"/office/scenarios/{sid}/physicians/p001")),
                ("GET /office/revisions/{rev} (grid)", lambda: office.get(f"/office/revisions/{rev}")),
                (
                    "GET …/cell (who may take it)",
                    lambda: office.get(f"/office/revisions/{rev}/cell?duty={cell.group(1)}&role=primary"),
                ),
                (
                    "POST …/edit (verdict, htmx)",
                    lambda: office.post(f"/office/revisions/{rev}/edit", data=edit, headers={"HX-Request": "true"}),
                ),
                ("GET …/diff", lambda: office.get(f"/office/revisions/{rev}/diff?against={rev}")),
                ("GET /office/audit", lambda: office.get("/office/audit")),
                ("GET /me (physician)", lambda: physician.get(f"/me?month={month}")),
                ("GET /me (hospital)", lambda: hospital.get(f"/me?month={month}")),
            ]
            out = []
            for name, call in pages:
                response = call()
                status = getattr(response, "status_code", 0)
                out.append((name, _timed(call, n), status))
            return out


def main() -> None:
    """Print the table, the machine and the command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="Requests per page (the median is shown).")
    parser.add_argument("--time-limit", type=float, default=30, help="Seconds for the solve of the sample.")
    args = parser.parse_args()
    rows = measure(args.requests, args.time_limit)
    print(f"Machine: {describe().line()}")
    print(f"Command: python -m benchmarks.pages --requests {args.requests} --time-limit {args.time_limit:g}")
    print()
    print("| page | status | median ms |")
    print("| --- | --- | --- |")
    for name, ms, status in rows:
        print(f"| {name} | {status} | {ms:.1f} |")


if __name__ == "__main__":
    main()
