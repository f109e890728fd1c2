"""Mozilla's ical.js, run through node, as an independent reader of our iCalendar feeds.

The package is installed once into a cache directory outside the repository (``npm install --prefix``),
pinned to one version. Without node or npm, or when the install fails, the tests that need it skip and
say why; under CI (``CI`` set) they fail instead, because CI has node and must run them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

VERSION = "2.2.1"
SCRIPT = Path(__file__).resolve().parent / "js" / "icaljs_parse.mjs"


def cache_dir() -> Path:
    """Where ical.js is installed: ``$ONCALL_TEST_CACHE`` or the user's cache directory."""
    base = os.environ.get("ONCALL_TEST_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "oncall-tests" / f"ical.js-{VERSION}"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"ical.js is required under CI: {reason}")
    pytest.skip(f"ical.js not available: {reason}")


@dataclass(frozen=True)
class IcalJs:
    """A callable reader: iCalendar texts in, what ical.js read out."""

    node: str
    module: Path

    def read(self, *documents: bytes | str) -> list[dict[str, Any]]:
        """Parse each document; returns calendar properties and events (times as Unix seconds)."""
        texts = [d.decode("utf-8") if isinstance(d, bytes) else d for d in documents]
        done = subprocess.run(
            [self.node, str(SCRIPT), str(self.module)],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"ical.js failed to read the feed:\n{done.stderr}"
        result: list[dict[str, Any]] = json.loads(done.stdout)
        return result


def install() -> IcalJs:
    """ical.js installed (once) in the cache; skips (fails under CI) when that cannot be done."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("node and npm are needed (install Node.js)")
    assert node is not None and npm is not None
    target = cache_dir()
    module = target / "node_modules" / "ical.js" / "dist" / "ical.js"
    if not module.exists():
        target.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", str(target), "--no-audit", "--no-fund", f"ical.js@{VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not module.exists():
            _unavailable(f"npm install ical.js@{VERSION} failed: {done.stderr.strip()[-500:]}")
    return IcalJs(node, module)
