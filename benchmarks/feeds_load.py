"""Load test of the per-physician calendar feed: requests per second of ``oncall serve`` on loopback.

    python -m benchmarks.feeds_load [--requests 20000] [--connections 16] [--tool auto|python|ab|wrk]

Sets up a throw-away data directory with the regional sample published (the solver's first solution)
and one physician's feed, starts ``oncall serve`` on a free loopback port, checks the feed answers 200
and 304 as it should, then sends a bounded number of GET requests over keep-alive connections and
reports requests per second and latencies. ``ab`` (Debian's apache2-utils) and ``wrk`` are used when
asked for and installed; the built-in client (asyncio, raw HTTP/1.1) needs nothing. The server is
stopped at the end; only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def prepare(data_dir: Path) -> str:
    """Publish the regional sample in ``data_dir`` and issue a physician's feed; returns the feed's path."""
    from oncall.checker import check
    from oncall.io import load_scenario
    from oncall.storage import Store, database_url
    from oncall.storage.feeds import FeedStore
    from solver import SolveOptions, solve

    scenario = load_scenario(ROOT / "samples" / "regional.yaml")
    options = SolveOptions(time_limit=60, workers=2, seed=0, cp_sat={"stop_after_first_solution": True})
    roster = solve(scenario, options).roster
    assert check(scenario, roster).ok, "the regional roster should pass the checker"
    store = Store.open(database_url(None, data_dir))
    sid = store.create_scenario(scenario).id
    store.publish(store.add_revision(sid, 1, roster, 0).id, None)
    pid = next(d.primary for d in roster.duties if d.primary is not None)
    _, token = FeedStore(store.db).issue("physician", pid, alarm_minutes=30)
    store.db.dispose()
    return f"/ical/{token}.ics"


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


async def _client(
    host: str, port: int, path: str, count: int, latencies: list[float], statuses: dict[int, int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/calendar\r\n\r\n".encode()
    try:
        for _ in range(count):
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def _python_load(port: int, path: str, requests: int, connections: int) -> dict[str, float]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    share = [requests // connections + (i < requests % connections) for i in range(connections)]
    started = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(_client("127.0.0.1", port, path, n, latencies, statuses) for n in share)), timeout=600
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "ok": statuses.get(200, 0),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def _ab_load(url: str, requests: int, connections: int) -> dict[str, float]:
    done = subprocess.run(
        ["ab", "-q", "-k", "-n", str(requests), "-c", str(connections), url],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    out = done.stdout
    failed = int(re.search(r"Failed requests:\s+(\d+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    complete = int(re.search(r"Complete requests:\s+(\d+)", out).group(1))  # type: ignore[union-attr]
    return {
        "requests": complete,
        "ok": complete - failed - (int(non2xx.group(1)) if non2xx else 0),
        "seconds": float(re.search(r"Time taken for tests:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": float(re.search(r"\s50%\s+(\d+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": float(re.search(r"\s99%\s+(\d+)", out).group(1)),  # type: ignore[union-attr]
    }


def _wrk_load(url: str, seconds: int, connections: int) -> dict[str, float]:
    done = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    out = done.stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {
        "requests": total,
        "ok": total - (int(non2xx.group(1)) if non2xx else 0),
        "seconds": float(seconds),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000, help="requests to send (ab, python)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections in parallel")
    parser.add_argument("--seconds", type=int, default=10, help="duration of a wrk run")
    parser.add_argument("--tool", choices=["auto", "python", "ab", "wrk"], default="auto")
    parser.add_argument("--minimum", type=float, default=500.0, help="exit 1 below this many requests/second")
    args = parser.parse_args()
    tool = args.tool
    if tool == "auto":
        tool = "ab" if shutil.which("ab") else "python"

    with tempfile.TemporaryDirectory(prefix="oncall-feeds-load-") as tmp:
        data_dir = Path(tmp) / "data"
        print("preparing: regional sample, first solution, published; one physician feed", file=sys.stderr)
        path = prepare(data_dir)
        port = _free_port()
        env = {**os.environ, "ONCALL_DATA_DIR": str(data_dir)}
        env.pop("ONCALL_DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "oncall.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if _get(base + "/health")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            status, headers, body = _get(base + path)
            assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8", status
            assert _get(base + path, {"If-None-Match": headers["etag"]})[0] == 304
            print(f"feed: {len(body)} bytes, {body.count(b'BEGIN:VEVENT')} events; 200 and 304 as expected")
            if tool == "python":
                result = asyncio.run(_python_load(port, path, args.requests, args.connections))
            elif tool == "ab":
                result = _ab_load(base + path, args.requests, args.connections)
            else:
                result = _wrk_load(base + path, args.seconds, args.connections)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(
        f"{tool}: {int(result['requests'])} requests ({int(result['ok'])} answered 200) over "
        f"{args.connections} connections in {result['seconds']:.2f}s: {result['rps']:.0f} requests/s, "
        f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms"
    )
    return 0 if result["ok"] == result["requests"] and result["rps"] >= args.minimum else 1


if __name__ == "__main__":
    sys.exit(main())
